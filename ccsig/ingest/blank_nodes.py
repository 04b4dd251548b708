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

import gc
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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
    added to it, and none of them is reused.

    What it costs is reading each quad's terms (once) and making the quads that hold a
    blank node anew; the hashes are computed only where a label needs them: for a node
    without a name, or one whose label would coincide with another's (whose order the
    hashes decide). A catalog of named blank-node datasets hashes almost nothing."""
    with _collector_paused():
        return _relabel(quads, taken)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: relabelling makes a few objects per quad
    (terms, rows, lists) and none of them cycles, but every 700 allocations the collector
    walked the young ones and, ever more often, all of them: 45% of relabelling a
    10,000-dataset catalog of blank nodes (8.3 s, 4.8 s without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _relabel(quads: Iterable[ox.Quad], taken: set[str] | None) -> list[ox.Quad]:
    quads = list(quads)
    blank = ox.BlankNode
    first: dict[ox.BlankNode, int] = {}
    touching: dict[ox.BlankNode, list[Row]] = {}
    names: dict[ox.BlankNode, list[tuple[int, str]]] = {}
    rows: list[tuple[int, Row]] = []  # (position, terms) of the quads holding a blank node

    def note(b: ox.BlankNode, row: Row) -> None:
        if b in touching:
            touching[b].append(row)
        else:
            first[b] = len(first)
            touching[b] = [row]

    for i, q in enumerate(quads):
        s, o, g = q.subject, q.object, q.graph_name
        sb, ob, gb = type(s) is blank, type(o) is blank, type(g) is blank
        if not (sb or ob or gb):
            continue
        p = q.predicate
        row = (s, p, o, g)
        rows.append((i, row))
        if sb:
            note(s, row)  # type: ignore[arg-type]
            if p in _RANK and type(o) is ox.Literal:
                names.setdefault(s, []).append((_RANK[p], o.value))  # type: ignore[arg-type]
        if ob:
            note(o, row)  # type: ignore[arg-type]
        if gb:
            note(g, row)  # type: ignore[arg-type]
    if not first:
        return quads
    degree0 = _Degree0(touching)
    degree1: dict[ox.BlankNode, str] = {}

    def refined(b: ox.BlankNode) -> str:
        if b not in degree1:
            degree1[b] = _refined(b, touching[b], degree0)
        return degree1[b]

    base: dict[ox.BlankNode, str] = {}
    for b in first:
        named = _slug(names[b]) if b in names else None
        base[b] = named or "b" + refined(b)[:_HASH_DIGITS]
    alike: dict[str, int] = {}
    for label in base.values():
        alike[label] = alike.get(label, 0) + 1
    for b, label in base.items():
        if alike[label] > 1:
            refined(b)  # the hashes order nodes whose labels coincide
    used = taken if taken is not None else set()
    labels: dict[ox.BlankNode, ox.BlankNode] = {}
    # the last suffix given to each base: nodes alike in structure (the links of long
    # blank-node chains) share a base by the thousand, and searching for a free suffix
    # from -2 each time would cost the square of their number
    last: dict[str, int] = {}
    for b in sorted(first, key=lambda b: (base[b], degree1.get(b, ""), first[b])):
        n = last.get(base[b], 1)
        candidate = base[b] if n == 1 else f"{base[b]}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{base[b]}-{n}"
        last[base[b]] = n
        used.add(candidate)
        labels[b] = ox.BlankNode(candidate)
    for i, (rs, rp, ro, rg) in rows:
        quads[i] = ox.Quad(
            labels.get(rs, rs),  # type: ignore[arg-type]
            rp,
            labels.get(ro, ro),  # type: ignore[arg-type]
            labels.get(rg, rg),  # type: ignore[arg-type]
        )
    return quads


# a quad's terms, read once: subject, predicate, object, graph name
Row = tuple[
    ox.NamedNode | ox.BlankNode | ox.Triple,
    ox.NamedNode,
    ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ox.NamedNode | ox.BlankNode | ox.DefaultGraph,
]


class _Degree0(dict[ox.BlankNode, str]):
    """First-degree hashes, computed when first asked for."""

    def __init__(self, touching: dict[ox.BlankNode, list[Row]]) -> None:
        super().__init__()
        self.touching = touching

    def __missing__(self, b: ox.BlankNode) -> str:
        value = self[b] = _first_degree(b, self.touching[b])
        return value


def _line(q: Row, me: ox.BlankNode) -> str:
    """One quad in N-Quads, `me` written ``_:a`` and every other blank node ``_:z``."""

    def show(t: object) -> str:
        if isinstance(t, ox.BlankNode):
            return "_:a" if t == me else "_:z"
        return "" if isinstance(t, ox.DefaultGraph) else str(t)

    return f"{show(q[0])} {q[1]} {show(q[2])} {show(q[3])}"


def _first_degree(b: ox.BlankNode, quads: list[Row]) -> str:
    return _digest(sorted(_line(q, b) for q in quads))


def _refined(b: ox.BlankNode, quads: list[Row], degree0: dict[ox.BlankNode, str]) -> str:
    """The first-degree hash with those of the blank nodes `b` is linked to (and how)."""
    links = [degree0[b]]
    for s, p, o, _ in quads:
        if isinstance(o, ox.BlankNode) and s == b and o != b:
            links.append(f"> {p} {degree0[o]}")
        if isinstance(s, ox.BlankNode) and o == b and s != b:
            links.append(f"< {p} {degree0[s]}")
    return _digest(sorted(links[1:]), links[0])


def _digest(lines: list[str], head: str = "") -> str:
    h = hashlib.sha256(head.encode("utf-8"))
    for line in lines:
        h.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


def _slug(names: list[tuple[int, str]]) -> str | None:
    """A label made from a node's name (the smallest value of the most preferred name
    property, so several languages give one answer), or None if nothing of it is left."""
    ascii_name = unicodedata.normalize("NFKD", min(names)[1]).encode("ascii", "ignore").decode()
    slug = _NOT_LABEL.sub("-", ascii_name).strip("-")[:_MAX_NAME].rstrip("-")
    return slug or None
