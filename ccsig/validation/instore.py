"""The fast engine's shapes compiled to SPARQL, to validate inside a triple store.

Takes: the shapes the fast engine evaluates (ccsig.validation.shapes) and a way to ask
SELECT queries of a dataset holding what the fast engine's store holds (the data, its
lifted statements, the vocabulary): a pyoxigraph store, or a store session's work graph
(ccsig.lift.store).
Gives: the results the fast engine gives (ccsig.validation.fast `Raw`s), with only the
results crossing the network.

Each targeted shape becomes one SELECT of (?k, ?this, ?value) rows: one UNION branch per
core constraint its evaluation reaches (the shape's own and those of its property
shapes), ?k saying which, each branch joined to the shape's focus nodes (its targets as
a sub-select). A constraint is the negation of the fast engine's test, written over the
values of the constraint's path:

- sh:minCount n: NOT EXISTS n pairwise distinct values; sh:maxCount n: EXISTS n + 1;
- sh:nodeKind, sh:datatype (xsd:string, rdf:langString), sh:class, sh:in: a FILTER on
  each value, written so that no branch of it can raise an error (an error in a FILTER
  drops the row, which would hide a violation);
- sh:node and sh:or: "the value fails the shape" is the disjunction of the EXISTS of
  each constraint that shape reaches (whatever its severity), with the value as its focus, as
  `Engine.failing` reads conformance.

SHACL-SPARQL constraints run as the fast engine runs them (ccsig.validation.sparql),
with the focus graph join replaced by the same sub-select of focus nodes, so nothing is
written for them; their rows become results through the fast engine's own code
(ccsig.validation.fast.sparql_results), messages included. `why_not_in_store` says
which shapes cannot be compiled (the fast engine's refusals, and a few constructs more);
in-store mode refuses those rather than copy the data out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ccsig.model.terms import AtomicTerm, Term
from ccsig.validation.fast import Raw, sparql_results
from ccsig.validation.shapes import RDF_LANGSTRING, XSD_STRING, Shape
from ccsig.validation.sparql import FOCUS_JOIN

__all__ = ["Compiled", "StoreEngine", "compile_shape", "why_not_in_store"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# Counts are pairwise-distinct variables: n + 1 of them for sh:maxCount n.
MAX_COUNT = 4

Table = tuple[list[str], list[tuple[AtomicTerm | None, ...]]]
Select = Callable[[str], Table]


class NotInStore(Exception):
    """A shape the compiler cannot write as SPARQL exactly."""


@dataclass
class Compiled:
    """One targeted shape as SPARQL: its core constraints' query (None if it has none),
    the shape owning each ?k, and its SPARQL constraints with their focus joined."""

    shape: Shape
    core: str | None
    owners: list[Shape] = field(default_factory=list)
    sparql: list[tuple[Shape, str, str]] = field(default_factory=list)


def why_not_in_store(shape: Shape) -> str | None:
    why = shape.why_not_fast()
    if why is not None:
        return why
    try:
        compile_shape(shape)
    except NotInStore as e:
        return f"{shape.label()}: {e}"
    return None


def compile_shape(shape: Shape) -> Compiled:
    return _Compiler().shape(shape)


class _Compiler:
    def __init__(self) -> None:
        self.fresh = 0

    def var(self) -> str:
        self.fresh += 1
        return f"?_v{self.fresh}"

    # ---------------------------------------------------------------- the top level

    def shape(self, shape: Shape) -> Compiled:
        focus = self.focus(shape)
        compiled = Compiled(shape, None)
        branches: list[str] = []
        for owner in _evaluated(shape):
            for kind, test in self.checks(owner, "?this"):
                k = len(compiled.owners)
                compiled.owners.append(owner)
                if kind == "count":
                    body = f"FILTER ({test('?this')})"
                elif owner.path is None:
                    body = f"BIND (?this AS ?value) FILTER ({test('?value')})"
                else:
                    body = f"?this {owner.path} ?value . FILTER ({test('?value')})"
                branches.append(f"{{ {focus} {body} BIND ({k} AS ?k) }}")
            for c in owner.sparql:
                joined = f" {{ SELECT DISTINCT ?this WHERE {{ {self.targets(shape)} "
                joined += "FILTER (!isLiteral(?this)) } } "
                if FOCUS_JOIN not in c.query:
                    raise NotInStore("a SPARQL constraint not rewritten for its focus nodes")
                compiled.sparql.append(
                    (owner, c.query.replace(FOCUS_JOIN, joined, 1), c.message or "")
                )
        if branches:
            union = "\n  UNION ".join(branches)
            compiled.core = f"SELECT DISTINCT ?k ?this ?value WHERE {{\n  {union}\n}}"
        return compiled

    def focus(self, shape: Shape) -> str:
        return f"{{ SELECT DISTINCT ?this WHERE {{ {self.targets(shape)} }} }}"

    def targets(self, shape: Shape) -> str:
        alternatives: list[str] = []
        for kind, t in shape.targets:
            if isinstance(t, ox.BlankNode | ox.Triple):
                raise NotInStore("a blank node as sh:targetNode (SPARQL cannot name it)")
            if kind == "targetNode":
                alternatives.append(f"VALUES ?this {{ {t} }}")
            elif kind == "targetClass":
                alternatives.append(f"?this {RDF_TYPE}/{SUBCLASS_OF}* {t}")
            elif kind == "targetSubjectsOf":
                alternatives.append(f"?this {t} {self.var()}")
            elif kind == "targetObjectsOf":
                alternatives.append(f"{self.var()} {t} ?this")
        if not alternatives:
            return "FILTER (false)"
        return " UNION ".join(f"{{ {a} }}" for a in alternatives)

    # ------------------------------------------------------------- the constraints

    def checks(self, shape: Shape, focus: str) -> list[tuple[str, Callable[[str], str]]]:
        """("count", f) with f() an expression true when the focus violates, or
        ("value", f) with f(v) an expression true when the value v violates, for each
        core constraint of `shape` itself, in the fast engine's order."""
        out: list[tuple[str, Callable[[str], str]]] = []
        path = shape.path

        def constant(text: str) -> Callable[[str], str]:
            return lambda v: text

        if shape.min_count is not None:
            n = shape.min_count
            if path is None:
                if n >= 2:
                    out.append(("count", constant("true")))
            elif n >= 1:
                pattern = self.distinct(focus, path, n)
                out.append(("count", constant(f"NOT EXISTS {{ {pattern} }}")))
        if shape.max_count is not None:
            n = shape.max_count
            if path is None:
                if n == 0:
                    out.append(("count", constant("true")))
            else:
                pattern = self.distinct(focus, path, n + 1)
                out.append(("count", constant(f"EXISTS {{ {pattern} }}")))
        if shape.node_kind is not None:
            kind = shape.node_kind
            out.append(("value", lambda v: f"!({_kind(kind, v)})"))
        if shape.datatype == XSD_STRING:
            out.append(
                (
                    "value",
                    lambda v: (
                        f"!(isLiteral({v}) && sameTerm(datatype({v}), <{XSD_STRING}>) "
                        f'&& lang({v}) = "")'
                    ),
                )
            )
        elif shape.datatype is not None:
            assert shape.datatype == RDF_LANGSTRING  # the fast engine reads no other
            out.append(("value", lambda v: f'!(isLiteral({v}) && lang({v}) != "")'))
        for cls in shape.classes:
            out.append(("value", _not_instance(cls)))
        if shape.in_ is not None:
            members = sorted(shape.in_, key=str)

            def outside(v: str) -> str:
                listed = " || ".join(f"sameTerm({v}, {m})" for m in members)
                return f"!({listed or 'false'})"

            out.append(("value", outside))
        for node in shape.nodes:
            out.append(("value", self.failing(node)))
        for alternatives in shape.ors:
            out.append(("value", _every([self.failing(a) for a in alternatives])))
        return out

    def failing(self, shape: Shape) -> Callable[[str], str]:
        """f(v): an expression true when the node v does not conform to `shape`."""
        return lambda v: self.fails(shape, v)

    def distinct(self, focus: str, path: ox.NamedNode, n: int) -> str:
        if n > MAX_COUNT:
            raise NotInStore(f"a count above {MAX_COUNT - 1} (compiled as distinct variables)")
        vs = [self.var() for _ in range(n)]
        pattern = " . ".join(f"{focus} {path} {w}" for w in vs)
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1 :]]
        return pattern + (f" FILTER ({' && '.join(pairs)})" if pairs else "")

    def fails(self, shape: Shape, x: str) -> str:
        """An expression true when the node `x` does not conform to `shape` (as
        `Engine.failing`: any result of its evaluation, whatever its severity)."""
        parts: list[str] = []
        for owner in _evaluated(shape):
            if owner.sparql:
                raise NotInStore("a SPARQL constraint reached through sh:node or sh:or")
            for kind, test in self.checks(owner, x):
                if kind == "count":
                    parts.append(test(x))
                elif owner.path is None:
                    parts.append(f"({test(x)})")
                else:
                    w = self.var()
                    parts.append(f"EXISTS {{ {x} {owner.path} {w} . FILTER ({test(w)}) }}")
        return " || ".join(parts) or "false"


