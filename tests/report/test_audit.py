"""Audit records as written (ccsig.report.audit): a line is the URL's encoding and the
shared tail, equal to encoding the whole record; CSV quoting; Parquet; the summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.report.audit import Encoder, columns, summary_text, write_chunks

LABELS = ["all", "train-genai"]
REST = {
    "decision": "allowed",
    "conditions": ["credit"],
    "crawl_allowed": True,
    "preferences": {"all": "unknown", "train-genai": "disallow"},
    "exceptions": {"train-genai": "cc-cr"},
    "sources": [{"system": "content-usage", "url": "https://a/robots.txt",
                 "as_written": "train-genai=n;exceptions=cc-cr", "captured": "2026-01-01"}],
    "as_of": "2026-01-01T00:00:00Z",
    "reason": None,
}  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(url=st.text(min_size=1, max_size=40))
def test_a_line_is_the_whole_record_encoded(url: str) -> None:
    jsonl = Encoder("jsonl", LABELS, False)
    line = jsonl.line(url, jsonl.tail(REST))
    assert json.loads(line) == {"url": url, **REST}
    assert (
        line == json.dumps({"url": url, **REST}, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    flat = Encoder("csv", LABELS, False)
    row = flat.line(url, flat.tail(REST))
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerow([url, *flat.flat(REST)])
    assert row == text.getvalue()


def test_csv_and_parquet_have_the_same_columns(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rest = {**REST, "earlier": {"at": "x", "decision": "unknown", "conditions": [],
                                "as_of": None, "reason": "none"}, "changed": True}  # fmt: skip
    out = tmp_path / "o.csv"
    flat = Encoder("csv", LABELS, True)
    write_chunks([flat.line('https://a/x,"y"', flat.tail(rest))], "csv", str(out), LABELS, True)
    [row] = list(csv.DictReader(out.open(newline="")))
    assert list(row) == columns(LABELS, True)
    assert row["url"] == 'https://a/x,"y"' and row["changed"] == "true"
    assert row["train-genai_exception"] == "cc-cr" and row["all_exception"] == ""
    table = tmp_path / "o.parquet"
    typed = Encoder("parquet", LABELS, True)
    write_chunks([(["https://a/x"], [typed.tail(rest)])], "parquet", str(table), LABELS, True)
    [back] = pq.read_table(table).to_pylist()
    assert list(back) == columns(LABELS, True)
    assert back["conditions"] == ["credit"] and back["changed"] is True
    assert back["all_exception"] is None and back["reason"] is None


def test_the_summary_as_text() -> None:
    summary = {
        "urls": 3,
        "decisions": {"allowed": 1, "disallowed": 2, "unknown": 0},
        "top_hosts": [
            {"host": "a.example", "urls": 3, "allowed": 1, "disallowed": 2, "unknown": 0}
        ],
    }
    text = summary_text(summary)
    assert text.splitlines()[0] == "3 URLs"
    assert "  disallowed          2" in text
    assert text.splitlines()[-1].split() == ["a.example", "2", "1", "0"]
