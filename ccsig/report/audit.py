"""Writing audit records: JSON Lines, CSV, Parquet, and the summary as text.

Takes: from ccsig.audit, per URL the URL and the rest of its record (the same for every
URL that the same policies decide the same way), in chunks; the vocabulary's category
labels; whether the records compare with an earlier date.
Gives: the file, written through a temporary file renamed into place once complete, or
lines on standard output as they come; the summary as text or as a JSON record.

A record is ``{"url", "decision", "conditions", "crawl_allowed", "preferences",
"exceptions", "sources", "as_of", "reason"}`` and, with --changed-since, ``"earlier"``
(``{"at", "decision", "conditions", "as_of", "reason"}``) and ``"changed"``. Millions of
URLs share a few thousand such rests, so each rest is encoded once (`Encoder.tail`)
and a line is the URL's own encoding followed by it: the bytes of encoding the whole
record, which tests/report/test_audit.py holds equal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from typing import IO, Any, NamedTuple

from ccsig._files import atomic_path
from ccsig.errors import CcsigError
from ccsig.report.records import exception_column, jsonl_line

FORMATS = ("jsonl", "csv", "parquet", "text")
TOP_HOSTS = 10
_ROW_GROUP = 65536
_CSV_SPECIAL = frozenset(',"\r\n')

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_string: Any = json.encoder.encode_basestring


def columns(labels: list[str], earlier: bool) -> list[str]:
    """The CSV and Parquet columns, in order."""
    return [
        "url",
        "decision",
        "conditions",
        "crawl_allowed",
        *labels,
        *map(exception_column, labels),
        "sources",
        "as_of",
        "reason",
        *(["earlier_decision", "earlier_as_of", "changed"] if earlier else []),
    ]


def _csv_line(row: list[str]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerow(row)
    return text.getvalue()


class Encoder:
    """Encodes records for one format: `tail(rest)` once per distinct rest, then
    `line(url, tail)` (jsonl, csv) or `row(url, tail)` (parquet) per URL."""

    def __init__(self, fmt: str, labels: list[str], earlier: bool) -> None:
        if fmt not in FORMATS:
            raise CcsigError(f"unknown audit format {fmt!r}")
        self.fmt = fmt
        self.labels = labels
        self.earlier = earlier

    def tail(self, rest: dict[str, Any]) -> Any:
        """What every record with this rest (the record without its url) ends with."""
        if self.fmt == "jsonl":
            return "," + _encode(rest)[1:] + "\n"  # what follows {"url":URL
        row = self.flat(rest)
        if self.fmt == "csv":
            return "," + _csv_line(row)
        return tuple(row)

    def flat(self, rest: dict[str, Any]) -> list[Any]:
        """The columns after url: strings for CSV, typed values for Parquet."""
        text = self.fmt == "csv"
        crawl = rest["crawl_allowed"]
        row: list[Any] = [
            rest["decision"],
            " ".join(rest["conditions"]) if text else list(rest["conditions"]),
            ("" if crawl is None else str(crawl).lower()) if text else crawl,
        ]
        row += [rest["preferences"][label] for label in self.labels]
        exceptions = rest["exceptions"]
        row += [exceptions.get(label, "" if text else None) for label in self.labels]
        row.append(_encode(rest["sources"]))
        for name in ("as_of", "reason"):
            value = rest[name]
            row.append(("" if value is None else value) if text else value)
        if self.earlier:
            before = rest["earlier"]
            as_of = before["as_of"]
            row += [before["decision"], ("" if as_of is None else as_of) if text else as_of]
            row.append(str(rest["changed"]).lower() if text else rest["changed"])
        return row

    def line(self, url: str, tail: str) -> str:
        if self.fmt == "jsonl":
            return '{"url":' + _encode_string(url) + tail
        if _CSV_SPECIAL.isdisjoint(url):
            return url + tail
        return _csv_line([url])[:-2] + tail


def record(url: str, rest: dict[str, Any]) -> dict[str, Any]:
    """The whole record of a URL (what `Encoder.line` encodes piecewise)."""
    return {"url": url, **rest}


def summary_record(summary: dict[str, Any]) -> str:
    """The summary as the last JSON Lines record: ``{"summary": {...}}``."""
    return jsonl_line({"summary": summary})


def summary_text(summary: dict[str, Any]) -> str:
    """The summary for people: counts per decision, then the hosts with most disallowed."""
    lines = [f"{summary['urls']} URLs"]
    for name in ("allowed", "disallowed", "unknown"):
        lines.append(f"  {name:<11}{summary['decisions'][name]:>10}")
    if "changed" in summary:
        lines.append(f"  {'changed':<11}{summary['changed']:>10}  (since {summary['since']})")
    hosts = summary["top_hosts"]
    if hosts:
        width = max(len(host["host"]) for host in hosts)
        lines.append("hosts with the most disallowed URLs:")
        lines.append(f"  {'host':<{width}}  disallowed  allowed  unknown")
        for host in hosts:
            lines.append(
                f"  {host['host']:<{width}}  {host['disallowed']:>10}  {host['allowed']:>7}"
                f"  {host['unknown']:>7}"
            )
    return "\n".join(lines) + "\n"


def write_chunks(
    chunks: Iterable[Any],
    fmt: str,
    output: str | None,
    labels: list[str],
    earlier: bool,
    stdout: IO[bytes] | None = None,
    trailer: Any = None,
) -> None:
    """Write chunks (text or its UTF-8 bytes for jsonl and csv, column lists for parquet;
    nothing for text)
    to `output` atomically or to `stdout`; `trailer()` gives text written at the end
    (the summary)."""
    if fmt == "parquet":
        if output is None:
            raise CcsigError("--format parquet needs -o OUT")
        _parquet(chunks, output, labels, earlier)
        return
    header = _csv_line(columns(labels, earlier)) if fmt == "csv" else ""
    if output is None:
        assert stdout is not None
        _write_text(chunks, header, stdout, trailer)
        stdout.flush()
        return
    with atomic_path(output) as tmp, open(tmp, "wb") as out:
        _write_text(chunks, header, out, trailer)


class Spooled(NamedTuple):
    """A chunk's UTF-8 bytes left in a file by the worker that made them (ccsig.audit.local):
    copied into the output as they are, by the kernel where it can."""

    path: str
    size: int


def _write_text(
    chunks: Iterable[str | bytes | Spooled], header: str, out: IO[bytes], trailer: Any
) -> None:
    """The chunks, text or its UTF-8 bytes (as workers send them: encoded once, there),
    or the files they were spooled to."""
    if header:
        out.write(header.encode("utf-8"))
    for chunk in chunks:
        if isinstance(chunk, Spooled):
            _copy_in(chunk, out)
        else:
            out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
    if trailer is not None:
        out.write(trailer().encode("utf-8"))


def _copy_in(spooled: Spooled, out: IO[bytes]) -> None:
    """The spooled file's bytes written to `out`: by os.copy_file_range between files,
    read and written where that cannot be (standard output a pipe, an old kernel)."""
    with open(spooled.path, "rb") as source:
        out.flush()
        left = spooled.size
        copy = getattr(os, "copy_file_range", None)
        try:
            while left > 0 and copy is not None:
                done = copy(source.fileno(), out.fileno(), left)
                if done == 0:
                    break
                left -= done
        except (OSError, io.UnsupportedOperation):
            pass
        if left < spooled.size:  # the file's offset moved under `out`: tell it
            out.seek(os.lseek(out.fileno(), 0, os.SEEK_CUR))
        source.seek(spooled.size - left)
        shutil.copyfileobj(source, out)


def _parquet(chunks: Iterable[Any], output: str, labels: list[str], earlier: bool) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CcsigError("--format parquet needs pyarrow: pip install 'ccsig[parquet]'") from None
    string = pa.string()
    types: dict[str, Any] = {"conditions": pa.list_(string), "crawl_allowed": pa.bool_()}
    types["changed"] = pa.bool_()
    names = columns(labels, earlier)
    schema = pa.schema([pa.field(name, types.get(name, string)) for name in names])
    with atomic_path(output) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        pending: list[list[Any]] = [[] for _ in names]
        written = 0
        for chunk in _rows(chunks):
            for values, new in zip(pending, chunk, strict=True):
                values.extend(new)
            while len(pending[0]) >= _ROW_GROUP:
                group = [values[:_ROW_GROUP] for values in pending]
                pending = [values[_ROW_GROUP:] for values in pending]
                writer.write_table(pa.table(dict(zip(names, group, strict=True)), schema=schema))
                written += _ROW_GROUP
        if pending[0] or written == 0:
            writer.write_table(pa.table(dict(zip(names, pending, strict=True)), schema=schema))


def _rows(chunks: Iterable[Any]) -> Iterator[list[Any]]:
    """Each chunk, (urls, tails), as columns."""
    for urls, tails in chunks:
        if urls:
            yield [list(urls), *(list(column) for column in zip(*tails, strict=True))]
