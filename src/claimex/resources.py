"""Where pipeline folders live, and the registered readers that bring their data to components.

Pipelines ship in two places: the `pipelines/` folder of a source checkout, and `claimex/_pipelines`
inside an installed wheel. `CLAIMEX_PIPELINES` overrides both. Readers are registered in spaCy's
`misc` registry, so a pipeline's `config.cfg` names its data in its `[initialize]` block and the
components themselves never touch the file system.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from spacy.util import registry

from claimex.patterns import WordLists, read_pattern_file, read_word_lists

PIPELINES_ENV = "CLAIMEX_PIPELINES"
DEFAULT_PIPELINE = "default"


def pipelines_root() -> Path:
    """The folder that holds one sub-folder per named pipeline."""
    override = os.environ.get(PIPELINES_ENV)
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "_pipelines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "pipelines"


def available_pipelines() -> list[str]:
    """Names of the pipelines that can be loaded by name."""
    root = pipelines_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "config.cfg").is_file())


def pipeline_dir(name_or_path: str | os.PathLike[str]) -> Path:
    """Resolve a pipeline name ("default") or a path to a folder holding a `config.cfg`."""
    candidate = Path(name_or_path)
    if (candidate / "config.cfg").is_file():
        return candidate.resolve()
    named = pipelines_root() / str(name_or_path)
    if (named / "config.cfg").is_file():
        return named
    known = ", ".join(available_pipelines()) or "none found"
    raise ValueError(f"unknown pipeline {str(name_or_path)!r}: give a pipeline name ({known}) or a folder with a config.cfg")


@cache
def default_word_lists() -> WordLists:
    """The default pipeline's word lists: what a component uses when it is initialized without data."""
    return read_word_lists(pipeline_dir(DEFAULT_PIPELINE) / "lists")


@cache
def _default_patterns(family: str) -> tuple[dict[str, Any], ...]:
    return tuple(read_pattern_file(pipeline_dir(DEFAULT_PIPELINE) / "patterns" / f"{family}.jsonl"))


def default_patterns(family: str) -> list[dict[str, Any]]:
    """The default pipeline's patterns of one family ("money", "years", "entities", "attribution")."""
    return [dict(row) for row in _default_patterns(family)]


@registry.misc("claimex.read_patterns.v1")
def make_pattern_reader(path: str) -> list[dict[str, Any]]:
    """Config reader: the rows of one JSONL pattern file, checked (see `claimex.patterns`)."""
    return read_pattern_file(path)


@registry.misc("claimex.read_word_lists.v1")
def make_word_list_reader(path: str) -> WordLists:
    """Config reader: every word list of a folder, checked (see `claimex.patterns`)."""
    return read_word_lists(path)
