"""Read RDF inputs: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD.

Takes: a file path (or ``-`` for standard input) and an optional format name.
Gives: a list of pyoxigraph quads, or an `InputError` whose message is one line
naming the file, the line and column where known, and what is wrong.

Nothing is fetched. JSON-LD documents may name ccsig's own context by URL (it is
shipped with the package) and local context files by relative reference; any
other remote context is refused, naming its URL, unless the caller allows remote
contexts, in which case it is fetched and inlined before parsing. The user may name
more local context files or folders, and local files for context URLs
(`context_files`, in force within `user_contexts`).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import urllib.parse
import warnings
import xml.parsers.expat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, NoReturn

import pyoxigraph as ox

from ccsig._files import read_file
from ccsig.errors import InputError, InputWarning
from ccsig.ingest.blank_nodes import may_hold_blank_nodes, relabel
from ccsig.ingest.c2pa import read_training_mining, training_mining_ntriples
from ccsig.ingest.html import page_nquads, read_page
from ccsig.ingest.urls import base_iri_for
from ccsig.ingest.xmp import IMAGE_EXTENSIONS, XmpProblem, read_xmp, xmp_ntriples
from ccsig.model.namespaces import CONTEXT_URL
from ccsig.resources import read_text

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf/xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
    "jsonld": ox.RdfFormat.JSON_LD,
}
EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
INPUT_FORMAT_NAMES = ("turtle", "nt", "nq", "trig", "xml", "json-ld", "html", "image")
# Not RDF files, but read as RDF: an HTML page's JSON-LD blocks and RDFa (ccsig.ingest.html)
# and an image's XMP packet (ccsig.ingest.xmp).
HTML_EXTENSIONS = (".html", ".htm")

# Contexts ccsig ships, by the URLs documents use for them: its own, and schema.org's
# (vocab/contexts/README.md: its release, source and licence) under the URLs schema.org
# documents for it (the home page serves it by content negotiation, on http and https).
_SCHEMA_ORG = "contexts/schemaorg.jsonld"
_SHIPPED_CONTEXTS = {
    CONTEXT_URL: "context.jsonld",
    CONTEXT_URL.replace("https:", "http:"): "context.jsonld",
    **{
        f"{scheme}://schema.org{path}": _SCHEMA_ORG
        for scheme in ("https", "http")
        for path in (
            "",
            "/",
            "/docs/jsonldcontext.json",
            "/docs/jsonldcontext.jsonld",
            "/docs/jsonldcontext.json.txt",
        )
    },
    # The W3C ODRL context (vocab/contexts/README.md: source and licence).
    "http://www.w3.org/ns/odrl.jsonld": "contexts/odrl.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "contexts/odrl.jsonld",
    # DCAT-US 1.1 (Project Open Data): every US federal data.json names it.
    "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld": "contexts/dcat-us-1.1.jsonld",
    "http://project-open-data.cio.gov/v1.1/schema/catalog.jsonld": "contexts/dcat-us-1.1.jsonld",
}
_POSITION = re.compile(r"line (\d+) (?:between )?columns? (\d+)")
_TRAILER = re.compile(r"\s*\((?:[^()]*, )?line \d+\)\s*$")
_PREAMBLE = re.compile(
    r"^Parser error (?:between line \d+ column \d+ and line \d+ column \d+"
    r"|at line \d+ (?:between columns \d+ and \d+|column \d+)): "
)
_MAX_REMOTE_CONTEXTS = 32
_GZIP_MAGIC = b"\x1f\x8b"
# The most a gzipped input may decompress to (a small file can claim terabytes).
MAX_GUNZIPPED = 1 << 30
# The largest context document read, local or remote (schema.org's is about 200 KiB).
MAX_CONTEXT_BYTES = 1 << 20


def embedded_kind(path: str, input_format: str | None) -> str | None:
    """The kind of a page or an image to read RDF from ("html", "image"), else None."""
    if input_format:
        name = input_format.lower()
        return name if name in ("html", "image") else None
    suffixes = [s.lower() for s in Path(path).suffixes if s.lower() != ".gz"]
    if suffixes and suffixes[-1] in HTML_EXTENSIONS:
        return "html"
    if suffixes and suffixes[-1] in IMAGE_EXTENSIONS:
        return "image"
    return None


def input_format_of(path: str, input_format: str | None, data: bytes) -> str | None:
    """The input format to read `path` in: the one given, else for standard input the one
    its text shows (`sniffed_format`), else None (the file name tells)."""
    if input_format or path != "-":
        return input_format
    return sniffed_format(data)


def sniffed_format(data: bytes) -> str:
    """The input format standard input most likely holds, when no --input-format names
    it: JSON-LD when its text begins with ``{`` or ``[``; an HTML page or RDF/XML when it
    begins with markup that says so; else Turtle (which reads N-Triples too)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "json-ld"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"<?xml", b"<rdf:rdf", b"<!--")):  # markup, not a Turtle IRI
        if b"<html" in head:
            return "html"  # XHTML
        if b"http://www.w3.org/1999/02/22-rdf-syntax-ns#" in head:
            return "xml"
    return "turtle"


