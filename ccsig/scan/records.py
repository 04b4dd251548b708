"""What governs each page of a crawl: policies per site, and a page's record.

Takes: the responses read from WARC files (ccsig.ingest.warc), a crawler's product
token, a vocabulary and, optionally, a category and a reuser's commitments
(`ScanOptions`).
Gives: per (scheme, host) the robots.txt and tdmrep.json in force (`Policies`), and per
page its record (`RecordBuilder`): ``{"url", "crawl", "preferences", "exceptions",
"sources", "warnings"}`` and, with a category, ``"decision"`` and ``"conditions"`` (decided by
ccsig.answer.decide). Both engines, local and Spark, build records here.

What governs a page: its own header fields (Content-Usage, Content-Signal, TDMRep,
X-Robots-Tag), the robots.txt and /.well-known/tdmrep.json of its scheme and host, and
the RSL licence documents in the archive that cover it (ccsig.lift.rsl: the content
whose url pattern matches longest): those served from its own scheme and host, those its
robots.txt names in License lines and those its Link fields or an HTML page's <link>
elements name (rel="license", type="application/rsl+xml"); all wherever they are in the
inputs (Common Crawl keeps robots.txt responses in files of their own; the last one seen
wins). robots.txt by status: 2xx is read; 4xx means there is none (every path may be
crawled, RFC 9309 2.3.1.3); 5xx means every path is disallowed (2.3.1.4); 3xx is not
followed and changes nothing. "crawl" is null for a host without one. A tdmrep.json
counts when 2xx; a 4xx one removes an earlier one. An RSL document is an XML response
whose root is ``<rsl>`` (any XML media type: a License line may name one served as
application/xml); it counts when 2xx, and a 4xx one at its URL removes it.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ccsig.answer.decide import decide
from ccsig.errors import shown
from ccsig.ingest.c2pa import (
    TrainingMining,
    cawg_statement,
    looks_like_c2pa,
    read_training_mining,
)
from ccsig.ingest.headers import (
    ROBOTS_TAG_FIELDS,
    parse_header_lines,
    rsl_links,
    statements_from_headers,
    tdmrep_statement,
)
from ccsig.ingest.html import Link, Meta, meta_statements, read_page, stated_meta
from ccsig.ingest.robots import Robots, evaluate, parse_robots
from ccsig.ingest.rsl import RslDocument, governing, link_targets, looks_like_rsl, parse_rsl
from ccsig.ingest.urls import site_of
from ccsig.ingest.warc import Response, xml_response
from ccsig.ingest.xmp import IMAGE_TYPES, XmpProblem, data_mining_values, plus_statement, read_xmp
from ccsig.lift.rsl import content_statement
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, category_of, check_elements, load_ontology
from ccsig.model.web import WebStatement, combine, combine_exceptions

ROBOTS_PATH, TDMREP_PATH = "/robots.txt", "/.well-known/tdmrep.json"
ANY_AGENT = "*"
UNREACHABLE = b"User-agent: *\nDisallow: /\n"  # how a 5xx robots.txt is read

_PREFERENCE_FIELD = re.compile(
    rb"content-usage|content-signal|tdm-|robots-tag|license", re.IGNORECASE
)
# What a page's head must mention (lower-cased) for it to be parsed at all.
_HEAD_NAMES = (b"content-usage", b"content-signal", b"tdm-", b"noai", b"noimageai", b"license")
_BAD_OCTET = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELDS = frozenset(
    {"content-usage", "content-signal", "tdm-reservation", "tdm-policy", *ROBOTS_TAG_FIELDS}
)
RSL_KIND = "rsl:"  # a policy change of kind "rsl:URL": the RSL document at URL
SPILL_BATCH = 4096
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
    fields its preferences depend on (Content-Type only beside X-Robots-Tag); for an
    HTML page the meta tags and licence links that may state something, for an image
    its plus:DataMining values, CAWG assertion and media type."""

    url: str
    site: str
    fields: tuple[tuple[str, str], ...]
    embedded: Embedded = ()


# What a body states: html Meta and Link, or ("image/jpeg", "DMI-PROHIBITED", ...,
# TrainingMining(...)) for an image (its PLUS values, then its CAWG assertion).
Embedded = tuple[Meta | Link, ...] | tuple[str | TrainingMining, ...]


