"""Deciding URLs against the policy table: one record per URL, cached by what decides it.

Takes: a PolicyTable (ccsig.audit.table), `AuditOptions` (category, commitments, agent,
vocabulary, --at and --changed-since dates) and URLs.
Gives: per chunk of URLs their encoded records (ccsig.report.audit) and what the
summary counts: decisions, changed decisions, per host the URLs of each decision.

A URL's record is built exactly as scan builds a page's (ccsig.scan.records.RecordBuilder,
which decides with ccsig.answer.decide), from the snapshot's policies. Millions of URLs
share few records: the record of a URL that only its host's robots.txt governs depends
only on whether the agent may crawl it and which preference rules govern it
(ccsig.ingest.robots.match), so it is built and encoded once per (host, that match)
and looked up after; a host whose rules have no paths needs no matching at all. URLs
with headers of their own, scan records, or a tdmrep.json (whose rules match paths
differently) are built one by one.

For speed (benchmarks/bench_audit.py): hosts with the same robots.txt bytes share one
parse and matcher; such a record is encoded once per (rules, match, captures) for all
hosts that share them, the host's robots.txt URL put into the encoding
(`Auditor._templated`); and the chunk loop keeps per site, by the part of the URL that
names it, its one entry or its matcher and entries by match number. tests/audit/
test_judge.py holds the loop's bytes equal to each URL's record built alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from ccsig.answer.decide import decide
from ccsig.audit.table import ROBOTS, TDMREP, Capture, PolicyTable, Snapshot, stamp_of
from ccsig.ingest.robots import (
    ANY_AGENT,
    PathMatcher,
    Robots,
    match,
    paths_matter,
    product_token,
    request_path_at,
    rule_statements,
)
from ccsig.ingest.urls import site_of
from ccsig.model.vocabulary import DEFAULT_VOCABULARY
from ccsig.model.web import WebStatement, combine, combine_exceptions
from ccsig.report.audit import Encoder
from ccsig.scan.records import ROBOTS_PATH, Page, RecordBuilder, ScanOptions

DECISIONS = ("allowed", "disallowed", "unknown")
# Per host, the URLs of each decision are counted in one number, 40 bits per decision
# (a trillion URLs): one dict update per URL, and one per host when chunks are added up.
_BITS = 40
_ONE = tuple(1 << (_BITS * index) for index in range(len(DECISIONS)))
_MASK = (1 << _BITS) - 1


def unpack(counts: int) -> list[int]:
    """The URLs per decision (in DECISIONS order) of a packed count."""
    return [(counts >> (_BITS * index)) & _MASK for index in range(len(DECISIONS))]


_INDEX = {name: index for index, name in enumerate(DECISIONS)}
_SITE_CACHE = 4096  # records kept per host; past it the host's cache starts again
_VIA = {"robots.txt": ROBOTS, "tdmrep.json": TDMREP}


@dataclass(frozen=True)
class AuditOptions:
    category: str
    commitments: tuple[str, ...] = ()
    agent: str = ANY_AGENT
    vocabulary: str = DEFAULT_VOCABULARY
    at: datetime | None = None  # None: the latest capture governs
    since: datetime | None = None  # --changed-since

    def points(self) -> list[datetime | None]:
        """The points in time the table needs a snapshot of: now (or --at), then since."""
        return [self.at] if self.since is None else [self.at, self.since]


class Outcome(NamedTuple):
    decision: str
    conditions: tuple[str, ...]
    crawl: bool | None
    preferences: dict[str, str]
    exceptions: dict[str, str]
    sources: list[dict[str, Any]]
    as_of: str | None
    reason: str | None
    warnings: tuple[str, ...] = ()


class Entry(NamedTuple):
    """A URL's record, without the URL, encoded; and what the summary counts of it."""

    tail: Any
    decision: int  # index in DECISIONS
    changed: bool


