"""Rule data of claimex_attribution: the pattern model, fragment splicing and the verb lexicon."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc

from claimex.patterns import RuleDataError

Layout = Literal["content_cue_speaker", "content_speaker_cue", "speaker_cue_content", "cue_speaker_content", "secondary"]
ROLES = frozenset({"sep", "quote", "cue", "speaker", "speaker_name", "possessor", "skip"})


class AttributionPattern(BaseModel):
    """One line of `patterns/attribution.jsonl`: a fragment to splice, or a pattern with a layout."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    pattern: list[dict[str, Any]]
    layout: Layout | None = None
    fragment: bool = False


def parse_verb_lexicon(entries: tuple[str, ...]) -> dict[str, str]:
    """Map every form of `lemma: form form ...` entries (and the lemma itself) to its lemma."""
    forms: dict[str, str] = {}
    for entry in entries:
        lemma, _, rest = entry.partition(":")
        lemma = lemma.strip().lower()
        if not lemma or " " in lemma:
            raise RuleDataError(f"reporting_verbs: {entry!r} must read 'lemma: form form ...' with a one-word lemma")
        for form in [lemma, *rest.lower().split()]:
            if forms.get(form, lemma) != lemma:
                raise RuleDataError(f"reporting_verbs: {form!r} is listed under both {forms[form]!r} and {lemma!r}")
            forms[form] = lemma
    return forms


def splice_fragments(pattern: list[dict[str, Any]], fragments: dict[str, list[dict[str, Any]]], *, source: str, depth: int = 0) -> list[dict[str, Any]]:
    """Replace `{"ref": NAME}` tokens by the fragment's tokens; every token must end with a role."""
    if depth > 8:
        raise RuleDataError(f"{source}: fragments refer to each other in a loop")
    out: list[dict[str, Any]] = []
    for token in pattern:
        if "ref" in token:
            if token["ref"] not in fragments:
                raise RuleDataError(f"{source}: unknown fragment {token['ref']!r}")
            out.extend(splice_fragments(fragments[token["ref"]], fragments, source=source, depth=depth + 1))
            continue
        token = dict(token)
        if token.get("role") not in ROLES:
            raise RuleDataError(f"{source}: every token needs a role in {sorted(ROLES)}, got {token.get('role')!r}")
        out.append(token)
    return out


def skip_listener(doc: Doc, i: int) -> int:
    """The one who was told: a pronoun or plural noun, a determiner and noun, or a capitalised name."""
    n = len(doc)
    if doc[i].lower_ in ("the", "a", "an", "his", "her", "their", "its", "our"):
        i += 1
        limit = i + 3
        while i < n and i < limit and doc[i].is_title:
            i += 1
        return i + 1 if i < n and doc[i].is_lower and doc[i].is_alpha else i
    if doc[i].is_title or doc[i].is_upper:
        while i < n and (doc[i].is_title or doc[i].is_upper) and doc[i].is_alpha:
            i += 1
        return i
    return i + 1 if doc[i].is_alpha else i