def page_of(response: Response, warn: Callable[[str], None]) -> Page | None:
    """The page a response is, with the fields that matter; damaged header lines are
    reported through `warn`. The header section is read in full only when it names a
    preference field or holds a control character: most responses do neither."""
    site = site_of(response.url)
    if site is None:
        warn(f"{shown(response.url)} is not an http(s) URL; record skipped")
        return None
    head = response.head
    embedded = _embedded(response, warn) if response.body is not None else ()
    if _PREFERENCE_FIELD.search(head) is None and _BAD_OCTET.search(head) is None:
        return Page(response.url, site, (), embedded)
    fields, problems = parse_header_lines(head)
    for problem in problems:
        warn(f"{response.url}: header {problem}")
    wanted = [
        (name, value)
        for name, value in fields
        if name in _FIELDS or (name == "link" and "license" in value.lower())
    ]
    if any(name in ROBOTS_TAG_FIELDS for name, _ in wanted):
        wanted = [
            (name, value) for name, value in fields if name in _FIELDS or name == "content-type"
        ]
    return Page(response.url, site, tuple(wanted), embedded)


def _embedded(response: Response, warn: Callable[[str], None]) -> Embedded:
    """What an HTML page's meta tags and licence links, or an image's XMP packet, may
    state (ccsig.ingest.html, ccsig.ingest.xmp); problems go to `warn`. The body is
    parsed only when its bytes mention a name the readers look for."""
    body = response.body or b""
    fields, _ = parse_header_lines(response.head)
    media_type = next(
        (v.split(";")[0].strip().lower() for n, v in reversed(fields) if n == "content-type"), ""
    )
    cut = response.body_size > len(body)
    if media_type in IMAGE_TYPES:
        return _image_embedded(response.url, body, media_type, cut, warn)
    # meta and link elements belong in the head: only it is looked at, and only parsed
    # when it names something ccsig reads (a regular expression over whole pages, or
    # lxml on each, would cost more than the rest of the scan)
    lowered = body.lower()
    end = lowered.find(b"<body")
    head = lowered if end < 0 else lowered[:end]
    if not any(name in head for name in _HEAD_NAMES):
        return ()
    page = read_page(body if end < 0 else body[:end], response.url)
    stated: tuple[Meta | Link, ...] = (*stated_meta(page), *page.licenses)
    return stated


def _image_embedded(
    url: str, body: bytes, media_type: str, cut: bool, warn: Callable[[str], None]
) -> Embedded:
    """An image's plus:DataMining values (its XMP packet) and the training and data mining
    assertion of its C2PA manifest (ccsig.ingest.c2pa), each read only when the bytes
    mention it."""
    more = "; the body was cut off" if cut else ""
    values: list[str] = []
    if b"DataMining" in body:
        xmp = read_xmp(body)
        if isinstance(xmp, XmpProblem):
            warn(f"{url}: {xmp.message}{more}")
        elif xmp is not None:
            values = data_mining_values(xmp)
            if not values:
                values = [""]  # a packet without a value: an empty PLUS statement, as before
    assertion: tuple[TrainingMining, ...] = ()
    if looks_like_c2pa(body):
        read = read_training_mining(body, media_type)
        for warning in read.warnings:
            warn(f"{url}: {warning}{more}")
        assertion = (read.assertion,) if read.assertion is not None else ()
    if not values and not assertion:
        return ()
    stated: tuple[str | TrainingMining, ...] = (media_type, *values, *assertion)
    return stated


