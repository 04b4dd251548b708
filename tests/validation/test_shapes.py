"""The fast engine's shape compiler (ccsig.validation.shapes) on odd shapes graphs: it never
crashes or loops; what it cannot read is left to pySHACL with a reason."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.validation import shapes as shapes_module
from ccsig.validation.fast import Engine

SH = shapes_module.SH
RDF = shapes_module.RDF
EX = "https://s.example/#"

_SUBJECTS = [ox.NamedNode(EX + n) for n in ("S", "T")] + [ox.BlankNode(f"b{i}") for i in range(3)]
_PREDICATES = [
    ox.NamedNode(SH + n)
    for n in (
        "targetClass targetNode targetSubjectsOf property path minCount maxCount node or in "
        "sparql select message severity nodeKind datatype class prefixes declare prefix "
        "namespace pattern"
    ).split()
] + [ox.NamedNode(RDF + n) for n in ("first", "rest", "type")]
_OBJECTS = _SUBJECTS + [
    ox.NamedNode(RDF + "nil"),
    ox.NamedNode(SH + "IRI"),
    ox.NamedNode(SH + "Warning"),
    ox.NamedNode(EX + "C"),
    ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
    ox.Literal("m"),
    ox.Literal("-1"),
    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("SELECT $this WHERE { $this ?p ?o }"),
    ox.Literal("NOT SPARQL"),
]
_TRIPLES = st.lists(
    st.builds(
        ox.Triple,
        st.sampled_from(_SUBJECTS),
        st.sampled_from(_PREDICATES),
        st.sampled_from(_OBJECTS),
    ),
    min_size=1,
    max_size=12,
)
_DATA = [
    ox.Quad(ox.NamedNode(EX + "d"), ox.NamedNode(RDF + "type"), ox.NamedNode(EX + "C")),
    ox.Quad(ox.NamedNode(EX + "d"), ox.NamedNode(SH + "path"), ox.Literal("x")),
    ox.Quad(ox.BlankNode("x"), ox.NamedNode(SH + "message"), ox.NamedNode(EX + "S")),
]


@settings(max_examples=150, deadline=None)
@given(_TRIPLES)
def test_the_compiler_reads_any_small_shapes_graph(triples: list[ox.Triple]) -> None:
    target = ox.Triple(ox.NamedNode(EX + "S"), ox.NamedNode(SH + "targetClass"), _OBJECTS[-7])
    graph = shapes_module.build([target, *triples])
    store = ox.Store()
    store.extend(_DATA)
    engine = Engine(store)
    for shape in graph.shapes:
        why = shape.why_not_fast()
        assert why is None or isinstance(why, str) and why
        if shape.recursive():
            assert why is not None
        if why is None:  # what the compiler accepts, the fast engine evaluates
            list(engine.validate(shape))
