"""Build a claimex pipeline from its folder (`config.cfg`, `meta.json`, rule data) and cache it.

`load_pipeline("default")` assembles the spaCy `Language` described by
`pipelines/default/config.cfg`, initializes every component from the folder's data (validated on
load) and returns it; the result is cached per process, so the rules are read once.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

import claimex.components  # noqa: F401  (registers the claimex_* factories)
from claimex.resources import DEFAULT_PIPELINE, pipeline_dir
from claimex.tokenizer_guard import guard_tokenizer


@dataclass(frozen=True)
class PipelineMeta:
    """Name and version a pipeline stamps on its records, and a digest of all its rule data."""

    name: str
    version: str
    data_sha256: str
    requires: tuple[str, ...] = ()
    rules_dir: Path | None = None


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
    overrides = {"paths.pipeline": str(folder)}
    if meta.rules_dir is not None:
        overrides["paths.rules"] = str(meta.rules_dir)
    if meta.requires:
        overrides["paths.trained"] = installed_trained_pipeline(meta)
    config = spacy.util.load_config(folder / "config.cfg", overrides=overrides, interpolate=False)
    try:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except OSError as error:  # a sourced trained pipeline could not be loaded
        raise PipelineUnavailable(f"pipeline {meta.name!r} could not load its trained components ({error}). {INSTALL_HINT}") from error
    # sourced (trained) components keep their weights: only the claimex components are initialized
    sourced = [name for name, settings in config["components"].items() if "source" in settings]
    with nlp.select_pipes(disable=sourced):
        nlp.initialize()
    nlp.meta["name"] = meta.name
    nlp.meta["version"] = meta.version
    widen_tokenizer_cache(nlp)
    guard_tokenizer(nlp)  # linear time on runs of thousands of punctuation marks
    keep_out_of_collections()
    return nlp, meta


TOKENIZER_CACHE_SIZE = 100_000
"""Distinct whitespace-separated chunks whose tokens spaCy's tokenizer keeps (spaCy's default: 10,000)."""


def widen_tokenizer_cache(nlp: Language) -> None:
    """Let the tokenizer keep the tokens of `TOKENIZER_CACHE_SIZE` distinct chunks instead of 10,000.

    spaCy's tokenizer caches each chunk it has split ("said,", "U.S.") until the cache holds
    `max_cache_size` of them, then caches nothing more. A news archive uses far more than 10,000
    distinct chunks, so with the default a long batch run splits most words with the affix rules
    again: the larger cache (about 5 MB when full) tokenizes a million words of news about a tenth
    faster. The tokens are the same either way.
    """
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer) and tokenizer.max_cache_size < TOKENIZER_CACHE_SIZE:
        tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE


def keep_out_of_collections() -> None:
    """Move every object alive now (the pipeline just built) out of the cyclic garbage collector's reach.

    A built pipeline holds a few hundred thousand Python objects (word lists, gazetteers, matchers) and
    lives as long as the process (it is cached). Each full collection would walk them all, which cost
    about a tenth of the extraction time; frozen, they are left alone (reference counting still frees
    them). The garbage of the build is collected first, so none of it is kept.
    """
    gc.collect()
    gc.freeze()


INSTALL_HINT = 'Install the trained pipeline with: pip install -e ".[accurate]"'


def installed_trained_pipeline(meta: PipelineMeta) -> str:
    """The first of the trained spaCy pipelines a claimex pipeline accepts that is installed."""
    for package in meta.requires:
        if spacy.util.is_package(package):
            return package
    raise PipelineUnavailable(f"pipeline {meta.name!r} needs a trained spaCy pipeline ({' or '.join(meta.requires)}), which is not installed. {INSTALL_HINT}")


def read_meta(folder: Path) -> PipelineMeta:
    """Read `meta.json` of a pipeline folder and digest the folder's rule data and config."""
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise ValueError(f"pipeline folder {folder} has no meta.json (name and version of its records)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    folders = [folder]
    if meta.get("rules"):  # rule data shared with another pipeline folder
        folders.append((folder / meta["rules"]).resolve())
    digest = hashlib.sha256()
    for root in folders:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return PipelineMeta(
        name=str(meta["name"]),
        version=str(meta["version"]),
        data_sha256=digest.hexdigest(),
        requires=tuple(meta.get("requires", ())),
        rules_dir=folders[1] if len(folders) > 1 else None,
    )
