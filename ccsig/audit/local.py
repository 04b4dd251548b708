"""The local engine of ccsig audit: URLs streamed through the policy table on one machine.

Takes: the URLs (ccsig.audit.inputs), a PolicyTable, AuditOptions, an output format
and path (or standard output), and a number of worker processes.
Gives: the records written in input order (ccsig.report.audit), and the Tally the
summary is made from.

Memory holds the table and a few batches of URLs and records, never all of them: the
batches go to workers (forked, so each has the table without copying it; Linux) with at
most two batches per worker in flight, and come back encoded, in order, to be written.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ccsig.audit.judge import Auditor, Chunk
from ccsig.audit.summary import Tally
from ccsig.report.audit import summary_record, summary_text, write_chunks

_CAN_FORK = sys.platform.startswith("linux")
_AUDITOR: Auditor | None = None  # the auditor forked workers use


def _chunk_of(urls: list[str]) -> Chunk:
    assert _AUDITOR is not None
    return _AUDITOR.chunk(urls)


def chunks(auditor: Auditor, batches: Iterable[list[str]], jobs: int = 1) -> Iterator[Chunk]:
    """The chunks of `batches`, in order; with `jobs` > 1 built by forked workers."""
    if jobs <= 1 or not _CAN_FORK:
        for batch in batches:
            yield auditor.chunk(batch)
        return
    global _AUDITOR
    _AUDITOR = auditor
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            pending: deque[Any] = deque()
            for batch in batches:
                pending.append(pool.apply_async(_chunk_of, (batch,)))
                if len(pending) >= 2 * jobs:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _AUDITOR = None


def write_audit(
    source: Iterable[Chunk],
    tally: Tally,
    fmt: str,
    output: str | None,
    labels: list[str],
    earlier: bool,
    warn: Callable[[str], None],
    stdout: IO[bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the chunks' records as `fmt` (the summary alone for text, and as the last
    record of jsonl), adding them up in `tally`."""

    def payloads() -> Iterator[Any]:
        for chunk in source:
            tally.add(chunk, warn)
            if progress is not None:
                progress(sum(chunk.decisions))
            if chunk.payload is not None:
                yield chunk.payload

    if fmt == "text":
        for _ in payloads():
            pass
        write_chunks([], "jsonl", output, labels, earlier, stdout, lambda: summary_text(
            tally.summary()))  # fmt: skip
        return
    trailer = (lambda: summary_record(tally.summary())) if fmt == "jsonl" else None
    write_chunks(payloads(), fmt, output, labels, earlier, stdout, trailer)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
