"""Reading an input once, keeping only the quads whose predicate can matter."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import InputError
from ccsig.ingest.stream import keep_quads

TTL = b"""@prefix ex: <https://e.org/> .
ex:a a ex:Dataset ; ex:title "A" ; ex:usage "all=n" .
ex:b ex:title "B" ; ex:keyword "k" .
"""
USAGE = ox.NamedNode("https://e.org/usage")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_keeps_the_predicates_asked_for_and_names_the_rest() -> None:
    kept = keep_quads("c.ttl", TTL, ox.RdfFormat.TURTLE, lambda p: p in (USAGE, TYPE))
    assert sorted(str(q.predicate) for q in kept.quads) == sorted([str(TYPE), str(USAGE)])
    assert {p.value for p in kept.dropped} == {"https://e.org/title", "https://e.org/keyword"}
    assert not kept.named_graphs


def test_asks_once_per_predicate() -> None:
    asked: list[ox.NamedNode] = []
    keep_quads("c.ttl", TTL, ox.RdfFormat.TURTLE, lambda p: asked.append(p) or False)
    assert len(asked) == len(set(asked)) == 4


def test_a_syntax_error_is_one_line_naming_file_and_line() -> None:
    with pytest.raises(InputError) as err:
        keep_quads("c.ttl", TTL + b"ex:c ex:p .\n", ox.RdfFormat.TURTLE, lambda p: True)
    message = str(err.value)
    assert message.startswith("c.ttl:4") and "\n" not in message


def test_blank_nodes_are_labelled_as_every_reader_labels_them() -> None:
    # from the data, the same on every reading; `taken` keeps inputs apart
    data = b'_:x <https://e.org/usage> "all=n" .'
    one = keep_quads("a.nt", data, ox.RdfFormat.N_TRIPLES, lambda p: True)
    two = keep_quads("a.nt", data, ox.RdfFormat.N_TRIPLES, lambda p: True)
    assert next(iter(one.quads)).subject == next(iter(two.quads)).subject
    taken: set[str] = set()
    first = keep_quads("a.nt", data, ox.RdfFormat.N_TRIPLES, lambda p: True, taken)
    second = keep_quads("b.nt", data, ox.RdfFormat.N_TRIPLES, lambda p: True, taken)
    assert next(iter(first.quads)).subject != next(iter(second.quads)).subject


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_quads_or_one_input_error(data: bytes) -> None:
    try:
        kept = keep_quads("x.nt", data, ox.RdfFormat.N_TRIPLES, lambda p: True)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(kept.dropped, set)
