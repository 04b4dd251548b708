"""RSL 1.0 licence documents (Really Simple Licensing, https://rslstandard.org/rsl).

Takes: the bytes (or text) of an RSL document: ``<rsl xmlns="https://rslstandard.org/rsl">``
holding ``<content url="..." server="...">`` elements, each with ``<license>`` elements of
``<permits type="usage|user|geo">`` / ``<prohibits type="...">`` value lists, ``<payment
type="...">`` (with ``<standard>``, ``<custom>``, ``<amount>``), ``<legal>``, ``<terms>``,
``<copyright>``; and where it was read from (a file or URL, named in warnings).
Gives: an `RslDocument` (its `Content`s in document order, each with its `License`s, and
one-line warnings naming the document and the line of what was skipped), and `governing`,
the content whose url pattern covers a URL (RFC 9309 matching: ingest.robots' patterns);
for an HTML reader, `link_targets` (the RSL documents among ``<link rel="license">``
targets) and `inline_documents` (``<script type="application/rsl+xml">`` bodies).

What the licences mean for aipref categories is ccsig.lift.rsl's business (vocab/rsl.ttl);
this module only reads what is written.

Safety: the XML is parsed by defusedxml, so a document that declares entities (the
"billion laughs"), names a DTD or an external entity is refused with a warning and nothing
is expanded or fetched. A document that is not well-formed XML is skipped with a warning
naming the line and column where the parser stopped; a <content> without a url, or a
<license> value that is not RSL's, is skipped (or dropped) with a warning naming its line.
Nothing here raises on any input. Documents over `SIZE_LIMIT` are not read.

Choices where RSL leaves room (each has a test in tests/ingest/test_rsl.py):
- A root element without the RSL namespace (``<rsl>``, as some publishers write it) is
  read, with a warning; any other root element is not an RSL document.
- Value lists are split on commas and whitespace, lower-cased; values RSL does not define
  for the type (usage: all, ai-all, ai-train, ai-input, ai-index, search; and the spellings
  vocab/rsl.ttl reads) are dropped with a warning; user and geo values are kept as written.
- A path pattern (``/``, ``/images/*``, ``*.pdf$``) applies to the site the document
  governs; a full URL applies to its own scheme and host, with its path as the pattern.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ccsig.ingest.robots import PathPattern, request_path
from ccsig.model.vocabulary import load_ontology
from ccsig.model.web import odd_spellings

NAMESPACE = "https://rslstandard.org/rsl"
MEDIA_TYPE = "application/rsl+xml"
SYSTEM = "rsl"
SIZE_LIMIT = 4 * 1024 * 1024  # an RSL document is a few KiB; refuse what is not one
VALUE_TYPES = ("usage", "user", "geo")
_SHOWN = 60
# The root element <rsl> (maybe with a namespace prefix), where a document's prolog ends
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rsl[\s>/]")
_PROLOG = ((b"<?", b"?>"), (b"<!--", b"-->"))
SNIFF = 4096  # bytes of a body looked at for that root element


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


@dataclass(frozen=True)
class Payment:
    type: str  # free, attribution, purchase, subscription, ... (lower-cased), "" if none
    standard: tuple[str, ...] = ()  # <standard> URLs
    custom: tuple[str, ...] = ()  # <custom> URLs
    amounts: tuple[tuple[str, str], ...] = ()  # (currency, amount)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.standard:
            out["standard"] = list(self.standard)
        if self.custom:
            out["custom"] = list(self.custom)
        if self.amounts:
            out["amounts"] = [{"currency": c, "amount": a} for c, a in self.amounts]
        return out


@dataclass(frozen=True)
class License:
    """One <license>: what it permits and prohibits (per value type), and its terms."""

    line: int
    permits: dict[str, tuple[str, ...]]  # value type (usage, user, geo) -> values
    prohibits: dict[str, tuple[str, ...]]
    payments: tuple[Payment, ...] = ()
    legal: tuple[tuple[str, str], ...] = ()  # (type, text)
    terms: tuple[str, ...] = ()
    copyright: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "line": self.line,
            "permits": {k: list(v) for k, v in self.permits.items()},
            "prohibits": {k: list(v) for k, v in self.prohibits.items()},
            "payments": [p.to_json() for p in self.payments],
        }
        if self.legal:
            out["legal"] = [{"type": t, "text": text} for t, text in self.legal]
        if self.terms:
            out["terms"] = list(self.terms)
        if self.copyright:
            out["copyright"] = list(self.copyright)
        return out


@dataclass(frozen=True)
class Content:
    """One <content>: the pages its url covers and the licences that govern them."""

    url: str  # as written
    line: int
    licenses: tuple[License, ...]
    server: str | None = None
    pattern: PathPattern = field(default_factory=lambda: PathPattern.compile("/"))
    origin: str | None = None  # scheme://host of a full-URL pattern, lower-cased
    terms: tuple[str, ...] = ()  # <terms> and <copyright> of the content itself
    copyright: tuple[str, ...] = ()

    def covers(self, url: str) -> bool:
        """Whether this content's url pattern matches `url` (a URL or a path)."""
        if self.origin is not None:
            parts = urlsplit(url)
            if parts.scheme and f"{parts.scheme}://{parts.netloc}".lower() != self.origin:
                return False
        return self.pattern.matches(request_path(url))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url, "line": self.line}
        if self.server is not None:
            out["server"] = self.server
        out["licenses"] = [license.to_json() for license in self.licenses]
        if self.terms:
            out["terms"] = list(self.terms)
        if self.copyright:
            out["copyright"] = list(self.copyright)
        return out


