"""Give an input's blank nodes readable labels that are the same on every run.

Takes: one input's quads as parsed (pyoxigraph labels blank nodes at random, so a
Croissant dataset, which has no IRI, would be ``_:cc88470a…`` in one run and something
else in the next) and the labels already used by inputs read before it.
Gives: the same quads with every blank node relabelled from the data: the node's name
(``schema:name``, ``dct:title``, ``rdfs:label``, ``skos:prefLabel``, ``foaf:name``; the
first of these it has) made into a label (``_:squad_v2``), else ``b`` and twelve hex
digits of a hash of the node's own quads and its blank neighbours' (``_:b3f09c2a41d7``,
in the manner of RDFC-1.0's first-degree hash, one refinement round). Nodes whose labels
would coincide (two datasets of the same name, two identical nodes) are told apart by
``-2``, ``-3``… in the order of their hashes, then of their first appearance in the
input, so the result depends on nothing but the bytes read. Cost: one pass over the
quads, and hashing only the quads that hold a blank node.

Every reader relabels here (ccsig.ingest.readers), so validate, check, infer and query,
both engines and every output format print the same label for the same node.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import pyoxigraph as ox

from ccsig.model.namespaces import DCT, PREFIXES, RDFS

__all__ = ["NAME_PREDICATES", "may_hold_blank_nodes", "relabel"]

# The properties a blank node's label is read from, most preferred first. A display
# choice (what people call a dataset), not a statement about the data.
NAME_PREDICATES: tuple[ox.NamedNode, ...] = tuple(
    ox.NamedNode(iri)
    for iri in (
        "https://schema.org/name",
        "http://schema.org/name",
        DCT + "title",
        RDFS + "label",
        PREFIXES["skos"] + "prefLabel",
        "http://xmlns.com/foaf/0.1/name",
    )
)
_RANK = {p: i for i, p in enumerate(NAME_PREDICATES)}
_MAX_NAME = 48
_HASH_DIGITS = 12
_NOT_LABEL = re.compile(r"[^A-Za-z0-9_]+")
# Turtle-family text can hold a blank node only where one of these is written: a
# labelled node, an anonymous one ([ ... ]) or a collection (( ... )).
_BLANK_SYNTAX = (b"_:", b"[", b"(")
_TURTLE_FAMILY = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.TRIG,
)


def may_hold_blank_nodes(data: bytes, fmt: ox.RdfFormat) -> bool:
    """False only when `data` certainly holds no blank node (Turtle-family text with
    none of their syntax), so that readers can skip relabelling at no cost."""
    if fmt not in _TURTLE_FAMILY:
        return True
    return any(marker in data for marker in _BLANK_SYNTAX)


def relabel(quads: Iterable[ox.Quad], taken: set[str] | None = None) -> list[ox.Quad]:
    """`quads` with every blank node relabelled as the module says. `taken` holds the
    labels of inputs read before (to be merged with this one); the labels given here are
    added to it, and none of them is reused."""
    quads = list(quads)
    first: dict[ox.BlankNode, int] = {}
    touching: dict[ox.BlankNode, list[ox.Quad]] = {}
    for q in quads:
        for t in (q.subject, q.object, q.graph_name):
            if isinstance(t, ox.BlankNode):
                if t not in first:
                    first[t] = len(first)
                    touching[t] = []
                touching[t].append(q)
    if not first:
        return quads
    degree0 = {b: _first_degree(b, qs) for b, qs in touching.items()}
    degree1 = {b: _refined(b, qs, degree0) for b, qs in touching.items()}
    base = {b: _name(qs, b) or "b" + degree1[b][:_HASH_DIGITS] for b, qs in touching.items()}
    used = taken if taken is not None else set()
    label: dict[ox.BlankNode, ox.BlankNode] = {}
    for b in sorted(first, key=lambda b: (base[b], degree1[b], first[b])):
        candidate, n = base[b], 1
        while candidate in used:
            n += 1
            candidate = f"{base[b]}-{n}"
        used.add(candidate)
        label[b] = ox.BlankNode(candidate)

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
        return label[t] if isinstance(t, ox.BlankNode) else t

    out = []
    for q in quads:
        s, o, g = q.subject, q.object, q.graph_name
        if (
            isinstance(s, ox.BlankNode)
            or isinstance(o, ox.BlankNode)
            or isinstance(g, ox.BlankNode)
        ):
            q = ox.Quad(term(s), q.predicate, term(o), term(g))  # type: ignore[arg-type]
        out.append(q)
    return out


def _line(q: ox.Quad, me: ox.BlankNode) -> str:
    """One quad in N-Quads, `me` written ``_:a`` and every other blank node ``_:z``."""

    def show(t: object) -> str:
        if isinstance(t, ox.BlankNode):
            return "_:a" if t == me else "_:z"
        return "" if isinstance(t, ox.DefaultGraph) else str(t)

    return f"{show(q.subject)} {q.predicate} {show(q.object)} {show(q.graph_name)}"


def _first_degree(b: ox.BlankNode, quads: list[ox.Quad]) -> str:
    return _digest(sorted(_line(q, b) for q in quads))


def _refined(b: ox.BlankNode, quads: list[ox.Quad], degree0: dict[ox.BlankNode, str]) -> str:
    """The first-degree hash with those of the blank nodes `b` is linked to (and how)."""
    links = [degree0[b]]
    for q in quads:
        if isinstance(q.object, ox.BlankNode) and q.subject == b and q.object != b:
            links.append(f"> {q.predicate} {degree0[q.object]}")
        if isinstance(q.subject, ox.BlankNode) and q.object == b and q.subject != b:
            links.append(f"< {q.predicate} {degree0[q.subject]}")
    return _digest(sorted(links[1:]), links[0])


def _digest(lines: list[str], head: str = "") -> str:
    h = hashlib.sha256(head.encode("utf-8"))
    for line in lines:
        h.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


def _name(quads: list[ox.Quad], b: ox.BlankNode) -> str | None:
    """A label made from `b`'s name, if it has one (the smallest value of the most
    preferred name property, so several languages give one answer)."""
    names = [
        (_RANK[q.predicate], q.object.value)
        for q in quads
        if q.subject == b and q.predicate in _RANK and isinstance(q.object, ox.Literal)
    ]
    if not names:
        return None
    ascii_name = unicodedata.normalize("NFKD", min(names)[1]).encode("ascii", "ignore").decode()
    slug = _NOT_LABEL.sub("-", ascii_name).strip("-")[:_MAX_NAME].rstrip("-")
    return slug or None
