"""claimex_claims: placeholder."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.base import RuleComponent


class ClaimAssembler(RuleComponent):
    def process(self, doc: Doc) -> Doc:
        doc._.claimex_claims = ()
        return doc


@Language.factory("claimex_claims")
def make_claims(nlp: Language, name: str) -> ClaimAssembler:
    return ClaimAssembler(nlp, name)
