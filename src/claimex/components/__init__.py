"""claimex's spaCy components; importing this package registers the `claimex_*` factories."""

from claimex.components.attribution import SpeakerAttributor, make_attribution
from claimex.components.claims import ClaimAssembler, make_claims
from claimex.components.entities import EntityRecognizer, make_entities
from claimex.components.money import MoneyRecognizer, make_money
from claimex.components.sentences import SentenceSplitter, make_sentences
from claimex.components.years import YearRecognizer, make_years

__all__ = [
    "ClaimAssembler",
    "EntityRecognizer",
    "MoneyRecognizer",
    "SentenceSplitter",
    "SpeakerAttributor",
    "YearRecognizer",
    "make_attribution",
    "make_claims",
    "make_entities",
    "make_money",
    "make_sentences",
    "make_years",
]
