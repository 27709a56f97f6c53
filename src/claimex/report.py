"""A static HTML report of a batch: each article's text with its claims highlighted, and a claims table.

One self-contained page (inline CSS, no script, no external assets) per batch. Each article's text is
rendered with displaCy's span renderer (`style="span"`, `manual=True`): speakers, cues, statements,
money and years are underlined and labelled. Given a baseline batch, the claims a diff finds are
marked: added and changed statements get their own labels and rows, and removed claims are listed.

Records carry no text, only its SHA-256: the text comes from the run store's `texts` table, or, for
a JSONL batch, from the input files given as `texts` (matched by hash). An article whose text is not
available is shown with its claims table only.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from typing import Any

from spacy import displacy

from claimex.diff import ArticleDiff, BatchDiff
from claimex.schema import ArticleRecord, Claim

LABEL_COLORS = {
    "SPEAKER": "#7aecec",
    "CUE": "#feca74",
    "STATEMENT": "#c7d2fe",
    "STATEMENT+": "#86efac",
    "STATEMENT~": "#fda4af",
    "MONEY": "#e4e7d2",
    "YEAR": "#bfe1d9",
}
"""Highlight colour of each span label (STATEMENT+ added, STATEMENT~ changed since the baseline)."""

def _templates() -> dict[str, str]:
    """displaCy's own span templates, with class names added so the page can be styled and checked."""
    from spacy.displacy import templates

    return {
        "span": templates.TPL_SPAN.replace("<span style=", '<span class="cx-token" style=', 1),
        "slice": templates.TPL_SPAN_SLICE.replace("<span style=", '<span class="cx-slice" style=', 1),
        "start": templates.TPL_SPAN_START.replace("<span style=", '<span class="cx-slice cx-start" style=', 1)
        .replace("<span style=", '<span class="cx-label" style=', 1),
    }


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; color: #111; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
.meta, .note { color: #555; font-size: 0.9rem; }
.legend span { display: inline-block; padding: 0 0.4em; margin-right: 0.5em; border-radius: 3px; font-size: 0.8rem; }
.text { margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
tr.added td { background: #dcfce7; } tr.changed td { background: #ffe4e6; } tr.removed td { background: #f3f4f6; text-decoration: line-through; }
.badge { font-size: 0.75rem; padding: 0 0.4em; border-radius: 3px; background: #eee; }
.badge.revised { background: #fde68a; } .badge.error { background: #fecaca; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def article_spans(record: ArticleRecord, marks: dict[str, str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) character spans to highlight: speaker mentions, cues, statements, money, years.

    `marks` maps claim ids to "+" (added) or "~" (changed), which label their statements apart.
    """
    marks = marks or {}
    spans: set[tuple[int, int, str]] = set()
    for claim in record.claims:
        if claim.kind != "unattributed" or claim.id in marks:
            spans.add((claim.statement.start, claim.statement.end, "STATEMENT" + marks.get(claim.id, "")))
        if claim.speaker is not None:
            spans.add((claim.speaker.mention.start, claim.speaker.mention.end, "SPEAKER"))
        if claim.cue is not None:
            spans.add((claim.cue.start, claim.cue.end, "CUE"))
        spans.update((m.start, m.end, "MONEY") for m in claim.money)
        spans.update((y.start, y.end, "YEAR") for y in claim.years)
    return sorted(spans)


def render_text(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """The article text as displaCy span markup (escaped), one block per paragraph (line).

    The tokens shown are the whitespace-separated words, so the text reads as written ("Morocco’s",
    "Moroccan-Pakistani"); a highlight covers every word it touches.
    """
    spans = sorted(spans)
    parsed = []
    for paragraph in _PARAGRAPH.finditer(text):
        words = [(m.start(), m.end()) for m in _WORD.finditer(text, paragraph.start(), paragraph.end())]
        if not words:
            continue
        starts, ends = [w[0] for w in words], [w[1] for w in words]
        marked = []
        for start, end, label in spans:
            first = bisect.bisect_right(ends, start)  # the first word ending after the span starts
            last = bisect.bisect_left(starts, end)  # one past the last word starting before it ends
            if first < last:
                marked.append({"start_token": first, "end_token": last, "label": label})
        parsed.append({"text": paragraph.group(), "tokens": [text[a:b] for a, b in words], "spans": marked})
    if not parsed:
        return ""
    options = {"colors": LABEL_COLORS, "template": _templates()}
    return displacy.render(parsed, style="span", manual=True, page=False, jupyter=False, options=options)


_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")


def _claim_row(claim: Claim, record: ArticleRecord, css: str = "", mark: str = "") -> str:
    names = {entity.id: entity.name for entity in record.entities}
    money = "; ".join(f"{m.text} = {m.amount} {m.currency or '?'} ({m.qualifier})" for m in claim.money)
    years = "; ".join(f"{y.text} = {y.start_year}" + (f"–{y.end_year}" if y.end_year != y.start_year else "") for y in claim.years)
    cells = [mark, claim.id, claim.kind, claim.speaker.name if claim.speaker else "", claim.cue.text if claim.cue else "",
             claim.statement.text, money, years, ", ".join(names.get(e, e) for e in claim.entity_ids)]
    return f'<tr class="{css}">' + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>"


def _summary_row(claim: dict[str, Any], css: str, mark: str) -> str:
    money = "; ".join(f"{a} {c or '?'} ({q})" for a, c, q in zip(claim["amount"], claim["currency"], claim["qualifier"]))
    years = "; ".join(f"{s}" + (f"–{e}" if e != s else "") for s, e, _ in claim["years"])
    cells = [mark, claim["id"], claim["kind"], claim["speaker"] or "", claim["cue"] or "", claim["text"], money, years,
             ", ".join(claim["entities"])]
    return f'<tr class="{css}">' + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>"


_HEADER = "<tr>" + "".join(f"<th>{h}</th>" for h in ("", "id", "kind", "speaker", "cue", "statement", "money", "years", "entities")) + "</tr>"


def render_article(record: ArticleRecord, text: str | None, diff: ArticleDiff | None = None) -> str:
    """One article's section: heading, highlighted text (when known) and its claims table."""
    marks: dict[str, str] = {}
    if diff is not None:
        marks.update({claim["id"]: "+" for claim in diff.added})
        marks.update({change.after["id"]: "~" for change in diff.changed})
    badges = []
    if diff is not None and diff.revised:
        badges.append('<span class="badge revised">text revised</span>')
    if diff is not None and diff.state == "added":
        badges.append('<span class="badge revised">new article</span>')
    if record.status == "error":
        badges.append('<span class="badge error">error</span>')
    parts = [f'<section class="article" id="doc-{_e(record.doc_id)}" data-doc-id="{_e(record.doc_id)}">',
             f"<h2>{_e(record.doc_id)} {' '.join(badges)}</h2>",
             f'<p class="meta">{len(record.claims)} claims, {len(record.entities)} entities; '
             f"pipeline {_e(record.pipeline.name)} {_e(record.pipeline.version)}; text sha256 {_e(record.text_sha256[:16])}…</p>"]
    if record.error is not None:
        parts.append(f'<p class="note">{_e(record.error.type)}: {_e(record.error.message)}</p>')
    if text is not None:
        parts.append(f'<div class="text">{render_text(text, article_spans(record, marks))}</div>')
    elif record.status == "ok":
        parts.append('<p class="note">The article text is not available (give the input files with --texts), so only the claims are shown.</p>')
    if record.claims or (diff is not None and diff.removed):
        rows = []
        for claim in record.claims:
            mark = marks.get(claim.id, "")
            rows.append(_claim_row(claim, record, {"+": "added", "~": "changed"}.get(mark, ""), mark))
        if diff is not None:
            rows += [_summary_row(claim, "removed", "−") for claim in diff.removed]
        parts.append(f'<table class="claims">{_HEADER}{"".join(rows)}</table>')
    parts.append("</section>")
    return "\n".join(parts)


def render_report(
    records: Iterable[ArticleRecord],
    texts: Any,
    *,
    title: str = "claimex report",
    diff: BatchDiff | None = None,
) -> str:
    """The whole HTML page of a batch.

    Args:
        records: the batch's records, in the order to show them.
        texts: a function from text SHA-256 to the article text (or None).
        title: the page title (escaped).
        diff: a diff from a baseline batch to this one; its added, changed and removed claims are marked.
    """
    by_doc = {article.doc_id: article for article in diff.articles} if diff is not None else {}
    sections = []
    count = claims = 0
    for record in records:
        count += 1
        claims += len(record.claims)
        article_diff = by_doc.get(record.doc_id)
        sections.append(render_article(record, texts(record.text_sha256), article_diff))
    shown = [label for label in LABEL_COLORS if diff is not None or label[-1] not in "+~"]
    legend = "".join(f'<span style="background: {LABEL_COLORS[label]}">{_e(label)}</span>' for label in shown)
    head = [f"<h1>{_e(title)}</h1>", f'<p class="meta">{count} articles, {claims} claims</p>', f'<p class="legend">{legend}</p>']
    if diff is not None:
        s = diff.summary
        head.append(
            f'<p class="meta diff-summary">Compared with {_e(diff.a)}: claims added {s["claims_added"]}, changed {s["claims_changed"]}, '
            f'removed {s["claims_removed"]}, unchanged {s["claims_unchanged"]}; articles revised {s["articles_revised"]}, '
            f'added {s["articles_added"]}, removed {s["articles_removed"]}.</p>'
        )
        removed_articles = [a for a in diff.articles if a.state == "removed"]
        for article in removed_articles:
            rows = "".join(_summary_row(claim, "removed", "−") for claim in article.removed)
            sections.append(f'<section class="article removed" data-doc-id="{_e(article.doc_id)}"><h2>{_e(article.doc_id)} '
                            f'<span class="badge">removed article</span></h2><table class="claims">{_HEADER}{rows}</table></section>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(head) + "\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )
