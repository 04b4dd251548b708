"""Blank nodes are labelled from the data: the same labels on every parse, readable where
the node has a name, distinct where names or contents coincide."""

from __future__ import annotations

import random
import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.ingest.blank_nodes import may_hold_blank_nodes, relabel
from ccsig.ingest.readers import read_quads
from tests.helpers.paths import EXAMPLES, requires_reference

TTL = ox.RdfFormat.TURTLE
RANDOM_ID = re.compile(r"^[0-9a-f]{32}$")


def _parse(text: str) -> list[ox.Quad]:
    # rename_blank_nodes: a fresh random id for every node on every parse, as readers get
    return list(ox.parse(text, format=TTL, rename_blank_nodes=True))


def _labels(quads: list[ox.Quad]) -> set[str]:
    return {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}


DATASETS = """
@prefix schema: <https://schema.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
[] a schema:Dataset ; schema:name "SQuAD v2.0" ; schema:distribution [ schema:contentUrl "x" ] .
[] a schema:Dataset ; dct:title "Météo (daily)"@fr .
[] a schema:Dataset ; schema:name "twin" ; schema:description "one" .
[] a schema:Dataset ; schema:name "twin" ; schema:description "two" .
"""


def test_named_nodes_take_their_names_and_others_a_hash() -> None:
    labels = _labels(relabel(_parse(DATASETS)))
    assert {"SQuAD-v2-0", "Meteo-daily", "twin", "twin-2"} <= labels
    (hashed,) = labels - {"SQuAD-v2-0", "Meteo-daily", "twin", "twin-2"}
    assert re.fullmatch(r"b[0-9a-f]{12}", hashed)


def test_the_same_labels_on_every_parse_and_in_any_statement_order() -> None:
    first = relabel(_parse(DATASETS))
    assert relabel(_parse(DATASETS)) == first
    lines = [line for line in DATASETS.splitlines() if line.startswith("[]")]
    head = "\n".join(line for line in DATASETS.splitlines() if line.startswith("@"))
    shuffled = lines[:]
    random.Random(4).shuffle(shuffled)
    again = relabel(_parse(head + "\n" + "\n".join(shuffled)))
    # nodes that differ in content keep their labels whatever the order
    assert set(again) == set(first)


def test_same_names_are_told_apart_by_content_not_by_order() -> None:
    text = DATASETS.split("\n[]")[0]
    one = '\n[] <https://schema.org/name> "twin" ; <https://schema.org/description> "one" .'
    two = '\n[] <https://schema.org/name> "twin" ; <https://schema.org/description> "two" .'
    a = relabel(_parse(text + one + two))
    b = relabel(_parse(text + two + one))
    assert set(a) == set(b)


def test_labels_taken_by_an_earlier_input_are_not_reused() -> None:
    taken: set[str] = set()
    a = _labels(relabel(_parse(DATASETS), taken))
    b = _labels(relabel(_parse(DATASETS), taken))
    assert a and b and not a & b
    assert "twin-3" in b and taken == a | b


def test_labels_are_valid_turtle_and_round_trip() -> None:
    quads = relabel(_parse(DATASETS))
    text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    assert text is not None
    again = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    assert {q.triple for q in again} == {q.triple for q in quads}


def test_a_file_without_blank_node_syntax_is_not_relabelled() -> None:
    assert not may_hold_blank_nodes(b"<a:s> <a:p> 'x' .", TTL)
    assert may_hold_blank_nodes(b"<a:s> <a:p> [] .", TTL)
    assert may_hold_blank_nodes(b"{}", ox.RdfFormat.JSON_LD)


def test_real_croissant_datasets_are_named_by_their_name() -> None:
    quads = read_quads(str(requires_reference("croissant") / "huggingface-squad_v2.json"))
    labels = _labels(quads)
    assert "squad_v2" in labels
    assert not any(RANDOM_ID.match(label) for label in labels)
    assert read_quads(str(EXAMPLES / "croissant.json")) == read_quads(
        str(EXAMPLES / "croissant.json")
    )


# Small graphs of blank nodes and a few IRIs and literals.
_NODES = st.integers(0, 5)
_OBJECTS = st.one_of(
    _NODES.map(lambda i: f"_:n{i}"),
    st.sampled_from(["<urn:x>", '"twin"', '"x"@en', '""']),
)
_PREDICATES = st.sampled_from(["<https://schema.org/name>", "<urn:p>", "<urn:q>"])
_GRAPHS = st.lists(st.tuples(_NODES, _PREDICATES, _OBJECTS), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(_GRAPHS)
def test_relabelling_is_an_isomorphism_and_idempotent(triples: list[tuple[int, str, str]]) -> None:
    text = "".join(f"_:n{s} {p} {o} .\n" for s, p, o in triples)
    parsed = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True))
    out = relabel(parsed)
    assert len(set(out)) == len(set(parsed))
    mapping: dict[ox.BlankNode, ox.BlankNode] = {}
    for before, after in zip(parsed, out, strict=True):
        for x, y in ((before.subject, after.subject), (before.object, after.object)):
            if isinstance(x, ox.BlankNode):
                assert mapping.setdefault(x, y) == y  # y is a function of x
            else:
                assert x == y
    assert len(set(mapping.values())) == len(mapping)  # and one-to-one
    assert relabel(out) == out
    # a second parse (other random ids) gives the very same quads
    reparsed = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True))
    assert relabel(reparsed) == out


def test_labels_when_names_are_unique_twin_or_look_like_a_hash() -> None:
    """Pinned labels (computed by the relabeller before it hashed only where a label
    needs it): unique names take no hash; twins, and a name equal to an unnamed node's
    hash label, are ordered by their hashes."""
    text = """_:u <urn:p> "unnamed" .
_:v <urn:p> "unnamed too" .
_:w <https://schema.org/name> "b0a62b23c5cd3" .
_:a <https://schema.org/name> "Twin" ; <urn:p> _:u .
_:b <https://schema.org/name> "Twin" ; <urn:p> _:v .
_:c <https://schema.org/name> "Only one" ; <urn:q> _:a .
"""
    quads = relabel(ox.parse(text, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    assert [(str(q.subject), str(q.object)) for q in quads] == [
        ("_:b0a62b23c5cd3", '"unnamed"'),
        ("_:b17976b3ad26f", '"unnamed too"'),
        ("_:b0a62b23c5cd3-2", '"b0a62b23c5cd3"'),
        ("_:Twin-2", '"Twin"'),
        ("_:Twin-2", "_:b0a62b23c5cd3"),
        ("_:Twin", '"Twin"'),
        ("_:Twin", "_:b17976b3ad26f"),
        ("_:Only-one", '"Only one"'),
        ("_:Only-one", "_:Twin-2"),
    ]


def test_relabelling_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    text = '_:a <urn:p> "x" .\n'
    assert gc.isenabled()
    relabel(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True))
    assert gc.isenabled()
    gc.disable()
    try:
        relabel(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(SyntaxError):  # a parse error inside: still restored
        relabel(ox.parse("_:a <urn:p", format=ox.RdfFormat.N_TRIPLES))
    assert gc.isenabled()
