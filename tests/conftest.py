"""Shared fixtures: the default pipeline, blank pipelines with chosen components, paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import claimex  # noqa: F401  (registers the components)
from claimex.extractor import Extractor

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"


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
