"""Validate each distinct set of contentUsage values once, and give its results to every
asset that carries it.

Takes: one pass over an input's quads, the vocabulary name and the shipped shapes the
fast engine evaluates.
Gives: their results for the whole input, or None when the input holds a triple that
could change what those shapes see of an asset (then the store path must run).

What the shipped shapes see of an asset is its ccsig:contentUsage values, the statements
lifted from them (which depend only on the asset and the value), the preference nodes
those statements share (which depend only on the value) and the vocabulary. Their
targets are the subjects of contentUsage, the lifted statements and their preferences.
So where the data holds no other triple a shape can match, two assets of the same kind
(IRI or blank node) with the same set of values get the same results, up to the asset's
and its statements' names. Which triples a shape can match is read off the shapes: every
IRI they name (paths, targets, classes, the terms of their SPARQL), rdfs:subClassOf, and
the links the ODRL lifting reads; rdf:type matters only with a class the shapes or the
vocabulary name. A catalog of a million datasets repeating thirty expressions is then
one parse plus a few hundred representative assets validated in a small store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import overload

import pyoxigraph as ox

from ccsig.lift.literals import lift, statement_iri
from ccsig.lift.odrl import lifting_query
from ccsig.model.namespaces import CONTENT_USAGE, RDF_TYPE
from ccsig.model.terms import Term
from ccsig.model.vocabulary import vocabulary_store
from ccsig.validation.fast import Engine, Raw
from ccsig.validation.shapes import Shape, ShapesGraph

REPRESENTATIVE = "urn:ccsig:validate:asset:"
BLANK_REPRESENTATIVE = "ccsigrepresentative"
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)

Asset = ox.NamedNode | ox.BlankNode


def _watched(graph: ShapesGraph) -> tuple[frozenset[ox.NamedNode], frozenset[Term]]:
    """(predicates whose triples a shape may match, classes whose instances it may see)."""
    known = _WATCHED.get(id(graph))
    if known is not None and known[0] is graph:
        return known[1]
    named: set[ox.NamedNode] = {SUBCLASS_OF, RDF_TYPE}
    for s in graph.shapes:
        for shape in s.reachable():
            if shape.path is not None:
                named.add(shape.path)
            named.update(t for _, t in shape.targets if isinstance(t, ox.NamedNode))
            named.update(shape.classes)
            named.update(t for t in shape.in_ or () if isinstance(t, ox.NamedNode))
            for c in shape.sparql:
                named.update(_named_in(c.query))
    named.update(_named_in(lifting_query()))
    # a class the shapes name, or any class below it in the vocabulary
    classes: set[Term] = set(named)
    rows = vocabulary_store().query(
        f"SELECT ?sub ?super WHERE {{ ?sub <{SUBCLASS_OF.value}>+ ?super }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        if row["super"] in named:
            classes.add(row["sub"])
    watched = (frozenset(named), frozenset(classes))
    _WATCHED[id(graph)] = (graph, watched)
    return watched


_WATCHED: dict[int, tuple[ShapesGraph, tuple[frozenset[ox.NamedNode], frozenset[Term]]]] = {}


def _named_in(query: str) -> set[ox.NamedNode]:
    out = {ox.NamedNode(iri) for iri in _IRI.findall(query) if iri}
    for prefix, ns in _PREFIX.findall(query):
        for local in re.findall(rf"(?<![\w:]){re.escape(prefix)}:([\w-]+(?:\.[\w-]+)*)", query):
            out.add(ox.NamedNode(ns + local))
    if re.search(r"\sa\s", query):
        out.add(RDF_TYPE)
    return out


def collect(
    quads: Iterable[ox.Quad | ox.Triple], graph: ShapesGraph
) -> dict[Asset, dict[Term, None]] | None:
    """Each asset's contentUsage values, in one pass; None if a triple is watched, or
    an asset is a term the shapes or the vocabulary name (a representative would not
    share what the vocabulary says about it)."""
    watched, classes = _watched(graph)
    values = _values(quads, watched, classes)
    if values is None or any(a in classes or a in _vocabulary_terms() for a in values):
        return None
    return values


@cache
def _vocabulary_terms() -> frozenset[Term]:
    return frozenset(t for q in vocabulary_store() for t in (q.subject, q.object))


def _values(
    quads: Iterable[ox.Quad | ox.Triple],
    watched: frozenset[ox.NamedNode],
    classes: frozenset[Term],
) -> dict[Asset, dict[Term, None]] | None:
    values: dict[Asset, dict[Term, None]] = {}
    for q in quads:
        p = q.predicate
        if p == CONTENT_USAGE:
            s = q.subject
            if not isinstance(s, ox.NamedNode | ox.BlankNode):
                return None
            vs = values.get(s)
            if vs is None:
                vs = values[s] = {}
            vs[q.object] = None
        elif p in watched:
            if p != RDF_TYPE or q.object in classes:
                return None
    return values


def results(
    values: dict[Asset, dict[Term, None]],
    vocabulary: str,
    shapes: Sequence[Shape],
) -> list[Raw] | None:
    """The shapes' results for every asset, from one representative per signature."""
    groups: dict[tuple[bool, frozenset[Term]], list[Asset]] = {}
    for asset, vs in values.items():
        key = (isinstance(asset, ox.BlankNode), frozenset(vs))
        groups.setdefault(key, []).append(asset)
    store = ox.Store()
    representatives: dict[Term, list[Asset]] = {}
    rep_values: list[tuple[Asset, Term]] = []
    for i, ((blank, signature), assets) in enumerate(groups.items()):
        rep: Asset = (
            ox.BlankNode(f"{BLANK_REPRESENTATIVE}{i}")
            if blank
            else ox.NamedNode(f"{REPRESENTATIVE}{i}")
        )
        representatives[rep] = assets
        rep_values.extend((rep, v) for v in sorted(signature, key=str))
    data = [ox.Quad(rep, CONTENT_USAGE, v) for rep, v in rep_values]
    store.extend(data)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in lift(data, vocabulary))
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in vocabulary_store())
    engine = Engine(store)
    raw = [r for s in shapes for r in engine.validate(s)]
    # statements lifted for representatives, to be renamed for each real asset
    statements: dict[Term, tuple[Asset, ox.Literal]] = {}
    for rep, v in rep_values:
        if isinstance(v, ox.Literal):
            statements[statement_iri(rep, v, vocabulary)] = (rep, v)
    out: list[Raw] = []
    for r in raw:
        if _names_a_representative(r.message, statements):
            return None  # the message would have to change from asset to asset
        out.extend(_renamed(r, representatives, statements, vocabulary))
    return out


_UUID = re.compile(r"urn:uuid:[0-9a-f-]{36}")


def _names_a_representative(message: str, statements: Mapping[Term, object]) -> bool:
    if REPRESENTATIVE in message or BLANK_REPRESENTATIVE in message:
        return True
    return any(ox.NamedNode(u) in statements for u in _UUID.findall(message))


def _renamed(
    r: Raw,
    representatives: dict[Term, list[Asset]],
    statements: dict[Term, tuple[Asset, ox.Literal]],
    vocabulary: str,
) -> Iterable[Raw]:
    rep = None
    for term in (r.focus, r.value):
        if term in representatives:
            rep = term
        elif term in statements:
            rep = statements[term][0]
    if rep is None:
        return [r]

    @overload
    def rename(term: Term, asset: Asset) -> Term: ...
    @overload
    def rename(term: None, asset: Asset) -> None: ...
    def rename(term: Term | None, asset: Asset) -> Term | None:
        if term is None:  # no value
            return None
        if term == rep:
            return asset
        known = statements.get(term)
        if known is not None and known[0] == rep:
            return statement_iri(asset, known[1], vocabulary)
        return term

    return [
        r._replace(focus=rename(r.focus, a), value=rename(r.value, a)) for a in representatives[rep]
    ]
