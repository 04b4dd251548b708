"""The URLs to audit, streamed in batches: never all of them in memory.

Takes: a text file with one URL a line (or ``-``, standard input), a CSV file or a
Parquet file with the URLs in column `column` (told apart by the name's extension).
Gives: batches of URL strings, in input order; blank lines and empty or null cells are
skipped with a warning (they name no URL, so they get no record).

Parquet is read a batch of rows at a time, the URL column alone (pyarrow,
``pip install 'ccsig[parquet]'``). A CSV or Parquet file without the column is one
error naming the columns it has.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ccsig.errors import CcsigError

BATCH = 16384  # URLs per batch: a batch's JSON Lines records are about 8 MB
DEFAULT_COLUMN = "url"

Warn = Callable[[str, str], None]  # (where, message)


def kind_of(path: str) -> str:
    """text, csv or parquet, by the file name's extension."""
    lower = path.lower()
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith((".csv", ".csv.txt")):
        return "csv"
    return "text"


def url_batches(
    path: str, column: str | None, warn: Warn, stdin: IO[bytes] | None = None
) -> Iterator[list[str]]:
    kind = "text" if path == "-" else kind_of(path)
    if kind == "text":
        if column is not None:
            raise CcsigError(
                f"{path}: --column names a column of a CSV or Parquet file (.csv, .parquet); "
                "this is read as a text file of URLs, one a line"
            )
        return _text(path, warn, stdin)
    if kind == "csv":
        return _csv(path, column or DEFAULT_COLUMN, warn)
    return _parquet(path, column or DEFAULT_COLUMN, warn)


def check_columns(path: str, column: str | None) -> None:
    """Fail before any work when a CSV or Parquet file lacks the column."""
    if path == "-" or kind_of(path) == "text":
        return
    name = column or DEFAULT_COLUMN
    have = _parquet_columns(path) if kind_of(path) == "parquet" else _csv_columns(path)
    if name not in have:
        shown = ", ".join(have[:20]) or "none"
        raise CcsigError(f"{path}: no column {name!r} (its columns: {shown}); give --column NAME")


