"""Long-run fuzz target: hostile input through the whole reading and extraction path, for minutes.

    python tests/fuzz/fuzz_pipeline.py --minutes 10

Not part of the default test suite (pytest collects only `test_*.py`). Each example is a batch of
one to four inputs, each either the raw bytes of a text file (`bad_inputs.raw_inputs`: any text in
any of several encodings, with bytes inserted or cut off) or a JSON Lines file of arbitrary texts.
They are read as `claimex extract` reads them and extracted as one batch. Every record must validate
against the pydantic model and the committed JSON Schema, round-trip through its JSON line, carry the
SHA-256 of the article text, and have every span slice back to that text; the batch must give exactly
one record per article, each equal to the record of the article extracted alone; and no article may
take longer than `--max-seconds` of CPU time. The first failure is shrunk by hypothesis, printed, and the run
exits with status 1. At the end it prints how many examples and articles ran and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bad_inputs import TEXTS, check_record, raw_inputs, schema_validator

from claimex.extractor import Extractor
from claimex.io import read_articles, record_to_json

INPUTS = st.one_of(
    raw_inputs().map(lambda data: ("txt", data)),
    st.lists(TEXTS, min_size=1, max_size=3).map(
        lambda texts: ("jsonl", "".join(json.dumps({"id": f"j{i}", "text": t}) + "\n" for i, t in enumerate(texts)).encode())
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--max-seconds", type=float, default=5.0, help="longest an article may take (default 5)")
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--keep", default=str(Path(tempfile.gettempdir()) / "claimex-fuzz"), help="folder for the text of a slow article")
    args = parser.parse_args(argv)

    extractor = Extractor(args.pipeline)
    validator = schema_validator()
    counts = {"examples": 0, "articles": 0, "ok": 0, "error": 0}
    slowest = [0.0]

    @settings(max_examples=50, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(INPUTS, min_size=1, max_size=4))
    def one_batch(inputs: list[tuple[str, bytes]]) -> None:
        with tempfile.TemporaryDirectory(prefix="claimex-fuzz-") as folder:
            paths = []
            for index, (kind, data) in enumerate(inputs):
                path = Path(folder) / f"in{index}.{kind}"
                path.write_bytes(data)
                paths.append(path)
            articles = list(read_articles(paths))
        batch = list(extractor.pipe(articles))
        assert len(batch) == len(articles), f"{len(articles)} articles gave {len(batch)} records"
        for article, record in zip(articles, batch):
            check_record(record, article, validator)
            started = time.process_time()  # CPU time: other processes on a busy machine do not count
            alone = next(extractor.pipe([article]))
            elapsed = time.process_time() - started
            slowest[0] = max(slowest[0], elapsed)
            if elapsed >= args.max_seconds and article.text is not None:
                kept = Path(args.keep) / f"slow-{article.sha256[:16]}.txt"
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text(article.text, encoding="utf-8", errors="surrogatepass")
                print(f"kept the slow article's text in {kept}", file=sys.stderr)
            assert elapsed < args.max_seconds, f"{article.doc_id}: {elapsed:.1f} s for {len(article.text or ''):,} characters"
            assert record_to_json(alone) == record_to_json(record), f"{article.doc_id}: the record differs alone and in a batch"
            counts[record.status] += 1
        counts["examples"] += 1
        counts["articles"] += len(articles)

    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    status = 0
    try:
        while time.monotonic() < deadline:
            one_batch()
    except Exception as error:  # noqa: BLE001 - report the (shrunk) failure and stop
        print(f"FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        status = 1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{counts['examples']:,} batches, {counts['articles']:,} articles ({counts['ok']:,} ok, {counts['error']:,} error records)"
        f" in {time.monotonic() - started:.0f} s; slowest article {slowest[0]:.2f} s; peak RSS {peak_mb:.0f} MB;"
        f" {'FAILED' if status else 'no failure'}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