class Chunk(NamedTuple):
    payload: Any  # UTF-8 (jsonl, csv), (urls, tails) (parquet), None (text: summary only)
    decisions: list[int]
    changed: int
    hosts: dict[str, int]  # host -> URLs per decision, packed in one number (`unpack`)
    warnings: list[tuple[str | None, str]]  # (host it is about, once per host; or None)
    # more hosts' URLs per decision, as columns (ccsig.audit.columns): a pyarrow Table of
    # host (large_string, each once) and one int64 column per decision, in DECISIONS order
    host_columns: Any = None

    def per_host(self) -> dict[str, int]:
        """Per host, the URLs of each decision, packed: `hosts` and `host_columns` together."""
        return with_columns(self.hosts, self.host_columns)


def with_columns(hosts: dict[str, int], columns: Any) -> dict[str, int]:
    """Packed URLs per decision of each host (`unpack`), `hosts` and those of a table of
    host columns (Chunk.host_columns; None: none) added up."""
    out = dict(hosts)
    if columns is not None:
        for host, *counts in zip(*(column.to_pylist() for column in columns.columns), strict=True):
            packed = sum(count * one for count, one in zip(counts, _ONE, strict=True))
            out[host] = out.get(host, 0) + packed
    return out


class _Way(NamedTuple):
    """How the records of a host's URLs are made at one snapshot."""

    kind: int  # _CONST: one record for all; _MATCH: one per robots.match; _EACH: per URL
    robots: Robots | None
    matcher: PathMatcher | None
    crawl: bool | None  # without rules to match: True (a robots.txt of none), None (none)
    as_of: str | None
    robots_capture: Capture | None
    location: str  # of the host's robots.txt


_CONST, _MATCH, _EACH = 0, 1, 2


