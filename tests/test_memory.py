"""A processed Doc is freed once nobody holds it: no component keeps it alive in a cache.

Caches keyed weakly by the Doc are only weak if their values do not refer back to the Doc (a Span
does): a long batch run would otherwise keep every article it has processed.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from claimex.pipeline import load_pipeline

TEXT = (
    "Prices will rise, said the minister, Jane Doe. “We will act,” she told reporters in Ottawa on Monday.\n\n"
    "The bank lent $5 million in 2018, according to the report. Doe added that wages would not fall."
)


@pytest.mark.parametrize("name", ["default"])
def test_a_processed_doc_is_freed(name):
    nlp, _ = load_pipeline(name)
    doc = nlp(TEXT)
    assert doc._.claimex_attributions  # every component ran, attribution included
    ref = weakref.ref(doc)
    del doc
    gc.collect()
    assert ref() is None
