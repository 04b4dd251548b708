"""The local engine of ccsig audit: URLs streamed through the policy table on one machine.

Takes: the URLs (ccsig.audit.inputs), a PolicyTable, AuditOptions, an output format
and path (or standard output), and a number of worker processes.
Gives: the records written in input order (ccsig.report.audit), and the Tally the
summary is made from.

Memory holds the table and a few batches of URLs and records, never all of them: the
batches go to workers (forked, so each has the table without copying it; Linux) with at
most two batches per worker in flight, and come back encoded, in order, to be written.
A text file of URLs is not split into URLs by the parent: each worker reads its piece
(`PIECE` bytes, cut at line starts; the parent counts lines so the warnings name them)
and sends back its records as UTF-8 bytes, which the parent writes as they are.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ccsig.audit.inputs import numbered_pieces, numbered_range
from ccsig.audit.judge import Auditor, Chunk
from ccsig.audit.summary import Tally
from ccsig.report.audit import summary_record, summary_text, write_chunks

_CAN_FORK = sys.platform.startswith("linux")
_AUDITOR: Auditor | None = None  # the auditor forked workers use
PIECE = 2 * 1024 * 1024  # bytes of a text file of URLs per task: ~50,000 URLs


def _chunk_of(urls: list[str]) -> Chunk:
    assert _AUDITOR is not None
    return _AUDITOR.chunk(urls)


def _piece_chunk(path: str, start: int, end: int, first: int) -> Chunk:
    """The chunk of one piece of a text file of URLs, read by the worker itself."""
    assert _AUDITOR is not None
    found: list[tuple[str | None, str]] = []  # the reader's warnings, sent along

    def note(where: str, message: str) -> None:
        found.append((None, f"{where}: {message}"))

    chunk = _AUDITOR.chunk(numbered_range(path, start, end, first, note))
    return chunk._replace(warnings=found + chunk.warnings) if found else chunk


def piece_chunks(auditor: Auditor, path: str, jobs: int) -> Iterator[Chunk]:
    """The chunks of a text file of URLs, in order, each piece (`PIECE` bytes) read and
    decided by a forked worker: the parent only writes what comes back."""
    pieces = numbered_pieces(path, PIECE)
    yield from _in_workers(auditor, _piece_chunk, ((path, *piece) for piece in pieces), jobs)


def _in_workers(
    auditor: Auditor, work: Callable[..., Chunk], tasks: Iterable[tuple[Any, ...]], jobs: int
) -> Iterator[Chunk]:
    global _AUDITOR
    _AUDITOR = auditor
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            pending: deque[Any] = deque()
            for task in tasks:
                pending.append(pool.apply_async(work, task))
                if len(pending) >= 2 * jobs:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _AUDITOR = None


def can_fork() -> bool:
    return _CAN_FORK


def chunks(auditor: Auditor, batches: Iterable[list[str]], jobs: int = 1) -> Iterator[Chunk]:
    """The chunks of `batches`, in order; with `jobs` > 1 built by forked workers."""
    if jobs <= 1 or not _CAN_FORK:
        for batch in batches:
            yield auditor.chunk(batch)
        return
    yield from _in_workers(auditor, _chunk_of, ((batch,) for batch in batches), jobs)


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
