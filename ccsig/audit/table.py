"""The policies each host had at a point in time, from crawl captures.

Takes: SOURCES — WARC files (robots.txt and /.well-known/tdmrep.json captures, as in
Common Crawl's robotstxt WARCs, and pages whose headers carry preferences), folders of
robots.txt files named by host, or `ccsig scan` JSON Lines output — and the points in
time that matter (the latest capture; --at DATE; --changed-since DATE).
Gives: one `Snapshot` per point: per (scheme, host) the robots.txt and tdmrep.json in
force then, as ccsig.scan.records.Policies (what scan reads them with), with when each
was captured; the header fields of the pages that had preference fields; scan's records.

Time rules: a capture counts at a point when it was made at or before it (the latest
point takes every capture); of those, the latest capture of each (host, document)
governs, and of two with the same WARC-Date the one read last. A folder's files are
captures made at their modification time, and the sources say so (``captured_by``).

A large WARC file is read, with `jobs` > 1, by forked workers in byte ranges that
give back what each record does as events, applied here in file order: the same
table and warnings as one reading. Each distinct robots.txt body is parsed once.

Memory holds, per point, one parsed robots.txt and one
tdmrep.json per host, never the pages: a page is kept only when its headers, meta tags
or XMP state something (so a page's captures count from the first one that does).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from ccsig.errors import CcsigError
from ccsig.ingest.urls import site_of
from ccsig.ingest.warc import BODY_LIMIT, Damage, Response, range_starts, read_responses
from ccsig.model.expression import parse_expression
from ccsig.model.web import WebStatement
from ccsig.scan.records import (
    ROBOTS_PATH,
    Page,
    Policies,
    page_of,
    policy_change,
    policy_path,
)

Warn = Callable[[str, str], None]  # (where: file and position, message)
MTIME = "file modification time"  # the captured_by of a capture dated by its file
ROBOTS, TDMREP = "robots", "tdmrep"
_DATES_KEPT = 65536
_SEEN_BUDGET = 16 * 1024 * 1024  # bytes of distinct robots.txt bodies remembered
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?")


def parse_date(text: str, end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or date-time, as UTC; a date alone is its day's start (or, with
    `end_of_day`, its last instant: "at or before 2026-01-01" includes that day)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            return datetime.combine(day, time.max if end_of_day else time.min, UTC)
        when = datetime.fromisoformat(value)
    except ValueError:
        raise CcsigError(f"{text!r} is not a date (YYYY-MM-DD) or date-time (ISO 8601)") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def stamp_of(when: datetime) -> str:
    """A capture time as the records write it: ISO 8601 in UTC, Z."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Capture:
    """When something was captured: `order` breaks ties of equal dates (input order)."""

    when: datetime
    order: int
    stamp: str  # as written in the records
    by: str | None = None  # how the time is known, when not from WARC-Date

    @property
    def key(self) -> tuple[datetime, int]:
        return self.when, self.order


@dataclass
class Snapshot:
    """What was in force at `at` (None: the latest of everything)."""

    at: datetime | None
    policies: Policies = field(default_factory=Policies)
    captured: dict[tuple[str, str], Capture] = field(default_factory=dict)  # (site, kind)
    # pages that state something themselves (headers, meta tags, XMP): url -> (page, capture)
    headers: dict[str, tuple[Page, Capture]] = field(default_factory=dict)
    # from scan's output: url -> (crawl, statements, capture)
    records: dict[str, tuple[bool | None, tuple[WebStatement, ...], Capture]] = field(
        default_factory=dict
    )

    def counts(self, capture: Capture) -> bool:
        return self.at is None or capture.when <= self.at

    def offer(self, site: str, kind: str, capture: Capture, value: Any) -> None:
        if not self.counts(capture):
            return
        held = self.captured.get((site, kind))
        if held is None or capture.key >= held.key:
            self.captured[site, kind] = capture
            self.policies.apply(site, kind, value)


