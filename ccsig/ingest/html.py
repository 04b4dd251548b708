"""Read HTML pages: a landing page's embedded RDF, and what a page says about itself.

Takes: the bytes of an HTML page (a file, or a WARC response body) and where it came from.
Gives: a `Page`: its ``<script type="application/ld+json">`` blocks (`Block`: the text, the
line and column where it begins in the page, its character span, for annotate's edit),
its RDFa as N-Triples (pyRdfa, only when the page has RDFa attributes), its
``<meta name content>`` pairs and ``<link rel="license">`` targets, with their lines;
`page_nquads` turns the blocks and RDFa into N-Quads for the RDF readers; and
`page_statements` reads the meta tags a page states preferences in (aipref
``content-usage``, ``content-signal``, TDMRep ``tdm-reservation``/``tdm-policy``, robots
``noai``/``noimageai``) and its licence links as `WebStatement`s about the page.

lxml parses the markup (libxml2's HTML parser: it recovers from any input, as browsers
do, and knows each element's line); nothing here looks at markup with a regular
expression. The page's text is decoded once (a BOM, else UTF-8, else the encoding the
page declares, else windows-1252) and parsed as text, so lines and spans refer to it.

Which meta names mean what is data: TDMRep's meta names are its header fields
(statements_from_headers reads both), robots ``noai``/``noimageai`` and licence links are
in vocab/html-meta.ttl, Content-Signal in vocab/mappings.ttl.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pyoxigraph as ox

from ccsig.errors import InputError
from ccsig.ingest.headers import content_signal_statement, statements_from_headers
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement, mapped

if TYPE_CHECKING:
    import lxml.html

JSON_LD_TYPE = "application/ld+json"
HTML_TYPES = ("text/html", "application/xhtml+xml")
VIA_META = "html meta"
VIA_LINK = "html link"
ROBOTS_META, LICENSE_LINK, CONTENT_SIGNAL = "robots-meta", "license-link", "content-signal"
# Attributes only RDFa gives meaning to: without one of them a page has no RDFa worth
# pyRdfa's time (``rel``/``href`` alone would give only xhv: link relations).
_RDFA_ATTRIBUTES = ("property", "typeof", "about", "vocab", "prefix", "resource")
_HEADER_NAMES = frozenset({"content-usage", "tdm-reservation", "tdm-policy"})
_WHITESPACE = " \t\n\f\r"


@dataclass(frozen=True)
class Block:
    """One JSON-LD script block of a page."""

    text: str
    line: int  # where the block's text begins in the page, 1-based
    column: int  # 1-based
    start: int  # character offsets of the text in `Page.text`
    end: int


@dataclass(frozen=True)
class Meta:
    name: str  # lower-cased
    content: str
    line: int


@dataclass(frozen=True)
class Link:
    href: str  # resolved against the page's base
    type: str | None
    line: int


@dataclass(frozen=True)
class Page:
    text: str
    base: str  # the base IRI: the page's own, or its <base href> resolved against it
    blocks: tuple[Block, ...]
    meta: tuple[Meta, ...]
    licenses: tuple[Link, ...]
    has_rdfa: bool
    encoding: str


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import lxml.etree  # only for pages: lxml takes ~15 ms to import
    import lxml.html

    declared = None
    try:
        declared = lxml.html.document_fromstring(data).getroottree().docinfo.encoding
        codecs.lookup(declared or "")
    except (lxml.etree.ParserError, LookupError, ValueError):
        declared = None
    name = declared or "windows-1252"
    return data.decode(name, "replace"), name


def read_page(data: bytes, base: str) -> Page:
    """Parse a page; `base` is its own IRI (a file: URL, or the URL it was fetched from)."""
    text, encoding = decode(data)
    root = _root(text)
    if root is None:
        return Page(text, base, (), (), (), False, encoding)
    for element in root.iter("base"):
        href = (element.get("href") or "").strip(_WHITESPACE)
        if href:
            base = urljoin(base, href)
        break
    blocks: list[Block] = []
    meta: list[Meta] = []
    licenses: list[Link] = []
    cursor = 0
    for element in root.iter("script", "meta", "link"):
        line = element.sourceline or 1
        if element.tag == "script":
            kind = (element.get("type") or "").split(";")[0].strip(_WHITESPACE).lower()
            if kind != JSON_LD_TYPE or not (element.text or "").strip(_WHITESPACE):
                continue
            block = _locate(text, element.text or "", line, cursor)
            cursor = max(cursor, block.end)  # -1: a block without a span
            blocks.append(block)
        elif element.tag == "meta":
            name, content = element.get("name"), element.get("content")
            if name is not None and content is not None:
                meta.append(Meta(name.strip(_WHITESPACE).lower(), content, line))
        else:
            rel = (element.get("rel") or "").lower().split()
            href = (element.get("href") or "").strip(_WHITESPACE)
            if "license" in rel and href:
                licenses.append(Link(urljoin(base, href), element.get("type"), line))
    has_rdfa = bool(root.xpath(" | ".join(f"//*[@{a}]" for a in _RDFA_ATTRIBUTES)))
    return Page(text, base, tuple(blocks), tuple(meta), tuple(licenses), has_rdfa, encoding)


def _root(text: str) -> lxml.html.HtmlElement | None:
    if not text.strip(_WHITESPACE):
        return None
    import lxml.etree  # see `decode`
    import lxml.html

    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        # ValueError: a str holding an XML encoding declaration; parse it as bytes
        try:
            return lxml.html.document_fromstring(text.encode("utf-8"))
        except lxml.etree.ParserError:
            return None


def _locate(text: str, content: str, line: int, cursor: int) -> Block:
    """Where a script element's content is in the page: libxml2 gives the line of its
    start tag; the content is its first occurrence after the previous block's that does
    not begin before the line before that."""
    start = text.find(content, cursor)
    while start >= 0 and text.count("\n", 0, start) + 2 < line:
        start = text.find(content, start + 1)
    if start < 0:  # the parser changed the text (a NUL byte, say): no span to edit
        return Block(content, line, 1, -1, -1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Block(content, line, column, start, start + len(content))


# ------------------------------------------------------------------ RDF


def block_json(path: str, block: Block) -> object:
    """A block's JSON, or an `InputError` at the page's line and column."""
    try:
        return json.loads(block.text)
    except json.JSONDecodeError as e:
        column = block.column + e.colno - 1 if e.lineno == 1 else e.colno
        raise InputError(
            f"{path}:{block.line + e.lineno - 1}:{column}",
            f"invalid JSON in a {JSON_LD_TYPE} script block: {e.msg}",
        ) from None
    except RecursionError:
        raise InputError(f"{path}:{block.line}:{block.column}", "JSON nested too deeply") from None


def page_nquads(path: str, page: Page, resolve: Callable[[str, bytes], bytes]) -> bytes:
    """The page's RDF as N-Quads: every JSON-LD block (each a JSON-LD document read
    with the page's base IRI, its contexts resolved by `resolve`, as ccsig reads JSON-LD
    files) and its RDFa. Blank nodes are kept apart between blocks."""
    quads: list[ox.Quad] = []
    for block in page.blocks:
        where = f"{path}:{block.line}:{block.column}"
        try:
            data = resolve(where, block.text.encode("utf-8"))
        except InputError:
            block_json(path, block)  # invalid JSON: at the page's line and column
            raise
        try:
            quads.extend(
                ox.parse(
                    data, format=ox.RdfFormat.JSON_LD, base_iri=page.base, rename_blank_nodes=True
                )
            )
        except (SyntaxError, ValueError) as e:
            reason = " ".join(str(e).split())
            raise InputError(
                where, f"the {JSON_LD_TYPE} script block is not JSON-LD: {reason}"
            ) from None
    out = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    if page.has_rdfa:
        out += rdfa_ntriples(page)
    return out


def rdfa_ntriples(page: Page) -> bytes:
    """The page's RDFa 1.1 as N-Triples, by pyRdfa: no vocabulary expansion, nothing
    fetched, its processor graph (warnings) left out."""
    from pyRdfa import pyRdfa
    from pyRdfa.options import Options

    options = Options(
        output_default_graph=True,
        output_processor_graph=False,
        vocab_expansion=False,
        vocab_cache=False,
        embedded_rdf=False,
        refresh_vocab_cache=False,
    )
    processor = pyRdfa(options, base=page.base, media_type="text/html")
    graph = processor.graph_from_source(io.BytesIO(page.text.encode("utf-8")))
    data = graph.serialize(format="nt", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


# ------------------------------------------------------------------ statements


def page_statements(
    page: Page,
    vocabulary: str = DEFAULT_VOCABULARY,
    agent: str | None = None,
    location: str | None = None,
) -> tuple[list[WebStatement], list[str]]:
    """What a page's meta tags and licence links state about the page (`meta_statements`)."""
    return meta_statements(page.meta, page.licenses, vocabulary, agent, location)