def guess_format(path: str, input_format: str | None) -> ox.RdfFormat:
    if input_format:
        try:
            return FORMATS[input_format.lower()]
        except KeyError:
            raise InputError(
                path,
                f"unknown input format {input_format!r}; "
                f"use one of {', '.join(INPUT_FORMAT_NAMES)}",
            ) from None
    if path == "-":
        return ox.RdfFormat.TURTLE
    # catalog.ttl.gz: the format is the inner extension's (.gz is not in EXTENSIONS)
    for suffix in reversed(Path(path).suffixes):
        if suffix.lower() in EXTENSIONS:
            return EXTENSIONS[suffix.lower()]
    raise InputError(
        path,
        "cannot tell the RDF format from the file name; name it with --input-format "
        f"({', '.join(INPUT_FORMAT_NAMES)})",
    )


def read_bytes(path: str) -> bytes:
    """An input's bytes; only a regular file by name, or ``-`` (ccsig._files.read_file)."""
    return read_file(path)[0]


def gunzipped(path: str, data: bytes) -> bytes:
    """`data`, decompressed if it is gzip (``catalog.ttl.gz``, or gzip piped on ``-``),
    up to `MAX_GUNZIPPED` bytes."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            inner = f.read(MAX_GUNZIPPED + 1)
    except (OSError, EOFError, zlib.error) as e:
        reason = "cut off" if isinstance(e, EOFError) else _one_line(str(e))
        raise InputError(path, f"cannot decompress gzip: {reason}") from None
    if len(inner) > MAX_GUNZIPPED:
        raise InputError(path, f"decompresses to more than {MAX_GUNZIPPED} bytes; ccsig stops")
    return inner


def read_quads(
    path: str,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    taken: set[str] | None = None,
) -> list[ox.Quad]:
    """Parse one RDF input into quads (triples land in the default graph).

    Blank nodes get labels made from the data, the same on every run
    (ccsig.ingest.blank_nodes); none of them is in `taken` (the labels of inputs read
    before, to be merged with this one), to which they are added.
    """
    data, fmt = read_input(path, input_format, allow_remote_contexts)
    return parse_quads(path, data, fmt, base_iri_for(path), taken)


def parse_quads(
    source: str, data: bytes | IO[bytes], fmt: ox.RdfFormat, base_iri: str, taken: set[str] | None
) -> list[ox.Quad]:
    """`data` parsed, its blank nodes relabelled (errors name `source`)."""
    with syntax_errors(source):
        quads = ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True)
        return relabel(quads, taken)


def load_into(
    store: ox.Store,
    path: str,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    taken: set[str] | None = None,
) -> None:
    """Load one RDF input into a pyoxigraph store, blank nodes labelled as `read_quads`
    labels them; an input without any goes straight in, with no Python objects per triple."""
    data, fmt = read_input(path, input_format, allow_remote_contexts)
    if may_hold_blank_nodes(data, fmt):
        store.extend(parse_quads(path, data, fmt, base_iri_for(path), taken))
        return
    with syntax_errors(path):
        store.load(data, format=fmt, base_iri=base_iri_for(path))


def read_input(
    path: str, input_format: str | None, allow_remote: bool
) -> tuple[bytes, ox.RdfFormat]:
    """One input's bytes, ready for pyoxigraph, and their format: gunzipped, JSON-LD
    contexts resolved, RDF/XML entities and RDF-star triple terms checked. Every reader
    of RDF files goes through here."""
    data = gunzipped(path, read_bytes(path))
    input_format = input_format_of(path, input_format, data)
    kind = embedded_kind(path, input_format)
    if kind is not None:
        return embedded_rdf(path, data, kind, allow_remote), ox.RdfFormat.N_QUADS
    fmt = guess_format(path, input_format)
    if fmt == ox.RdfFormat.JSON_LD:
        data = resolve_contexts(path, data, allow_remote)
    elif fmt == ox.RdfFormat.RDF_XML:
        check_xml_entities(path, data)
        check_xml_depth(path, data)
    elif b"<<" in data:  # only then can a Turtle-family document hold a triple term
        refuse_triple_terms(path, data, fmt)
    return data, fmt


def embedded_rdf(path: str, data: bytes, kind: str, allow_remote: bool) -> bytes:
    """The RDF of a page (its JSON-LD blocks, each read as a JSON-LD file is, and RDFa)
    or of an image (its XMP packet, and the training and data mining assertion of its C2PA
    manifest), as N-Quads; bad input is an `InputError` naming the file and the position."""
    if kind == "html":
        page = read_page(data, base_iri_for(path))
        return page_nquads(
            path, page, lambda where, block: resolve_contexts(where, block, allow_remote)
        )
    xmp = read_xmp(data)
    if isinstance(xmp, XmpProblem):
        raise InputError(path, xmp.message)
    # and the CAWG training and data mining assertion of its C2PA manifest, if any
    # (ccsig.ingest.c2pa; ccsig.lift.cawg lifts it)
    c2pa = read_training_mining(data)
    for problem in c2pa.warnings:
        warnings.warn(InputWarning(f"{path}: {problem}"), stacklevel=2)
    cawg = training_mining_ntriples(c2pa, base_iri_for(path))
    if xmp is None:
        return cawg
    where = f"{path}: XMP packet" + (f" at byte {xmp.offset}" if xmp.offset >= 0 else "")
    with syntax_errors(where):
        return xmp_ntriples(xmp, base_iri_for(path)) + cawg


# --------------------------------------------------------------------- RDF-star


def refuse_triple_terms(path: str, data: bytes, fmt: ox.RdfFormat) -> None:
    """Refuse RDF 1.2 triple terms (``<<( s p o )>>``, ``<< s p o >>``), naming the file,
    the line and the column of the first: ccsig reads RDF 1.1, and neither rdflib, the
    reference engine nor SHACL validation can hold them."""
    with syntax_errors(path):
        starred = any(
            isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple)
            for q in ox.parse(data, format=fmt, base_iri=base_iri_for(path))
        )
    if starred:
        where = _first_triple_term(data.decode("utf-8", "replace"))
        location = f"{path}:{where[0]}:{where[1]}" if where else path
        raise InputError(
            location, "an RDF-star triple term (<< ... >>); ccsig reads RDF 1.1, without them"
        )


def _first_triple_term(text: str) -> tuple[int, int] | None:
    """(line, column) of the first ``<<`` outside IRIs, strings and comments."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                return None
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif c == "<":
            if text.startswith("<<", i):
                line = text.count("\n", 0, i) + 1
                return line, i - (text.rfind("\n", 0, i) + 1) + 1
            i = text.find(">", i)
            if i < 0:
                return None
        i += 1
    return None


