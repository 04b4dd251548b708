"""Lifting inside a store (queries/lifting/ via ccsig.lift.literals.StoreLifter) must give exactly
the triples the Python lifter (ccsig.lift.literals.lift) gives for the same input: the fast and
the reference engine mint the same statement IRIs."""

from __future__ import annotations

import uuid

import pyoxigraph as ox
import pytest

from ccsig.lift.literals import LIFTING_GRAPH, StoreLifter, lift, statement_iri

DATA = """
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://example.org/a> a dcat:Dataset ;
    ccsig:contentUsage "train-genai=n;exceptions=cc-cr", "all=y"@en, "train-ai=n, train-ai=y" .
<https://example.org/b> ccsig:contentUsage "train-genai=n;exceptions=cc-cr", "not [ valid" .
<https://example.org/c> ccsig:contentUsage 42, "search=y\\nai-use=n" .
[] a dcat:Dataset ; ccsig:contentUsage "all=n;exceptions=cc-cr-op" .
"""
SOURCE = ox.NamedNode("file:///catalog.ttl")


def _quads(text: str) -> list[ox.Quad]:
    return list(ox.parse(text, format=ox.RdfFormat.TURTLE))


def _lifted_in_store(quads: list[ox.Quad], vocabulary: str, source: ox.NamedNode | None):
    store = ox.Store()
    store.extend(quads)
    lifter = StoreLifter(store, vocabulary)
    lifter.lift(source)
    lifter.finish()
    return store, {ox.Triple(q.subject, q.predicate, q.object) for q in store} - {
        q.triple for q in quads
    }


@pytest.mark.parametrize("vocabulary", ["aipref-02", "aipref-07"])
@pytest.mark.parametrize("source", [SOURCE, None])
def test_store_lifting_equals_python_lifting(vocabulary: str, source) -> None:
    quads = _quads(DATA)
    _, in_store = _lifted_in_store(quads, vocabulary, source)
    in_python = set(lift(quads, vocabulary, source))
    assert in_store == in_python
    statements = {t.subject for t in in_python if t.predicate.value.endswith("#about")}
    assert len(statements) == 7  # every string literal on every subject, the number 42 not


def test_lifting_twice_adds_nothing_and_the_scratch_graph_goes() -> None:
    store = ox.Store()
    store.extend(_quads(DATA))
    lifter = StoreLifter(store, "aipref-02")
    lifter.lift(SOURCE)
    before = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    lifter.lift(ox.NamedNode("file:///other.ttl"))  # first source read wins
    assert set(store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == before
    lifter.finish()
    assert LIFTING_GRAPH not in set(store.named_graphs())
    assert not [q for q in store if q.graph_name != ox.DefaultGraph()]


def test_a_later_input_lifts_only_its_own_pairs_with_its_source() -> None:
    store = ox.Store()
    lifter = StoreLifter(store, "aipref-02")
    store.extend(_quads('<https://example.org/a> <https://w3id.org/ccsig#contentUsage> "all=n" .'))
    lifter.lift(SOURCE)
    second = ox.NamedNode("file:///second.ttl")
    store.extend(_quads('<https://example.org/b> <https://w3id.org/ccsig#contentUsage> "all=n" .'))
    lifter.lift(second)
    source = ox.NamedNode("https://w3id.org/ccsig#source")
    literal = ox.Literal("all=n")
    sources = set()
    for name in "ab":
        statement = statement_iri(ox.NamedNode(f"https://example.org/{name}"), literal, "aipref-02")
        sources.update(q.object.value for q in store.quads_for_pattern(statement, source, None))
    assert sources == {SOURCE.value, second.value}


@pytest.mark.parametrize(
    "asset",
    [ox.NamedNode("https://example.org/a"), ox.BlankNode("b0"), ox.NamedNode("urn:x:\u00e9")],
)
def test_statement_iris_are_version_8_uuids(asset) -> None:
    iri = statement_iri(asset, ox.Literal("all=n", language="en"), "aipref-02")
    value = uuid.UUID(iri.value.removeprefix("urn:uuid:"))
    assert iri.value.startswith("urn:uuid:")
    assert value.version == 8 and value.variant == uuid.RFC_4122
    assert iri != statement_iri(asset, ox.Literal("all=n"), "aipref-02")  # language counts
    assert iri != statement_iri(asset, ox.Literal("all=n", language="en"), "aipref-07")
