"""Very long articles run in bounded pieces: cuts between paragraphs, nothing lost at the seams."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimex import Extractor, record_to_json
from claimex.annotations import CharSpan
from claimex.io import Article
from claimex.pieces import split_pieces
from claimex.quotes import find_quotations
from claimex.schema import ArticleRecord

SEED = Path(__file__).resolve().parents[1] / "seeds" / "morocco-pakistan-ties.txt"


def seed_article(chars: int) -> str:
    """The seed's paragraphs repeated to about `chars` characters: real news text, many speakers."""
    seed = SEED.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    return seed * (chars // len(seed) + 1)


@pytest.fixture(scope="module")
def whole() -> Extractor:
    return Extractor(piece_chars=10_000_000)


def test_pieces_cover_the_text_and_end_between_paragraphs_with_no_quotation_open():
    quoted = ('“This is the first paragraph of a long quotation,” said Jane Doe. “It goes on\n'
              '“and on, into a second paragraph\n'
              '“and a third,” she added.\n'
              'Prices rose.\n')
    text = quoted * 200
    pieces = split_pieces(text, piece_chars=1_000, lead_chars=300)
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    assert all(p.end - p.start <= 1_000 and p.lead <= p.start for p in pieces)
    assert all(p.start - p.lead <= 300 for p in pieces)
    for cut in [p.start for p in pieces[1:]] + [p.lead for p in pieces[1:] if p.lead < p.start]:
        assert text[cut - 1] == "\n"
        previous = text.rfind("\n", 0, cut - 1) + 1
        paragraph = CharSpan(previous, cut - 1)
        assert all(q.closed or q.outer.end < paragraph.end for q in find_quotations(text, [paragraph]))
        assert text[cut:].startswith(("“This", "Prices"))  # never inside the run-on quotation


def test_one_paragraph_longer_than_a_piece_is_cut_after_a_sentence():
    text = "Prices rose again. " * 1_000
    pieces = split_pieces(text, piece_chars=5_000, lead_chars=500)
    assert all(p.end - p.start <= 5_000 for p in pieces) and pieces[-1].end == len(text)
    assert all(text[p.start - 2:p.start] == ". " for p in pieces[1:])


def test_pieces_give_the_record_of_the_whole_article(whole):
    """Claims (ids, spans, speakers), entities and their ids are the same as in one piece."""
    text = seed_article(40_000)
    one = whole.extract(text, "long")
    for piece_chars, lead_chars in ((6_000, 2_500), (15_000, 5_000)):
        piecewise = Extractor(piece_chars=piece_chars, lead_chars=lead_chars).extract(text, "long")
        assert len(split_pieces(text, piece_chars, lead_chars)) > 2
        ArticleRecord.model_validate(piecewise.model_dump(), context={"text": text})
        assert [c.id for c in piecewise.claims] == [c.id for c in one.claims]
        assert record_to_json(piecewise) == record_to_json(one)


def test_a_speaker_named_before_a_seam_is_resolved_after_it(whole):
    intro = "The minister of trade, Jane Doe, spoke to reporters on Monday about exports.\n"
    filler = "Exports of textiles rose by a third last year, according to the customs office.\n" * 60
    text = filler + intro + "“We will double our exports by 2030,” she said.\n" + filler
    cut = len(filler) + len(intro)
    extractor = Extractor(piece_chars=cut, lead_chars=1_000)
    assert [p.start for p in split_pieces(text, cut, 1_000)][1] == cut
    record = extractor.extract(text, "seam")
    quote = next(c for c in record.claims if c.kind == "direct")
    assert quote.speaker is not None and quote.speaker.name == "Jane Doe"
    assert record_to_json(record) == record_to_json(whole.extract(text, "seam"))


def test_an_article_over_the_piece_size_is_isolated_like_any_other(whole):
    extractor = Extractor(piece_chars=2_000)
    long_text = seed_article(5_000)
    records = list(extractor.pipe([("Prices rose 5% in 2020, the minister said.", "short"), (long_text, "long"),
                                   Article("empty", "", "<empty>")]))
    assert [(r.doc_id, r.status) for r in records] == [("short", "ok"), ("long", "ok"), ("empty", "error")]
    assert record_to_json(records[1]) == record_to_json(whole.extract(long_text, "long"))


class LengthProbe:
    """Runs the real pipeline and notes the length of every text (or Doc) it is given to run."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp
        self.lengths: list[int] = []

    def __call__(self, doc: object) -> object:
        self.lengths.append(len(getattr(doc, "text", doc)))  # type: ignore[arg-type]
        return self.nlp(doc)  # type: ignore[operator]

    def __getattr__(self, name: str) -> object:  # make_doc, pipe, ...: the real pipeline's
        return getattr(self.nlp, name)


def test_the_pipeline_never_holds_more_than_a_piece_and_its_lead_in():
    """What the pipeline holds (tokens, matches, spans) grows with the text it is given: a piece."""
    extractor = Extractor(piece_chars=15_000, lead_chars=3_000)
    probe = LengthProbe(extractor.nlp)
    extractor.nlp = probe  # type: ignore[assignment]
    text = seed_article(100_000)
    record = extractor.extract(text, "long")
    assert record.status == "ok" and len(probe.lengths) >= 7
    assert max(probe.lengths) <= 18_000
    assert sum(probe.lengths) <= len(text) * 1.25  # lead-ins add at most a fifth


def test_worker_processes_cut_long_articles_the_same_way(whole):
    """Workers get the piece settings: without a lead-in, a pronoun at the top of a piece stays
    unresolved, which the workers' records show as the parent's do."""
    extractor = Extractor(piece_chars=3_000, lead_chars=0)
    articles = [(seed_article(8_000), "long"), ("Prices rose 5% in 2020, the minister said.", "short")]
    here = [record_to_json(r) for r in extractor.pipe(articles)]
    assert here[0] != record_to_json(whole.extract(*articles[0]))
    assert [record_to_json(r) for r in extractor.pipe(articles, n_process=2)] == here
