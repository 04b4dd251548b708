"""The fast SHACL engine: each constraint of each shape evaluated once, for all its focus
nodes together, over a pyoxigraph store.

Takes: a pyoxigraph store whose default graph holds the data, its lifted statements and
the vocabulary (as the reference engine's data graph does), and the shapes the fast
engine can evaluate exactly (ccsig.validation.shapes).
Gives: the results pySHACL would give for those shapes, as
(severity, focus, path, value, message) tuples of pyoxigraph terms and strings.

Core constraints are evaluated in Python over sets of nodes; SHACL-SPARQL constraints run
as one query each, with $this joined to a graph listing the focus nodes
(ccsig.validation.shapes.focus_joined). Messages are filled in exactly as pySHACL fills them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple, overload

import pyoxigraph as ox

from ccsig.model.terms import Term, rdflib_term
from ccsig.validation.shapes import RDF_LANGSTRING, XSD_STRING, Shape
from ccsig.validation.sparql import FOCUS, FOCUS_GRAPH

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FOCUS = ox.NamedNode(FOCUS)
_FOCUS_GRAPH = ox.NamedNode(FOCUS_GRAPH)


class Raw(NamedTuple):
    severity: str
    focus: Term
    path: ox.NamedNode | None
    value: Term | None
    message: str


@overload
def label(term: Term) -> str: ...
@overload
def label(term: None) -> None: ...
def label(term: Term | None) -> str | None:
    """A term as the reference engine prints it (str() of the rdflib term)."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal) and term.datatype not in (_XSD_STRING, _LANGSTRING):
        # rdflib writes typed literals in their canonical form ("01"^^xsd:integer is "1")

        return str(rdflib_term(term))
    assert not isinstance(term, ox.Triple)  # TODO: a triple term focus or value fails here
    return term.value


def text(term: Term) -> str:
    """str() of the rdflib term, as pySHACL puts it into a message."""
    if isinstance(term, ox.Literal | ox.BlankNode):
        return label(term) if isinstance(term, ox.Literal) else term.value
    assert not isinstance(term, ox.Triple)  # TODO: a triple term value fails here
    return term.value


_XSD_STRING = ox.NamedNode(XSD_STRING)
_LANGSTRING = ox.NamedNode(RDF_LANGSTRING)