class _Judge:
    """Outcomes at one snapshot."""

    def __init__(self, snapshot: Snapshot, options: AuditOptions, sites: set[str]) -> None:
        scan_options = ScanOptions(
            options.vocabulary, options.agent, options.category, options.commitments
        )
        self.snapshot = snapshot
        self.builder = RecordBuilder(scan_options, snapshot.policies)
        self.vocabulary = options.vocabulary
        self.options = options
        self.token = product_token(options.agent)
        self.sites = sites
        self._ways: dict[str, _Way] = {}
        self._per_url = bool(snapshot.headers or snapshot.records)
        # (crawl, what the statements say) -> decision, conditions, preferences, exceptions
        self._said: dict[Any, tuple[Any, ...]] = {}
        # hosts with the same rules share one parsed robots.txt, its matcher and caches
        # (their statements' location is the first host's: sources name each host's own)
        self._same_rules: dict[Any, tuple[Robots, PathMatcher | None]] = {}
        # and hosts with the same robots.txt bytes are not even parsed again
        self._same_body: dict[bytes, tuple[Robots, PathMatcher | None]] = {}

    def key(self, url: str, site: str) -> Any:
        """What the record of `url` depends on, or None when only `url` itself will do."""
        if self._per_url and (url in self.snapshot.headers or url in self.snapshot.records):
            return None
        way = self._ways.get(site)
        if way is None:
            way = self._ways[site] = self._way(site)
        kind = way.kind
        if kind == _CONST:
            return kind
        if kind == _MATCH:
            assert way.matcher is not None
            number, crawl, rules = way.matcher.match(url)
            return number or (crawl, *map(id, rules))  # (the rules live with the snapshot)
        return None

    def _way(self, site: str) -> _Way:
        captured = self.snapshot.captured
        policies = self.snapshot.policies
        robots_capture = captured.get((site, ROBOTS))
        latest = robots_capture  # of the two captures, the later (robots.txt on a tie)
        tdmrep_capture = captured.get((site, TDMREP))
        if tdmrep_capture is not None and (latest is None or tdmrep_capture.key > latest.key):
            latest = tdmrep_capture
        as_of = None if latest is None else latest.stamp
        location = site + ROBOTS_PATH
        if site in policies.tdmrep or robots_capture is None:
            return _Way(_EACH, None, None, None, as_of, robots_capture, location)
        data = policies.robots.get(site)
        if data is None:
            return _Way(_CONST, None, None, True, as_of, robots_capture, location)
        shared = self._same_body.get(data)
        if shared is None:
            robots = policies.robots_of(site)
            assert robots is not None
            shared = self._same_rules.get(robots.groups)
            if shared is None:
                token = self.token
                matcher = PathMatcher(robots, token) if paths_matter(robots, token) else None
                shared = self._same_rules[robots.groups] = (robots, matcher)
            self._same_body[data] = shared
        robots, matcher = shared
        kind = _CONST if matcher is None else _MATCH
        return _Way(kind, robots, matcher, True, as_of, robots_capture, location)

    def outcome(self, url: str, site: str) -> Outcome:
        snapshot = self.snapshot
        if not self._per_url or (url not in snapshot.headers and url not in snapshot.records):
            way = self._ways.get(site)
            if way is None:
                way = self._ways[site] = self._way(site)
            if way.kind != _EACH:
                return self._robots_only(url, way)
        return self.built(url, site)

    def _robots_only(self, url: str, way: _Way) -> Outcome:
        """The outcome of a URL only its host's robots.txt governs: `built`'s, from the
        statements of the rules that match, decided once per distinct set of them."""
        crawl: bool | None = way.crawl
        statements: tuple[WebStatement, ...] = ()
        if way.matcher is not None:
            _number, crawl, rules = way.matcher.match(url)
        elif way.robots is not None:
            crawl, rules = match(way.robots, self.token, url)
        if way.robots is not None:
            statements = rule_statements(way.robots, rules, self.vocabulary)
        said_key = (crawl, *((s.system, s.via, s.as_written, s.note) for s in statements))
        said = self._said.get(said_key)
        if said is None:
            options = self.options
            decision, conditions = decide(statements, options.category, options.commitments)
            said = self._said[said_key] = (
                decision,
                tuple(conditions),
                combine(statements, self.vocabulary),
                combine_exceptions(statements, self.vocabulary),
            )
        capture, location = way.robots_capture, way.location
        sources = [_source(s.system, s.as_written, capture, location) for s in statements]
        decision, conditions, preferences, exceptions = said
        return Outcome(
            decision, conditions, crawl, preferences, exceptions, sources, way.as_of, None
        )

    def built(self, url: str, site: str) -> Outcome:
        """The outcome of `url` from its scan record (ccsig.scan.records.RecordBuilder)."""
        snapshot = self.snapshot
        captured = snapshot.captured
        held = snapshot.records.get(url)
        if held is not None:
            return self._from_statements(held)
        header = snapshot.headers.get(url)
        if header is None and (site, ROBOTS) not in captured and (site, TDMREP) not in captured:
            return self._uncaptured(site)
        record = self.builder.record(header[0] if header else Page(url, site, ()))
        found: dict[str, Capture | None] = {
            ROBOTS: captured.get((site, ROBOTS)),
            TDMREP: captured.get((site, TDMREP)),
            "header": header[1] if header else None,
        }
        sources = [
            _source(s["system"], s["as_written"], found[_VIA.get(s["via"], "header")],
                    s.get("location"))
            for s in record["sources"]
        ]  # fmt: skip
        times = [capture for capture in found.values() if capture is not None]
        as_of = max(times, key=lambda c: c.key).stamp if times else None
        return Outcome(
            record["decision"],
            tuple(record["conditions"]),
            record["crawl"],
            record["preferences"],
            record["exceptions"],
            sources,
            as_of,
            None,
            tuple(f"{url}: {warning}" for warning in record["warnings"]),
        )

    def _from_statements(self, held: tuple[Any, ...]) -> Outcome:
        crawl, statements, capture = held
        options = self.options
        decision, conditions = decide(statements, options.category, options.commitments)
        return Outcome(
            decision,
            tuple(conditions),
            crawl,
            combine(statements, self.vocabulary),
            combine_exceptions(statements, self.vocabulary),
            [_source(s.system, s.as_written, capture, s.location) for s in statements],
            capture.stamp,
            None,
        )

    def _uncaptured(self, site: str) -> Outcome:
        at = self.snapshot.at
        if at is not None and site in self.sites:
            reason = f"no capture of {site}/robots.txt or tdmrep.json at or before {stamp_of(at)}"
        else:
            reason = f"no capture of {site}/robots.txt or tdmrep.json in the sources"
        empty = combine((), self.vocabulary)
        return Outcome("unknown", (), None, empty, {}, [], None, reason)


