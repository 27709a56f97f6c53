"""Compare two batches of article records claim by claim: what was added, removed or changed.

Articles pair by doc_id (the n-th record of a doc_id with the n-th of the other batch). An article whose
text hash differs is *revised*; its claims are still compared. Claims pair in three stages, each over
the claims the earlier stages left:

1. by claim id (same doc_id, speaker name and normalised statement);
2. by (sentence position, speaker name): a statement that changed, e.g. a new amount;
3. by sentence position alone: a speaker that changed (which changes the claim id too).

The sentence position is the rank of the claim's sentence among the article's claim sentences, not
a character offset, so an edit that shifts later offsets changes nothing. Claims compare by content
without offsets: kind, speaker name, cue, normalised statement, money values, years and the names of
the entities they mention (entity ids are per record, so names are compared). A paired claim whose
content differs is *changed* and its differing fields are named; the rest are added or removed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

from claimex.records import normalise_statement
from claimex.schema import ArticleRecord, Claim
from claimex.sources import RecordSource

FIELDS = ("kind", "speaker", "cue", "statement", "amount", "currency", "qualifier", "equivalent_of", "years", "entities")
"""The compared content of a claim, in the order changed fields are named."""


def claim_content(claim: Claim, record: ArticleRecord) -> dict[str, Any]:
    """The offsets-free content of a claim that a diff compares, one entry per name in FIELDS."""
    names = {entity.id: (entity.name, entity.label) for entity in record.entities}
    return {
        "kind": claim.kind,
        "speaker": claim.speaker.name if claim.speaker else None,
        "cue": claim.cue.text if claim.cue else None,
        "statement": normalise_statement(claim.statement.text),
        "amount": [m.amount for m in claim.money],
        "currency": [m.currency for m in claim.money],
        "qualifier": [m.qualifier for m in claim.money],
        "equivalent_of": [m.equivalent_of for m in claim.money],
        "years": [[y.start_year, y.end_year, y.kind] for y in claim.years],
        "entities": sorted(f"{names[e][0]} ({names[e][1]})" for e in claim.entity_ids if e in names),
    }


def claim_summary(claim: Claim, record: ArticleRecord) -> dict[str, Any]:
    """A claim as a diff reports it: its id, statement as written, and its compared content."""
    return {"id": claim.id, "text": claim.statement.text, **claim_content(claim, record)}


@dataclass
class ClaimChange:
    """Two paired claims whose content differs, and which fields differ."""

    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]
    matched_by: str

    def as_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "fields": self.fields, "matched_by": self.matched_by}


@dataclass
class ArticleDiff:
    """The differences of one doc_id between batch A and batch B."""

    doc_id: str
    state: str  # "added" | "removed" | "revised" | "changed" | "unchanged"
    sha256_before: str | None = None
    sha256_after: str | None = None
    status_before: str | None = None
    status_after: str | None = None
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ClaimChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def revised(self) -> bool:
        """The article text changed (a different text hash)."""
        return None not in (self.sha256_before, self.sha256_after) and self.sha256_before != self.sha256_after

    @property
    def has_changes(self) -> bool:
        return self.state != "unchanged"

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "state": self.state,
            "revised": self.revised,
            "text_sha256": {"before": self.sha256_before, "after": self.sha256_after},
            "status": {"before": self.status_before, "after": self.status_after},
            "added": self.added,
            "removed": self.removed,
            "changed": [change.as_dict() for change in self.changed],
            "unchanged": self.unchanged,
        }


@dataclass
class BatchDiff:
    """The differences of two batches: the articles with any difference, and counts of everything."""

    a: str
    b: str
    pipelines: dict[str, str | None] = field(default_factory=dict)
    articles: list[ArticleDiff] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMARY_KEYS, 0))

    @property
    def has_changes(self) -> bool:
        return bool(self.articles)

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "pipelines": self.pipelines,
            "articles": [article.as_dict() for article in self.articles],
            "summary": self.summary,
        }


SUMMARY_KEYS = (
    "articles_compared", "articles_added", "articles_removed", "articles_revised", "articles_changed",
    "claims_added", "claims_removed", "claims_changed", "claims_unchanged",
)


def _sentence_positions(record: ArticleRecord) -> list[int]:
    """For each claim, the rank of its sentence among the distinct claim sentences of the article."""
    spans = sorted({(c.sentence.start, c.sentence.end) for c in record.claims})
    rank = {span: index for index, span in enumerate(spans)}
    return [rank[(c.sentence.start, c.sentence.end)] for c in record.claims]


def diff_articles(a: ArticleRecord | None, b: ArticleRecord | None) -> ArticleDiff:
    """Compare the records of one article in batch A and batch B (either may be missing)."""
    if a is None and b is None:
        raise ValueError("diff_articles needs at least one record")
    doc_id = (b or a).doc_id  # type: ignore[union-attr]
    result = ArticleDiff(
        doc_id=doc_id, state="unchanged",
        sha256_before=a.text_sha256 if a else None, sha256_after=b.text_sha256 if b else None,
        status_before=a.status if a else None, status_after=b.status if b else None,
    )
    if a is None or b is None:
        record = a or b
        claims = [claim_summary(claim, record) for claim in record.claims]  # type: ignore[union-attr]
        result.state = "added" if a is None else "removed"
        (result.added if a is None else result.removed).extend(claims)
        return result

    pairs, left_a, left_b = match_claims(a, b)
    for i, j, stage in pairs:
        before, after = claim_summary(a.claims[i], a), claim_summary(b.claims[j], b)
        fields = [name for name in FIELDS if before[name] != after[name]]
        if fields:
            result.changed.append(ClaimChange(before=before, after=after, fields=fields, matched_by=stage))
        else:
            result.unchanged += 1
    result.changed.sort(key=lambda change: _position_key(b, change.after["id"]))
    result.removed = [claim_summary(a.claims[i], a) for i in sorted(left_a)]
    result.added = [claim_summary(b.claims[j], b) for j in sorted(left_b)]
    if result.revised:
        result.state = "revised"
    elif result.changed or result.added or result.removed or a.status != b.status:
        result.state = "changed"
    return result


def _position_key(record: ArticleRecord, claim_id: str) -> int:
    return next(index for index, claim in enumerate(record.claims) if claim.id == claim_id)


def match_claims(a: ArticleRecord, b: ArticleRecord) -> tuple[list[tuple[int, int, str]], set[int], set[int]]:
    """Pair the claims of two records of one article (see the module docstring).

    Returns:
        (pairs, unpaired_a, unpaired_b): pairs are (index in a, index in b, stage) with stage "id",
        "sentence+speaker" or "sentence"; the unpaired sets hold claim indexes.
    """
    left_a, left_b = set(range(len(a.claims))), set(range(len(b.claims)))
    pairs: list[tuple[int, int, str]] = []
    index_b = {claim.id: j for j, claim in enumerate(b.claims)}
    for i, claim in enumerate(a.claims):
        j = index_b.get(claim.id)
        if j is not None:
            pairs.append((i, j, "id"))
            left_a.discard(i)
            left_b.discard(j)
    pos_a, pos_b = _sentence_positions(a), _sentence_positions(b)

    def speaker(record: ArticleRecord, index: int) -> str | None:
        found = record.claims[index].speaker
        return found.name if found else None

    stages = (
        ("sentence+speaker", lambda i: (pos_a[i], speaker(a, i)), lambda j: (pos_b[j], speaker(b, j))),
        ("sentence", lambda i: (pos_a[i],), lambda j: (pos_b[j],)),
    )
    for stage, key_a, key_b in stages:
        groups_a: dict[tuple, list[int]] = defaultdict(list)
        groups_b: dict[tuple, list[int]] = defaultdict(list)
        for i in sorted(left_a):
            groups_a[key_a(i)].append(i)
        for j in sorted(left_b):
            groups_b[key_b(j)].append(j)
        for key, members in groups_a.items():
            for i, j in zip(members, groups_b.get(key, ())):
                pairs.append((i, j, stage))
                left_a.discard(i)
                left_b.discard(j)
    return sorted(pairs), left_a, left_b


def _keyed(records: Iterable[ArticleRecord]) -> Iterator[tuple[tuple[str, int], ArticleRecord]]:
    """(doc_id, occurrence) keys for records sorted by doc_id, so repeated doc_ids pair in order."""
    last, count = None, 0
    for record in records:
        count = count + 1 if record.doc_id == last else 0
        last = record.doc_id
        yield (record.doc_id, count), record


def diff_batches(
    a: Iterable[ArticleRecord],
    b: Iterable[ArticleRecord],
    *,
    a_label: str = "A",
    b_label: str = "B",
    presorted: bool = False,
) -> BatchDiff:
    """Compare two batches of records article by article.

    Args:
        a, b: the records of the older and the newer batch.
        a_label, b_label: how the batches are named in the result.
        presorted: the records already come sorted by doc_id (a run store gives them so), which
            lets the comparison stream; otherwise each batch is sorted in memory first.
    """
    if not presorted:
        a = sorted(a, key=lambda record: record.doc_id)
        b = sorted(b, key=lambda record: record.doc_id)
    result = BatchDiff(a=a_label, b=b_label)
    seen_pipelines: dict[str, set[str]] = {"a": set(), "b": set()}
    iter_a, iter_b = _keyed(a), _keyed(b)
    item_a, item_b = next(iter_a, None), next(iter_b, None)
    while item_a is not None or item_b is not None:
        if item_b is None or (item_a is not None and item_a[0] < item_b[0]):
            pair = (item_a[1], None)  # type: ignore[index]
            item_a = next(iter_a, None)
        elif item_a is None or item_b[0] < item_a[0]:
            pair = (None, item_b[1])
            item_b = next(iter_b, None)
        else:
            pair = (item_a[1], item_b[1])
            item_a, item_b = next(iter_a, None), next(iter_b, None)
        for side, record in zip(("a", "b"), pair):
            if record is not None:
                seen_pipelines[side].add(f"{record.pipeline.name} {record.pipeline.version}")
        _tally(result, diff_articles(*pair))
    result.pipelines = {side: ", ".join(sorted(names)) or None for side, names in seen_pipelines.items()}
    return result


def diff_sources(a: RecordSource, b: RecordSource) -> BatchDiff:
    """Compare two batches (runs of a store or JSONL files of records), streaming them by doc_id."""
    return diff_batches(a.records_by_doc_id(), b.records_by_doc_id(), a_label=a.label, b_label=b.label, presorted=True)


def _tally(result: BatchDiff, article: ArticleDiff) -> None:
    summary = result.summary
    if article.state == "added":
        summary["articles_added"] += 1
    elif article.state == "removed":
        summary["articles_removed"] += 1
    else:
        summary["articles_compared"] += 1
        summary["articles_revised"] += article.state == "revised"
        summary["articles_changed"] += article.state == "changed"
    summary["claims_added"] += len(article.added)
    summary["claims_removed"] += len(article.removed)
    summary["claims_changed"] += len(article.changed)
    summary["claims_unchanged"] += article.unchanged
    if article.has_changes:
        result.articles.append(article)


def render_diff(result: BatchDiff, console: Console, *, width: int = 100) -> None:
    """Print a diff for people: a summary table of the articles that differ, each change, and totals."""
    from rich.markup import escape
    from rich.table import Table

    pipelines = result.pipelines
    console.print(f"A: {escape(result.a)} ({pipelines.get('a') or 'no records'})   "
                  f"B: {escape(result.b)} ({pipelines.get('b') or 'no records'})", highlight=False)
    s = result.summary
    if not result.has_changes:
        console.print(f"no changes: {s['articles_compared']} articles and {s['claims_unchanged']} claims compared", highlight=False)
        return
    table = Table(title="articles that differ", title_justify="left")
    for name, justify in (("doc_id", "left"), ("state", "left"), ("added", "right"), ("removed", "right"),
                          ("changed", "right"), ("unchanged", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for article in result.articles:
        table.add_row(escape(article.doc_id), article.state, str(len(article.added)), str(len(article.removed)),
                      str(len(article.changed)), str(article.unchanged))
    console.print(table)
    for article in result.articles:
        note = {"revised": "text revised", "added": "only in B", "removed": "only in A"}.get(article.state, "claims changed")
        if article.status_before and article.status_after and article.status_before != article.status_after:
            note += f"; status {article.status_before} -> {article.status_after}"
        console.print(f"[bold]{escape(article.doc_id)}[/bold] ({note})", highlight=False)
        for change in article.changed:
            console.print(f"  ~ {change.before['id']} -> {change.after['id']} ({', '.join(change.fields)})", highlight=False)
            for name in change.fields:
                if name == "statement":
                    before, after = _window(change.before["text"], change.after["text"], width // 2)
                else:
                    before, after = _short(change.before[name], width), _short(change.after[name], width)
                console.print(f"      {name}: {escape(before)} -> {escape(after)}", highlight=False)
        for sign, claims in (("+", article.added), ("-", article.removed)):
            for claim in claims:
                who = f"{claim['speaker']}: " if claim["speaker"] else ""
                console.print(f"  {sign} {claim['id']} {escape(_short(who + claim['text'], width))}", highlight=False)
    console.print(
        f"articles: compared {s['articles_compared']}, revised {s['articles_revised']}, changed {s['articles_changed']}, "
        f"added {s['articles_added']}, removed {s['articles_removed']}; claims: added {s['claims_added']}, "
        f"removed {s['claims_removed']}, changed {s['claims_changed']}, unchanged {s['claims_unchanged']}",
        highlight=False,
    )


def _short(value: Any, width: int) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def _window(before: str, after: str, context: int) -> tuple[str, str]:
    """The part of two texts that differs, with up to `context` characters around it on each side."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(before), len(after)) - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1

    def cut(text: str) -> str:
        start, end = max(0, prefix - context // 2), min(len(text), len(text) - suffix + context // 2)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return cut(before), cut(after)