@contextmanager
def syntax_errors(path: str) -> Iterator[None]:
    try:
        yield
    except SyntaxError as e:
        raise InputError(*_located(path, str(e))) from None
    except (ValueError, OSError) as e:
        raise InputError(path, _one_line(str(e))) from None


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _located(path: str, message: str) -> tuple[str, str]:
    """Turn a pyoxigraph syntax error into (file:line:column, reason)."""
    m = _POSITION.search(message)
    reason = _TRAILER.sub("", message)
    reason = _PREAMBLE.sub("", reason)
    if m:
        return f"{path}:{m.group(1)}:{m.group(2)}", _one_line(reason)
    return path, _one_line(reason)


# --------------------------------------------------------------------- RDF/XML

# How many characters entity references may add to an RDF/XML document, all together.
MAX_ENTITY_EXPANSION = 1 << 24


class _Decided(Exception):
    """Raised from expat's handlers: the document's entities are known to be harmless."""


def check_xml_entities(location: str, data: bytes) -> None:
    """Refuse an XML document whose DTD could make a parser expand entities without bound.

    Internal entities that abbreviate text (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``,
    as ontology editors write them) are allowed. Refused, naming `location`: parameter and
    external entities, an entity whose value refers to another entity or holds markup
    (billion laughs needs both), and references that together would add more than
    `MAX_ENTITY_EXPANSION` characters. Read with expat's event API: without a DOCTYPE the
    check stops at the first element.
    """
    parser = xml.parsers.expat.ParserCreate()
    declared: list[str] = []
    seen = {"doctype": False, "text": 0}
    limit = len(data) + MAX_ENTITY_EXPANSION

    def refuse(message: str) -> NoReturn:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        raise InputError(f"{location}:{line}:{column}", message)

    def doctype(*args: object) -> None:
        seen["doctype"] = True

    def entity(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if is_parameter:
            refuse(f"declares the parameter entity %{name}; ccsig reads no DTD parameter entities")
        if value is None:
            refuse(
                f"declares the external entity &{name}; ({system_id}); ccsig reads no "
                "external entities"
            )
        if "&" in value or "<" in value:
            refuse(
                f"the entity &{name}; refers to other entities or holds markup; ccsig refuses "
                "nested entities (they can expand without bound)"
            )
        declared.append(name)

    def grew(n: int) -> None:
        seen["text"] += n
        if seen["text"] > limit:
            refuse(
                f"entity references expand the document by more than {MAX_ENTITY_EXPANSION} "
                "characters; ccsig refuses it"
            )

    def start(name: str, attributes: dict[str, str]) -> None:
        if not declared:
            raise _Decided
        grew(len(name) + sum(len(k) + len(v) for k, v in attributes.items()))

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.CharacterDataHandler = lambda text: grew(len(text))
    try:
        parser.Parse(data, True)
    except _Decided:
        return
    except xml.parsers.expat.ExpatError as e:
        # Entities this check could not read are not trusted; otherwise the RDF/XML
        # parser reports the error in its own words.
        if declared or seen["doctype"] or b"<!ENTITY" in data:
            raise InputError(
                f"{location}:{e.lineno}:{e.offset + 1}",
                f"not well-formed XML: {xml.parsers.expat.ErrorString(e.code)}",
            ) from None


# How deep RDF/XML elements may nest: libxml2's default bound. pyoxigraph's RDF/XML
# parser spends time proportional to the depth on every element (measured: 1.9 MB
# parses in 0.2 s 10 deep, 3.3 s 5,000 deep, 31 s as one chain 40,000 deep), so a bound
# on the depth keeps parsing linear in the input's size.
MAX_XML_DEPTH = 256


def check_xml_depth(location: str, data: bytes) -> None:
    """Refuse an XML document whose elements nest more than `MAX_XML_DEPTH` deep, naming
    `location`, the line and the column of the first element too deep. One pass of
    expat with two handlers (about a tenth of the time pyoxigraph takes to parse it);
    a document expat cannot read is left to the RDF/XML parser to report."""
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
            raise InputError(
                f"{location}:{line}:{column}",
                f"elements nest more than {MAX_XML_DEPTH} deep; ccsig reads RDF/XML nested "
                f"at most {MAX_XML_DEPTH} deep",
            )

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return


# --------------------------------------------------------------------- JSON-LD


def resolve_contexts(path: str, data: bytes, allow_remote: bool) -> bytes:
    """A JSON-LD document with its context references replaced by the contexts they
    name (ccsig's own from the package, local files from disk; remote ones only when
    `allow_remote`), ready for pyoxigraph's offline parser."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}", f"invalid JSON: {e.msg}") from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply") from None
    loader = _ContextLoader(path, allow_remote)
    try:
        resolved = loader.walk(document)
    except RecursionError:
        raise InputError(path, "JSON-LD contexts nested too deeply") from None
    if not loader.changed:
        return data
    return json.dumps(resolved).encode("utf-8")


class _ContextLoader:
    """Replace context references by the context objects they name."""

    def __init__(self, path: str, allow_remote: bool) -> None:
        self.path = path
        self.allow_remote = allow_remote
        self.changed = False
        self.fetched = 0
        self.base = None if path == "-" else Path(path).resolve().parent
        self.user = _USER_CONTEXTS.get()

    def walk(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "@context":
                out[key] = self.context(value)
            else:
                out[key] = self.walk(value)
        return out

    def context(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.context(v) for v in value]
        if isinstance(value, str):
            self.changed = True
            return self.context(self.load(value))
        if isinstance(value, dict):
            value = {k: (self.walk(v) if isinstance(v, dict) else v) for k, v in value.items()}
            imported = value.pop("@import", None)
            if isinstance(imported, str):
                self.changed = True
                base = self.context(self.load(imported))
                if isinstance(base, dict):
                    return {**base, **value}
                value["@import"] = imported
            return value
        return value

    def load(self, reference: str) -> Any:
        mapped = self.user.mapped_file(reference)
        if mapped is not None:  # the user gave its body as a local file
            return _read_context_file(mapped, reference, self.path)
        if reference in _SHIPPED_CONTEXTS:
            return _shipped_context(_SHIPPED_CONTEXTS[reference])
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", reference):
            return self.local(reference)

        if reference.startswith("file:"):
            return self.file_url(reference)
        if not self.allow_remote:
            raise InputError(
                self.path,
                f"refers to the remote JSON-LD context {_shown(reference)}; ccsig fetches nothing "
                "unless asked (--allow-remote-contexts), or give a local copy "
                "(--context URL=FILE)",
            )
        self.fetched += 1
        if self.fetched > _MAX_REMOTE_CONTEXTS:
            raise InputError(self.path, "more than 32 remote JSON-LD contexts; giving up")
        import urllib.request  # only now: with http.client and email, ~45 ms

        request = urllib.request.Request(
            reference, headers={"Accept": "application/ld+json, application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read(MAX_CONTEXT_BYTES + 1)
        except (OSError, ValueError) as e:
            raise InputError(
                self.path, f"cannot load JSON-LD context {_shown(reference)}: {_one_line(str(e))}"
            ) from None
        return _context_of(body, reference, self.path)

    def local(self, reference: str) -> Any:
        """A context file named by a relative reference: a regular file of at most
        `MAX_CONTEXT_BYTES` in the input's folder (or below it), or in a file or folder
        the user named (`context_files`); nothing else."""
        if "\0" in reference:
            raise InputError(
                self.path, f"JSON-LD context {_shown(reference)} is not a file name (a NUL byte)"
            )
        base = self.base
        if base is None:
            if not self.user.allowed:
                raise InputError(
                    self.path, f"relative JSON-LD context {_shown(reference)} on standard input"
                )
            base = Path.cwd()  # standard input: only into the paths the user named
        from urllib.request import url2pathname  # imported here, as in `load`

        target = (base / url2pathname(reference)).resolve()
        inside = self.base is not None and target.is_relative_to(self.base)
        if not inside and not self.user.permits(target):
            raise InputError(
                self.path,
                f"refers to the JSON-LD context {_shown(reference)}, outside the input's folder; "
                "ccsig reads local contexts only from the input's folder" + self.user.also(),
            )
        return _read_context_file(target, reference, self.path)

    def file_url(self, reference: str) -> Any:
        """A context named by a file: URL: only a file the user named (`context_files`)."""
        from urllib.request import url2pathname  # imported here, as in `load`

        target = None
        if "\0" not in reference:
            parts = urllib.parse.urlsplit(reference)
            if parts.netloc in ("", "localhost"):
                target = Path(url2pathname(parts.path)).resolve()
        if target is None or not self.user.permits(target):
            raise InputError(
                self.path,
                f"refers to the JSON-LD context {_shown(reference)}; ccsig reads local "
                "contexts only by relative references to files in the input's folder"
                + self.user.also(),
            )
        return _read_context_file(target, reference, self.path)


def _read_context_file(target: Path, reference: str, path: str) -> Any:
    """The @context of the context file `target` (named `reference` in the input `path`):
    a regular file of at most `MAX_CONTEXT_BYTES`."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(path, f"JSON-LD context {_shown(reference)} is not a regular file")
            os.set_blocking(fd, True)
            body = f.read(MAX_CONTEXT_BYTES + 1)
    except OSError as e:
        raise InputError(
            path, f"cannot read JSON-LD context {_shown(reference)}: {e.strerror}"
        ) from None
    return _context_of(body, reference, path)


# ----------------------------------------------------------- user-named contexts


@dataclass(frozen=True)
class ContextFiles:
    """Local JSON-LD contexts the user allows beyond the input's own folder.

    `allowed`: files and folders (resolved) that context references may name, by a
    relative reference, an absolute path or a file: URL. `mapped`: context URLs whose
    body is read from a local file instead of the network (no --allow-remote-contexts
    needed). The files are read with the checks of every local context: regular files
    of at most `MAX_CONTEXT_BYTES`.
    """

    allowed: tuple[Path, ...] = ()
    mapped: tuple[tuple[str, Path], ...] = ()

    def permits(self, target: Path) -> bool:
        return any(target == p or target.is_relative_to(p) for p in self.allowed)

    def mapped_file(self, reference: str) -> Path | None:
        for url, file in self.mapped:
            if url == reference:
                return file
        return None

    def also(self) -> str:
        """The end of a refusal: how to allow more."""
        if self.allowed:
            return " and the files and folders named with --context"
        return " (name more files or folders with --context PATH)"


_URL_MAPPING = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:.*)=(.+)$", re.S)


