"""Scanning crawl archives on one machine: every HTTP response in a set of WARC files,
with what it may be used for (ccsig.scan.records says what governs a page).

Takes: WARC / WARC.gz files (ccsig.ingest.warc reads them), a crawler's product token, an
aipref vocabulary and, optionally, a usage category and the signal elements a reuser
commits to.
Gives: one record per HTTP response that is not a policy document, in input order:
``{"url", "crawl", "preferences", "exceptions", "sources", "warnings"}`` and, with a
category,
``"decision"`` and ``"conditions"``; writers for JSON Lines, CSV and Parquet.

The local engine reads the inputs once: the policy documents go into a table per
(scheme, host), the few header fields a page's preferences depend on into a spill file
on disk; a second pass over the spill builds the records. So memory holds the policies
of the hosts, never the records, and each archive is decompressed once.

In parallel (`Scan(jobs=N)`, one process per CPU by default, on Linux, where workers
are forked), each file is cut into byte ranges at record starts (ccsig.ingest.warc.range_starts)
and workers read them at once. The reader of a range goes on past its end until it
reads a record there, so a damaged stretch is reported by the range it begins in; the
parent takes each range's findings from where the range before stopped (and reads a
range again in the rare case that its reader did not pass through that record start,
as when a cut fell inside a plain record's body). The warnings, the policy table (the
last change per site of each range, in input order) and so the records and their
order are exactly those of one process. Workers then build the records of the spilled
pages and encode them in chunks; the parent writes the chunks in order.
"""

from __future__ import annotations

import bisect
import multiprocessing
import multiprocessing.pool
import os
import pickle
import shutil
import signal
import sys
import tempfile
import weakref
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import IO, Any, NamedTuple

from ccsig._files import check_regular, remove_stale, temporary_prefix
from ccsig.ingest.warc import Damage, Response, range_starts, read_responses
from ccsig.report import records as scan_formats
from ccsig.report.records import write_chunks, write_records
from ccsig.scan.records import (
    SPILL_BATCH,
    Page,
    Policies,
    RecordBuilder,
    ScanOptions,
    Warn,
    page_of,
    policy_change,
    policy_path,
)

# ------------------------------------------------------------------ the local engine


