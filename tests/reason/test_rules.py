"""The fast engine's reasoning pieces: the cached closed vocabulary and the rule runner."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ccsig.reason import rules as reasoning

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reasoning.closed_vocabulary.cache_clear()
    yield tmp_path / "ccsig"
    reasoning.closed_vocabulary.cache_clear()


def test_closed_vocabulary_is_cached_and_equal_to_a_fresh_closure(fresh_cache: Path) -> None:
    first = reasoning.closed_vocabulary()
    (cached,) = fresh_cache.glob("closed-vocabulary-*.nt")
    reasoning.closed_vocabulary.cache_clear()
    second = reasoning.closed_vocabulary()
    assert set(first) == set(second) == set(reasoning._close_vocabulary())
    assert cached.stat().st_size > 0


def test_a_corrupt_cache_is_recomputed(fresh_cache: Path) -> None:
    reasoning.closed_vocabulary()
    (cached,) = fresh_cache.glob("closed-vocabulary-*.nt")
    cached.write_text("this is not N-Triples <")
    reasoning.closed_vocabulary.cache_clear()
    assert set(reasoning.closed_vocabulary()) == set(reasoning._close_vocabulary())


@pytest.mark.parametrize("damage", ["append", "empty", "drop-a-line"])
def test_a_tampered_cache_fails_its_digest_and_is_rebuilt(fresh_cache: Path, damage: str) -> None:
    reasoning.closed_vocabulary()
    (cached,) = fresh_cache.glob("closed-vocabulary-*.nt")
    good = cached.read_bytes()
    if damage == "append":  # valid N-Triples that would change decisions
        extra = "<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n" * 12
        cached.write_bytes(good + extra.encode())
    elif damage == "empty":
        cached.write_bytes(b"")
    else:
        cached.write_bytes(b"".join(good.splitlines(keepends=True)[:-1]))
    reasoning.closed_vocabulary.cache_clear()
    assert set(reasoning.closed_vocabulary()) == set(reasoning._close_vocabulary())
    assert cached.read_bytes() == good  # rebuilt in place


def test_closure_keeps_no_owl_thing_only_axioms(fresh_cache: Path) -> None:
    thing = "http://www.w3.org/2002/07/owl#Thing"
    assert not [
        t
        for t in reasoning.closed_vocabulary()
        if t.object.value == thing and t.predicate.value.endswith(("subClassOf", "domain", "range"))
    ]


def test_every_rule_is_an_update_that_concludes_nothing_from_nothing() -> None:
    names = [rule.name for rule in reasoning.rules()]
    assert names == sorted(names) and len(names) >= 10
    store = ox.Store()
    for rule in reasoning.rules():
        store.update(rule.update)  # parses as SPARQL Update
        assert not store.query(rule.would_add)
    assert len(store) == 0


def test_a_rule_must_be_one_insert_where() -> None:
    with pytest.raises(ValueError):
        reasoning._rule("bad", "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(ValueError):
        reasoning._rule("bad", "INSERT { ?s ?p _:b } WHERE { ?s ?p ?o }")


def test_would_add_asks_exactly_whether_a_rule_concludes_something_new() -> None:
    (rule,) = [r for r in reasoning.rules() if r.name.endswith("cax-sco")]
    ns = "https://w3id.org/ccsig#"
    sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(ns + "A"), sub, ox.NamedNode(ns + "B")))
    store.add(ox.Quad(ox.NamedNode("urn:x"), RDF_TYPE, ox.NamedNode(ns + "A")))
    assert store.query(rule.would_add)
    store.update(rule.update)
    assert ox.Quad(ox.NamedNode("urn:x"), RDF_TYPE, ox.NamedNode(ns + "B")) in store
    assert not store.query(rule.would_add)


def test_rules_reach_a_fixpoint_through_the_reuser_chain(fresh_cache: Path) -> None:
    ns = "https://w3id.org/ccsig#"
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in reasoning.closed_vocabulary())
    reuser = ox.NamedNode("urn:test:reuser")
    for element in ("Credit", "EcosystemContribution"):
        store.add(ox.Quad(reuser, ox.NamedNode(ns + "commitsTo"), ox.NamedNode(ns + element)))
    assert reasoning.apply_rules(store) > 0
    satisfied = {
        q.object.value
        for q in store.quads_for_pattern(reuser, ox.NamedNode(ns + "satisfies"), None)
    }
    assert satisfied == {ns + "cc-cr", ns + "cc-cr-ec"}
    assert reasoning.apply_rules(store) == 0  # already closed


# ------------------------------------------------ the reference engine's size bound


def _chain(n: int) -> str:
    lines = ['<urn:n0> <https://w3id.org/ccsig#contentUsage> "train-genai=n" .']
    owl = "<http://www.w3.org/2002/07/owl#sameAs>"
    lines += [f"<urn:n{i}> {owl} <urn:n{i + 1}> ." for i in range(n - 1)]
    return "\n".join(lines) + "\n"


def _graph(text: str):  # type: ignore[no-untyped-def]
    import rdflib

    return rdflib.Graph().parse(data=text, format="nt")


def test_same_as_classes_are_found_in_one_pass() -> None:
    extra = "<urn:a> <http://www.w3.org/2002/07/owl#sameAs> <urn:b> .\n"
    classes = reasoning.same_as_classes(_graph(_chain(5) + extra))
    assert [len(c) for c in classes] == [5, 2]


def test_a_long_same_as_chain_is_refused_by_the_reference_engine_at_once() -> None:
    # regression: a 1,000-node chain ran past 120 s in owlrl (issue 12)
    import time

    from ccsig.errors import CcsigError

    graph = _graph(_chain(1000))
    start = time.monotonic()
    with pytest.raises(CcsigError, match=r"1,000 nodes .*--engine fast"):
        reasoning.reference_closure(graph)
    assert time.monotonic() - start < 5
    reasoning.refuse_too_large(_graph(_chain(20)))  # a short chain is closed as before
