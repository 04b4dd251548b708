"""One audit, end to end: SOURCES into the policy table, URLs through it, records out.

Takes: the URLs (a path, ``-``, or an iterable of strings), SOURCES, AuditOptions, an
output format and path (or a byte stream), an engine (local, with worker processes, or
Spark on a master URL) and a callback for warnings.
Gives: the records written, and an `AuditResult`: the summary (counts per decision,
changed decisions, the hosts with most disallowed URLs) and how many warnings told of
input skipped or URLs left unknown.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import IO, Any

from ccsig.audit.columns import ColumnAuditor
from ccsig.audit.inputs import BATCH, check_columns, kind_of, url_batches
from ccsig.audit.judge import AuditOptions, Auditor, Chunk
from ccsig.audit.local import chunks, piece_chunks, write_audit
from ccsig.audit.spark import discard_spark, spark_chunks, spools, start_spark
from ccsig.audit.summary import Tally
from ccsig.audit.table import PolicyTable, parse_date, read_table
from ccsig.errors import CcsigError
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, category_of, check_elements, load_ontology
from ccsig.report.audit import FORMATS, record

Warn = Callable[[str], None]


@dataclass
class AuditResult:
    summary: dict[str, Any]
    skipped: int  # warnings: input skipped, URLs audited as unknown for want of a capture

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary, "skipped": self.skipped}


def options_of(
    category: str,
    commitments: Iterable[str] = (),
    agent: str = "*",
    vocabulary: str | None = None,
    at: str | datetime | None = None,
    changed_since: str | datetime | None = None,
) -> AuditOptions:
    """AuditOptions from what a user gives; bad names and dates fail here, before any
    input is read."""
    vocab = vocabulary or DEFAULT_VOCABULARY
    load_ontology().vocabulary(vocab)
    category_of(vocab, category)
    check_elements(commitments)

    def when(value: str | datetime | None) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return parse_date(value, end_of_day=True)

    since = when(changed_since)
    if since is not None and at is not None and since > (when(at) or since):
        raise CcsigError("--changed-since must be before --at")
    return AuditOptions(category, tuple(commitments), agent, vocab, when(at), since)


def build_table(
    sources: Iterable[str],
    options: AuditOptions,
    warn: Warn,
    jobs: int = 1,
    *,
    engine: str = "local",
    master: str = "local[*]",
) -> PolicyTable:
    """The policy table of SOURCES (`jobs` > 1: a large WARC file is read by as many
    forked processes, range by range, to the same table). For `engine` spark, the
    Spark session the audit on `master` will use starts meanwhile (the JVM takes
    seconds); it is stopped again if the table cannot be built."""
    sources = list(sources)
    if not sources:
        raise CcsigError("give at least one --preferences SOURCE")
    if engine == "spark":
        start_spark(master)
    try:
        return read_table(sources, options.points(), options.vocabulary, _at(warn), jobs)
    except BaseException:
        if engine == "spark":
            discard_spark(master)
        raise


def _at(warn: Warn) -> Callable[[str, str], None]:
    return lambda where, message: warn(f"{where}: {message}")


def _spool(output: str | None, stdout: IO[bytes] | None) -> str | None:
    """Where workers leave the bytes of their chunks: beside the output, for standard
    output the temporary folder; None: nothing is written."""
    if output is not None:
        return os.path.dirname(os.path.abspath(output))
    return tempfile.gettempdir() if stdout is not None else None


def _batches(urls: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(urls)
    while batch := [url.strip() for url in islice(iterator, BATCH)]:
        yield [url for url in batch if url]


def run_audit(
    urls: str | Iterable[str],
    table: PolicyTable,
    options: AuditOptions,
    *,
    fmt: str = "jsonl",
    output: str | None = None,
    stdout: IO[bytes] | None = None,
    column: str | None = None,
    engine: str = "local",
    master: str = "local[*]",
    jobs: int = 1,
    warn: Warn = lambda message: None,
    progress: Callable[[int], None] | None = None,
) -> AuditResult:
    """Audit `urls` against `table`; write the records as `fmt` to `output` (or `stdout`;
    neither: only the summary is made)."""
    if fmt not in FORMATS:
        raise CcsigError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    labels = load_ontology().vocabulary(options.vocabulary).labels
    skipped = 0

    def reader_warn(where: str, message: str) -> None:
        nonlocal skipped
        skipped += 1
        warn(f"{where}: {message}")

    if isinstance(urls, str):
        check_columns(urls, column)
    found: Iterable[Chunk]
    if engine == "spark":
        if not isinstance(urls, str):
            raise CcsigError("--engine spark reads URLs from a file (or -)")
        spool = _spool(output, stdout) if spools(master) else None
        found = spark_chunks(
            urls, column, table, options, fmt, labels, master, reader_warn, spool=spool
        )
    elif engine == "local":
        auditor = ColumnAuditor(table, options, fmt, labels)
        if isinstance(urls, str) and urls != "-" and column is None and kind_of(urls) == "text":
            # read piece by piece, by the workers themselves; they spool what they write
            found = piece_chunks(auditor, urls, jobs, _spool(output, stdout))
        else:
            if isinstance(urls, str):
                batches = url_batches(urls, column, reader_warn)
            else:
                batches = _batches(urls)
            found = chunks(auditor, batches, jobs)
    else:
        raise CcsigError(f"unknown engine {engine!r} (local or spark)")
    tally = Tally(options.since)
    earlier = options.since is not None
    try:
        if output is None and stdout is None:
            for chunk in found:
                tally.add(chunk, warn)
        else:
            write_audit(found, tally, fmt, output, labels, earlier, warn, stdout, progress)
    finally:
        if isinstance(found, Generator):
            # its workers stopped and its spool removed now, also when writing fails or
            # is interrupted, not when the generator is collected (the CLI's os._exit
            # comes first)
            found.close()
    return AuditResult(tally.summary(), table.skipped + skipped + tally.skipped)


def audit_records(
    urls: Iterable[str], table: PolicyTable, options: AuditOptions
) -> Iterator[dict[str, Any]]:
    """The record of each URL, as a dict (the JSON Lines records, for a notebook)."""
    labels = load_ontology().vocabulary(options.vocabulary).labels
    auditor = Auditor(table, options, "jsonl", labels)
    for url in urls:
        url = url.strip()
        if url:
            yield record(url, auditor.rest(url))
