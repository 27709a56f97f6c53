"""claimex_money: placeholder while the component is written."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.base import RuleComponent


class MoneyRecognizer(RuleComponent):
    pattern_family = "money"

    def process(self, doc: Doc) -> Doc:
        doc._.claimex_money = ()
        return doc


@Language.factory("claimex_money")
def make_money(nlp: Language, name: str) -> MoneyRecognizer:
    return MoneyRecognizer(nlp, name)