def stated_meta(page: Page) -> tuple[Meta, ...]:
    """The page's meta tags `meta_statements` may read, for any crawler: those it reads by
    name, and those listing a directive of the robots meta tag (``<meta name="somebot"
    content="noai">`` is for that crawler). The rest say nothing to ccsig."""
    ontology = load_ontology()
    named = _HEADER_NAMES | {CONTENT_SIGNAL, "robots"}
    return tuple(
        m
        for m in page.meta
        if m.name in named
        or any(
            ontology.mapped(ROBOTS_META, d.strip(_WHITESPACE).lower()) is not None
            for d in m.content.split(",")
        )
    )


def meta_statements(
    meta: Iterable[Meta],
    licenses: Iterable[Link] = (),
    vocabulary: str = DEFAULT_VOCABULARY,
    agent: str | None = None,
    location: str | None = None,
) -> tuple[list[WebStatement], list[str]]:
    """What meta tags and licence links state about their page, and warnings (each
    naming the line of its tag) for what was skipped.

    TDMRep and Content-Usage meta tags read as their header fields do; a robots meta
    tag (``name="robots"``, or the crawler's product token `agent`) as X-Robots-Tag's
    directives do, through vocab/html-meta.ttl; Content-Signal as its robots.txt line."""
    meta = tuple(meta)
    statements: list[WebStatement] = []
    warnings: list[str] = []
    fields = [(m.name, m.content) for m in meta if m.name in _HEADER_NAMES]
    if fields:
        found, problems = statements_from_headers(fields, vocabulary, location=location)
        statements.extend(dataclasses.replace(s, via=VIA_META) for s in found)
        for problem in problems:
            # the header reader names the field ("tdm-reservation: ..."): add its tags' lines
            lines = [str(m.line) for m in meta if m.name == problem.split(":", 1)[0]]
            where = f"line {', '.join(lines)}: " if lines else ""
            warnings.append(f"{where}meta {problem}")
    wanted = {"robots"} | ({agent.strip().lower()} if agent else set())
    for tag in meta:
        if tag.name == CONTENT_SIGNAL:  # read as the header field is, with its warnings
            signal, problems = content_signal_statement(tag.content, VIA_META, vocabulary, location)
            statements.append(signal)
            warnings.extend(f"line {tag.line}: meta {problem}" for problem in problems)
        elif tag.name in wanted:
            statement = _robots(tag, vocabulary, location, warnings)
            if statement is not None:
                statements.append(statement)
    for link in licenses:
        statements.append(
            mapped(
                LICENSE_LINK, [], link.href, VIA_LINK, vocabulary, location=location, note=link.type
            )
        )
    return statements, warnings


def _robots(
    tag: Meta, vocabulary: str, location: str | None, warnings: list[str]
) -> WebStatement | None:
    ontology = load_ontology()
    directives = [d.strip(_WHITESPACE).lower() for d in tag.content.split(",")]
    ours = [d for d in directives if ontology.mapped(ROBOTS_META, d) is not None]
    if not ours:
        return None
    statement = mapped(
        ROBOTS_META,
        [(d, None) for d in ours],
        tag.content,
        VIA_META,
        vocabulary,
        location=location,
        media_type="text/html",
    )
    if all(v == ontology.unknown for v in statement.preferences.values()):
        warnings.append(
            f"line {tag.line}: meta {tag.name}: {', '.join(ours)} states nothing about "
            "the page itself (noimageai is about images)"
        )
    return statement