@dataclass(frozen=True)
class RslDocument:
    contents: tuple[Content, ...]
    warnings: tuple[str, ...] = ()
    location: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"contents": [c.to_json() for c in self.contents]}
        if self.location is not None:
            out["location"] = self.location
        out["warnings"] = list(self.warnings)
        return out


def looks_like_rsl(start: bytes) -> bool:
    """Whether the first bytes of an XML body start an ``<rsl>`` root element: a BOM,
    whitespace, an XML declaration, comments and processing instructions, then ``<rsl``.
    Only picks candidates out of XML responses (an XHTML page with an inline RSL script
    is a page, not a licence); `parse_rsl` decides. Linear in `SNIFF`, whatever the bytes."""
    data = start[:SNIFF].removeprefix(b"\xef\xbb\xbf")
    position = 0
    while True:
        while position < len(data) and data[position] in b" \t\r\n":
            position += 1
        for opening, closing in _PROLOG:
            if data.startswith(opening, position):
                end = data.find(closing, position + len(opening))
                if end < 0:
                    return False
                position = end + len(closing)
                break
        else:
            return _ROOT.match(data, position) is not None


def governing(document: RslDocument, url: str) -> Content | None:
    """The content whose url pattern matches `url` (or its path) longest; the first of
    equally long ones; None when none does."""
    best: Content | None = None
    for content in document.contents:
        if content.covers(url) and (best is None or content.pattern.length > best.pattern.length):
            best = content
    return best


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_rsl(data: bytes | str, location: str | None = None) -> RslDocument:
    """Read an RSL document; never raises. `location` names it in warnings."""
    name = location or "RSL document"
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > SIZE_LIMIT:
        return RslDocument(
            (), (f"{name}: {len(raw)} bytes, over {SIZE_LIMIT}; not read",), location
        )
    builder = _LineBuilder()
    # forbid_dtd: an RSL document has no use for one; entities and external references are
    # refused by defusedxml's defaults as well
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except ET.ParseError as e:
        line, column = e.position
        reason = str(e).split(":", 1)[0]
        return RslDocument(
            (),
            (
                f"{name}: line {line}, column {column + 1}: not well-formed XML ({reason}); "
                "the document is skipped",
            ),
            location,
        )
    except DefusedXmlException as e:
        line = parser.parser.CurrentLineNumber
        what = {
            "DTDForbidden": "declares a DTD",
            "EntitiesForbidden": "declares an entity",
            "ExternalReferenceForbidden": "refers to an external entity",
            "NotSupportedError": "uses an XML feature ccsig does not read",
        }.get(type(e).__name__, "uses an XML feature ccsig does not read")
        return RslDocument(
            (),
            (
                f"{name}: line {line}: the document {what}, which is never expanded or "
                "fetched; the document is skipped",
            ),
            location,
        )
    except (ValueError, UnicodeError, LookupError) as e:  # an encoding expat does not know
        return RslDocument((), (f"{name}: not readable as XML ({e}); skipped",), location)
    return _document(root, builder.lines, name, location)


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _document(
    root: ET.Element, lines: dict[int, int], name: str, location: str | None
) -> RslDocument:
    warnings: list[str] = []
    namespace, local = _local(root.tag)

    def line_of(element: ET.Element) -> int:
        return lines.get(id(element), 0)

    if local != "rsl" or namespace not in (NAMESPACE, None):
        shown = f"{{{namespace}}}{local}" if namespace else local
        return RslDocument(
            (),
            (
                f'{name}: the root element is <{shown}>, not <rsl xmlns="{NAMESPACE}">; '
                "not an RSL document",
            ),
            location,
        )
    if namespace is None:
        warnings.append(
            f'{name}: line {line_of(root)}: <rsl> has no xmlns="{NAMESPACE}"; read as RSL'
        )

    prefix = f"{{{namespace}}}" if namespace else ""

    def children(element: ET.Element, wanted: str) -> list[ET.Element]:
        tag = prefix + wanted  # comments and processing instructions have other tags
        return [child for child in element if child.tag == tag]

    contents: list[Content] = []
    for element in children(root, "content"):
        line = line_of(element)
        url = (element.get("url") or "").strip()
        if not url:
            warnings.append(f"{name}: line {line}: <content> has no url; skipped")
            continue
        pattern, origin = _pattern(url)
        if pattern is None:
            warnings.append(
                f"{name}: line {line}: <content url={_excerpt(url)}> is neither a path "
                "(starting with / or *) nor an http(s) URL; skipped"
            )
            continue
        licenses = tuple(
            _license(item, line_of(item), children, name, warnings)
            for item in children(element, "license")
        )
        if not licenses:
            warnings.append(f"{name}: line {line}: <content url={_excerpt(url)}> has no <license>")
        server = (element.get("server") or "").strip() or None
        terms, copyright = _terms(element, children)
        contents.append(Content(url, line, licenses, server, pattern, origin, terms, copyright))
    if not contents and not warnings:
        warnings.append(f"{name}: the document has no <content>")
    return RslDocument(tuple(contents), tuple(warnings), location)


