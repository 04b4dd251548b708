"""Scanning crawl archives: what every HTTP response in a set of WARC files may be used for.

Takes: WARC / WARC.gz files (ccsig.ingest.warc reads them), a crawler's product token, an
aipref vocabulary and, optionally, a usage category and the signal elements a reuser
commits to.
Gives: one record per HTTP response that is not a policy document, in input order:
``{"url", "crawl", "preferences", "sources", "warnings"}`` and, with a category,
``"decision"`` and ``"conditions"``; writers for JSON Lines, CSV and Parquet.

What governs a page: its own header fields (Content-Usage, TDMRep, X-Robots-Tag), the
robots.txt and /.well-known/tdmrep.json of its scheme and host, wherever they are in
the inputs (Common Crawl keeps robots.txt responses in files of their own; the last
one seen wins). robots.txt by status: 2xx is read; 4xx means there is none (every
path may be crawled, RFC 9309 2.3.1.3); 5xx means every path is disallowed (2.3.1.4);
3xx is not followed and changes nothing. "crawl" is null for a host without one. A
tdmrep.json counts when 2xx; a 4xx one removes an earlier one.

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
import json
import multiprocessing
import os
import pickle
import re
import shutil
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any, NamedTuple
from urllib.parse import urlsplit

from ccsig.answer.compliance import category_iri, check_elements
from ccsig.ingest.headers import parse_header_lines, statements_from_headers, tdmrep_statement
from ccsig.ingest.robots import Robots, evaluate, parse_robots
from ccsig.ingest.warc import Damage, Response, range_starts, read_responses
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement, combine
from ccsig.report import records as scan_formats
from ccsig.report.records import write_chunks, write_records

ROBOTS_PATH, TDMREP_PATH = "/robots.txt", "/.well-known/tdmrep.json"
ANY_AGENT = "*"
UNREACHABLE = b"User-agent: *\nDisallow: /\n"  # how a 5xx robots.txt is read

_PREFERENCE_FIELD = re.compile(rb"content-usage|tdm-|x-robots-tag", re.IGNORECASE)
_BAD_OCTET = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELDS = frozenset({"content-usage", "tdm-reservation", "tdm-policy", "x-robots-tag"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPILL_BATCH = 4096
_CACHE_LIMIT = 65536

Warn = Callable[[str, int, str], None]  # (file, offset, message)


@dataclass(frozen=True)
class ScanOptions:
    vocabulary: str = DEFAULT_VOCABULARY
    agent: str = ANY_AGENT  # product token; "*" matches only the robots.txt groups for all
    category: str | None = None  # with a category, each record gets a decision
    commitments: tuple[str, ...] = ()


class Page(NamedTuple):
    """What a record is built from: the response's URL, its site, and the header
    fields its preferences depend on (Content-Type only beside X-Robots-Tag)."""

    url: str
    site: str
    fields: tuple[tuple[str, str], ...]


def site_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, lower-cased, default port left out."""
    start = url.find("://")
    end = len(url)
    if start >= 0:
        for mark in "/?#":
            found = url.find(mark, start + 3)
            if 0 <= found < end:
                end = found
    return _site_of(url[:end])  # a crawl has many pages per site: parse each site once


@lru_cache(maxsize=65536)
def _site_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS[scheme] else "")


def page_of(response: Response, warn: Callable[[str], None]) -> Page | None:
    """The page a response is, with the fields that matter; damaged header lines are
    reported through `warn`. The header section is read in full only when it names a
    preference field or holds a control character: most responses do neither."""
    site = site_of(response.url)
    if site is None:
        warn(f"{response.url[:80]!r} is not an http(s) URL; record skipped")
        return None
    head = response.head
    if _PREFERENCE_FIELD.search(head) is None and _BAD_OCTET.search(head) is None:
        return Page(response.url, site, ())
    fields, problems = parse_header_lines(head)
    for problem in problems:
        warn(f"{response.url}: header {problem}")
    wanted = [(name, value) for name, value in fields if name in _FIELDS]
    if any(name == "x-robots-tag" for name, _ in wanted):
        wanted = [
            (name, value) for name, value in fields if name in _FIELDS or name == "content-type"
        ]
    return Page(response.url, site, tuple(wanted))


