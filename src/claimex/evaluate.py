"""Score article records against gold annotations: per-kind precision, recall and F1, and the misses.

The gold format is that of the project's evaluation sets: JSON Lines, one document a line, with `id`,
`text` and any of `quotes`, `money`, `years`, `entities`, `entity_names` and `aliases`. A record pairs
with the gold document whose `id` equals its `doc_id`; a document without a record is fully missed.
The figures are the project scorer's, by the same definitions:

- quotes@0.3 / quotes@0.8: an attributed claim (direct or indirect) matches a gold quote when its
  statement covers more than 30% / 80% of the gold content and at least 30% of the statement lies
  inside it; one to one, best coverage first. Gold quotes marked `optional` (and, with
  `speech_only`, those whose cue is not a speech verb) are not scored, and claims that match or only
  touch such quotes count neither way.
- speaker / speaker_resolved: of the quotes matched at 0.3, the speaker name matches the gold one
  (same words, or one a subset of the other, titles ignored), or for a gold speaker not resolved to a
  name, the mention overlaps the gold speaker span; speaker_resolved counts names only, over gold
  speakers that are not pronouns.
- money_span / money: span overlap, one to one; money also needs the amount within 0.5% and, where
  the gold names one, the same currency.
- years_span / years: span overlap; years also needs the same (start_year, end_year), or a gold
  single year at one end of a predicted range.
- entities: exact span and label in the gold file's label scheme (CoNLL folds ours to PER/ORG/LOC/
  MISC; MEANTIME matches by overlap, as it marks whole noun phrases).
- entity_names / aliases: recall of canonical names with labels, and of alias -> name links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

KINDS = ("quotes", "money", "years", "entities")

SPEECH_CUES = frozenset({
    "say", "says", "said", "saying", "tell", "tells", "told", "add", "adds", "added", "according",
    "state", "states", "stated", "write", "writes", "wrote", "ask", "asks", "asked", "explain", "explains",
    "explained", "note", "notes", "noted", "claim", "claims", "claimed", "announce", "announces",
    "announced", "insist", "insists", "insisted", "argue", "argues", "argued", "warn", "warns", "warned",
    "report", "reports", "reported", "reveal", "reveals", "revealed", "stress", "stresses", "stressed",
    "declare", "declared", "acknowledge", "acknowledged", "admit", "admitted", "suggest", "suggested",
    "recall", "recalled", "reply", "replied", "respond", "responded", "tweet", "tweeted", "comment",
    "commented", "confirm", "confirmed", "deny", "denied", "predict", "predicted", "promise", "promised",
})
"""Cue words that make a gold quote reported speech (for `speech_only`)."""

NAME_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "the", "president", "minister", "king", "queen", "sen", "rep", "gov"})
"""Words ignored when comparing speaker names."""

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me", "who", "this", "that"})
ONTONOTES_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
CONLL_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
"""Our labels folded to CoNLL's; anything else is MISC."""
MEANTIME_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "PRODUCT": "PRO"}
"""Our labels folded to MEANTIME's; the others are not scored."""

_WORD = re.compile(r"[\w'-]+")


# ---- small pieces -----------------------------------------------------------------------------

def name_words(name: str | None) -> set[str]:
    """The lower-cased words of a name, without titles ("President Joe Biden" -> {"joe", "biden"})."""
    return {word for word in _WORD.findall((name or "").lower()) if word not in NAME_TITLES}


