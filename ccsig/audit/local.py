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
and writes its records' UTF-8 bytes to a file of a spool folder beside the output, which
the parent copies in with os.copy_file_range (the kernel's copy: no pickling and piping
of hundreds of MB) and removes. With one job the pieces are read in the process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ccsig.audit.columns import ColumnAuditor, without_pandas
from ccsig.audit.inputs import numbered_pieces, numbered_range
from ccsig.audit.judge import Auditor, Chunk
from ccsig.audit.spool import handed_on, spool_folder, spooled
from ccsig.audit.summary import Tally
from ccsig.report.audit import summary_record, summary_text, write_chunks

_CAN_FORK = sys.platform.startswith("linux")
_AUDITOR: Auditor | None = None  # the auditor forked workers use
_SPOOL: str | None = None  # where forked workers leave their chunks' bytes
PIECE = 2 * 1024 * 1024  # bytes of a text file of URLs per task: ~50,000 URLs


def _chunk_of(urls: list[str]) -> Chunk:
    assert _AUDITOR is not None
    return _AUDITOR.chunk(urls)


def _piece_chunk(path: str, start: int, end: int, first: int) -> Chunk:
    """The chunk of one piece of a text file of URLs, read by the worker itself; its
    bytes spooled to a file of their own when the parent asked for that."""
    assert _AUDITOR is not None
    return spooled(piece_chunk(_AUDITOR, path, start, end, first), _SPOOL)


def piece_chunk(auditor: Auditor, path: str, start: int, end: int, first: int) -> Chunk:
    """The chunk of the lines in [start, end) of a text file of URLs, whose first is line
    `first`, with the reader's warnings first."""
    found: list[tuple[str | None, str]] = []  # the reader's warnings, sent along

    def note(where: str, message: str) -> None:
        found.append((None, f"{where}: {message}"))

    chunk = auditor.chunk(numbered_range(path, start, end, first, note))
    return chunk._replace(warnings=found + chunk.warnings) if found else chunk


def piece_chunks(
    auditor: Auditor, path: str, jobs: int, spool: str | None = None
) -> Iterator[Chunk]:
    """The chunks of a text file of URLs, in order, piece by piece (`PIECE` bytes); with
    `jobs` > 1 each piece read and decided by a forked worker, which, given a `spool`
    folder, leaves the piece's bytes in a file there for the parent to copy in (the
    file is removed once the next chunk is asked for)."""
    pieces = numbered_pieces(path, PIECE)
    if jobs <= 1 or not _CAN_FORK:
        for piece in pieces:
            yield piece_chunk(auditor, path, *piece)
        return
    global _SPOOL
    with spool_folder(spool) as folder:
        _SPOOL = folder
        try:
            tasks = ((path, *piece) for piece in pieces)
            yield from handed_on(_in_workers(auditor, _piece_chunk, tasks, jobs))
        finally:
            _SPOOL = None


def _in_workers(
    auditor: Auditor, work: Callable[..., Chunk], tasks: Iterable[tuple[Any, ...]], jobs: int
) -> Iterator[Chunk]:
    global _AUDITOR
    _AUDITOR = auditor
    # what exists now (the table, the auditor) is left out of the collections of the
    # forked workers, which would otherwise go over it, again and again, and copy the
    # pages they touch (gc.freeze's documented use); the parent takes it back after
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        columnwise = isinstance(auditor, ColumnAuditor) and auditor.columnwise
        with context.Pool(jobs, initializer=without_pandas if columnwise else None) as pool:
            pending: deque[Any] = deque()
            for task in tasks:
                pending.append(pool.apply_async(work, task))
                if len(pending) >= 2 * jobs:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _AUDITOR = None
        gc.unfreeze()


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
