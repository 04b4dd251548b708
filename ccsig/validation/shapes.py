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

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ccsig.errors import InputError
from ccsig.ingest.blank_nodes import relabel
from ccsig.ingest.readers import read_quads
from ccsig.model.terms import Node, Term, to_rdflib
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
            todo.extend(s.referred())

    def referred(self) -> Iterable[Shape]:
        yield from self.nodes
        yield from self.properties
        yield from (m for alternative in self.ors for m in alternative)

    def recursive(self) -> bool:
        """Whether the shape reaches itself or a shape that does (SHACL leaves the meaning
        of recursive shapes open; the fast engine would not stop)."""
        on_path: set[int] = set()
        done: set[int] = set()
        todo: list[tuple[Shape, bool]] = [(self, True)]
        while todo:
            s, entering = todo.pop()
            if not entering:
                on_path.discard(id(s))
                done.add(id(s))
                continue
            if id(s) in on_path:
                return True
            if id(s) in done:
                continue
            on_path.add(id(s))
            todo.append((s, False))
            todo.extend((r, True) for r in s.referred())
        return False

    def why_not_fast(self) -> str | None:
        if self.recursive():
            return f"{self.label()}: a recursive shape (SHACL leaves its meaning open)"
        for s in self.reachable():
            if s.unsupported:
                return f"{s.label()}: {s.unsupported[0]}"
        # Results surface from the shape and its property shapes; shapes reached through
        # sh:node or sh:or only decide conformance, so their wording never shows.
        seen: set[int] = set()
        todo = [self]
        while todo:
            s = todo.pop()
            if id(s) in seen:
                continue
            seen.add(id(s))
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


def shipped_triples(taken: set[str] | None = None) -> list[ox.Triple]:
    """The shipped shapes' triples, blank nodes labelled from the data (none in `taken`)."""
    taken = set() if taken is None else taken
    out: list[ox.Triple] = []
    for f in data_files("shapes", ".ttl"):
        quads = relabel(ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE), taken)
        out.extend(q.triple for q in quads)
    return out


def read_shape_files(paths: Sequence[str], taken: set[str] | None = None) -> list[ox.Triple]:
    """The triples of steward shape files; `InputError` (file:line:col) if one cannot be
    read. Their blank nodes' labels are not in `taken` (the shipped shapes' ones)."""
    taken = set() if taken is None else taken
    out: list[ox.Triple] = []
    for path in paths:
        quads = read_quads(path, taken=taken)
        if not quads:
            raise InputError(path, "holds no triples, so it declares no shapes")
        triples = [q.triple for q in quads]
        refuse_invalid_shacl(path, triples)
        out.extend(triples)
    return out


def refuse_invalid_shacl(path: str, triples: list[ox.Triple]) -> None:
    """An `InputError` naming `path` and the first problem (by focus, path, message) when
    its shapes are not valid SHACL, by pySHACL's validation against the SHACL-SHACL shapes
    (about 0.1 s a file). Without it a malformed shape (sh:minCount "-1", sh:or on a
    literal, a property shape without sh:path) would surface, or not, only when some
    data gives it a focus node."""
    import rdflib
    from pyshacl.entrypoints import meta_validate
    from rdflib.namespace import SH as RDFLIB_SH

    logging.getLogger("pyshacl-validate").disabled = True  # it would log to stderr itself
    conforms, report, _ = meta_validate(to_rdflib(triples), inference="none")
    if conforms or not isinstance(report, rdflib.Graph):
        return
    found = []
    for r in report.subjects(RDFLIB_SH.resultSeverity):
        focus, where = report.value(r, RDFLIB_SH.focusNode), report.value(r, RDFLIB_SH.resultPath)
        message = " ".join(str(report.value(r, RDFLIB_SH.resultMessage) or "").split())
        found.append((isinstance(focus, rdflib.Literal), _named(focus), _named(where), message))
    _, focus_text, path_text, message = min(found)
    if len(message) > 160:
        message = message[:157] + "..."
    at = " ".join(t for t in (focus_text, path_text) if t)
    raise InputError(path, f"not valid SHACL: {at}: {message}")


def _named(node: object) -> str:
    """A node of pySHACL's report as messages show it: sh:x, _:label, <iri>, "literal"."""
    import rdflib

    if node is None:
        return ""
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    if isinstance(node, rdflib.URIRef):
        return f"sh:{node[len(SH) :]}" if node.startswith(SH) else f"<{node}>"
    return _shown(ox.Literal(str(node)))