def names_match(a: str | None, b: str | None) -> bool:
    """Two names agree when both have words and one's words are a subset of the other's."""
    words_a, words_b = name_words(a), name_words(b)
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters shared by two half-open spans."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def greedy_match(candidates: Iterable[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one matching of (score, gold index, predicted index) triples, best first.

    Ties break towards the higher gold index, then the higher predicted index (descending tuple
    order), which is what the reference scorer does.
    """
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched: dict[int, int] = {}
    for _, gold, pred in sorted(candidates, reverse=True):
        if gold not in used_gold and pred not in used_pred:
            used_gold.add(gold)
            used_pred.add(pred)
            matched[gold] = pred
    return matched


def as_decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def prf(tp: int, n_pred: int, n_gold: int, tp_gold: int | None = None) -> dict[str, Any]:
    """Precision tp/n_pred and recall tp_gold/n_gold (tp_gold is tp for one-to-one matches), rounded to 4 places."""
    tp_gold = tp if tp_gold is None else tp_gold
    precision = tp / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "tp": tp_gold, "pred": n_pred, "gold": n_gold}


@dataclass
class Evaluation:
    """Counts per metric, the misses found on the way, and how many documents had no record."""

    documents: int = 0
    missing: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, metric: str, tp: int, n_pred: int, n_gold: int, tp_gold: int | None = None) -> None:
        """Add to a metric: true positives, predictions, gold items (and gold items found, when not tp)."""
        totals = self.counts.setdefault(metric, [0, 0, 0, 0])
        totals[0] += tp
        totals[1] += n_pred
        totals[2] += n_gold
        totals[3] += tp if tp_gold is None else tp_gold

    def miss(self, doc_id: str, metric: str, error: str, **detail: Any) -> None:
        """Note a missed gold item ("missed") or a prediction that matched none ("spurious"), or a wrong value."""
        self.errors.append({"doc_id": doc_id, "metric": metric, "error": error, **detail})

    def scores(self) -> dict[str, dict[str, Any]]:
        """Precision, recall and F1 per metric, keys sorted."""
        return {metric: prf(tp, n_pred, n_gold, tp_gold) for metric, (tp, n_pred, n_gold, tp_gold) in sorted(self.counts.items())}

    def as_dict(self) -> dict[str, Any]:
        """What `--json` prints: the same object as the project scorer's `--json`."""
        return {"documents": self.documents, "missing": self.missing, "scores": self.scores()}

    def lines(self) -> list[str]:
        """The plain-text report, line for line as the project scorer prints it."""
        out = [f"documents {self.documents}, without a record {self.missing}"]
        for metric, v in self.scores().items():
            out.append(f"{metric:18} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, pred {v['pred']}, gold {v['gold']})")
        return out


# ---- quotes and speakers ------------------------------------------------------------------------

def _statement(claim: dict) -> tuple[int, int]:
    statement = claim.get("statement") or {}
    return statement.get("start", 0), statement.get("end", 0)


def score_quotes(gold: dict, record: dict, result: Evaluation, *, speech_only: bool = False) -> None:
    """quotes@0.3, quotes@0.8, speaker and speaker_resolved for one document."""
    doc_id = gold.get("id")
    quotes = [q for q in gold.get("quotes", []) if q.get("content_end") is not None]
    scored = [
        not q.get("optional") and (not speech_only or bool(q.get("cue") and name_words(q["cue"]) & SPEECH_CUES))
        for q in quotes
    ]
    claims = [c for c in record.get("claims", []) if c.get("kind") in ("direct", "indirect")]
    for threshold in (0.3, 0.8):
        metric = f"quotes@{threshold}"
        candidates, touched = [], set()
        for gi, quote in enumerate(quotes):
            g_start, g_end = quote["content_start"], quote["content_end"]
            for pi, claim in enumerate(claims):
                p_start, p_end = _statement(claim)
                shared = overlap(g_start, g_end, p_start, p_end)
                if not shared:
                    continue
                touched.add(pi)
                coverage = shared / max(1, g_end - g_start)
                inside = shared / max(1, p_end - p_start)
                if coverage > threshold and inside >= 0.3:
                    candidates.append((coverage, gi, pi))
        matched = greedy_match(candidates)
        tp = sum(1 for gi in matched if scored[gi])
        # claims matched to, or only touching, unscored gold quotes count neither way
        ignored = sum(1 for gi in matched if not scored[gi])
        only_unscored = {
            pi for pi in touched - set(matched.values())
            if all(not scored[gi] for gi, q in enumerate(quotes) if overlap(q["content_start"], q["content_end"], *_statement(claims[pi])))
        }
        result.add(metric, tp, len(claims) - ignored - len(only_unscored), sum(scored))
        for gi, quote in enumerate(quotes):
            if scored[gi] and gi not in matched:
                result.miss(doc_id, metric, "missed", start=quote["content_start"], end=quote["content_end"],
                            text=_gold_text(gold, quote["content_start"], quote["content_end"]), speaker=quote.get("speaker"))
        for pi in sorted(set(range(len(claims))) - set(matched.values()) - only_unscored):
            start, end = _statement(claims[pi])
            result.miss(doc_id, metric, "spurious", start=start, end=end, text=(claims[pi].get("statement") or {}).get("text"),
                        speaker=(claims[pi].get("speaker") or {}).get("name"))
        if threshold == 0.3:
            _score_speakers(gold, quotes, scored, claims, matched, result)