def _pattern(url: str) -> tuple[PathPattern | None, str | None]:
    if url.startswith(("/", "*")):
        return PathPattern.compile(url), None
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        path = url[len(parts.scheme) + 3 + len(parts.netloc) :] or "/"
        return PathPattern.compile(path), f"{parts.scheme}://{parts.netloc}".lower()
    return None, None


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _license(
    element: ET.Element,
    line: int,
    children: Any,
    name: str,
    warnings: list[str],
) -> License:
    permits: dict[str, tuple[str, ...]] = {}
    prohibits: dict[str, tuple[str, ...]] = {}
    for kind, into in (("permits", permits), ("prohibits", prohibits)):
        for item in children(element, kind):
            value_type = (item.get("type") or "").strip().lower()
            if value_type not in VALUE_TYPES:
                warnings.append(
                    f"{name}: line {line}: <{kind} type={_excerpt(value_type)}> is not one of "
                    f"{', '.join(VALUE_TYPES)}; skipped"
                )
                continue
            values = _values(_text(item), value_type, kind, name, line, warnings)
            into[value_type] = tuple(dict.fromkeys((*into.get(value_type, ()), *values)))
    payments = []
    for item in children(element, "payment"):
        amounts = tuple(
            ((a.get("currency") or "").strip(), _text(a)) for a in children(item, "amount")
        )
        payments.append(
            Payment(
                (item.get("type") or "").strip().lower(),
                tuple(_text(s) for s in children(item, "standard") if _text(s)),
                tuple(_text(c) for c in children(item, "custom") if _text(c)),
                amounts,
            )
        )
    legal = tuple(
        ((item.get("type") or "").strip().lower(), _text(item))
        for item in children(element, "legal")
    )
    terms, copyright = _terms(element, children)
    return License(line, permits, prohibits, tuple(payments), legal, terms, copyright)


def _terms(element: ET.Element, children: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The <terms> and <copyright> of a <content> or <license>, as text."""
    terms = tuple(_text(t) for t in children(element, "terms") if _text(t))
    copyright = tuple(
        _text(c) or (c.get("contactEmail") or c.get("contactUrl") or "").strip()
        for c in children(element, "copyright")
    )
    return terms, copyright


def _values(
    text: str, value_type: str, kind: str, name: str, line: int, warnings: list[str]
) -> list[str]:
    values = [v for v in text.replace(",", " ").split() if v]
    if value_type != "usage":
        return values
    ontology = load_ontology()
    out: list[str] = []
    for value in (v.lower() for v in values):
        mapping = ontology.mapped(SYSTEM, value)
        if mapping is None or mapping.meaning is not None or value.startswith("payment:"):
            warnings.append(
                f'{name}: line {line}: <{kind} type="usage"> value {_excerpt(value)} is not an '
                "RSL usage value (all, ai-all, ai-train, ai-input, ai-index, search); dropped"
            )
            continue
        if mapping.deprecated:
            for phrase in odd_spellings(SYSTEM, [(value, None)]):
                warnings.append(
                    f'{name}: line {line}: <{kind} type="usage"> value {phrase}: a spelling '
                    "RSL 1.0 does not define"
                )
        out.append(value)
    return out


# ------------------------------------------------------------------ found in HTML


def link_targets(links: Iterable[tuple[str, str | None]]) -> list[str]:
    """The RSL documents among a page's ``<link rel="license" href type>`` targets
    ((href, type) pairs, as an HTML reader gives them): those of type
    application/rsl+xml, each once, in order."""
    return list(
        dict.fromkeys(
            href
            for href, media_type in links
            if href and (media_type or "").strip().lower() == MEDIA_TYPE
        )
    )


def inline_documents(
    scripts: Iterable[tuple[str | None, str, int]], location: str | None = None
) -> list[RslDocument]:
    """The RSL documents of a page's ``<script type="application/rsl+xml">`` elements,
    given as (type, text, line of the element) triples; other scripts are left alone.
    Warnings name the page and the script's line."""
    out = []
    for media_type, text, line in scripts:
        if (media_type or "").strip().lower() != MEDIA_TYPE:
            continue
        name = f'{location or "page"}: <script type="{MEDIA_TYPE}"> at line {line}'
        out.append(parse_rsl(text.strip(), name))
    return out
