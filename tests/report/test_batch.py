"""ccsig.report.batch.parse_lines: `ccsig parse -`'s stream of expressions."""

from __future__ import annotations

import io
import json
import tracemalloc

from ccsig.report.batch import parse_lines


class _Sink(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


def test_the_cache_is_bounded_by_bytes_not_entries() -> None:
    # regression: 300 distinct 1 MB lines were all cached (2.25 GB resident)
    lines = (b"train-ai=n;x=%d;junk=" % n + b"a" * 1_000_000 + b"\n" for n in range(40))
    tracemalloc.start()
    try:
        assert parse_lines(lines, _Sink()) == 40
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000  # a few lines' worth, not forty


def test_repeated_lines_give_the_same_answers() -> None:
    out = io.BytesIO()
    parse_lines([b"train-ai=n\n", b"search=y\r\n", b"train-ai=n\n"], out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0] == answers[2] and answers[0]["preferences"]["train-ai"] == "disallow"
    assert answers[1]["expression"] == "search=y"
