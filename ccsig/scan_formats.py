"""Writing scan records: JSON Lines, CSV and Parquet.

Takes: records from ccsig.scan (either engine), the vocabulary's category labels,
whether the records carry decisions, and an output path (or standard output).
Gives: the file, written through a temporary file in the same folder and renamed into
place once complete, or lines on standard output as they come.

JSON Lines: one compact object per record, keys always in the same order. CSV and
Parquet are flat, one row per record: url, crawl, one column per category label, then
decision and conditions (with --for), sources (the statements as compact JSON) and
warnings. Parquet needs pyarrow (``pip install 'ccsig[parquet]'``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ccsig.errors import CcsigError

FORMATS = ("jsonl", "csv", "parquet")
_ROW_GROUP = 65536

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def jsonl_line(record: dict[str, Any]) -> str:
    return _encode(record) + "\n"


@contextmanager
def _atomic(path: str) -> Iterator[str]:
    """A temporary path beside `path`, renamed to it when the block ends normally."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def columns(labels: list[str], decisions: bool) -> list[str]:
    return [
        "url",
        "crawl",
        *labels,
        *(["decision", "conditions"] if decisions else []),
        "sources",
        "warnings",
    ]


def _text_stream(stream: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)


def write_records(
    records: Iterable[dict[str, Any]],
    fmt: str,
    output: str | None,
    labels: list[str],
    decisions: bool,
    stdout: IO[bytes] | None = None,
) -> int:
    """Write `records` as `fmt` to `output` (atomically) or to `stdout`; the count."""
    if fmt == "parquet":
        if output is None:
            raise CcsigError("--format parquet needs -o OUT")
        return _parquet(records, output, labels, decisions)
    if output is None:
        assert stdout is not None
        text = _text_stream(stdout)
        try:
            return _text(records, fmt, text, labels, decisions)
        finally:
            text.flush()
            text.detach()
    with _atomic(output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as text:
        return _text(records, fmt, text, labels, decisions)


def _text(
    records: Iterable[dict[str, Any]],
    fmt: str,
    out: IO[str],
    labels: list[str],
    decisions: bool,
) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(jsonl_line(record))
            count += 1
        return count
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns(labels, decisions))
    for record in records:
        writer.writerow(_row(record, labels, decisions))
        count += 1
    return count


def _row(record: dict[str, Any], labels: list[str], decisions: bool) -> list[str]:
    crawl = record["crawl"]
    preferences = record["preferences"]
    row = [record["url"], "" if crawl is None else str(crawl).lower()]
    row.extend(preferences[label] for label in labels)
    if decisions:
        row += [record["decision"], " ".join(record["conditions"])]
    row += [_encode(record["sources"]), _encode(record["warnings"])]
    return row


def _parquet(
    records: Iterable[dict[str, Any]], output: str, labels: list[str], decisions: bool
) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CcsigError("--format parquet needs pyarrow: pip install 'ccsig[parquet]'") from None
    string, strings = pa.string(), pa.list_(pa.string())
    fields = [pa.field("url", string), pa.field("crawl", pa.bool_())]
    fields += [pa.field(label, string) for label in labels]
    if decisions:
        fields += [pa.field("decision", string), pa.field("conditions", strings)]
    fields += [pa.field("sources", string), pa.field("warnings", strings)]
    schema = pa.schema(fields)
    count = 0
    with _atomic(output) as tmp:
        with pq.ParquetWriter(tmp, schema) as writer:
            batch: dict[str, list[Any]] = {f.name: [] for f in fields}
            for record in records:
                batch["url"].append(record["url"])
                batch["crawl"].append(record["crawl"])
                preferences = record["preferences"]
                for label in labels:
                    batch[label].append(preferences[label])
                if decisions:
                    batch["decision"].append(record["decision"])
                    batch["conditions"].append(record["conditions"])
                batch["sources"].append(_encode(record["sources"]))
                batch["warnings"].append(record["warnings"])
                count += 1
                if count % _ROW_GROUP == 0:
                    writer.write_table(pa.table(batch, schema=schema))
                    batch = {f.name: [] for f in fields}
            if batch["url"] or count == 0:
                writer.write_table(pa.table(batch, schema=schema))
    return count
