"""Read the XMP packet of an image: its RDF, and the IPTC PLUS Data Mining value in it.

Takes: the bytes of a JPEG, PNG, TIFF or WebP file (a file, or a WARC response body)
and where they came from.
Gives: the packet's RDF (`xmp_ntriples`: the packet is RDF/XML, every description in it
about the file itself, as XMP means ``rdf:about=""``), the ``plus:DataMining`` values in it
(`data_mining_values`), and `plus_statement`, the `WebStatement` they amount to through
vocab/plus.ttl.

Pillow finds the packet (JPEG APP1, PNG iTXt ``XML:com.adobe.xmp``, TIFF tag 700, WebP
``XMP `` chunk) without decoding any pixels; a PNG's iTXt chunk after the image data is
not seen, nor a WebP chunk past what a WARC record kept. The packet is parsed by
defusedxml: a DTD, and so any entity, internal or external, is refused before anything
is expanded or fetched (billion laughs, XXE). Nothing here raises on a damaged image or
packet: `read_xmp` gives an `XmpProblem` naming the byte offset and the line and column
where the XML parser stopped.
"""

from __future__ import annotations

import io
import struct
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pyoxigraph as ox

from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement, mapped

PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"
PLUS_VOCAB = "http://ns.useplus.org/ldf/vocab/"
DATA_MINING = PLUS + "DataMining"
DATA_MINING_ATTRIBUTE = f"{{{PLUS}}}DataMining"  # as ElementTree names it
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SYSTEM = "plus"
VIA_XMP = "xmp"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff", "image/webp")
_MAX_PACKET = 4 << 20  # bytes of XMP read; real packets are a few KiB


@dataclass(frozen=True)
class XmpProblem:
    message: str  # one line: where in the file and what is wrong


@dataclass(frozen=True)
class Xmp:
    packet: bytes
    offset: int  # of the packet in the file, -1 where it is not stored as written
    rdf: ET.Element | None  # the rdf:RDF element


def read_xmp(data: bytes) -> Xmp | XmpProblem | None:
    """The image's XMP packet, parsed; None when it has none."""
    # only for images: Pillow and defusedxml take ~25 ms to import
    import defusedxml
    import defusedxml.ElementTree
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: no pixels are decoded
            with Image.open(io.BytesIO(data)) as image:
                packet = image.info.get("xmp")
    except Image.DecompressionBombError:
        return XmpProblem("the image claims too many pixels to be opened; XMP not read")
    # Pillow's plugins raise more than its documented errors on truncated headers
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            struct.error, IndexError, KeyError, TypeError) as e:  # fmt: skip
        return XmpProblem(f"not a JPEG, PNG, TIFF or WebP image Pillow can open ({_one_line(e)})")
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if not isinstance(packet, bytes) or not packet.strip(b"\0 \t\r\n"):
        return None
    offset = data.find(packet)
    where = f"XMP packet at byte {offset}" if offset >= 0 else "XMP packet"
    if len(packet) > _MAX_PACKET:
        return XmpProblem(f"{where}: larger than {_MAX_PACKET} bytes; not read")
    try:
        root = defusedxml.ElementTree.fromstring(
            packet.rstrip(b"\0"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except ET.ParseError as e:
        line, column = e.position
        return XmpProblem(f"{where}, line {line} column {column + 1}: not well-formed XML")
    except defusedxml.DefusedXmlException:
        return XmpProblem(
            f"{where}: declares a DTD or entities; ccsig reads no DTD (entities are "
            "never expanded or fetched)"
        )
    rdf = root if root.tag == f"{{{RDF}}}RDF" else root.find(f".//{{{RDF}}}RDF")
    return Xmp(packet, offset, rdf)


def data_mining_values(xmp: Xmp) -> list[str]:
    """Every plus:DataMining value of the packet's descriptions, as written: an attribute,
    an element's rdf:resource, or its text."""
    if xmp.rdf is None:
        return []
    values: list[str] = []
    for description in xmp.rdf.iter(f"{{{RDF}}}Description"):
        attribute = description.get(DATA_MINING_ATTRIBUTE)
        if attribute is not None:
            values.append(attribute.strip())
        for element in description.findall(DATA_MINING_ATTRIBUTE):
            value = element.get(f"{{{RDF}}}resource") or element.text or ""
            if value.strip():
                values.append(value.strip())
    return values


def plus_statement(
    values: list[str],
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
    media_type: str | None = None,
) -> tuple[WebStatement, list[str]]:
    """What plus:DataMining `values` state, through vocab/plus.ttl, and warnings for
    values PLUS does not define. A value (``DMI-PROHIBITED``, or its IRI under
    http://ns.useplus.org/ldf/vocab/) means every term of the system whose notation is
    the value, or the value followed by a space and a category label."""
    ontology = load_ontology()
    pairs: list[tuple[str, str | None]] = []
    problems: list[str] = []
    for value in values:
        name = value.removeprefix(PLUS_VOCAB)
        terms = [
            term
            for (system, term) in ontology.mapped_terms
            if system == SYSTEM and (term == name or term.startswith(name + " "))
        ]
        if not terms:
            problems.append(f"plus:DataMining {value!r} is not a PLUS Data Mining value; ignored")
        pairs.extend((term, None) for term in terms)
    statement = mapped(
        SYSTEM,
        pairs,
        ", ".join(values),
        VIA_XMP,
        vocabulary,
        location=location,
        media_type=media_type,
    )
    return statement, problems


def xmp_ntriples(xmp: Xmp, base: str) -> bytes:
    """The packet's RDF as N-Triples, read with the file's IRI as base (so
    ``rdf:about=""`` is the file). Raises ValueError / SyntaxError from the RDF/XML parser."""
    if xmp.rdf is None:
        return b""
    rdf_xml = ET.tostring(xmp.rdf, encoding="utf-8")
    triples = [q.triple for q in ox.parse(rdf_xml, format=ox.RdfFormat.RDF_XML, base_iri=base)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