def context_files(specs: Iterable[str | os.PathLike[str]]) -> ContextFiles:
    """`ContextFiles` from the user's ``--context`` values: ``PATH`` (a file or folder
    that context references may name) or ``URL=PATH`` (the context at URL is the file
    PATH). Each PATH must exist; an error names the value."""
    allowed: list[Path] = []
    mapped: list[tuple[str, Path]] = []
    for spec in specs:
        text = os.fspath(spec)
        found = _URL_MAPPING.match(text)
        url, file = (found.group(1), found.group(2)) if found else (None, text)
        if "\0" in file:
            raise InputError(_shown(text), "--context: not a file name (a NUL byte)")
        path = Path(file).expanduser()
        if not path.exists():
            raise InputError(_shown(text), "--context: no such file or folder")
        if url is not None:
            if path.is_dir():
                raise InputError(_shown(text), "--context URL=PATH: PATH is a folder, not a file")
            mapped.append((url, path.resolve()))
        else:
            allowed.append(path.resolve())
    return ContextFiles(tuple(allowed), tuple(mapped))


_NO_USER_CONTEXTS = ContextFiles()  # frozen: one shared default is safe
_USER_CONTEXTS: ContextVar[ContextFiles] = ContextVar(
    "ccsig_user_contexts", default=_NO_USER_CONTEXTS
)


