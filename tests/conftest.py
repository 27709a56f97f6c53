"""Shared fixtures: the default pipeline, blank pipelines with chosen components, paths."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import claimex  # noqa: F401  (registers the components)
from claimex.build_cache import CACHE_ENV
from claimex.extractor import Extractor

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"


def evaluation_texts(sets: Iterable[str] | None = None, per_set: int = 40) -> list[str]:
    """The first `per_set` article texts of each evaluation data set in ../shared/data (of `sets`, or of
    all of them); empty when the data is absent. Tests that compare a fast path with spaCy's own on real
    news read them; the data is licensed for evaluation only and never copied here."""
    wanted = None if sets is None else set(sets)
    texts: list[str] = []
    for gold in sorted(SHARED_DATA.glob("*/gold.jsonl")):
        if wanted is not None and gold.parent.name not in wanted:
            continue
        with gold.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line, _ in zip(handle, range(per_set)) if line.strip())
    return texts


def news_texts(per_set: int = 40) -> list[str]:
    """The seeds and, when ../shared/data is present, the first `per_set` texts of each of its data sets."""
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))] + evaluation_texts(per_set=per_set)


@pytest.fixture(scope="session", autouse=True)
def build_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Pipelines built by the tests (and the command-line runs they start) keep their build cache in a
    folder of the test session, not the user's: every session computes and stores it once."""
    folder = tmp_path_factory.mktemp("build-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The default pipeline, built once for the session."""
    return Extractor("default")


@pytest.fixture(scope="session")
def make_nlp() -> Callable[..., Language]:
    """Build `spacy.blank("en")` with the named claimex components, in the given order."""
    cache: dict[tuple[str, ...], Language] = {}

    def build(*components: str) -> Language:
        if components not in cache:
            nlp = spacy.blank("en")
            for component in components:
                nlp.add_pipe(component)
            nlp.initialize()
            cache[components] = nlp
        return cache[components]

    return build
