"""Build a claimex pipeline from its folder (`config.cfg`, `meta.json`, rule data) and cache it.

`load_pipeline("default")` assembles the spaCy `Language` described by
`pipelines/default/config.cfg`, initializes every component from the folder's data (validated on
load) and returns it; the result is cached per process, so the rules are read once.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

import claimex.components  # noqa: F401  (registers the claimex_* factories)
from claimex.resources import DEFAULT_PIPELINE, pipeline_dir


@dataclass(frozen=True)
class PipelineMeta:
    """Name and version a pipeline stamps on its records, and a digest of all its rule data."""

    name: str
    version: str
    data_sha256: str


class PipelineUnavailable(RuntimeError):
    """A pipeline needs something that is not installed (for example a trained spaCy pipeline)."""


_lock = threading.Lock()
_cache: dict[str, tuple[Language, PipelineMeta]] = {}


def load_pipeline(name: str | os.PathLike[str] = DEFAULT_PIPELINE) -> tuple[Language, PipelineMeta]:
    """The initialized `Language` for a pipeline name or folder, and its metadata (cached)."""
    folder = pipeline_dir(name)
    key = str(folder)
    with _lock:
        if key not in _cache:
            _cache[key] = _build(folder)
        return _cache[key]


def _build(folder: Path) -> tuple[Language, PipelineMeta]:
    meta = read_meta(folder)
    config = spacy.util.load_config(folder / "config.cfg", overrides={"paths.pipeline": str(folder)}, interpolate=False)
    try:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except OSError as error:  # a sourced trained pipeline is missing
        raise PipelineUnavailable(
            f"pipeline {meta.name!r} needs a trained spaCy pipeline that is not installed ({error}). "
            'Install it with: pip install -e ".[accurate]"'
        ) from error
    nlp.initialize()
    nlp.meta["name"] = meta.name
    nlp.meta["version"] = meta.version
    return nlp, meta


def read_meta(folder: Path) -> PipelineMeta:
    """Read `meta.json` of a pipeline folder and digest the folder's rule data and config."""
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise ValueError(f"pipeline folder {folder} has no meta.json (name and version of its records)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return PipelineMeta(name=str(meta["name"]), version=str(meta["version"]), data_sha256=digest.hexdigest())
