"""RDF term helpers: move terms between pyoxigraph (the fast path) and rdflib (pySHACL,
owlrl), and serialise triples as Turtle or JSON-LD.

Plain literals and ``xsd:string`` literals are the same term in RDF 1.1; rdflib
keeps them apart, so strings become plain rdflib literals and back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import pyoxigraph as ox

from ccsig.errors import CcsigError
from ccsig.model.namespaces import PREFIXES
from ccsig.resources import read_text

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "XSD_STRING",
    "AtomicTerm",
    "Node",
    "Subject",
    "Term",
    "from_rdflib",
    "node_label",
    "ox_term",
    "rdflib_term",
    "serialise",
    "to_rdflib",
]

# pyoxigraph names its term classes but no union of them; these are the unions ccsig's
# annotations use, spelled as pyoxigraph's own signatures spell them.

#: Any RDF term pyoxigraph holds: a triple's object, a query solution's value.
Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: A term that is not an RDF-star triple term: what rdflib and ccsig's query rows carry.
AtomicTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
#: A named or blank node: an asset, a statement's subject, a reuser, a policy.
Node: TypeAlias = ox.NamedNode | ox.BlankNode
#: What may stand as a triple's subject.
Subject: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _IllTypedLiterals(logging.Filter):
    """Drop rdflib's warning (with a traceback) for a literal whose lexical form its
    datatype does not allow (``"all=n"^^xsd:integer``). Such literals are data like any
    other here: validation reports them as ordinary violations, in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())


def to_rdflib(
    triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None
) -> rdflib.Graph:
    """Copy pyoxigraph triples (or quads, graph names dropped) into an rdflib graph."""
    import rdflib

    graph = graph if graph is not None else rdflib.Graph()
    memo: dict[Term, rdflib.term.Node] = {}

    def term(t: Term) -> rdflib.term.Node:
        node = memo.get(t)
        if node is None:
            node = memo[t] = rdflib_term(t)
        return node

    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def rdflib_term(t: Term) -> rdflib.term.Identifier:
    import rdflib

    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype.value == XSD_STRING:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
    raise CcsigError(f"RDF-star triple terms are not supported: {t}")


def ox_term(node: rdflib.term.Node) -> AtomicTerm:
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is None:
            return ox.Literal(str(node))
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    raise TypeError(f"unsupported rdflib term {node!r}")


def from_rdflib(graph: Iterable[tuple[rdflib.term.Node, ...]]) -> Iterator[ox.Triple]:
    """rdflib triples as pyoxigraph triples; triples RDF cannot hold (a literal
    subject, which owlrl sometimes derives) are skipped."""
    import rdflib

    memo: dict[rdflib.term.Node, AtomicTerm] = {}
    for s, p, o in graph:
        if isinstance(s, rdflib.Literal) or not isinstance(p, rdflib.URIRef):
            continue
        terms: list[Any] = []  # a valid (subject, predicate, object): checked just above
        for n in (s, p, o):
            t = memo.get(n)
            if t is None:
                t = memo[n] = ox_term(n)
            terms.append(t)
        yield ox.Triple(*terms)


def serialise(triples: list[ox.Triple], fmt: str) -> bytes:
    """Turtle or JSON-LD (compacted with ccsig's context) for a list of triples."""
    if fmt == "turtle":
        used = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
        prefixes = {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
        # without an output, ox.serialize returns the bytes (its stub says bytes | None)
        return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    if fmt == "json-ld":
        # pyld turns the triples into JSON-LD and compacts them with ccsig's context.
        # (rdflib's compaction drops blank nodes referenced through "@type": "@id" terms.)
        from pyld import jsonld

        context = json.loads(read_text("vocab", "context.jsonld"))["@context"]
        nquads = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_QUADS)).decode("utf-8")
        expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
        compacted = jsonld.compact(expanded, context, options={"documentLoader": _no_fetching})
        return (json.dumps(compacted, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise ValueError(f"unknown RDF format {fmt!r}")


def _no_fetching(url: str, options: dict[str, Any] | None = None) -> Any:
    raise CcsigError(f"refusing to fetch {url} while writing JSON-LD")


def node_label(term: AtomicTerm | None) -> str:
    """The one way ccsig names a term in text: ``_:label`` for a blank node, the IRI or
    lexical value otherwise, "" for none."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
