"""claimex_attribution: placeholder while the component is written."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.base import RuleComponent


class SpeakerAttributor(RuleComponent):
    pattern_family = "attribution"

    def process(self, doc: Doc) -> Doc:
        doc._.claimex_attributions = ()
        return doc


@Language.factory("claimex_attribution")
def make_attribution(nlp: Language, name: str) -> SpeakerAttributor:
    return SpeakerAttributor(nlp, name)
