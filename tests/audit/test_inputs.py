"""The URLs to audit (ccsig.audit.inputs): text, CSV and Parquet, streamed in batches."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.audit import inputs
from ccsig.audit.inputs import check_columns, text_pieces, text_range, url_batches
from ccsig.errors import CcsigError


def read(path: Path, column: str | None = None) -> tuple[list[str], list[str]]:
    warnings: list[str] = []
    urls = [u for batch in url_batches(str(path), column, lambda w, m: warnings.append(f"{w}: {m}"))
            for u in batch]  # fmt: skip
    return urls, warnings


def test_a_text_file_skips_blank_lines_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "urls.txt"
    f.write_bytes(b"https://a/1\r\n\n   \nhttps://a/\xff2\n  https://a/3  \n")
    urls, warnings = read(f)
    assert urls == ["https://a/1", "https://a/\ufffd2", "https://a/3"]
    assert warnings == [f"{f}: line 3: a line of blanks names no URL; skipped",
                        f"{f}: line 4: not UTF-8; invalid bytes read as U+FFFD"]  # fmt: skip


def test_csv_by_column_and_a_missing_column_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "urls.csv"
    f.write_text('id,URL\n1,https://a/1\n2,"https://a/x,y"\n3,\n')
    urls, warnings = read(f, "URL")
    assert urls == ["https://a/1", "https://a/x,y"] and len(warnings) == 1
    with pytest.raises(CcsigError, match=r"no column 'url' \(its columns: id, URL\)"):
        check_columns(str(f), None)


def test_parquet_in_batches_and_a_missing_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    f = tmp_path / "urls.parquet"
    values = [f"https://h{i % 7}.example/{i}" for i in range(2500)] + [None, ""]
    pq.write_table(pa.table({"url": values, "n": list(range(len(values)))}), f, row_group_size=1000)
    monkeypatch.setattr(inputs, "BATCH", 300)
    batches = list(url_batches(str(f), None, lambda w, m: None))
    assert max(map(len, batches)) <= 300 and sum(batches, []) == values[:2500]
    assert inputs.parquet_pieces(str(f)) == 3
    groups = [u for g in range(3) for b in inputs.parquet_group(str(f), "url", g, lambda w, m: None)
              for u in b]  # fmt: skip
    assert groups == values[:2500]
    with pytest.raises(CcsigError, match="no column 'link'"):
        check_columns(str(f), "link")
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(CcsigError, match="not a Parquet file"):
        check_columns(str(bad), None)


def test_column_on_a_text_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "urls.txt"
    f.write_text("https://a/\n")
    with pytest.raises(CcsigError, match="--column names a column"):
        read(f, "url")


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.sampled_from(["https://a/1", "", "  ", "https://b/é", "x" * 30]), max_size=40
    ),
    size=st.integers(min_value=1, max_value=64),
)
def test_text_pieces_read_every_line_once(
    tmp_path_factory: object, lines: list[str], size: int
) -> None:
    f = tmp_path_factory.mktemp("pieces") / "urls.txt"  # type: ignore[attr-defined]
    f.write_text("".join(line + "\n" for line in lines))
    whole, _ = read(f)
    pieces = text_pieces(str(f), size)
    got = [
        u for a, b in pieces for batch in text_range(str(f), a, b, lambda w, m: None) for u in batch
    ]
    assert got == whole