def _evaluated(shape: Shape) -> list[Shape]:
    """The shape and the property shapes its evaluation reaches with the same focus
    nodes (`Engine.evaluate` recurses into sh:property only)."""
    out: list[Shape] = []
    todo = [shape]
    while todo:
        s = todo.pop(0)
        out.append(s)
        todo.extend(s.properties)
    return out


def _every(tests: list[Callable[[str], str]]) -> Callable[[str], str]:
    return lambda v: " && ".join(f"({test(v)})" for test in tests) or "true"


def _not_instance(cls: ox.NamedNode) -> Callable[[str], str]:
    return lambda v: f"isLiteral({v}) || NOT EXISTS {{ {v} {RDF_TYPE}/{SUBCLASS_OF}* {cls} }}"


def _kind(kind: str, v: str) -> str:
    iri, blank, lit = f"isIRI({v})", f"isBlank({v})", f"isLiteral({v})"
    return {
        "IRI": iri,
        "BlankNode": blank,
        "Literal": lit,
        "BlankNodeOrIRI": f"{blank} || {iri}",
        "BlankNodeOrLiteral": f"{blank} || {lit}",
        "IRIOrLiteral": f"{iri} || {lit}",
    }[kind]


class StoreEngine:
    """Validates compiled shapes with `select` asking the dataset (see the module)."""

    def __init__(self, select: Select) -> None:
        self.select = select

    def validate(self, shape: Shape) -> list[Raw]:
        compiled = compile_shape(shape)
        out: list[Raw] = []
        if compiled.core is not None:
            names, rows = self.select(compiled.core)
            at = [names.index(n) for n in ("k", "this", "value")]
            for row in rows:
                k, focus, value = (row[i] for i in at)
                if not isinstance(k, ox.Literal) or focus is None:
                    continue
                owner = compiled.owners[int(k.value)]
                out.append(Raw(owner.severity, focus, owner.path, value, owner.message or ""))
        for owner, query, message in compiled.sparql:
            names, rows = self.select(query)
            bound: list[dict[str, Term]] = [
                {n: t for n, t in zip(names, row, strict=True) if t is not None} for row in rows
            ]
            out.extend(sparql_results(owner, message, bound))
        return out


def in_process(store: ox.Store) -> Select:
    """`Select` over a pyoxigraph store (the differential test's)."""

    def select(query: str) -> Table:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return names, [tuple(row[n] for n in names) for row in solutions]

    return select


def validate_all(shapes: Sequence[Shape], select: Select) -> list[Raw]:
    engine = StoreEngine(select)
    return [r for s in shapes for r in engine.validate(s)]