class PolicyTable:
    """The snapshots of every point in time asked for, filled from SOURCES."""

    def __init__(self, points: list[datetime | None], vocabulary: str, warn: Warn) -> None:
        self.snapshots = [Snapshot(point) for point in points]
        self.vocabulary = vocabulary
        self.sites: set[str] = set()  # with a capture at any time
        self.skipped = 0
        self._warn = warn
        self._order = 0
        self.jobs = 1  # processes reading a large WARC file (forked: Linux)
        self._reader = _Reader()

    def __getstate__(self) -> dict[str, Any]:  # what Spark broadcasts: no callback, no cache
        return {**self.__dict__, "_warn": None, "_reader": None}

    def warn(self, where: str, message: str) -> None:
        self.skipped += 1
        self._warn(where, message)

    def _next(self, when: datetime, stamp: str, by: str | None = None) -> Capture:
        self._order += 1
        return Capture(when, self._order, stamp, by)

    def offer(self, site: str, kind: str, capture: Capture, value: Any) -> None:
        self.sites.add(site)
        for snapshot in self.snapshots:
            snapshot.offer(site, kind, capture, value)

    def read(self, source: str) -> None:
        """Add the captures of one SOURCE (a WARC file, a folder, scan's JSON Lines)."""
        if os.path.isdir(source):
            self._read_folder(source)
        elif not os.path.isfile(source):
            raise CcsigError(f"{source}: no such file or folder")
        elif source.lower().endswith((".jsonl", ".ndjson")) or _starts_json(source):
            self._read_records(source)
        else:
            self._read_warc(source)

    # -------------------------------------------------------------- WARC files

    def _read_warc(self, path: str) -> None:
        if self.jobs > 1 and _CAN_FORK and os.path.getsize(path) >= 2 * _MIN_RANGE:
            self._read_warc_parallel(path)
            return
        reader = self._reader
        for item in read_responses(path):
            for event in reader.events(path, item):
                self._apply(event)

    def _read_warc_parallel(self, path: str) -> None:
        """The WARC file cut into byte ranges at record starts, each read by a forked
        worker into events (`_Reader`), which are applied here in file order: the table
        and warnings of reading it in one go (where a cut falls inside a record, the
        range is read again from where the range before it stopped, as scan does)."""
        step = max(_MIN_RANGE, os.path.getsize(path) // (2 * self.jobs) + 1)
        starts = range_starts(path, step)
        tasks = [
            (path, start, starts[k + 1] if k + 1 < len(starts) else None)
            for k, start in enumerate(starts)
        ]
        context = multiprocessing.get_context("fork")
        with context.Pool(min(self.jobs, len(tasks))) as pool:
            covered = 0  # the sequential reading of the file is known up to here
            for task, done in zip(tasks, pool.imap(_read_range, tasks), strict=True):
                _, start, end = task
                events, reads, stop = done
                if covered >= (end if end is not None else os.path.getsize(path)):
                    continue  # read already by the range before
                if covered != start and covered not in reads:
                    events, reads, stop = _read_range((path, covered, end))
                for event in events:
                    if event[0] >= covered:
                        self._apply(event)
                covered = stop

    def _apply(self, event: tuple[Any, ...]) -> None:
        """What one event of `_Reader` does to the table (in reading order)."""
        kind = event[1]
        if kind == _WARN:
            self.warn(event[2], event[3])
        elif kind == _OFFER:
            _, _, site, what, when, stamp, value = event
            self.offer(site, what, self._next(when, stamp), value)
        elif kind == _PAGE:
            _, _, url, page, when, stamp = event
            self._page(url, page, self._next(when, stamp))
        else:  # _BARE: a page that states nothing; it counts after one that did
            _, _, url, site, date, where = event
            if not self._has_headers(url):
                return
            known = self._reader.date(url, date, lambda message: self.warn(where, message))
            if known is not None:
                self._page(url, Page(url, site, ()), self._next(*known))

    def _page(self, url: str, page: Page, capture: Capture) -> None:
        for snapshot in self.snapshots:
            held = snapshot.headers.get(url)
            if snapshot.counts(capture) and (held is None or capture.key >= held[1].key):
                snapshot.headers[url] = (page, capture)

    def _has_headers(self, url: str) -> bool:
        return any(url in snapshot.headers for snapshot in self.snapshots)

    # -------------------------------------------------------------- folders

    def _read_folder(self, folder: str) -> None:
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if not os.path.isfile(path) or name.startswith("."):
                continue
            host = name.removesuffix(".txt")
            sites = [site_of(f"{scheme}://{host}/") for scheme in ("https", "http")]
            if None in sites or _HOST.fullmatch(host) is None:
                self.warn(path, "the file name is not a host name (HOST or HOST.txt); skipped")
                continue
            with open(path, "rb") as f:
                body = f.read(BODY_LIMIT + 1)
            when = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
            capture = self._next(when, stamp_of(when), MTIME)
            for number, site in enumerate(sites):
                assert site is not None
                url = f"{site}{ROBOTS_PATH}"
                response = Response(0, url, 200, b"", body[:BODY_LIMIT], len(body), capture.stamp)
                # its problems once (https), not once per scheme
                change = policy_change(response, site, ROBOTS_PATH, self._problems(path, number))
                assert change is not None
                self.offer(site, ROBOTS, capture, change[1])

    def _problems(self, path: str, number: int) -> Callable[[str], None]:
        """Where a folder's robots.txt problems go: warned once (https), not per scheme."""
        if number:
            return lambda message: None
        return lambda message: self.warn(path, message)

    # -------------------------------------------------------------- scan's records

    def _read_records(self, path: str) -> None:
        when = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
        for number, line in _lines(path):
            where = f"{path}: line {number}"
            try:
                record = json.loads(line)
                url, crawl = record["url"], record["crawl"]
                statements = tuple(self._statement(s) for s in record["sources"])
            except (ValueError, KeyError, TypeError) as e:
                problem = "not JSON" if isinstance(e, ValueError) else f"no {e}"
                self.warn(where, f"not a `ccsig scan` record ({problem}); skipped")
                continue
            site = site_of(url) if isinstance(url, str) else None
            if site is None:
                self.warn(where, f"{str(url)[:80]!r} is not an http(s) URL; skipped")
                continue
            self.sites.add(site)
            capture = self._next(when, stamp_of(when), MTIME)
            for snapshot in self.snapshots:
                if snapshot.counts(capture):
                    snapshot.records[url] = (crawl, statements, capture)

    def _statement(self, source: dict[str, Any]) -> WebStatement:
        """A statement of a scan record, read again (its expression, in our vocabulary)."""
        parsed = parse_expression(source["expression"], self.vocabulary)
        return WebStatement(
            source["system"],
            source["via"],
            source["as_written"],
            parsed,
            location=source.get("location"),
            note=source.get("note"),
        )


_WARN, _OFFER, _PAGE, _BARE = range(4)
_CAN_FORK = sys.platform.startswith("linux")
_MIN_RANGE = 2 * 1024 * 1024  # bytes of a WARC file per worker, at least


class _Reader:
    """What a WARC record does to the table, as events in reading order, without the
    table: (offset, _WARN, where, message), (offset, _OFFER, site, kind, when, stamp,
    value), (offset, _PAGE, url, page, when, stamp) for a page that states something,
    (offset, _BARE, url, site, WARC-Date, where) for one that does not (it counts only
    after one that did: the table decides). Workers read ranges of a file this way."""

    def __init__(self) -> None:
        # robots.txt (status class, body, size) -> (its change, the problems parsing
        # finds): hosts share bodies (CMS defaults), and each body is parsed once
        self._robots_seen: dict[tuple[int, bytes, int], tuple[Any, tuple[str, ...]]] = {}
        self._robots_seen_bytes = 0
        self._dates: dict[str, tuple[datetime, str]] = {}  # WARC-Date -> (when, stamp)

    def events(self, path: str, item: Response | Damage) -> list[tuple[Any, ...]]:
        offset = item.offset
        where = f"{path}: offset {offset}"
        out: list[tuple[Any, ...]] = []

        def warn(message: str) -> None:
            out.append((offset, _WARN, where, message))

        if isinstance(item, Damage):
            warn(item.message)
            return out
        url = item.url
        if item.body is not None and url.endswith(ROBOTS_PATH):
            site = site_of(url)
            if (
                site is not None
                and len(url) == len(site) + len(ROBOTS_PATH)
                and (url.startswith(site))
            ):  # scheme://host/robots.txt as policy_path reads it, without urlsplit
                change = self._robots(item, site, warn)
                if change is not None:
                    self._offer(out, item, site, change, warn)
                return out
        policy = policy_path(item)
        if policy is None:
            page = page_of(item, warn)
            if page is None:
                return out
            if not page.fields and not page.embedded:
                out.append((offset, _BARE, url, page.site, item.date, where))
                return out
            known = self.date(url, item.date, warn)
            if known is not None:
                out.append((offset, _PAGE, url, page, *known))
            return out
        site, path_ = policy
        change = policy_change(item, site, path_, warn)
        if change is not None:
            self._offer(out, item, site, change, warn)
        return out

    def _offer(
        self,
        out: list[tuple[Any, ...]],
        item: Response,
        site: str,
        change: tuple[str, bytes | None],
        warn: Callable[[str], None],
    ) -> None:
        known = self.date(item.url, item.date, warn)
        if known is not None:
            out.append((item.offset, _OFFER, site, change[0], *known, change[1]))

    def _robots(
        self, item: Response, site: str, warn: Callable[[str], None]
    ) -> tuple[str, bytes | None] | None:
        """A robots.txt capture's `policy_change` (and its problems, said of its URL),
        found once per distinct (status class, body, size): they depend on nothing else."""
        status = item.status or 0
        body = item.body or b""
        group = status // 100 if 200 <= status < 600 else 0
        seen = self._robots_seen.get((group, body, item.body_size))
        if seen is None:
            problems: list[str] = []
            change = policy_change(item, site, ROBOTS_PATH, problems.append)
            prefix = f"{item.url}: "
            if not all(p.startswith(prefix) for p in problems):  # (none such today)
                for problem in problems:
                    warn(problem)
                return change
            seen = (change, tuple(p.removeprefix(prefix) for p in problems))
            if self._robots_seen_bytes > _SEEN_BUDGET:
                self._robots_seen.clear()
                self._robots_seen_bytes = 0
            self._robots_seen[group, body, item.body_size] = seen
            self._robots_seen_bytes += len(body)
        change, told = seen
        for problem in told:
            warn(f"{item.url}: {problem}")
        return change

    def date(
        self, url: str, written: str | None, warn: Callable[[str], None]
    ) -> tuple[datetime, str] | None:
        """(when, stamp) of a WARC-Date, or None with a warning."""
        known = self._dates.get(written or "")  # a crawl's captures share few WARC-Dates
        if known is None:
            try:
                when = parse_date(written or "")
            except CcsigError:
                warn(f"{url}: no readable WARC-Date ({written!r}); capture skipped")
                return None
            if len(self._dates) >= _DATES_KEPT:
                self._dates.clear()
            known = self._dates[written or ""] = (when, stamp_of(when))
        return known


def _read_range(task: tuple[str, int, int | None]) -> tuple[list[Any], frozenset[int], int]:
    """The events of one byte range of a WARC file (in a worker), the offsets of the
    records read, and where the next range's reading starts (the first record read at
    or after the range's end, or the file's size)."""
    path, start, end = task
    reader = _Reader()
    reads: list[int] = []
    events: list[Any] = []
    for item in read_responses(path, start=start, end=end, reads=reads):
        events.extend(reader.events(path, item))
    stop = os.path.getsize(path)
    if end is not None and reads and reads[-1] >= end:
        stop = reads[-1]
    return events, frozenset(reads), stop


def _starts_json(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(64).lstrip().startswith(b"{")


def _lines(path: str) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, line


def read_table(
    sources: list[str],
    points: list[datetime | None],
    vocabulary: str,
    warn: Warn,
    jobs: int = 1,
) -> PolicyTable:
    table = PolicyTable(points, vocabulary, warn)
    table.jobs = jobs
    for source in sources:
        table.read(source)
    return table
