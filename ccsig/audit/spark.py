"""The Spark engine of ccsig audit: the local engine's records, from a cluster.

Takes: the URLs' file (a path every executor can read: a shared file system), the
PolicyTable built on the driver, AuditOptions, the output format, a Spark master URL.
Gives: the chunks of ccsig.audit.judge, in input order, to the driver, which writes
them as the local engine does: the same bytes.

The table (per host, the robots.txt bytes in force) is broadcast once; the URLs are
cut into pieces, each read by the executor that decides it — a text file into byte
ranges at line starts, a Parquet file into its row groups, with the readers of the
local engine (ccsig.audit.inputs), so both read the same URLs. Standard input and CSV
(whose quoting Spark reads otherwise) are read on the driver and sent in groups of
batches. Each piece's chunks come back in order (toLocalIterator, piece after piece),
so the driver holds one piece's records at a time. With a local master the executors
leave each chunk's bytes in a file of a spool folder beside the output, as the local
engine's workers do, and only its name goes through Spark; then a job per piece is
submitted two per core ahead of the piece the driver copies in (the spool holds up to
2 x cores + 1 pieces, ~38 MB each), and Spark stops while the driver copies in the last.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from ccsig.audit.columns import ColumnAuditor, without_pandas
from ccsig.audit.inputs import (
    kind_of,
    parquet_group,
    parquet_pieces,
    range_urls,
    text_pieces,
    url_batches,
)
from ccsig.audit.judge import AuditOptions, Auditor, Chunk
from ccsig.audit.spool import handed_on, spool_folder, spooled
from ccsig.audit.table import PolicyTable
from ccsig.scan.spark import (
    discard_session,
    is_local,
    spark_session,
    start_session,
    stop_soon,
)

PIECE = 4 * 1024 * 1024  # bytes of a text file per task: ~100,000 URLs, ~38 MB of records
_GROUP = 16  # batches sent per task when the driver reads the URLs
_AHEAD = 2  # jobs per core at a time, when only the spooled files' names come back


def _piece_batches(piece: tuple[Any, ...], warn: Callable[[str, str], None]) -> Iterator[list[str]]:
    kind = piece[0]
    if kind == "text":  # a piece is one chunk, as the local engine's are
        _, path, start, end = piece
        yield range_urls(path, start, end, warn)
    elif kind == "parquet":
        _, path, column, group = piece
        yield from parquet_group(path, column, group, warn)
    else:
        yield from piece[1]


_AUDITORS: dict[str, Auditor] = {}  # in a Python worker: the auditor of the broadcast


def _auditor_of(token: str, shared: Any) -> Auditor:
    """The auditor of a broadcast table (named by `token`), kept by the reused Python
    worker from task to task: its caches (sites, matches, encodings) stay warm."""
    auditor = _AUDITORS.get(token)
    if auditor is None:
        _AUDITORS.clear()
        without_pandas()  # (a Python worker of the audit's own session)
        auditor = _AUDITORS[token] = ColumnAuditor(*shared.value)
    return auditor


def _in_waves(
    context: Any, rdd: Any, partitions: int, size: int, done: Callable[[], None], ahead: int
) -> Iterator[Any]:
    """The elements of `rdd`'s partitions in order, `size` partitions a job, `ahead` jobs
    submitted at a time, so that the cores go on to the next job's tasks while the
    caller takes the elements of the one before. (toLocalIterator runs one job at a
    time, ahead of the caller by one; on a local master scheduling a job is a good part
    of a task's time, and the cores waited for it.) `done` is called when the last job
    has ended, before its elements are given. Leaving early cancels the jobs still
    running."""
    waves = [
        list(range(start, min(start + size, partitions))) for start in range(0, partitions, size)
    ]

    def job(wave: list[int]) -> list[Any]:
        return context.runJob(rdd, lambda part: part, wave)

    ended = False  # every job has: nothing to cancel (and Spark may be stopping)
    with ThreadPoolExecutor(ahead, thread_name_prefix="ccsig-spark-wave") as running:
        try:
            pending = deque(running.submit(job, wave) for wave in waves[:ahead])
            for following in waves[ahead:] + [None] * len(pending):
                found = pending.popleft().result()
                if following is not None:
                    pending.append(running.submit(job, following))
                elif not pending:
                    ended = True
                    done()
                yield from found
        finally:
            if not ended:
                context.cancelAllJobs()


_NAME = "ccsig audit"  # the Spark application


def start_spark(master: str) -> None:
    """Begin starting the session `spark_chunks` will use (its JVM's start overlaps the
    building of the table)."""
    start_session(master, _NAME)


def spools(master: str) -> bool:
    """Whether the executors of `master` can spool chunks beside the output (this
    machine's file system)."""
    return is_local(master)


def discard_spark(master: str) -> None:
    """Stop the session `start_spark` began when no audit is to use it."""
    discard_session(master, _NAME)


def spark_chunks(
    urls: str,
    column: str | None,
    table: PolicyTable,
    options: AuditOptions,
    fmt: str,
    labels: list[str],
    master: str,
    warn: Callable[[str, str], None],
    stdin: IO[bytes] | None = None,
    spool: str | None = None,
) -> Iterator[Chunk]:
    """The chunks of the local engine, built on Spark executors, in input order; given a
    `spool` folder the executors can write to (a local master: this machine), they leave
    the chunks' bytes in files there, which the driver copies in and removes, rather than
    send them through Spark."""
    Auditor(table, options, fmt, labels)  # bad options fail here, on the driver
    kind = "text" if urls == "-" else kind_of(urls)
    with spool_folder(spool) as folder, spark_session(master, _NAME) as spark:
        context = spark.sparkContext
        shared = context.broadcast((table, options, fmt, labels))
        token = uuid.uuid4().hex  # names this broadcast in the workers

        def decide(pieces: Iterator[tuple[Any, ...]]) -> Iterator[Chunk]:
            auditor = _auditor_of(token, shared)
            found: list[tuple[str | None, str]] = []  # the readers' warnings, sent along

            def note(where: str, message: str) -> None:
                found.append((None, f"{where}: {message}"))

            for piece in pieces:
                for batch in _piece_batches(piece, note):
                    chunk = auditor.chunk(batch)
                    if found:
                        chunk = chunk._replace(warnings=found + chunk.warnings)
                        found.clear()
                    yield spooled(chunk, folder)
            if found:  # pieces of blank lines only
                yield auditor.chunk([])._replace(warnings=list(found))

        def run(pieces: list[tuple[Any, ...]], last: bool = True) -> Iterator[Chunk]:
            """The chunks of `pieces`; `last`: no job follows (Spark may stop once the
            last has ended, while the driver copies in its pieces)."""
            if pieces:
                rdd = context.parallelize(pieces, len(pieces)).mapPartitions(decide)
                if folder is None:  # the records come through Spark: a piece at a time
                    yield from rdd.toLocalIterator(prefetchPartitions=True)
                else:
                    cores = max(1, context.defaultParallelism)
                    done = (lambda: stop_soon(spark)) if last else (lambda: None)
                    yield from _in_waves(context, rdd, len(pieces), 1, done, _AHEAD * cores)

        def found() -> Iterator[Chunk]:
            if urls != "-" and kind == "text" and column is None:
                path = os.path.abspath(urls)
                yield from run([("text", path, a, b) for a, b in text_pieces(path, PIECE)])
            elif kind == "parquet":
                path = os.path.abspath(urls)
                name = column or "url"
                yield from run([("parquet", path, name, g) for g in range(parquet_pieces(path))])
            else:  # standard input, CSV: read here, decided there
                group: list[tuple[Any, ...]] = []
                for batch in url_batches(urls, column, warn, stdin):
                    group.append(("batch", batch))
                    if len(group) >= _GROUP * max(1, context.defaultParallelism):
                        yield from run(group, last=False)
                        group = []
                yield from run(group)

        yield from handed_on(found())