def _source(
    system: str, as_written: str, capture: Capture | None, url: str | None
) -> dict[str, Any]:
    out = {
        "system": system,
        "url": url,
        "as_written": as_written,
        "captured": capture.stamp if capture is not None else None,
    }
    if capture is not None and capture.by is not None:
        out["captured_by"] = capture.by
    return out


def _rest(outcome: Outcome) -> dict[str, Any]:
    return {
        "decision": outcome.decision,
        "conditions": list(outcome.conditions),
        "crawl_allowed": outcome.crawl,
        "preferences": outcome.preferences,
        "exceptions": outcome.exceptions,
        "sources": outcome.sources,
        "as_of": outcome.as_of,
        "reason": outcome.reason,
    }


class Auditor:
    """Encodes the records of URLs, chunk by chunk, in one format."""

    def __init__(
        self, table: PolicyTable, options: AuditOptions, fmt: str, labels: list[str]
    ) -> None:
        self.options = options
        self.judges = [_Judge(s, options, table.sites) for s in table.snapshots]
        self.encoder = Encoder(fmt, labels, options.since is not None)
        self.fmt = fmt
        self._entries: dict[str, dict[Any, Entry]] = {}
        self._hosts: dict[str, str] = {}
        # (what decides, the captures) -> the encoding cut where the robots.txt URL goes
        self._templates: dict[Any, tuple[list[str], Outcome]] = {}
        self._authorities: dict[str, Any] = {}  # what chunk keeps per site (_state)
        self._sites = table.sites
        self._since = stamp_of(options.since) if options.since is not None else None

    def entry(self, url: str, site: str, key: Any = None) -> tuple[Entry, list[str]]:
        """The encoded record of `url` and the warnings its building gave (`key`: what
        `_Judge.key` gives for it, when known)."""
        judges = self.judges
        if key is not None:
            pass
        elif len(judges) == 1:
            key = judges[0].key(url, site)
        else:
            keys = tuple(judge.key(url, site) for judge in judges)
            key = None if None in keys else keys
        cache = self._entries.get(site)
        if key is not None and cache is not None:
            found = cache.get(key)
            if found is not None:
                return found, []
        templated = self._templated(url, site, key) if len(judges) == 1 else None
        if templated is not None:
            entry, now = templated
        else:
            outcomes = [judge.outcome(url, site) for judge in judges]
            now = outcomes[0]
            rest = self._rest_of(outcomes)
            changed = bool(rest.get("changed"))
            entry = Entry(self.encoder.tail(rest), _INDEX[now.decision], changed)
        if key is not None:
            if cache is None or len(cache) >= _SITE_CACHE:
                cache = self._entries[site] = {}
            cache[key] = entry
        warnings = list(now.warnings)
        if now.reason is not None:
            warnings.append(now.reason)
        return entry, warnings

    def _templated(self, url: str, site: str, key: Any) -> tuple[Entry, Outcome] | None:
        """The entry of a URL only its host's robots.txt governs, from the encoding
        shared by every host with the same robots.txt, captures and match: the same
        bytes but for the robots.txt URL in its sources, put in (None: not so here)."""
        if key is None:
            return None
        shares = self.shares(site)
        if shares is None:
            return None
        location, alike = shares
        shared_key = (key, *alike)
        shared = self._templates.get(shared_key)
        if shared is None:
            outcome = self.judges[0].outcome(url, site)
            if outcome.warnings or outcome.reason is not None:
                return None
            marked = [{**source, "url": _MARK} for source in outcome.sources]
            if any(source["url"] != location for source in outcome.sources):
                return None
            tail = self.encoder.tail(self._rest_of([outcome._replace(sources=marked)]))
            parts = tail.split(_MARK)
            if len(parts) != len(marked) + 1:
                return None  # the mark is written elsewhere too
            if len(self._templates) >= _TEMPLATES:
                self._templates.clear()
            shared = self._templates[shared_key] = (parts, outcome)
        parts, outcome = shared
        return Entry(location.join(parts), _INDEX[outcome.decision], False), outcome

    def shares(self, site: str) -> tuple[str, tuple[Any, ...]] | None:
        """Whether the entries of a site's URLs come from encodings shared with other
        sites (`_templated`): its robots.txt URL, put into them, and what the sites that
        share them have alike (with a URL's key, what `_templates` is keyed by); None:
        they are encoded each on its own."""
        if self.fmt not in ("jsonl", "csv"):
            return None
        way = self.judges[0]._ways.get(site)
        if way is None or way.kind == _EACH:
            return None
        location = way.location
        if _PLAIN_LOCATION.fullmatch(location) is None:
            return None  # what JSON or CSV might escape: encoded as it is
        capture = way.robots_capture
        alike = (
            None if way.robots is None else id(way.robots),  # (held by the judge)
            way.crawl,
            None if capture is None else (capture.stamp, capture.by),
            way.as_of,
        )
        return location, alike

    def template(self, key: Any, alike: tuple[Any, ...]) -> tuple[list[str], int] | None:
        """The shared encoding of a key's records (`shares`), when one was made: the parts
        to join with a site's robots.txt URL, and the decision (its index)."""
        found = self._templates.get((key, *alike))
        if found is None:
            return None
        parts, outcome = found
        return parts, _INDEX[outcome.decision]

    def rest(self, url: str) -> dict[str, Any]:
        """The record of one URL as a dict without its url (for the API and tests)."""
        site = site_of(url)
        if site is None:
            return self._rest_of([self._malformed()] * len(self.judges))
        return self._rest_of([judge.outcome(url, site) for judge in self.judges])

    def _rest_of(self, outcomes: list[Outcome]) -> dict[str, Any]:
        """The record without its url, from the outcomes now and (--changed-since) then."""
        now = outcomes[0]
        rest = _rest(now)
        if len(outcomes) > 1:
            before = outcomes[1]
            rest["earlier"] = {
                "at": self._since,
                "decision": before.decision,
                "conditions": list(before.conditions),
                "as_of": before.as_of,
                "reason": before.reason,
            }
            rest["changed"] = before.decision != now.decision
        return rest

    def _malformed(self) -> Outcome:
        empty = combine((), self.options.vocabulary)
        return Outcome("unknown", (), None, empty, {}, [], None, _NOT_HTTP)

    def _malformed_entry(self) -> Entry:
        rest = self._rest_of([self._malformed()] * len(self.judges))
        return Entry(self.encoder.tail(rest), _INDEX["unknown"], False)

    def chunk(self, urls: Iterable[str]) -> Chunk:
        """The records of `urls`, encoded, and what the summary counts of them."""
        lines, kept, tails, hosts, warnings, changed = self.rows(urls)
        decisions = unpack(sum(hosts.values()))
        payload: Any = None
        if self.fmt in ("jsonl", "csv"):
            payload = "".join(lines).encode("utf-8")  # (what workers send: half the pickling)
        elif self.fmt == "parquet":
            payload = (kept, tails)
        return Chunk(payload, decisions, changed, hosts, warnings)

    def rows(self, urls: Iterable[str]) -> tuple[
        list[str], list[str], list[Any], dict[str, int], list[tuple[str | None, str]], int
    ]:  # fmt: skip
        """The chunk loop, URL by URL: each URL's line (jsonl, csv) or its url and tail
        (parquet), the URLs per decision of each host (packed), the warnings, and how many
        decisions changed."""
        changed = 0
        hosts: dict[str, int] = {}  # host -> URLs per decision, packed (_ONE)
        warnings: list[tuple[str | None, str]] = []
        fmt = self.fmt
        lines: list[str] = []
        kept: list[str] = []
        tails: list[Any] = []
        add = tails.append if fmt == "parquet" else lines.append
        line = self.encoder.line
        jsonl = fmt == "jsonl"
        earlier = len(self.judges) > 1
        entry_of = self.entry
        authorities = self._authorities
        state_of = self._state
        search = _AUTHORITY_END.search
        found: Iterable[str]
        malformed: Entry | None = None
        for url in urls:
            # the site's part of the URL, as site_of cuts it (a site is parsed once)
            start = url.find("://")
            end = None
            if start < 0:
                state = _NOT_SITE if site_of(url) is None else state_of(url, None)
            else:
                end = search(url, start + 3)
                state = authorities.get(url if end is None else url[: end.start()])
                if state is None:
                    state = state_of(url, url if end is None else url[: end.start()])
            if state is _NOT_SITE:
                if malformed is None:
                    malformed = self._malformed_entry()
                entry = malformed
                warnings.append((None, f"{url[:80]!r}: {_NOT_HTTP}; audited as unknown"))
                host = ""
            else:
                host = state[1]
                hit: Entry | None = state[2]  # the entry of every URL of the site
                if hit is None:
                    key: Any = None
                    match_path = state[3]
                    if match_path is not None:  # the common case inline: a match seen before
                        cut = len(url) if end is None else end.start()
                        key = match_path(request_path_at(url, start, cut))[0]
                        if key:
                            hit = state[4].get(key)
                        else:
                            key = None  # (a wildcard rule: matched in full)
                    elif state[5]:
                        key = _CONST
                    if hit is None:
                        hit, found = entry_of(url, state[0], key)
                        if key is not None:
                            self._learn(state, key, hit)
                        for warning in found:
                            if warning.startswith("no capture of "):
                                warnings.append((host, f"{host}: {warning}; its URLs are unknown"))
                            else:
                                warnings.append((None, warning))
                entry = hit
            hosts[host] = hosts.get(host, 0) + _ONE[entry.decision]
            if earlier and entry.changed:
                changed += 1
            if jsonl:
                add(f'{{"url":{_encode_string(url)}{entry.tail}')
            elif fmt == "csv":
                add(line(url, entry.tail))
            elif fmt == "parquet":
                kept.append(url)
                add(entry.tail)
        return lines, kept, tails, hosts, warnings, changed

    def _state(self, url: str, authority: str | None) -> Any:
        """What the chunk loop keeps of a site (by the part of its URLs that names it):
        [site, host, the entry of all its URLs or None, its path matcher's match_path or
        None, the entries by the matcher's numbers, whether they may be kept, the entries
        by which of the matcher's plain patterns a path begins (ccsig.audit.columns)]; or
        _NOT_SITE."""
        # a site of the table is site_of's own output, which site_of gives back as it is
        # (tests/ingest/test_urls.py): the URL it names need not be parsed
        site = authority if authority in self._sites else site_of(url)
        state: Any
        if site is None:
            state = _NOT_SITE
        else:
            host = self._hosts.get(site) or self._hosts.setdefault(site, site.split("://")[1])
            state = [site, host, None, None, {}, False, {}]
            judges = self.judges
            if len(judges) == 1 and not judges[0]._per_url:
                judge = judges[0]
                way = judge._ways.get(site)
                if way is None:
                    way = judge._ways[site] = judge._way(site)
                if way.kind == _MATCH:
                    assert way.matcher is not None
                    state[3] = way.matcher.match_path
                state[5] = way.kind != _EACH  # what one URL gets, others get
        if authority is not None:
            if len(self._authorities) >= _AUTHORITIES:
                self._authorities.clear()
            self._authorities[authority] = state
        return state

    def _learn(self, state: list[Any], key: Any, entry: Entry) -> None:
        """Keep the entry of a URL for the site's other URLs with the same key."""
        if state[3] is None:
            state[2] = entry  # (_CONST: one entry for all)
            return
        by_number = state[4]
        if len(by_number) >= _SITE_CACHE:
            by_number.clear()
        by_number[key] = entry


_NOT_HTTP = "not an http(s) URL"
_TEMPLATES = 65536
_AUTHORITIES = 1 << 20  # sites kept by the chunk loop; past it, it starts again
_NOT_SITE: Any = ()  # the state of an authority that names no http(s) site
_AUTHORITY_END = re.compile(r"[/?#]")
_encode_string: Any = json.encoder.encode_basestring
_MARK = "ccsig-robots-location-mark"  # where a shared encoding puts a host's robots.txt URL
# a robots.txt URL that JSON and CSV write as it is (a site_of site: no quotes, no escapes)
_PLAIN_LOCATION = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+/robots\.txt")