@contextmanager
def user_contexts(files: ContextFiles) -> Iterator[None]:
    """Within this block, JSON-LD inputs may also name the contexts of `files`. (A
    context variable rather than one more argument through every reader: the readers
    are reached from validate, check, infer, query and annotate alike.)"""
    token = _USER_CONTEXTS.set(files)
    try:
        yield
    finally:
        _USER_CONTEXTS.reset(token)


@cache
def _shipped_context_text(name: str) -> str:
    return read_text("vocab", name)


def _shipped_context(name: str) -> Any:
    """A shipped context's @context, parsed anew: the walk may change what it returns."""
    return json.loads(_shipped_context_text(name))["@context"]


def _context_of(body: bytes, reference: str, path: str) -> Any:
    """The @context of a context document read (remote or local), at most
    `MAX_CONTEXT_BYTES` of it (the reader reads one byte more, to tell)."""
    if len(body) > MAX_CONTEXT_BYTES:
        raise InputError(path, f"JSON-LD context {_shown(reference)} is larger than 1 MiB")
    try:
        document = json.loads(body)
    except ValueError as e:
        raise InputError(path, f"JSON-LD context {_shown(reference)} is not JSON: {e}") from None
    if isinstance(document, dict) and "@context" in document:
        return document["@context"]
    raise InputError(path, f"{_shown(reference)} has no @context")


def _shown(reference: str) -> str:
    """A reference as messages name it: control characters escaped, at most 200 characters."""
    if reference.isprintable() and len(reference) <= 200:
        return reference
    return json.dumps(reference[:200])[1:-1] + ("..." if len(reference) > 200 else "")