class Policies:
    """The robots.txt and tdmrep.json (bytes) of each site, the last one seen. A robots.txt
    is kept parsed, or as its bytes (parsed when first needed: the parallel engine)."""

    def __init__(self) -> None:
        self.robots: dict[str, Robots | bytes | None] = {}  # None: none to be had (4xx)
        self.tdmrep: dict[str, bytes] = {}

    def add(self, response: Response, site: str, path: str, warn: Callable[[str], None]) -> None:
        change = policy_change(response, site, path, warn)
        if change is not None:
            self.apply(site, change[0], change[1])

    def apply(self, site: str, kind: str, value: Robots | bytes | None) -> None:
        if kind == "robots":
            self.robots[site] = value
        elif value is None:
            self.tdmrep.pop(site, None)
        else:
            assert isinstance(value, bytes)
            self.tdmrep[site] = value

    def robots_of(self, site: str) -> Robots | None:
        robots = self.robots[site]
        if isinstance(robots, bytes):
            robots = self.robots[site] = parse_robots(robots, location=site + ROBOTS_PATH)
        return robots


def policy_change(
    response: Response, site: str, path: str, warn: Callable[[str], None], raw: bool = False
) -> tuple[str, Robots | bytes | None] | None:
    """What a policy document changes in the table: ("robots", parsed robots.txt, or its
    bytes with `raw`, or None for none), ("tdmrep", bytes, or None to remove), or None
    for nothing; its problems go to `warn` either way."""
    status = response.status or 0
    body = response.body or b""
    if response.body_size > len(body):
        warn(f"{response.url}: body larger than {len(body)} bytes; the rest was not read")
    if path == ROBOTS_PATH:
        if 200 <= status < 300:
            robots = parse_robots(body, location=site + ROBOTS_PATH)
            for problem in robots.warnings:
                warn(f"{response.url}: {problem}")
            return "robots", body if raw else robots
        if 400 <= status < 500:
            return "robots", None
        if status >= 500:
            if raw:
                return "robots", UNREACHABLE
            return "robots", parse_robots(UNREACHABLE, location=site + ROBOTS_PATH)
        return None
    if 200 <= status < 300:
        problem = _json_problem(body)
        if problem is None:
            return "tdmrep", body
        warn(f"{response.url}: tdmrep.json {problem}; ignored")
    elif 400 <= status < 500:
        return "tdmrep", None
    return None


def _json_problem(body: bytes) -> str | None:

    try:
        json.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as e:
        return f"is not JSON ({type(e).__name__})"
    return None


def policy_path(response: Response) -> tuple[str, str] | None:
    """(site, path) when the response is a robots.txt or tdmrep.json, else None."""
    if response.body is None:
        return None
    site = site_of(response.url)
    if site is None:
        return None
    path = urlsplit(response.url).path
    return (site, path) if path in (ROBOTS_PATH, TDMREP_PATH) else None


# ------------------------------------------------------------------ records