class Engine:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        # keyed by the class as the shape names it, which sh:targetClass does not check
        self._instances: dict[Term, frozenset[Term]] = {}
        self._focus_sets = 0

    # ------------------------------------------------------------------ targets

    def targets(self, shape: Shape) -> set[Term]:
        out: set[Term] = set()
        for kind, t in shape.targets:
            if kind == "targetNode":
                out.add(t)
            elif kind == "targetClass":
                out |= self.instances(t)
            elif kind == "targetSubjectsOf":
                # TODO: a target predicate that is not an IRI fails in pyoxigraph (TypeError)
                assert isinstance(t, ox.NamedNode)
                out.update(q.subject for q in self.store.quads_for_pattern(None, t, None, None))
            elif kind == "targetObjectsOf":
                assert isinstance(t, ox.NamedNode)
                out.update(q.object for q in self.store.quads_for_pattern(None, t, None, None))
        return out

    def instances(self, cls: Term) -> frozenset[Term]:
        known = self._instances.get(cls)
        if known is None:
            rows = self.store.query(
                f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS}subClassOf>* {cls} }}"
            )
            assert isinstance(rows, ox.QuerySolutions)
            known = self._instances[cls] = frozenset(r[0] for r in rows)
        return known

    def validate(self, shape: Shape) -> list[Raw]:
        return self.evaluate(shape, self.targets(shape))

    # -------------------------------------------------------------- evaluation

    def values(self, shape: Shape, focus: set[Term]) -> dict[Term, list[Term]]:
        if shape.path is None:
            return {f: [f] for f in focus}
        out: dict[Term, list[Term]] = {f: [] for f in focus}
        if len(focus) > 256:
            for q in self.store.quads_for_pattern(None, shape.path, None, None):
                vs = out.get(q.subject)
                if vs is not None:
                    vs.append(q.object)
        else:
            for f in focus:
                # TODO: a triple term focus fails in pyoxigraph here (TypeError: the
                # stubs accept a triple subject, pyoxigraph 0.5 does not)
                if not isinstance(f, ox.Literal):
                    out[f] = [
                        q.object for q in self.store.quads_for_pattern(f, shape.path, None, None)
                    ]
        return {f: list(dict.fromkeys(vs)) for f, vs in out.items()}

    def evaluate(self, shape: Shape, focus: set[Term]) -> list[Raw]:
        if not focus:
            return []
        out: list[Raw] = []
        values = self.values(shape, focus)
        severity, message, path = shape.severity, shape.message or "", shape.path

        def each(failing: Iterable[tuple[Term, Term | None]]) -> None:
            out.extend(Raw(severity, f, path, v, message) for f, v in failing)

        if shape.min_count is not None:
            each((f, None) for f, vs in values.items() if len(vs) < shape.min_count)
        if shape.max_count is not None:
            each((f, None) for f, vs in values.items() if len(vs) > shape.max_count)
        pairs = [(f, v) for f, vs in values.items() for v in vs]
        if shape.node_kind is not None:
            each((f, v) for f, v in pairs if not _kind_matches(shape.node_kind, v))
        if shape.datatype is not None:
            each((f, v) for f, v in pairs if not _datatype_matches(shape.datatype, v))
        for cls in shape.classes:
            members = self.instances(cls)
            each((f, v) for f, v in pairs if isinstance(v, ox.Literal) or v not in members)
        if shape.in_ is not None:
            each((f, v) for f, v in pairs if v not in shape.in_)
        every = {v for _, v in pairs}
        for node in shape.nodes:
            bad = self.failing(node, every)
            each((f, v) for f, v in pairs if v in bad)
        for alternatives in shape.ors:
            bad = set(every)
            for alternative in alternatives:
                bad &= self.failing(alternative, bad)
            each((f, v) for f, v in pairs if v in bad)
        for prop in shape.properties:
            out.extend(self.evaluate(prop, focus))
        for constraint in shape.sparql:
            out.extend(self.sparql(shape, constraint.query, constraint.message or "", focus))
        return out

    def failing(self, shape: Shape, nodes: set[Term]) -> set[Term]:
        """The nodes that do not conform to `shape`: those its evaluation gives any result
        for, whatever its severity (SHACL 1.0 section 2.3.1: a node conforms when
        validating it "produces no validation results"; pySHACL agrees)."""
        if not nodes:
            return set()
        return {r.focus for r in self.evaluate(shape, nodes)}

    def sparql(self, shape: Shape, query: str, message: str, focus: set[Term]) -> list[Raw]:
        self._focus_sets += 1
        focus_set = ox.NamedNode(f"{FOCUS}#{self._focus_sets}")
        quads = [
            ox.Quad(f, _FOCUS, focus_set, _FOCUS_GRAPH)
            for f in focus
            if not isinstance(f, ox.Literal)
        ]
        self.store.extend(quads)
        try:
            solutions = self.store.query(query)
            assert isinstance(solutions, ox.QuerySolutions)
            names = [v.value for v in solutions.variables]
            rows = [
                {n: row[n] for n in names if n != "focusSet" and row[n] is not None}
                for row in solutions
            ]
        finally:
            for q in quads:
                self.store.remove(q)
        return sparql_results(shape, message, rows)


def sparql_results(shape: Shape, message: str, rows: Iterable[dict[str, Any]]) -> list[Raw]:
    """The results of a SPARQL constraint of `shape` from its solutions (each the bound
    variables only), its message filled in as pySHACL fills it."""
    out: list[Raw] = []
    seen: set[tuple] = set()
    for bound in rows:
        p = bound.pop("path", None)
        v = bound.pop("value", None)
        t = bound.pop("this", None)
        if p is None and v is None and t is None:
            continue
        key = (t, p, v, tuple(bound.items()))
        if key in seen:
            continue
        seen.add(key)
        f = t if t is not None else None
        if f is None:  # no $this in the solution: pySHACL reports it for every focus node
            continue
        v = f if v is None else v
        fdict = dict(bound)
        fdict["this"] = t
        if p is not None:
            fdict["path"] = p
        fdict["value"] = v
        msg = message
        for var, val in fdict.items():
            msg = re.sub(f"{{[?$]{var}}}", text(val), msg)
        out.append(Raw(shape.severity, f, p if isinstance(p, ox.NamedNode) else p, v, msg))
    return out


def _kind_matches(kind: str, v: Term) -> bool:
    iri, blank, lit = (isinstance(v, c) for c in (ox.NamedNode, ox.BlankNode, ox.Literal))
    return {
        "IRI": iri,
        "BlankNode": blank,
        "Literal": lit,
        "BlankNodeOrIRI": blank or iri,
        "BlankNodeOrLiteral": blank or lit,
        "IRIOrLiteral": iri or lit,
    }[kind]


def _datatype_matches(datatype: str, v: Term) -> bool:
    if not isinstance(v, ox.Literal):
        return False
    if datatype == XSD_STRING:
        return v.datatype == _XSD_STRING and not v.language
    # rdf:langString, directional strings ("..."@en--ltr) included: the reference engine
    # (rdflib) holds them without their direction (shapes/ccsig-shapes.ttl)
    return bool(v.language)