class Scan:
    """A scan of WARC files: `collect()` reads them, `records()` gives the records, or
    `write()` writes them.

    `jobs`: worker processes (default: one per CPU; 1: all in this process). With more
    than one, and where processes can be forked, both passes run in parallel: the
    files are cut into byte ranges at record starts, each read by a worker that
    spills its pages to a file of its own and returns its policy documents and
    problems by offset, so the parent rebuilds exactly the sequential policy table and
    warnings; then workers build and encode the records of the spilled pages in
    chunks, which the parent writes in input order. `range_size`: bytes per range
    (default: enough for four ranges per worker, at least 2 MiB).
    """

    def __init__(
        self,
        paths: list[str],
        options: ScanOptions,
        warn: Warn | None = None,
        jobs: int | None = None,
        range_size: int | None = None,
    ) -> None:
        for path in paths:
            check_regular(path)  # a FIFO or a device would be read as an empty file
        self.paths = paths
        self.options = options
        self.policies = Policies()
        self.skipped = 0  # warnings about input that was skipped or ignored
        self.pages = 0
        self._warn = warn
        self._spill: Any = None
        self._chunks: list[tuple[str, int]] | None = None  # parallel: (spill, first offset)
        self._folder: str | None = None
        self._remove: Callable[[], Any] = lambda: None
        self.jobs = max(1, jobs if jobs is not None else os.cpu_count() or 1)
        if not _CAN_FORK:
            self.jobs = 1
        self.range_size = range_size
        self.builder = RecordBuilder(options, self.policies)

    def warn(self, path: str, offset: int, message: str) -> None:
        self.skipped += 1
        if self._warn is not None:
            self._warn(path, offset, message)

    def collect(self, progress: Callable[[int], None] | None = None) -> None:
        """The first pass: policies into the table, pages into the spill file(s)."""
        if self.jobs > 1:
            self._collect_parallel(progress)
            return
        spill = self._spill = tempfile.TemporaryFile(prefix=temporary_prefix("scan"))
        batch: list[Page] = []
        for path in self.paths:
            position = 0
            for item in read_responses(path):
                if progress is not None and item.offset > position:
                    progress(item.offset - position)
                    position = item.offset
                page = self._item(path, item)
                if page is not None:
                    batch.append(page)
                    if len(batch) >= SPILL_BATCH:
                        pickle.dump(batch, spill, pickle.HIGHEST_PROTOCOL)
                        self.pages += len(batch)
                        batch = []
            if progress is not None:
                progress(max(0, os.path.getsize(path) - position))
        if batch:
            pickle.dump(batch, spill, pickle.HIGHEST_PROTOCOL)
            self.pages += len(batch)
        spill.seek(0)

    def _item(self, path: str, item: Response | Damage) -> Page | None:
        offset = item.offset
        if isinstance(item, Damage):
            self.warn(path, offset, item.message)
            return None
        policy = policy_path(item)
        if policy is not None:
            self.policies.add(item, *policy, lambda m: self.warn(path, offset, m))
            return None
        return page_of(item, lambda m: self.warn(path, offset, m))

    def records(self, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
        """The second pass: one record per page, in input order."""
        if self._spill is None and self._chunks is None:
            self.collect()
        if self._chunks is not None:
            for payload, _count, _found in self._parallel_chunks("records", progress):
                yield from payload
            return
        spill, build = self._spill, self.builder.record
        try:
            while True:
                try:
                    batch = pickle.load(spill)
                except EOFError:
                    break
                for page in batch:
                    yield build(page)
                if progress is not None:
                    progress(len(batch))
        finally:
            spill.close()
            self._spill = None

    def write(
        self,
        fmt: str,
        output: str | None,
        stdout: IO[bytes] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, int]:
        """The second pass, written as `fmt` to `output` or `stdout` (see
        ccsig.report.records.write_records); the number of records per decision."""

        if self._spill is None and self._chunks is None:
            self.collect()
        decisions = self.options.category is not None
        counts = {"disallowed": 0, "unknown": 0, "allowed": 0} if decisions else {}
        labels = self.builder.labels
        if self._chunks is None:

            def counted(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
                for record in records:
                    if decisions:
                        counts[record["decision"]] += 1
                    yield record

            records = counted(self.records(progress))
            vocabulary = self.options.vocabulary
            write_records(records, fmt, output, labels, decisions, stdout, vocabulary)
            return counts

        built = self._parallel_chunks(fmt, progress)

        def chunks() -> Iterator[Any]:
            for payload, _count, found in built:
                for name, n in found.items():
                    counts[name] += n
                yield payload

        try:
            write_chunks(chunks(), fmt, output, labels, decisions, stdout)
        finally:
            # stopped (workers and folder gone) now, when writing fails or is
            # interrupted, not when the generator is collected: the CLI leaves by
            # os._exit, and a collection that needs the cycle collector never comes
            built.close()
        return counts

    # -------------------------------------------------------------- in parallel

    def _collect_parallel(self, progress: Callable[[int], None] | None) -> None:

        sizes = [os.path.getsize(path) for path in self.paths]
        step = self.range_size or max(_MIN_RANGE, sum(sizes) // (4 * self.jobs) + 1)
        tasks: list[tuple[int, str, int, int | None]] = []
        for index, path in enumerate(self.paths):
            starts = range_starts(path, step)
            for k, start in enumerate(starts):
                end = starts[k + 1] if k + 1 < len(starts) else None
                tasks.append((index, path, start, end))
        if not tasks:
            self._chunks = []
            return
        # the folders of scans killed before they could remove theirs (SIGKILL)
        remove_stale(tempfile.gettempdir(), "ccsig-scan-*")
        folder = self._folder = tempfile.mkdtemp(prefix=temporary_prefix("scan"))
        # removed with the scan if its records are never read
        self._remove = weakref.finalize(self, shutil.rmtree, folder, True)
        chunks: list[tuple[str, int]] = []
        try:
            with _pool(min(self.jobs, len(tasks))) as pool:
                jobs = [(*task, folder) for task in tasks]
                covered = 0  # the sequential reading of the file is known up to here
                for task, done in zip(tasks, pool.imap(_collect_range, jobs), strict=True):
                    index, path, start, end = task
                    if start == 0:
                        covered = 0
                    if progress is not None:
                        progress((end if end is not None else sizes[index]) - start)
                    limit = end if end is not None else sizes[index]
                    if covered >= limit:  # read already by the range before
                        os.unlink(done.spill)
                        continue
                    if covered != start and covered not in done.reads:
                        os.unlink(done.spill)  # cut inside a record: read again from there
                        done = _collect_range((index, path, covered, end, folder))
                    self._merge(path, done, covered)
                    chunks.append((done.spill, covered))
                    covered = done.stop
        except BaseException:
            self._cleanup()
            raise
        self._chunks = chunks

    def _merge(self, path: str, done: _Range, first: int) -> None:
        """A range's findings from offset `first` on, in order: warnings, policies."""
        for offset, message in done.warnings:
            if offset >= first:
                self.warn(path, offset, message)
        for (site, kind), (offset, value) in done.changes.items():
            if offset >= first:
                self.policies.apply(site, kind, value)
        self.pages += done.pages - bisect.bisect_left(done.page_offsets, first)

    def _parallel_chunks(
        self, mode: str, progress: Callable[[int], None] | None
    ) -> Generator[tuple[Any, int, dict[str, int]], None, None]:
        """(payload, records, decisions) of each chunk, in order, built by workers."""

        global _JOB
        chunks, self._chunks = self._chunks or [], None
        if not chunks:
            self._cleanup()
            return
        try:
            _JOB = self
            with _pool(max(1, min(self.jobs, len(chunks)))) as pool:
                _JOB = None
                tasks = [(spill, first, mode) for spill, first in chunks]
                for output, count, found in pool.imap(_build_chunk, tasks):
                    with open(output, "rb") as f:
                        while True:
                            try:
                                n, payload = pickle.load(f)
                            except EOFError:
                                break
                            yield payload, n, found
                            found = {}
                    os.unlink(output)
                    if progress is not None:
                        progress(count)
        finally:
            _JOB = None
            self._cleanup()

    def _cleanup(self) -> None:
        if self._folder is not None:
            self._remove()
            self._folder = None


_CAN_FORK = sys.platform.startswith("linux")
_MIN_RANGE = 2 * 1024 * 1024
_READS_KEPT = 4096
_JOB: Scan | None = None  # the scan whose records forked workers build


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _pool(processes: int) -> multiprocessing.pool.Pool:
    """Forked workers, with Ctrl-C and SIGTERM held while they are forked: one arriving
    inside fork's at-fork hooks (logging's lock release) was swallowed there ("Exception
    ignored in _releaseLock"), and the scan went on to exit 0. Held, it is delivered
    once the workers exist, in the parent's ordinary code."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        return multiprocessing.get_context("fork").Pool(processes, _worker_start)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _worker_start() -> None:
    """Ctrl-C reaches every process of the terminal's group: the parent stops the
    workers (and removes their files), so they do not each die with a traceback. The
    signals the parent held while forking are let through again (SIGTERM is how the
    pool stops its workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


class _Range(NamedTuple):
    """What a worker found in a byte range of a file."""

    warnings: list[tuple[int, str]]  # (offset, message), in reading order
    changes: dict[tuple[str, str], tuple[int, Any]]  # (site, kind): (offset, last value)
    spill: str  # pickled (offsets, pages) batches
    pages: int
    page_offsets: list[int]  # of the first pages
    reads: frozenset[int]  # offsets of the first records read
    stop: int  # the first record read at or after the range's end, or the file's size


def _collect_range(task: tuple[int, str, int, int | None, str]) -> _Range:
    """The first pass over one byte range (in a worker process)."""
    _index, path, start, end, folder = task
    warnings: list[tuple[int, str]] = []
    changes: dict[tuple[str, str], tuple[int, Any]] = {}
    reads: list[int] = []
    page_offsets: list[int] = []
    offsets: list[int] = []
    batch: list[Page] = []
    pages = 0
    fd, spill_path = tempfile.mkstemp(prefix="pages-", dir=folder)
    with os.fdopen(fd, "wb") as spill:
        for item in read_responses(path, start=start, end=end, reads=reads):
            offset = item.offset
            if isinstance(item, Damage):
                warnings.append((offset, item.message))
                continue

            def warn(message: str, offset: int = offset) -> None:
                warnings.append((offset, message))

            policy = policy_path(item)
            if policy is not None:
                site, url_path = policy
                change = policy_change(item, site, url_path, warn)
                if change is not None:
                    changes[site, change[0]] = (offset, change[1])
                continue
            page = page_of(item, warn)
            if page is not None:
                if len(page_offsets) < _READS_KEPT:
                    page_offsets.append(offset)
                offsets.append(offset)
                batch.append(page)
                if len(batch) >= SPILL_BATCH:
                    pickle.dump((offsets, batch), spill, pickle.HIGHEST_PROTOCOL)
                    pages += len(batch)
                    offsets, batch = [], []
        if batch:
            pickle.dump((offsets, batch), spill, pickle.HIGHEST_PROTOCOL)
            pages += len(batch)
    stop = os.path.getsize(path)
    if end is not None and reads and reads[-1] >= end:
        stop = reads[-1]
    return _Range(
        warnings, changes, spill_path, pages, page_offsets, frozenset(reads[:_READS_KEPT]), stop
    )


def _build_chunk(task: tuple[str, int, str]) -> tuple[str, int, dict[str, int]]:
    """The second pass over one range's pages (in a worker process): the records, as
    `mode` (records, jsonl, csv, parquet) pickled into a file; (file, records, decisions)."""

    spill_path, first, mode = task
    job = _JOB
    assert job is not None
    build = job.builder.record
    decisions = job.options.category is not None
    labels = job.builder.labels
    found: dict[str, int] = {}
    count = 0
    output = spill_path + ".out"
    with open(spill_path, "rb") as spill, open(output, "wb") as out:
        while True:
            try:
                offsets, batch = pickle.load(spill)
            except EOFError:
                break
            if offsets[0] < first:
                batch = [page for at, page in zip(offsets, batch, strict=True) if at >= first]
            records = [build(page) for page in batch]
            count += len(records)
            if decisions:
                for record in records:
                    found[record["decision"]] = found.get(record["decision"], 0) + 1
            payload = scan_formats.encode_chunk(
                records, mode, labels, decisions, job.options.vocabulary
            )
            pickle.dump((len(records), payload), out, pickle.HIGHEST_PROTOCOL)
    os.unlink(spill_path)
    return output, count, found


def scan(
    paths: list[str], options: ScanOptions | None = None, warn: Warn | None = None
) -> Iterator[dict[str, Any]]:
    """The records of the HTTP responses in `paths`, in input order (the local engine)."""
    job = Scan(paths, options or ScanOptions(), warn)
    job.collect()
    yield from job.records()