class RecordBuilder:
    """Builds the record of a page from the policies; caches what pages share."""

    def __init__(self, options: ScanOptions, policies: Policies) -> None:
        ontology = load_ontology()
        ontology.vocabulary(options.vocabulary)  # an unknown name raises before any work
        self.options = options
        self.policies = policies
        self.labels = ontology.vocabulary(options.vocabulary).labels
        self._agent = None if options.agent.strip() == ANY_AGENT else options.agent
        self._headers: dict[tuple[tuple[str, str], ...], tuple[Any, ...]] = {}
        self._combined: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        if options.category is not None:
            category_iri(options.vocabulary, options.category)
            check_elements(options.commitments)

    def record(self, page: Page) -> dict[str, Any]:
        options = self.options
        url, site = page.url, page.site
        crawl: bool | None = None
        robots_statements: tuple[WebStatement, ...] = ()
        if site in self.policies.robots:
            robots = self.policies.robots_of(site)
            crawl = True
            if robots is not None:
                answer = evaluate(robots, options.agent, url, options.vocabulary)
                crawl, robots_statements = answer.crawl, answer.statements
        tdm_key: tuple[str, str | None] | None = None
        tdm: list[WebStatement] = []
        tdm_warnings: list[str] = []
        data = self.policies.tdmrep.get(site)
        if data is not None:
            statement, tdm_warnings = tdmrep_statement(
                data, url, options.vocabulary, location=site + TDMREP_PATH
            )
            if statement is not None:
                tdm, tdm_key = [statement], (statement.as_written, statement.note)
        header = self._header(page.fields)
        key = (
            crawl,
            tuple(map(id, robots_statements)),
            id(header),
            site if tdm else "",
            tdm_key,
            tuple(tdm_warnings),
        )
        combined = self._combined.get(key)
        if combined is None:
            combined = self._combine(robots_statements, tdm, header, tdm_warnings)
            if len(self._combined) >= _CACHE_LIMIT:
                self._combined.clear()
            self._combined[key] = combined
        preferences, fixed_sources, header_sources, warnings, decision = combined[:5]
        sources = fixed_sources + [_located(s, url) for s in header_sources]
        out: dict[str, Any] = {
            "url": url,
            "crawl": crawl,
            "preferences": preferences,
            "sources": sources,
            "warnings": warnings,
        }
        if decision is not None:
            out["decision"], out["conditions"] = decision
        return out

    def _header(self, fields: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
        cached = self._headers.get(fields)
        if cached is None:
            statements, warnings = statements_from_headers(
                fields, self.options.vocabulary, agent=self._agent
            )
            if len(self._headers) >= _CACHE_LIMIT:
                self._headers.clear()
            cached = self._headers[fields] = (tuple(statements), tuple(warnings))
        return cached

    def _combine(
        self,
        robots: tuple[WebStatement, ...],
        tdm: list[WebStatement],
        header: tuple[Any, ...],
        tdm_warnings: list[str],
    ) -> tuple[Any, ...]:
        header_statements, header_warnings = header
        statements = [*robots, *tdm, *header_statements]
        decision = None
        if self.options.category is not None:
            decision = decide(statements, self.options.category, self.options.commitments)
        return (
            combine(statements, self.options.vocabulary),
            [s.to_json() for s in (*robots, *tdm)],
            [s.to_json() for s in header_statements],
            [*tdm_warnings, *header_warnings],
            decision,
            (robots, header),  # keeps the objects whose ids are in the cache key alive
        )


def _located(source: dict[str, Any], url: str) -> dict[str, Any]:
    """A header statement's JSON as if it had been read with location=url."""
    out: dict[str, Any] = {}
    for name, value in source.items():
        if name in ("note", "error") and "location" not in out:
            out["location"] = url
        out[name] = value
    out.setdefault("location", url)
    return out


def decide(
    statements: Iterable[WebStatement], category: str, commitments: Iterable[str]
) -> tuple[str, list[str]]:
    """(allowed / disallowed / unknown, conditions) for `category`, as `ccsig check`
    decides: each statement's effective preference for the category; a disallow whose
    CC signal's elements are all committed is allowed on them; then most restrictive."""
    ontology = load_ontology()
    allow, disallow = ontology.value_names["y"], ontology.disallow
    committed = set(commitments)
    outcomes: set[str] = set()
    conditions: set[str] = set()
    for statement in statements:
        value = statement.parsed.effective.get(category)
        if value == allow:
            outcomes.add("allowed")
        elif value == disallow:
            signal = ontology.signals.get(statement.parsed.effective_exceptions.get(category, ""))
            names = [e.name for e in signal.elements] if signal is not None else []
            if names and committed.issuperset(names):
                outcomes.add("allowed")
                conditions.update(names)
            else:
                outcomes.add("disallowed")
        else:
            outcomes.add("unknown")
    if "disallowed" in outcomes:
        return "disallowed", []
    if "allowed" in outcomes:
        return "allowed", sorted(conditions)
    return "unknown", []


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
        spill = self._spill = tempfile.TemporaryFile(prefix="ccsig-scan-")
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
                    if len(batch) >= _SPILL_BATCH:
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

        def chunks() -> Iterator[Any]:
            for payload, _count, found in self._parallel_chunks(fmt, progress):
                for name, n in found.items():
                    counts[name] += n
                yield payload

        write_chunks(chunks(), fmt, output, labels, decisions, stdout)
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
        folder = self._folder = tempfile.mkdtemp(prefix="ccsig-scan-")
        # removed with the scan if its records are never read
        self._remove = weakref.finalize(self, shutil.rmtree, folder, True)
        chunks: list[tuple[str, int]] = []
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(min(self.jobs, len(tasks))) as pool:
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
    ) -> Iterator[tuple[Any, int, dict[str, int]]]:
        """(payload, records, decisions) of each chunk, in order, built by workers."""

        global _JOB
        chunks, self._chunks = self._chunks or [], None
        if not chunks:
            self._cleanup()
            return
        try:
            _JOB = self
            context = multiprocessing.get_context("fork")
            with context.Pool(max(1, min(self.jobs, len(chunks)))) as pool:
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
                change = policy_change(item, site, url_path, warn, raw=True)
                if change is not None:
                    changes[site, change[0]] = (offset, change[1])
                continue
            page = page_of(item, warn)
            if page is not None:
                if len(page_offsets) < _READS_KEPT:
                    page_offsets.append(offset)
                offsets.append(offset)
                batch.append(page)
                if len(batch) >= _SPILL_BATCH:
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
