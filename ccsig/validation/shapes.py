"""Read SHACL shapes graphs into what the fast engine can evaluate, and say what it cannot.

Takes: the shipped shapes (shapes/*.ttl) and any steward shape files.
Gives: a `ShapesGraph`: the triples (for the reference engine), every targeted shape
with its constraints (for the fast engine), and for each targeted shape whether the
fast engine evaluates it exactly or must leave it to pySHACL, with the reason.

The fast engine knows a subset of SHACL Core and SHACL-SPARQL: targets by class,
subjects of, objects of and node; property shapes with a single-IRI path; sh:minCount,
sh:maxCount, sh:nodeKind, sh:datatype (xsd:string, rdf:langString), sh:class, sh:in
(of IRIs), sh:node, sh:or, sh:property and SELECT-based sh:sparql on node shapes.
Anything else (another constraint, a complex path, a missing sh:message, which pySHACL
would fill with its own wording, SHACL-AF rules or custom components) sends the
targeted shape that reaches it to the reference engine; it is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ccsig.errors import InputError
from ccsig.ingest.readers import read_quads
from ccsig.ingest.sparql_text import check_query_nesting
from ccsig.model.terms import Node, Term
from ccsig.resources import data_files
from ccsig.validation.sparql import focus_joined

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = RDF + "langString"


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = (
    ox.NamedNode(RDF + n) for n in ("type", "first", "rest", "nil")
)
TARGETS = {"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"}
# Parameters that do not constrain anything, or that this module reads itself.
_DESCRIPTIVE = {"name", "description", "order", "group", "defaultValue", "severity", "message"}
_KNOWN = TARGETS | _DESCRIPTIVE | {"path", "property", "node", "or", "sparql"}
_KNOWN |= {"minCount", "maxCount", "nodeKind", "datatype", "class", "in"}
_NODE_KINDS = {
    "IRI",
    "BlankNode",
    "Literal",
    "BlankNodeOrIRI",
    "BlankNodeOrLiteral",
    "IRIOrLiteral",
}
# Anywhere in the shapes graph, these change how pySHACL reads the data or the shapes.
_GLOBAL = ("rule", "parameter", "ConstraintComponent", "SPARQLRule", "TripleRule", "entailment")


@dataclass(frozen=True)
class Sparql:
    """A SPARQL-based constraint, rewritten to run once for all focus nodes."""

    node: ox.NamedNode | ox.BlankNode
    query: str  # PREFIX lines + the SELECT with $this joined to the focus graph
    message: str | None


@dataclass
class Shape:
    node: ox.NamedNode | ox.BlankNode
    severity: str = "Violation"
    message: str | None = None
    path: ox.NamedNode | None = None
    is_property: bool = False
    targets: list[tuple[str, Term]] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    node_kind: str | None = None
    datatype: str | None = None
    classes: list[ox.NamedNode] = field(default_factory=list)
    in_: frozenset[Term] | None = None
    nodes: list[Shape] = field(default_factory=list)
    ors: list[list[Shape]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[Sparql] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    needs_message: bool = False  # a core constraint without sh:message

    def label(self) -> str:
        return f"_:{self.node.value}" if isinstance(self.node, ox.BlankNode) else self.node.value

    def reachable(self) -> Iterable[Shape]:
        seen: set[int] = set()
        todo = [self]
        while todo:
            s = todo.pop()
            if id(s) in seen:
                continue
            seen.add(id(s))
            yield s
            todo.extend(s.nodes)
            todo.extend(s.properties)
            todo.extend(m for alternative in s.ors for m in alternative)

    def why_not_fast(self) -> str | None:
        for s in self.reachable():
            if s.unsupported:
                return f"{s.label()}: {s.unsupported[0]}"
        # Results surface from the shape and its property shapes; shapes reached through
        # sh:node or sh:or only decide conformance, so their wording never shows.
        todo = [self]
        while todo:
            s = todo.pop()
            if s.needs_message:
                return f"{s.label()}: a core constraint without sh:message (pySHACL words its own)"
            todo.extend(s.properties)
        return None


@dataclass(eq=False)
class ShapesGraph:
    triples: list[ox.Triple]
    shapes: list[Shape]  # the targeted shapes, in a stable order
    files: tuple[str, ...] = ()
    # the shipped shapes, as shipped, that the fast engine evaluates: these may be
    # evaluated once per distinct asset (ccsig.validation.broadcast)
    shipped: list[Shape] = field(default_factory=list)

    def fast_shapes(self) -> list[Shape]:
        return [s for s in self.shapes if s.why_not_fast() is None]

    def reference_shapes(self) -> list[Shape]:
        return [s for s in self.shapes if s.why_not_fast() is not None]


def shipped_triples() -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for f in data_files("shapes", ".ttl"):
        out.extend(ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE))
    return out


def read_shape_files(paths: Sequence[str]) -> list[ox.Triple]:
    """The triples of steward shape files; `InputError` (file:line:col) if one cannot be read."""
    out: list[ox.Triple] = []
    for path in paths:
        quads = read_quads(path)
        if not quads:
            raise InputError(path, "holds no triples, so it declares no shapes")
        out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    return out


def load(extra: Sequence[str] = ()) -> ShapesGraph:
    shipped = shipped_triples()
    added = read_shape_files(extra)
    graph = build(shipped + added, tuple(extra))
    shipped_nodes = {t.subject for t in shipped}
    if not any(t.subject in shipped_nodes for t in added):  # no shipped shape was changed
        targeted = {t.subject for t in shipped if t.predicate.value.startswith(SH + "target")}
        graph.shipped = [s for s in graph.fast_shapes() if s.node in targeted]
    return graph


def build(triples: list[ox.Triple], files: tuple[str, ...] = ()) -> ShapesGraph:
    triples = list(dict.fromkeys(triples))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    reader = _Reader(store)
    target_predicates = {SH + name for name in TARGETS | {"target"}}
    targeted = {t.subject: None for t in triples if t.predicate.value in target_predicates}
    shapes = [reader.shape(n) for n in targeted]
    global_reason = reader.global_reason()
    if global_reason:
        for s in shapes:
            s.unsupported.insert(0, global_reason)
    return ShapesGraph(triples, shapes, files)


class _Reader:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[Term, Shape] = {}

    # Values are objects as read, so an RDF 1.2 triple term may be one; a value that is
    # read further (its .value, or its own triples) must not be.
    def values(self, node: Node, name: str) -> list[Term]:
        return [q.object for q in self.store.quads_for_pattern(node, _sh(name), None)]

    def one(self, node: Node, name: str, shape: Shape) -> Term | None:
        vs = self.values(node, name)
        if len(vs) > 1:
            shape.unsupported.append(f"more than one sh:{name}")
        return vs[0] if vs else None

    def items(self, head: Term) -> list[Term]:
        out: list[Term] = []
        while head != RDF_NIL:
            # TODO: a literal or triple term here fails in pyoxigraph (TypeError), not
            # as "malformed RDF list"
            assert isinstance(head, ox.NamedNode | ox.BlankNode)
            firsts = [q.object for q in self.store.quads_for_pattern(head, RDF_FIRST, None)]
            rests = [q.object for q in self.store.quads_for_pattern(head, RDF_REST, None)]
            if len(firsts) != 1 or len(rests) != 1 or len(out) > 10_000:
                raise ValueError("malformed RDF list")
            out.append(firsts[0])
            head = rests[0]
        return out

    def global_reason(self) -> str | None:
        for name in _GLOBAL:
            if next(self.store.quads_for_pattern(None, _sh(name), None), None) is not None:
                return f"the shapes graph uses sh:{name}"
            if next(self.store.quads_for_pattern(None, RDF_TYPE, _sh(name)), None) is not None:
                return f"the shapes graph declares a sh:{name}"
        return None

    def shape(self, node: Term) -> Shape:
        known = self.cache.get(node)
        if known is not None:
            return known
        assert isinstance(node, ox.NamedNode | ox.BlankNode)
        s = self.cache[node] = Shape(node)
        try:
            self._read(s)
        except ValueError as e:
            s.unsupported.append(str(e))
        return s

    def _read(self, s: Shape) -> None:
        node = s.node
        for q in self.store.quads_for_pattern(node, None, None):
            p = q.predicate.value
            if p.startswith(SH) and p[len(SH) :] not in _KNOWN:
                s.unsupported.append(f"sh:{p[len(SH) :]} is not evaluated by the fast engine")
            elif p == RDF + "type":
                # TODO: a triple term object of rdf:type fails here (no .value)
                assert not isinstance(q.object, ox.Triple)
                if q.object.value in (
                    "http://www.w3.org/2000/01/rdf-schema#Class",
                    "http://www.w3.org/2002/07/owl#Class",
                ):
                    s.unsupported.append("a shape that is also a class (implicit class target)")
        severity = self.one(node, "severity", s)
        if severity is not None:
            assert not isinstance(severity, ox.Triple)  # TODO: fails (no .value)
            local = severity.value.removeprefix(SH)
            if local not in ("Violation", "Warning", "Info"):
                s.unsupported.append(f"severity {severity.value}")
            s.severity = local
        messages = self.values(node, "message")
        if len(messages) > 1:
            s.unsupported.append("more than one sh:message (pySHACL reports one at random)")
        first = messages[0] if messages else None
        assert not isinstance(first, ox.Triple)  # TODO: fails (no .value)
        s.message = first.value if first is not None else None
        path = self.one(node, "path", s)
        if path is not None:
            s.is_property = True
            if isinstance(path, ox.NamedNode):
                s.path = path
            else:
                s.unsupported.append("a path that is not a single predicate")
        for name in sorted(TARGETS):
            s.targets.extend((name, t) for t in self.values(node, name))
        core = False
        for name, attr in (("minCount", "min_count"), ("maxCount", "max_count")):
            v = self.one(node, name, s)
            if v is not None:
                core = True
                if not isinstance(v, ox.Literal) or not re.fullmatch(r"[0-9]+", v.value):
                    s.unsupported.append(f"sh:{name} {v}")
                else:
                    setattr(s, attr, int(v.value))
        kind = self.one(node, "nodeKind", s)
        if kind is not None:
            core = True
            assert not isinstance(kind, ox.Triple)  # TODO: fails (no .value)
            if kind.value.removeprefix(SH) not in _NODE_KINDS:
                s.unsupported.append(f"sh:nodeKind {kind}")
            s.node_kind = kind.value.removeprefix(SH)
        datatype = self.one(node, "datatype", s)
        if datatype is not None:
            core = True
            assert not isinstance(datatype, ox.Triple)  # TODO: fails (no .value)
            if datatype.value not in (XSD_STRING, RDF_LANGSTRING):
                # pySHACL also checks the lexical form of other datatypes
                s.unsupported.append(f"sh:datatype {datatype}")
            s.datatype = datatype.value
        for c in self.values(node, "class"):
            core = True
            if not isinstance(c, ox.NamedNode):
                s.unsupported.append(f"sh:class {c}")
            else:
                s.classes.append(c)
        in_list = self.one(node, "in", s)
        if in_list is not None:
            core = True
            members = self.items(in_list)
            if not all(isinstance(m, ox.NamedNode) for m in members):
                s.unsupported.append("sh:in with literals or blank nodes")
            s.in_ = frozenset(members)
        for n in self.values(node, "node"):
            core = True
            s.nodes.append(self.shape(n))
        for head in self.values(node, "or"):
            core = True
            s.ors.append([self.shape(m) for m in self.items(head)])
        for prop in self.values(node, "property"):
            s.properties.append(self.shape(prop))
        s.needs_message = core and s.message is None
        for c in self.values(node, "sparql"):
            s.sparql.append(self._sparql(c, s))

    def _sparql(self, c: Term, s: Shape) -> Sparql:
        assert isinstance(c, ox.NamedNode | ox.BlankNode)
        if s.is_property:
            s.unsupported.append("sh:sparql on a property shape")
        for q in self.store.quads_for_pattern(c, None, None):
            p = q.predicate.value
            if p.startswith(SH) and p[len(SH) :] not in ("select", "message", "prefixes"):
                s.unsupported.append(f"sh:{p[len(SH) :]} on a SPARQL constraint")
        selects = self.values(c, "select")
        messages = self.values(c, "message")
        if len(selects) != 1:
            s.unsupported.append("a SPARQL constraint without exactly one sh:select")
            return Sparql(c, "", None)
        if len(messages) > 1 or (messages and s.message is not None):
            s.unsupported.append("more than one message for a SPARQL constraint")
        first = messages[0] if messages else None
        assert not isinstance(first, ox.Triple)  # TODO: fails (no .value)
        message = first.value if first is not None else s.message
        if message is None:
            s.unsupported.append("a SPARQL constraint without sh:message (pySHACL words its own)")
        prefixes = ""
        for holder in self.values(c, "prefixes"):
            # TODO: a literal or triple term holder or declaration fails in pyoxigraph
            # (TypeError), not as "a malformed sh:declare"
            assert isinstance(holder, ox.NamedNode | ox.BlankNode)
            for d in self.values(holder, "declare"):
                assert isinstance(d, ox.NamedNode | ox.BlankNode)
                pre, ns = self.values(d, "prefix"), self.values(d, "namespace")
                if len(pre) != 1 or len(ns) != 1:
                    raise ValueError("a malformed sh:declare")
                assert not isinstance(pre[0], ox.Triple) and not isinstance(ns[0], ox.Triple)
                prefixes += f"PREFIX {pre[0].value}: <{ns[0].value}>\n"
        assert not isinstance(selects[0], ox.Triple)  # TODO: fails (no .value)
        # before either engine's SPARQL parser could overflow its stack on it
        check_query_nesting(selects[0].value, f"the sh:select of {s.label()}")
        query, reason = focus_joined(selects[0].value)
        if reason:
            s.unsupported.append(reason)
        return Sparql(c, prefixes + query, message)
