"""ccsig.reason.equality (owl:sameAs by union-find, the rules over one node per class)
against the equality rules as written (queries/rules/0?-eq-*.ru, run as SPARQL with the
other rules): the same closure on chains, cycles, a dataset the same as its distribution,
sameAs between properties, blank nodes, classes a rule joins."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ccsig.reason import rules as reasoning
from ccsig.reason.equality import OWL_SAME_AS, same_as_classes

PREFIXES = """\
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://e.org/> .
"""

# each also in tests/reason/test_engines_agree.py (against owlrl) and tests/answer/test_stream.py
CASES = {
    "chain": "ex:c0 a dcat:Dataset ; ccsig:commitsTo ccsig:Credit .\n"
    + "".join(f"ex:c{i} owl:sameAs ex:c{i + 1} .\n" for i in range(5)),
    "cycle": "ex:y0 owl:sameAs ex:y1 . ex:y1 owl:sameAs ex:y2 . ex:y2 owl:sameAs ex:y0 .\n"
    "ex:y2 a dcat:Dataset .\n",
    "dataset and its distribution": "ex:d dcat:distribution ex:f . ex:f owl:sameAs ex:d .\n"
    "ex:f a dcat:Distribution .\n",
    "properties": "ex:usage owl:sameAs ccsig:commitsTo .\nex:me ex:usage ccsig:Credit .\n",
    "blank nodes": "[ owl:sameAs ex:g ; a dcat:Dataset ] .\nex:g owl:sameAs [ dct:title 'G' ] .\n",
    "subject and object in two classes": "ex:h1 owl:sameAs ex:h2 . ex:k1 owl:sameAs ex:k2 .\n"
    "ex:h1 dcat:distribution ex:k1 .\n",
    "a rule concludes sameAs": "ex:alias rdfs:subPropertyOf owl:sameAs .\n"
    "ex:m1 ex:alias ex:m2 . ex:m2 owl:sameAs ex:m3 . ex:m1 a dcat:Dataset .\n",
}


def _quads(text: str) -> list[ox.Quad]:
    """`text` parsed once (so that two stores hold the same blank nodes), with the
    closed vocabulary the rules join on."""
    vocabulary = [ox.Quad(t.subject, t.predicate, t.object) for t in reasoning.closed_vocabulary()]
    return vocabulary + list(ox.parse((PREFIXES + text).encode(), format=ox.RdfFormat.TURTLE))


def _store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def _closure(store: ox.Store) -> set[ox.Quad]:
    return {q for q in store if not (q.predicate == OWL_SAME_AS and q.subject == q.object)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_equality_in_python_closes_as_the_rules_as_written(case: str) -> None:
    quads = _quads(CASES[case])
    written, fast = _store(quads), _store(quads)
    reasoning.run_rules(lambda ask: bool(written.query(ask)), written.update)
    reasoning.apply_rules(fast)
    assert _closure(fast) == _closure(written)
    assert any(q.predicate == OWL_SAME_AS for q in _closure(fast) - set(quads))  # not vacuous


def test_every_member_of_a_chain_has_what_one_has() -> None:
    store = _store(_quads(CASES["chain"] + CASES["a rule concludes sameAs"]))
    reasoning.apply_rules(store)
    commits = ox.NamedNode("https://w3id.org/ccsig#commitsTo")
    assert {q.subject.value for q in store.quads_for_pattern(None, commits, None)} >= {
        f"https://e.org/c{i}" for i in range(6)
    }
    same = {
        (q.subject.value[-2:], q.object.value[-2:])
        for q in store.quads_for_pattern(None, OWL_SAME_AS, None)
        if q.subject.value.startswith("https://e.org/m") and q.subject != q.object
    }
    assert same == {(a, b) for a in ("m1", "m2", "m3") for b in ("m1", "m2", "m3") if a != b}
    assert not list(store.named_graphs())  # nothing left behind


def test_same_as_classes() -> None:
    a, b, c, d = (ox.NamedNode(f"urn:{x}") for x in "abcd")
    owl = ox.NamedNode("http://www.w3.org/2002/07/owl#Thing")
    classes = same_as_classes([(a, b), (c, b), (d, d), (d, ox.Literal("x")), (owl, a)])
    assert [sorted(map(str, k)) for k in classes] == [sorted(map(str, [a, b, c, owl]))]
    assert classes[0][0] == owl  # a term the rules name represents its class
