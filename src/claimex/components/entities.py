"""claimex_entities: placeholder while the component is written."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.base import RuleComponent


class EntityRecognizer(RuleComponent):
    pattern_family = "entities"

    def process(self, doc: Doc) -> Doc:
        doc._.claimex_entities = ()
        return doc


@Language.factory("claimex_entities")
def make_entities(nlp: Language, name: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name)
