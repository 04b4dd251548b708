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

Memory holds, per point, one parsed robots.txt and one
tdmrep.json per host, never the pages: a page is kept only when its headers, meta tags
or XMP state something (so a page's captures count from the first one that does).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from ccsig.errors import CcsigError
from ccsig.ingest.urls import site_of
from ccsig.ingest.warc import BODY_LIMIT, Damage, Response, read_responses
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
        # robots.txt (status class, body, size) -> (its change, the problems parsing finds):
        # hosts share bodies (CMS defaults), and each body is parsed once
        self._robots_seen: dict[tuple[int, bytes, int], tuple[Any, tuple[str, ...]]] = {}
        self._robots_seen_bytes = 0

    def __getstate__(self) -> dict[str, Any]:  # what Spark broadcasts: no callback, no cache
        return {**self.__dict__, "_warn": None, "_robots_seen": {}, "_robots_seen_bytes": 0}

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
        for item in read_responses(path):
            where = f"{path}: offset {item.offset}"
            if isinstance(item, Damage):
                self.warn(where, item.message)
                continue
            self._response(item, where)

    def _response(self, item: Response, where: str) -> None:
        def warn(message: str) -> None:
            self.warn(where, message)

        url = item.url
        if item.body is not None and url.endswith(ROBOTS_PATH):
            site = site_of(url)
            if site is not None and len(url) == len(site) + len(ROBOTS_PATH) and (
                url.startswith(site)
            ):  # scheme://host/robots.txt as policy_path reads it, without urlsplit
                self._robots(item, site, warn)
                return
        policy = policy_path(item)
        if policy is None:
            page = page_of(item, warn)
            if page is None:
                return
            if not page.fields and not page.embedded and not self._has_headers(item.url):
                return
            capture = self._capture(item, warn)
            if capture is not None:
                for snapshot in self.snapshots:
                    held = snapshot.headers.get(item.url)
                    if snapshot.counts(capture) and (held is None or capture.key >= held[1].key):
                        snapshot.headers[item.url] = (page, capture)
            return
        site, path = policy
        change = policy_change(item, site, path, warn)
        if change is None:
            return
        capture = self._capture(item, warn)
        if capture is not None:
            self.offer(site, change[0], capture, change[1])

    def _robots(self, item: Response, site: str, warn: Callable[[str], None]) -> None:
        """A robots.txt capture: `policy_change`'s change and problems, found once per
        distinct (status class, body, size) (they depend on nothing else; the problems
        are said of each capture's own URL)."""
        status = item.status or 0
        body = item.body or b""
        group = status // 100 if 200 <= status < 600 else 0
        key: tuple[int, bytes, int] | None = (group, body, item.body_size)
        seen = self._robots_seen.get((group, body, item.body_size))
        if seen is None:
            problems: list[str] = []
            change = policy_change(item, site, ROBOTS_PATH, problems.append)
            prefix = f"{item.url}: "
            if not all(p.startswith(prefix) for p in problems):  # (none such today)
                for problem in problems:
                    warn(problem)
                problems, key = [], None  # not remembered
            seen = (change, tuple(p.removeprefix(prefix) for p in problems))
            if key is not None:
                if self._robots_seen_bytes > _SEEN_BUDGET:
                    self._robots_seen.clear()
                    self._robots_seen_bytes = 0
                self._robots_seen[key] = seen
                self._robots_seen_bytes += len(body)
        change, told = seen
        for problem in told:
            warn(f"{item.url}: {problem}")
        if change is None:
            return
        capture = self._capture(item, warn)
        if capture is not None:
            self.offer(site, change[0], capture, change[1])

    def _has_headers(self, url: str) -> bool:
        return any(url in snapshot.headers for snapshot in self.snapshots)

    def _capture(self, item: Response, warn: Callable[[str], None]) -> Capture | None:
        try:
            when = parse_date(item.date or "")
        except CcsigError:
            warn(f"{item.url}: no readable WARC-Date ({item.date!r}); capture skipped")
            return None
        return self._next(when, stamp_of(when))

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


def _starts_json(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(64).lstrip().startswith(b"{")


def _lines(path: str) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, line


def read_table(
    sources: list[str], points: list[datetime | None], vocabulary: str, warn: Warn
) -> PolicyTable:
    table = PolicyTable(points, vocabulary, warn)
    for source in sources:
        table.read(source)
    return table