def load(extra: Sequence[str] = ()) -> ShapesGraph:
    taken: set[str] = set()
    shipped = shipped_triples(taken)
    added = read_shape_files(extra, taken)
    graph = build(shipped + added, tuple(extra))
    for s in graph.shapes:
        if s.recursive():
            # pySHACL would back out after some levels, with a Python warning on stderr
            raise InputError(
                ", ".join(extra),
                f"the shape {s.label()} reaches itself (through sh:node, sh:property or "
                "sh:or); SHACL does not define how recursive shapes validate",
            )
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
            if not isinstance(head, ox.NamedNode | ox.BlankNode):
                raise ValueError("malformed RDF list")
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
        s = self.cache[node] = Shape(_resource(node, "a shape"))
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
                if isinstance(q.object, ox.NamedNode) and q.object.value in (
                    "http://www.w3.org/2000/01/rdf-schema#Class",
                    "http://www.w3.org/2002/07/owl#Class",
                ):
                    s.unsupported.append("a shape that is also a class (implicit class target)")
        severity = self.one(node, "severity", s)
        if severity is not None:
            severity = _iri(severity, "sh:severity")
            local = severity.value.removeprefix(SH)
            if local not in ("Violation", "Warning", "Info"):
                s.unsupported.append(f"severity {severity.value}")
            s.severity = local
        messages = self.values(node, "message")
        if len(messages) > 1:
            s.unsupported.append("more than one sh:message (pySHACL reports one at random)")
        s.message = _literal(messages[0], "sh:message").value if messages else None
        path = self.one(node, "path", s)
        if path is not None:
            s.is_property = True
            if isinstance(path, ox.NamedNode):
                s.path = path
            else:
                s.unsupported.append("a path that is not a single predicate")
        for name in sorted(TARGETS):
            for t in self.values(node, name):
                if name != "targetNode":  # a class or a predicate
                    _iri(t, f"sh:{name}")
                elif isinstance(t, ox.Triple):
                    raise ValueError("sh:targetNode an RDF-star triple term")
                s.targets.append((name, t))
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
            kind = _iri(kind, "sh:nodeKind")
            if kind.value.removeprefix(SH) not in _NODE_KINDS:
                s.unsupported.append(f"sh:nodeKind {kind}")
            s.node_kind = kind.value.removeprefix(SH)
        datatype = self.one(node, "datatype", s)
        if datatype is not None:
            core = True
            datatype = _iri(datatype, "sh:datatype")
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
            s.nodes.append(self.shape(_resource(n, "sh:node")))
        for head in self.values(node, "or"):
            core = True
            s.ors.append([self.shape(_resource(m, "sh:or member")) for m in self.items(head)])
        for prop in self.values(node, "property"):
            s.properties.append(self.shape(_resource(prop, "sh:property")))
        s.needs_message = core and s.message is None
        for c in self.values(node, "sparql"):
            s.sparql.append(self._sparql(_resource(c, "sh:sparql"), s))

    def _sparql(self, c: Node, s: Shape) -> Sparql:
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
        message = _literal(messages[0], "sh:message").value if messages else s.message
        if message is None:
            s.unsupported.append("a SPARQL constraint without sh:message (pySHACL words its own)")
        prefixes = ""
        for holder in self.values(c, "prefixes"):
            for d in self.values(_resource(holder, "sh:prefixes"), "declare"):
                declaration = _resource(d, "sh:declare")
                pre, ns = self.values(declaration, "prefix"), self.values(declaration, "namespace")
                if len(pre) != 1 or len(ns) != 1:
                    raise ValueError("a malformed sh:declare")
                prefix = _literal(pre[0], "sh:prefix").value
                prefixes += f"PREFIX {prefix}: <{_literal(ns[0], 'sh:namespace').value}>\n"
        query, reason = focus_joined(_literal(selects[0], "sh:select").value)
        if reason:
            s.unsupported.append(reason)
        return Sparql(c, prefixes + query, message)


# What a shape's parameters must be for the fast engine to read them; anything else is a
# ValueError, which sends the shape to the reference engine with the reason (pySHACL then
# evaluates it or says the shapes graph is not valid SHACL).


def _resource(t: Term, what: str) -> Node:
    if not isinstance(t, ox.NamedNode | ox.BlankNode):
        raise ValueError(f"{what} {_shown(t)} is not an IRI or a blank node")
    return t


def _iri(t: Term, what: str) -> ox.NamedNode:
    if not isinstance(t, ox.NamedNode):
        raise ValueError(f"{what} {_shown(t)} is not an IRI")
    return t


def _literal(t: Term, what: str) -> ox.Literal:
    if not isinstance(t, ox.Literal):
        raise ValueError(f"{what} {_shown(t)} is not a literal")
    return t


def _shown(t: Term) -> str:
    text = str(t)
    return text if len(text) <= 80 else text[:77] + "..."