def _open(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as e:
        raise CcsigError(f"{path}: {e.strerror or e}") from None


def _text(path: str, warn: Warn, stdin: IO[bytes] | None) -> Iterator[list[str]]:
    f = (stdin or sys.stdin.buffer) if path == "-" else _open(path)
    name = "<stdin>" if path == "-" else path
    try:
        lines = ((f"{name}: line {number}", raw) for number, raw in enumerate(f, start=1))
        yield from _batches_of_lines(lines, warn)
    finally:
        if path != "-":
            f.close()


def _batches_of_lines(lines: Iterable[tuple[str, bytes]], warn: Warn) -> Iterator[list[str]]:
    """The URLs of (where, line) pairs, in batches; blank lines skipped with a warning."""
    batch: list[str] = []
    for where, raw in lines:
        try:
            url = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            url = raw.decode("utf-8", "replace").strip()
            warn(where, "not UTF-8; invalid bytes read as U+FFFD")
        if not url:
            if raw.strip(b"\r\n"):
                warn(where, "a line of blanks names no URL; skipped")
            continue
        batch.append(url)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_columns(path: str) -> list[str]:
    with _open(path) as f:
        text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
        return next(csv.reader(text), [])


def _csv(path: str, column: str, warn: Warn) -> Iterator[list[str]]:
    with _open(path) as f:
        text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
        reader = csv.reader(text)
        header = next(reader, [])
        if column not in header:
            raise CcsigError(f"{path}: no column {column!r}; give --column NAME")
        index = header.index(column)
        batch: list[str] = []
        try:
            for row in reader:
                url = row[index].strip() if index < len(row) else ""
                if not url:
                    warn(f"{path}: line {reader.line_num}", f"no URL in column {column!r}; skipped")
                    continue
                batch.append(url)
                if len(batch) >= BATCH:
                    yield batch
                    batch = []
        except csv.Error as e:
            raise CcsigError(f"{path}: line {reader.line_num}: {e}") from None
        if batch:
            yield batch


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CcsigError("reading Parquet needs pyarrow: pip install 'ccsig[parquet]'") from None
    return pq


def _parquet_file(path: str) -> Any:
    pq = _pyarrow_parquet()
    try:
        return pq.ParquetFile(path)
    except OSError as e:
        raise CcsigError(f"{path}: {e}") from None
    except Exception as e:  # pyarrow.ArrowInvalid: not a Parquet file
        raise CcsigError(f"{path}: not a Parquet file ({' '.join(str(e).split())[:120]})") from None


def _parquet_columns(path: str) -> list[str]:
    return list(_parquet_file(path).schema_arrow.names)


def _parquet(path: str, column: str, warn: Warn) -> Iterator[list[str]]:
    parquet = _parquet_file(path)
    if column not in parquet.schema_arrow.names:
        raise CcsigError(f"{path}: no column {column!r}; give --column NAME")
    row = 0
    for batch in parquet.iter_batches(batch_size=BATCH, columns=[column]):
        values = batch.column(0).to_pylist()
        yield from _parquet_values(values, path, column, row, warn)
        row += len(values)


def _parquet_values(
    values: list[object], path: str, column: str, first: int, warn: Warn
) -> Iterator[list[str]]:
    urls: list[str] = []
    for offset, value in enumerate(values):
        if isinstance(value, bytes):  # a binary column
            value = value.decode("utf-8", "replace")
        url = value.strip() if isinstance(value, str) else ""
        if url:
            urls.append(url)
            if len(urls) >= BATCH:
                yield urls
                urls = []
        else:
            warn(f"{path}: row {first + offset + 1}", f"no URL in column {column!r}; skipped")
    if urls:
        yield urls


# ------------------------------------------------------------------ pieces, for Spark


def text_pieces(path: str, size: int) -> list[tuple[int, int]]:
    """(start, end) byte ranges of about `size` bytes, each starting at a line start, that
    cover a text file: the lines of a range are those that start in it."""
    total = _size(path)
    cuts = [0]
    with _open(path) as f:
        while cuts[-1] + size < total:
            f.seek(cuts[-1] + size)
            f.readline()  # to the start of the next line
            position = f.tell()
            if position >= total:
                break
            cuts.append(position)
    return [(start, end) for start, end in zip(cuts, [*cuts[1:], total], strict=True)]


def text_range(path: str, start: int, end: int, warn: Warn) -> Iterator[list[str]]:
    """The URLs of the lines that start in [start, end), in batches."""

    def lines(f: IO[bytes]) -> Iterator[tuple[str, bytes]]:
        f.seek(start)
        position = start
        while position < end:
            raw = f.readline()
            if not raw:
                return
            yield f"{path}: byte {position}", raw
            position += len(raw)

    with _open(path) as f:
        yield from _batches_of_lines(lines(f), warn)


def parquet_pieces(path: str) -> int:
    """The number of row groups of a Parquet file (one Spark task each)."""
    return int(_parquet_file(path).metadata.num_row_groups)


def parquet_group(path: str, column: str, group: int, warn: Warn) -> Iterator[list[str]]:
    """The URLs of one row group, in batches."""
    parquet = _parquet_file(path)
    table = parquet.read_row_group(group, columns=[column])
    first = sum(parquet.metadata.row_group(i).num_rows for i in range(group))
    yield from _parquet_values(table.column(0).to_pylist(), path, column, first, warn)


def _size(path: str) -> int:
    with _open(path) as f:
        return f.seek(0, 2)


# ------------------------------------------------------------------ pieces, for workers


def numbered_pieces(path: str, size: int) -> list[tuple[int, int, int]]:
    """`text_pieces`, each with the number of its first line: what a worker needs to
    read a piece and warn as `url_batches` does ("FILE: line N")."""
    out: list[tuple[int, int, int]] = []
    line = 1
    with _open(path) as f:
        for start, end in text_pieces(path, size):
            out.append((start, end, line))
            f.seek(start)
            line += f.read(end - start).count(b"\n")
    return out


def numbered_range(path: str, start: int, end: int, first: int, warn: Warn) -> list[str]:
    """The URLs of the lines in [start, end) of a text file (a piece of `numbered_pieces`,
    whose first line is line `first`), as `url_batches` reads them, with its warnings."""
    data = _read(path, start, end)
    urls = _clean_urls(data)
    if urls is not None:
        return urls
    raw = data.split(b"\n")
    if raw[-1] == b"":
        raw.pop()
    numbered = ((f"{path}: line {first + n}", line) for n, line in enumerate(raw))
    return [url for batch in _batches_of_lines(numbered, warn) for url in batch]


def range_urls(path: str, start: int, end: int, warn: Warn) -> list[str]:
    """`text_range`'s URLs in one list (its warnings name byte offsets)."""
    urls = _clean_urls(_read(path, start, end))
    if urls is not None:
        return urls
    return [url for batch in text_range(path, start, end, warn) for url in batch]


def _read(path: str, start: int, end: int) -> bytes:
    with _open(path) as f:
        f.seek(start)
        return f.read(end - start)


def _clean_urls(data: bytes) -> list[str] | None:
    """The URLs of whole lines of UTF-8 without blank lines, read at once; None when the
    lines are not so (then read line by line, with warnings)."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if lines[-1] == "":
        lines.pop()  # (after the last line end)
    urls = [url for url in map(str.strip, lines) if url]
    return urls if len(urls) == len(lines) else None
