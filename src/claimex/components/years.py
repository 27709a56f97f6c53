"""claimex_years: placeholder while the component is written."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.base import RuleComponent


class YearRecognizer(RuleComponent):
    pattern_family = "years"

    def process(self, doc: Doc) -> Doc:
        doc._.claimex_years = ()
        return doc


@Language.factory("claimex_years")
def make_years(nlp: Language, name: str) -> YearRecognizer:
    return YearRecognizer(nlp, name)
