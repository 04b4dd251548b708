"""Writing scan records: JSON Lines, CSV and Parquet.

Takes: records from ccsig.scan (either engine), the vocabulary's category labels,
whether the records carry decisions, and an output path (or standard output).
Gives: the file, written through a temporary file in the same folder and renamed into
place once complete, or lines on standard output as they come.

JSON Lines: one compact object per record, keys always in the same order. CSV and
Parquet are flat, one row per record: url, crawl, one column per category label, one
``<label>_exception`` column per label (the CC signal token that lifts its disallow;
empty, or null in Parquet, where none does), then decision and conditions (with --for),
sources (the statements as compact JSON) and warnings. Parquet needs pyarrow
(``pip install 'ccsig[parquet]'``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

import pyoxigraph as ox

from ccsig._files import atomic_path
from ccsig.errors import CcsigError
from ccsig.lift.web_rdf import record_triples
from ccsig.model.vocabulary import DEFAULT_VOCABULARY

FORMATS = ("jsonl", "csv", "parquet")
_ROW_GROUP = 65536

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def jsonl_line(record: dict[str, Any]) -> str:
    return _encode(record) + "\n"


def exception_column(label: str) -> str:
    """The column of a label's CC signal exception, beside the label's own."""
    return f"{label}_exception"


def columns(labels: list[str], decisions: bool) -> list[str]:
    return [
        "url",
        "crawl",
        *labels,
        *map(exception_column, labels),
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
    vocabulary: str = DEFAULT_VOCABULARY,
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
            return _text(records, fmt, text, labels, decisions, vocabulary)
        finally:
            text.flush()
            text.detach()
    with atomic_path(output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as text:
        return _text(records, fmt, text, labels, decisions, vocabulary)


def _text(
    records: Iterable[dict[str, Any]],
    fmt: str,
    out: IO[str],
    labels: list[str],
    decisions: bool,
    vocabulary: str = DEFAULT_VOCABULARY,
) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(jsonl_line(record))
            count += 1
        return count
    if fmt == "turtle":
        for record in records:
            out.write(turtle_lines([record], vocabulary))
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
    exceptions = record.get("exceptions", {})
    row.extend(exceptions.get(label, "") for label in labels)
    if decisions:
        row += [record["decision"], " ".join(record["conditions"])]
    row += [_encode(record["sources"]), _encode(record["warnings"])]
    return row


def _columns(
    records: Iterable[dict[str, Any]], labels: list[str], decisions: bool
) -> dict[str, list[Any]]:
    """The Parquet columns of `records`, as lists."""
    batch: dict[str, list[Any]] = {name: [] for name in columns(labels, decisions)}
    for record in records:
        batch["url"].append(record["url"])
        batch["crawl"].append(record["crawl"])
        preferences = record["preferences"]
        exceptions = record.get("exceptions", {})
        for label in labels:
            batch[label].append(preferences[label])
            batch[exception_column(label)].append(exceptions.get(label))
        if decisions:
            batch["decision"].append(record["decision"])
            batch["conditions"].append(record["conditions"])
        batch["sources"].append(_encode(record["sources"]))
        batch["warnings"].append(record["warnings"])
    return batch


def turtle_lines(records: Iterable[dict[str, Any]], vocabulary: str) -> str:
    """The records' statements as RDF (ccsig.lift.web_rdf), in N-Triples: a subset of Turtle
    that streams and concatenates, chunk after chunk."""

    triples = [t for record in records for t in record_triples(record, vocabulary)]
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).decode("utf-8")


def encode_chunk(
    records: list[dict[str, Any]],
    mode: str,
    labels: list[str],
    decisions: bool,
    vocabulary: str = DEFAULT_VOCABULARY,
) -> Any:
    """A chunk of records as `write_chunks` takes them for `mode`: the records themselves
    ("records"), text (jsonl, csv: the lines, no CSV header; turtle) or columns (parquet)."""
    if mode == "records":
        return records
    if mode == "jsonl":
        return "".join(map(jsonl_line, records))
    if mode == "turtle":
        return turtle_lines(records, vocabulary)
    if mode == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerows(_row(record, labels, decisions) for record in records)
        return text.getvalue()
    return _columns(records, labels, decisions)


def write_chunks(
    chunks: Iterable[Any],
    fmt: str,
    output: str | None,
    labels: list[str],
    decisions: bool,
    stdout: IO[bytes] | None = None,
) -> None:
    """Write chunks made by `encode_chunk` as `write_records` writes records: the same
    bytes, whatever the chunks' sizes."""
    if fmt == "parquet":
        if output is None:
            raise CcsigError("--format parquet needs -o OUT")
        _parquet_columns(chunks, output, labels, decisions)
        return
    header = _csv_header(labels, decisions) if fmt == "csv" else ""
    if output is None:
        assert stdout is not None
        text = _text_stream(stdout)
        try:
            _write_text(chunks, header, text)
        finally:
            text.flush()
            text.detach()
        return
    with atomic_path(output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        _write_text(chunks, header, out)


def _csv_header(labels: list[str], decisions: bool) -> str:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerow(columns(labels, decisions))
    return text.getvalue()


def _write_text(chunks: Iterable[str], header: str, out: IO[str]) -> None:
    if header:
        out.write(header)
    for chunk in chunks:
        out.write(chunk)


def _parquet(
    records: Iterable[dict[str, Any]], output: str, labels: list[str], decisions: bool
) -> int:
    def batches() -> Iterator[dict[str, list[Any]]]:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) == _ROW_GROUP:
                yield _columns(batch, labels, decisions)
                batch = []
        if batch:
            yield _columns(batch, labels, decisions)

    return _parquet_columns(batches(), output, labels, decisions)


def _parquet_columns(
    batches: Iterable[dict[str, list[Any]]], output: str, labels: list[str], decisions: bool
) -> int:
    """Write column batches of any size as row groups of _ROW_GROUP rows; the count."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CcsigError("--format parquet needs pyarrow: pip install 'ccsig[parquet]'") from None
    string, strings = pa.string(), pa.list_(pa.string())
    fields = [pa.field("url", string), pa.field("crawl", pa.bool_())]
    fields += [pa.field(label, string) for label in labels]
    fields += [pa.field(exception_column(label), string) for label in labels]
    if decisions:
        fields += [pa.field("decision", string), pa.field("conditions", strings)]
    fields += [pa.field("sources", string), pa.field("warnings", strings)]
    schema = pa.schema(fields)
    count = 0
    with atomic_path(output) as tmp:
        with pq.ParquetWriter(tmp, schema) as writer:
            pending: dict[str, list[Any]] = {f.name: [] for f in fields}
            for batch in batches:
                for name, values in batch.items():
                    pending[name].extend(values)
                while len(pending["url"]) >= _ROW_GROUP:
                    group = {name: values[:_ROW_GROUP] for name, values in pending.items()}
                    pending = {name: values[_ROW_GROUP:] for name, values in pending.items()}
                    writer.write_table(pa.table(group, schema=schema))
                    count += _ROW_GROUP
            if pending["url"] or count == 0:
                writer.write_table(pa.table(pending, schema=schema))
                count += len(pending["url"])
    return count