def _score_speakers(gold: dict, quotes: list[dict], scored: list[bool], claims: list[dict], matched: dict[int, int], result: Evaluation) -> None:
    right = right_resolved = n = n_resolved = 0
    for gi, pi in matched.items():
        if not scored[gi]:
            continue
        n += 1
        quote, speaker = quotes[gi], (claims[pi].get("speaker") or {})
        mention = speaker.get("mention") or {}
        by_name = names_match(speaker.get("name"), quote.get("speaker"))
        gold_unresolved = quote.get("speaker_mention") in (None, quote.get("speaker"))
        by_span = (
            gold_unresolved
            and quote.get("speaker_start") is not None
            and overlap(quote["speaker_start"], quote["speaker_end"], mention.get("start", 0), mention.get("end", 0)) > 0
        )
        right += by_name or by_span
        if not (by_name or by_span):
            result.miss(gold.get("id"), "speaker", "wrong", start=quote["content_start"], end=quote["content_end"],
                        gold=quote.get("speaker"), predicted=speaker.get("name"))
        if name_words(quote.get("speaker")) - PRONOUNS:
            n_resolved += 1
            right_resolved += by_name
    result.add("speaker", right, n, n)
    result.add("speaker_resolved", right_resolved, n_resolved, n_resolved)


# ---- money and years ----------------------------------------------------------------------------

def predicted_items(record: dict, key: str) -> list[dict]:
    """The distinct money or year items of a record's claims (by span), in order."""
    seen, items = set(), []
    for claim in record.get("claims", []):
        for item in claim.get(key, []):
            span = (item.get("start"), item.get("end"))
            if span not in seen:
                seen.add(span)
                items.append(item)
    return items


def _span_candidates(gold_items: list[dict], pred_items: list[dict]) -> list[tuple[int, int, int]]:
    return [
        (overlap(g["start"], g["end"], p["start"], p["end"]), gi, pi)
        for gi, g in enumerate(gold_items) for pi, p in enumerate(pred_items)
        if overlap(g["start"], g["end"], p["start"], p["end"])
    ]


def _span_misses(result: Evaluation, doc_id: str, metric: str, gold_items: list[dict], pred_items: list[dict], matched: dict[int, int]) -> None:
    for gi, item in enumerate(gold_items):
        if gi not in matched:
            result.miss(doc_id, metric, "missed", start=item["start"], end=item["end"], text=item.get("text"))
    for pi in sorted(set(range(len(pred_items))) - set(matched.values())):
        item = pred_items[pi]
        result.miss(doc_id, metric, "spurious", start=item["start"], end=item["end"], text=item.get("text"))


def score_money(gold: dict, record: dict, result: Evaluation) -> None:
    """money_span (overlap) and money (amount within 0.5% and the gold currency, when named)."""
    doc_id = gold.get("id")
    gold_items, pred = gold.get("money", []), predicted_items(record, "money")
    matched = greedy_match(_span_candidates(gold_items, pred))
    result.add("money_span", len(matched), len(pred), len(gold_items))
    _span_misses(result, doc_id, "money_span", gold_items, pred, matched)
    valued = [gi for gi, g in enumerate(gold_items) if g.get("amount") is not None]
    # predictions matched to a gold amount without a value are not scored for value
    n_pred = len(pred) - sum(1 for gi in matched if gold_items[gi].get("amount") is None)
    right = 0
    for gi in valued:
        if gi not in matched:
            continue
        g, p = gold_items[gi], pred[matched[gi]]
        g_amount, p_amount = as_decimal(g["amount"]), as_decimal(p.get("amount"))
        same_amount = g_amount is not None and p_amount is not None and abs(g_amount - p_amount) <= abs(g_amount) * Decimal("0.005")
        same_currency = g.get("currency") is None or g.get("currency") == p.get("currency")
        right += same_amount and same_currency
        if not (same_amount and same_currency):
            result.miss(doc_id, "money", "wrong", start=g["start"], end=g["end"], text=g.get("text"),
                        gold=[str(g["amount"]), g.get("currency")], predicted=[p.get("amount"), p.get("currency")])
    if valued:
        result.add("money", right, n_pred, len(valued))


def gold_year_range(item: dict) -> tuple[int, int] | None:
    """(start_year, end_year) a gold year item asks for, or None when it gives no year.

    Items may give `start_year`/`end_year`, TIMEX-style `res_start`/`res_end` dates (an end on the
    1st of January is exclusive), or a single `value`.
    """
    if isinstance(item.get("start_year"), int):
        return item["start_year"], item.get("end_year", item["start_year"])
    res_start, res_end = item.get("res_start"), item.get("res_end")
    if item.get("kind") in ("decade", "century", "range") and res_start and res_end:
        low, high = int(res_start[:4]), int(res_end[:4])
        if res_end[4:10] == "-01-01" and high > low:
            high -= 1
        return low, high
    if isinstance(item.get("value"), int):
        return item["value"], item["value"]
    return None