class Policies:
    """The robots.txt and tdmrep.json (bytes) of each site, the last one seen.

    A robots.txt is kept as its bytes (at most 500 KiB and one byte, as read); its
    parsed form, some 25 times the size of the bytes for a file of short rules (12 MB
    for 500 KiB), is kept for the sites added or used last only, up to `PARSED_BUDGET`
    bytes of robots.txt, and parsed again when a page needs it after that. So memory
    follows the input, not the number of hosts with a large robots.txt (hosts with a
    500 KiB robots.txt each: 32 peaked at 449 MiB before, 276 MiB after; 60 at 821 MB,
    297 MB; benchmarks/bench_scan_robots.py); the price is a second parse of the
    robots.txt of sites whose pages come after more than the budget's worth of other
    robots.txt (up to twice the parsing time when every page misses)."""

    PARSED_BUDGET = 8 * 1024 * 1024  # ~200 MB parsed at worst (16 files of 500 KiB)

    def __init__(self) -> None:
        self.robots: dict[str, bytes | None] = {}  # None: none to be had (4xx)
        self.tdmrep: dict[str, bytes] = {}
        self._parsed: OrderedDict[str, tuple[Robots, int]] = OrderedDict()  # (parsed, bytes)
        self._parsed_bytes = 0
        self.rsl: dict[str, RslDocument | bytes] = {}  # by URL; bytes: parsed when needed
        self.rsl_sites: dict[str, list[str]] = {}  # site -> URLs of RSL documents it serves

    def add(self, response: Response, site: str, path: str, warn: Callable[[str], None]) -> None:
        parsed: list[Robots] = []
        change = policy_change(response, site, path, warn, parsed.append)
        if change is not None:
            self.apply(site, change[0], change[1])
            if parsed and change[1] is not None:  # parsed for its warnings: kept, not redone
                self._keep(site, parsed[0], change[1])

    def apply(self, site: str, kind: str, value: bytes | None) -> None:
        if kind.startswith(RSL_KIND):
            url = kind[len(RSL_KIND) :]
            served = self.rsl_sites.setdefault(site, [])
            if value is None:
                self.rsl.pop(url, None)
                if url in served:
                    served.remove(url)
            else:
                self.rsl[url] = value
                if url not in served:
                    served.append(url)
            return
        if kind == "robots":
            self._forget(site)
            self.robots[site] = value
        elif value is None:
            self.tdmrep.pop(site, None)
        else:
            self.tdmrep[site] = value

    def rsl_of(self, url: str) -> RslDocument | None:
        """The RSL document found at `url` in the inputs, if any."""
        document = self.rsl.get(url)
        if isinstance(document, bytes):
            document = self.rsl[url] = parse_rsl(document, location=url)
        return document

    def robots_of(self, site: str) -> Robots | None:
        data = self.robots[site]
        if data is None:
            return None
        kept = self._parsed.get(site)
        if kept is not None:
            self._parsed.move_to_end(site)
            return kept[0]
        parsed = parse_robots(data, location=site + ROBOTS_PATH)
        self._keep(site, parsed, data)
        return parsed

    def _keep(self, site: str, parsed: Robots, data: bytes) -> None:
        self._forget(site)
        self._parsed[site] = (parsed, len(data))
        self._parsed_bytes += len(data)
        while self._parsed_bytes > self.PARSED_BUDGET and len(self._parsed) > 1:
            self._forget(next(iter(self._parsed)))

    def _forget(self, site: str) -> None:
        kept = self._parsed.pop(site, None)
        if kept is not None:
            self._parsed_bytes -= kept[1]

    def __getstate__(self) -> dict[str, Any]:  # (Spark broadcasts the table: no parsed forms)
        return {
            "robots": self.robots,
            "tdmrep": self.tdmrep,
            "rsl": self.rsl,
            "sites": self.rsl_sites,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self.robots, self.tdmrep = state["robots"], state["tdmrep"]
        self.rsl, self.rsl_sites = state["rsl"], state["sites"]


def policy_change(
    response: Response,
    site: str,
    path: str,
    warn: Callable[[str], None],
    parsed: Callable[[Robots], None] | None = None,
) -> tuple[str, bytes | None] | None:
    """What a policy document changes in the table: ("robots", the robots.txt's bytes, or
    None for none), ("tdmrep", bytes, or None to remove), ("rsl:URL", an RSL document's
    bytes, or None to remove), or None for nothing; its
    problems go to `warn` either way (a robots.txt is parsed for them, and the parsed
    form given to `parsed`)."""
    status = response.status or 0
    body = response.body or b""
    if path == ROBOTS_PATH:
        if 200 <= status < 300:
            robots = parse_robots(body, location=site + ROBOTS_PATH, size=response.body_size)
            for warning in robots.warnings:
                warn(f"{response.url}: {warning}")
            if parsed is not None:
                parsed(robots)
            return "robots", body
        if 400 <= status < 500:
            return "robots", None
        if status >= 500:
            return "robots", UNREACHABLE
        return None
    if response.body_size > len(body):
        warn(f"{response.url}: body larger than {len(body)} bytes; the rest was not read")
    if path != TDMREP_PATH:  # an RSL document (policy_path says so), by its URL
        kind = RSL_KIND + response.url
        if 200 <= status < 300:
            for warning in parse_rsl(body, location=response.url).warnings:
                warn(warning)
            return kind, body
        if 400 <= status < 500:
            return kind, None
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
    """(site, path) when the response is a robots.txt, a tdmrep.json or an RSL document
    (an XML body whose root element is <rsl>), else None."""
    if response.body is None:
        return None
    site = site_of(response.url)
    if site is None:
        return None
    path = urlsplit(response.url).path
    if path in (ROBOTS_PATH, TDMREP_PATH):
        return site, path
    if xml_response(response.head) and looks_like_rsl(response.body):
        return site, path
    return None


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
        self._headers: dict[tuple[tuple[tuple[str, str], ...], Embedded], tuple[Any, ...]] = {}
        self._combined: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._rsl: dict[tuple[str, int], WebStatement] = {}  # (document URL, content index)
        if options.category is not None:
            category_of(options.vocabulary, options.category)
            check_elements(options.commitments)

    def record(self, page: Page) -> dict[str, Any]:
        options = self.options
        url, site = page.url, page.site
        crawl: bool | None = None
        robots_statements: tuple[WebStatement, ...] = ()
        robots: Robots | None = None
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
        header = self._header(page.fields, page.embedded)
        licensed = self._licensed(page, robots)
        robots_statements = (*robots_statements, *licensed)
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
        preferences, exceptions, fixed_sources, header_sources, warnings, decision = combined[:6]
        sources = fixed_sources + [_located(s, url) for s in header_sources]
        out: dict[str, Any] = {
            "url": url,
            "crawl": crawl,
            "preferences": preferences,
            "exceptions": exceptions,
            "sources": sources,
            "warnings": warnings,
        }
        if decision is not None:
            out["decision"], out["conditions"] = decision
        return out

    def _licensed(self, page: Page, robots: Robots | None) -> tuple[WebStatement, ...]:
        """The statements of the RSL documents in the inputs that govern the page: those
        its site serves, its robots.txt's License lines name and its Link fields name."""
        policies = self.policies
        if not policies.rsl:
            return ()
        urls = list(policies.rsl_sites.get(page.site, ()))
        if robots is not None:
            urls += [url for url, _ in robots.licenses]
        if page.fields:
            urls += rsl_links(page.fields, base=page.url)[0]
        links = [(item.href, item.type) for item in page.embedded if isinstance(item, Link)]
        urls += link_targets(links)
        out: list[WebStatement] = []
        for url in dict.fromkeys(urls):
            document = policies.rsl_of(url)
            if document is None:
                continue
            content = governing(document, page.url)
            if content is None:
                continue
            key = (url, document.contents.index(content))
            statement = self._rsl.get(key)
            if statement is None:
                statement = content_statement(content, self.options.vocabulary, url)
                if len(self._rsl) >= _CACHE_LIMIT:
                    self._rsl.clear()
                self._rsl[key] = statement
            out.append(statement)
        return tuple(out)

    def _header(self, fields: tuple[tuple[str, str], ...], embedded: Embedded) -> tuple[Any, ...]:
        """The statements (and warnings) of a response's header fields, then of what its
        body states: a page's meta tags and licence links, an image's XMP."""
        cached = self._headers.get((fields, embedded))
        if cached is None:
            vocabulary = self.options.vocabulary
            statements, warnings = statements_from_headers(fields, vocabulary, agent=self._agent)
            if embedded and isinstance(embedded[0], str):
                values = [v for v in embedded[1:] if isinstance(v, str)]
                if values:
                    statement, problems = plus_statement(
                        [v for v in values if v], vocabulary, media_type=embedded[0]
                    )
                    statements.append(statement)
                    warnings.extend(problems)
                for assertion in embedded[1:]:
                    if isinstance(assertion, TrainingMining):
                        statement, problems = cawg_statement(assertion, vocabulary)
                        statements.append(statement)
                        warnings.extend(problems)
            elif embedded:
                meta = [m for m in embedded if isinstance(m, Meta)]
                links = [link for link in embedded if isinstance(link, Link)]
                found, problems = meta_statements(meta, links, vocabulary, self._agent)
                statements.extend(found)
                warnings.extend(problems)
            if len(self._headers) >= _CACHE_LIMIT:
                self._headers.clear()
            cached = (tuple(statements), tuple(warnings))
            self._headers[fields, embedded] = cached
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
            combine_exceptions(statements, self.options.vocabulary),
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