def score_years(gold: dict, record: dict, result: Evaluation) -> None:
    """years_span (overlap) and years (the same year range, any overlapping prediction may give it)."""
    doc_id = gold.get("id")
    gold_items, pred = gold.get("years", []), predicted_items(record, "years")
    candidates = _span_candidates(gold_items, pred)
    matched = greedy_match(candidates)
    result.add("years_span", len(matched), len(pred), len(gold_items))
    _span_misses(result, doc_id, "years_span", gold_items, pred, matched)
    right_gold, right_pred = set(), set()
    scored = [gi for gi, g in enumerate(gold_items) if gold_year_range(g)]
    for gi in scored:
        want = gold_year_range(gold_items[gi])
        assert want is not None
        for _, candidate_gold, pi in candidates:
            if candidate_gold != gi:
                continue
            got = (pred[pi].get("start_year"), pred[pi].get("end_year"))
            single = want[0] == want[1]
            if got == want or (single and got[0] != got[1] and want[0] in got):
                right_gold.add(gi)
                right_pred.add(pi)
                break
        if gi not in right_gold and gi in matched:
            g = gold_items[gi]
            result.miss(doc_id, "years", "wrong", start=g["start"], end=g["end"], text=g.get("text"), gold=list(want),
                        predicted=[pred[matched[gi]].get("start_year"), pred[matched[gi]].get("end_year")])
    # predictions that only overlap gold items without a year are not scored for value
    unscored = {pi for _, gi, pi in candidates if gi not in scored} - {pi for _, gi, pi in candidates if gi in scored}
    result.add("years", len(right_pred), len(pred) - len(unscored), len(scored), len(right_gold))


# ---- entities -----------------------------------------------------------------------------------

def entity_scheme(gold_docs: Iterable[dict]) -> str:
    """How a gold file labels entities: "conll" (PER/ORG/LOC/MISC), "meantime" (PRO, FIN) or "ontonotes"."""
    labels = {entity["label"] for doc in gold_docs for entity in doc.get("entities", [])}
    if labels and labels <= {"PER", "ORG", "LOC", "MISC"}:
        return "conll"
    if labels & {"PRO", "FIN"}:
        return "meantime"
    return "ontonotes"


def score_entities(gold: dict, record: dict, result: Evaluation, scheme: str) -> None:
    """entities: exact span and label (CoNLL, OntoNotes), or overlap and label (MEANTIME; FIN not scored)."""
    doc_id = gold.get("id")
    gold_items = gold.get("entities", [])
    mentions = [(m["start"], m["end"], e["label"]) for e in record.get("entities", []) for m in e.get("mentions", [])]
    if scheme in ("conll", "ontonotes"):
        if scheme == "conll":
            want = {(e["start"], e["end"], e["label"]) for e in gold_items}
            have = {(start, end, CONLL_LABELS.get(label, "MISC")) for start, end, label in mentions}
        else:
            want = {(e["start"], e["end"], e["label"]) for e in gold_items if e["label"] in ONTONOTES_LABELS}
            have = {(start, end, label) for start, end, label in mentions if label in ONTONOTES_LABELS}
        result.add("entities", len(want & have), len(have), len(want))
        for error, items in (("missed", want - have), ("spurious", have - want)):
            for start, end, label in sorted(items):
                result.miss(doc_id, "entities", error, start=start, end=end, label=label, text=_gold_text(gold, start, end))
        return
    want_list = [(e["start"], e["end"], e["label"]) for e in gold_items if e["label"] in ("PER", "ORG", "LOC", "PRO")]
    have_list = [(start, end, MEANTIME_LABELS[label]) for start, end, label in mentions if label in MEANTIME_LABELS]
    candidates = [
        (overlap(g[0], g[1], p[0], p[1]), gi, pi) for gi, g in enumerate(want_list) for pi, p in enumerate(have_list)
        if g[2] == p[2] and overlap(g[0], g[1], p[0], p[1])
    ]
    matched = greedy_match(candidates)
    result.add("entities", len(matched), len(have_list), len(want_list))
    for gi, (start, end, label) in enumerate(want_list):
        if gi not in matched:
            result.miss(doc_id, "entities", "missed", start=start, end=end, label=label, text=_gold_text(gold, start, end))


def score_entity_names(gold: dict, record: dict, result: Evaluation) -> None:
    """entity_names: recall of (canonical name, label); aliases: recall of alias -> name links."""
    doc_id = gold.get("id")
    entities = record.get("entities", [])
    have = {(e.get("name"), e.get("label")) for e in entities}
    want = [(e["text"], e["label"]) for e in gold.get("entity_names", [])]
    result.add("entity_names", sum(item in have for item in want), len(want), len(want))
    for name, label in want:
        if (name, label) not in have:
            result.miss(doc_id, "entity_names", "missed", text=name, label=label)
    alias_of = {alias: e.get("name") for e in entities for alias in e.get("aliases", [])}
    aliases = gold.get("aliases", {})
    if aliases:
        result.add("aliases", sum(alias_of.get(alias) == name for alias, name in aliases.items()), len(aliases), len(aliases))
        for alias, name in aliases.items():
            if alias_of.get(alias) != name:
                result.miss(doc_id, "aliases", "missed", text=alias, gold=name, predicted=alias_of.get(alias))


def _gold_text(gold: dict, start: int, end: int) -> str | None:
    text = gold.get("text")
    return text[start:end] if isinstance(text, str) else None


# ---- whole files --------------------------------------------------------------------------------

def evaluate_records(
    gold_docs: list[dict],
    records: Iterable[dict],
    *,
    kinds: Iterable[str] = KINDS,
    speech_only: bool = False,
) -> Evaluation:
    """Score records (JSON objects, as `model_dump(mode="json")` gives) against gold documents.

    Args:
        gold_docs: the gold documents, each with an `id`.
        records: article records; a doc_id given twice keeps the last record, as the scorer does.
        kinds: which of "quotes", "money", "years", "entities" to score.
        speech_only: score only gold quotes whose cue is a speech verb.
    """
    kinds = set(kinds)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}: choose from {', '.join(KINDS)}")
    by_doc_id = {record.get("doc_id"): record for record in records}
    scheme = entity_scheme(gold_docs)
    result = Evaluation(documents=len(gold_docs))
    for gold in gold_docs:
        record = by_doc_id.get(gold["id"])
        if record is None:
            result.missing += 1
            record = {}
        if "quotes" in kinds and "quotes" in gold:
            score_quotes(gold, record, result, speech_only=speech_only)
        if "money" in kinds and "money" in gold:
            score_money(gold, record, result)
        if "years" in kinds and "years" in gold:
            score_years(gold, record, result)
        if "entities" in kinds and "entities" in gold:
            score_entities(gold, record, result, scheme)
        if "entities" in kinds and "entity_names" in gold:
            score_entity_names(gold, record, result)
    return result


def read_gold(path: str | Path) -> list[dict]:
    """Read a gold JSONL file; a line that is not an object with an `id` raises ValueError naming the line."""
    docs = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from error
            if not isinstance(doc, dict) or "id" not in doc:
                raise ValueError(f"{path}:{number}: a gold document is an object with an 'id' (and 'text')")
            docs.append(doc)
    return docs


def evaluate_pipeline(
    gold_path: str | Path,
    *,
    pipeline: str = "default",
    kinds: Iterable[str] = KINDS,
    speech_only: bool = False,
) -> Evaluation:
    """Run a pipeline over the texts of a gold file and score its records against the annotations."""
    from claimex.extractor import Extractor
    from claimex.io import read_articles

    gold_docs = read_gold(gold_path)
    extractor = Extractor(pipeline)
    records = (record.model_dump(mode="json") for record in extractor.pipe(read_articles([gold_path])))
    return evaluate_records(gold_docs, records, kinds=kinds, speech_only=speech_only)


def format_errors(errors: Iterable[dict[str, Any]]) -> list[str]:
    """One line per miss: doc_id, metric, what went wrong, where, and the text or values."""
    lines = []
    for error in sorted(errors, key=lambda e: (str(e["doc_id"]), e["metric"], e.get("start") or 0, e["error"])):
        where = f"{error['start']}-{error['end']}" if error.get("start") is not None else "-"
        detail = {k: v for k, v in error.items() if k not in ("doc_id", "metric", "error", "start", "end")}
        lines.append(f"{error['doc_id']}\t{error['metric']}\t{error['error']}\t{where}\t{json.dumps(detail, ensure_ascii=False, sort_keys=True)}")
    return lines
