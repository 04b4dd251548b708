"""Reading an input once, keeping only the quads whose predicate can matter."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import InputError
from ccsig.ingest import stream
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


# ------------------------------------------------- two halves at once (a forked process)

PREFIXES = b"@prefix ex: <https://e.org/> .\n# a comment\nPREFIX x: <https://x.org/>\n\n"


def _statement(i: int) -> bytes:
    return f'ex:d{i} a ex:Dataset ; ex:usage "all=n" ; ex:title "T{i}" .\n'.encode()


def _by_predicate(kept: stream.Kept) -> tuple[dict[str, list[str]], set[str]]:
    return (
        {p.value: [str(q) for q in quads] for p, quads in kept.by_predicate.items()},
        {p.value for p in kept.dropped},
    )


Read = tuple[dict[str, list[str]], set[str]]
ALONE = stream._alone


@pytest.fixture(autouse=True)
def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread another test left behind (a stub server's) must not turn the two-half
    reading off here; the test of threads puts the real check back."""
    monkeypatch.setattr(stream, "_alone", lambda: True)


def _both(data: bytes, fmt: ox.RdfFormat, monkeypatch: pytest.MonkeyPatch) -> tuple[Read, Read]:
    """(read whole, read in two halves) of `data`, each as predicate -> quads, dropped."""
    keep = lambda p: p in (USAGE, TYPE)  # noqa: E731
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 1 << 60)
    whole = _by_predicate(keep_quads("c.ttl", data, fmt, keep))
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)
    halves = _by_predicate(keep_quads("c.ttl", data, fmt, keep))
    return whole, halves


def test_two_halves_read_what_the_whole_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    data = PREFIXES + b"".join(_statement(i) for i in range(40))
    assert stream._in_two(data, ox.RdfFormat.TURTLE, lambda p: True, "file:///c.ttl")
    whole, halves = _both(data, ox.RdfFormat.TURTLE, monkeypatch)
    assert whole == halves and len(whole[0][USAGE.value]) == 40


def _subjects(buckets: stream.Buckets) -> list[str]:
    return [q.subject.value for b in buckets.values() if b for q in b]


def test_each_half_summarises_what_it_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    data = PREFIXES + b"".join(_statement(i) for i in range(40))
    keep = lambda p: p == USAGE  # noqa: E731
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)
    halves = keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, keep, summary=_subjects)
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 1 << 60)
    whole = keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, keep, summary=_subjects)
    assert len(halves.summaries) == 2 and all(halves.summaries)  # made in each process
    assert [s for part in halves.summaries for s in part] == whole.summaries[0]
    assert halves.predicates == whole.predicates == [USAGE]


def test_summarised_halves_send_no_quads(monkeypatch: pytest.MonkeyPatch) -> None:
    """When both halves' summaries are made, the second half's quads stay in its
    process (`whole` false, and asking for them is refused rather than half answered);
    when either summary is None, they are sent and read as the whole's."""
    data = PREFIXES + b"".join(_statement(i) for i in range(40))
    keep = lambda p: p == USAGE  # noqa: E731
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)
    monkeypatch.setattr(stream, "_alone", lambda: True)
    summarised = keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, keep, summary=_subjects)
    assert len(summarised.summaries) == 2 and not summarised.whole
    with pytest.raises(ValueError):
        summarised.by_predicate  # noqa: B018
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 1 << 60)
    whole = _by_predicate(keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, keep))
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)

    def none_of_the_first(buckets: stream.Buckets) -> list[str] | None:
        subjects = _subjects(buckets)
        return None if "https://e.org/d0" in subjects else subjects

    def none_of_the_second(buckets: stream.Buckets) -> list[str] | None:
        subjects = _subjects(buckets)
        return None if "https://e.org/d39" in subjects else subjects

    for summary in (none_of_the_first, none_of_the_second):
        asked = keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, keep, summary=summary)
        assert asked.whole and _by_predicate(asked) == whole


def test_n_triples_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"".join(
        f'<https://e.org/d{i}> <{USAGE.value}> "all=n" .\n'
        f'<https://e.org/d{i}> <https://e.org/t> "x" .\n'.encode()
        for i in range(30)
    )
    assert stream._in_two(data, ox.RdfFormat.N_TRIPLES, lambda p: True, "file:///c.nt")
    whole, halves = _both(data, ox.RdfFormat.N_TRIPLES, monkeypatch)
    assert whole == halves


@pytest.mark.parametrize(
    "middle",
    [
        b"@prefix ex: <https://other.org/> .\n",  # a prefix changes in the first half
        b"@base <https://b.org/dir/> .\n<rel> ex:usage 'x' .\n",  # the base changes
        b'ex:s ex:title """a long string\nex:z ex:usage "no" .\n' * 1 + b'still""" .\n',
    ],
)
def test_a_cut_the_halves_cannot_show_sound_reads_the_whole(
    middle: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = PREFIXES + _statement(0) + middle + b"".join(_statement(i) for i in range(1, 4))
    if b'"""' in middle:  # the cut lands in the long string
        data = PREFIXES + _statement(0) + middle * 8 + _statement(1)
    whole, halves = _both(data, ox.RdfFormat.TURTLE, monkeypatch)
    assert whole == halves


def test_a_syntax_error_in_the_second_half_names_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)
    data = PREFIXES + b"".join(_statement(i) for i in range(10)) + b"ex:c ex:p .\n"
    with pytest.raises(InputError) as err:
        keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, lambda p: True)
    assert str(err.value).startswith("c.ttl:15:")


_PIECES = [
    b"@prefix ex: <https://e.org/> .\n",
    b"@prefix ex: <https://f.org/> .\n",
    b"@base <https://b.org/> .\n",
    b"BASE <https://c.org/x/>\n",
    b'ex:a ex:usage "v" .\n',
    b"<r> a ex:Dataset .\n",
    b'ex:a ex:title """x .\n',
    b'y .\n""" .\n',
    b"ex:a ex:usage 'z' ;\n ex:title 'w' .\n",
    b"# comment .\n",
    b"\n",
    b"ex:a ex:p ex:o",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_halves_and_whole_agree_on_any_document(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    keep = lambda p: p in (USAGE, TYPE)  # noqa: E731
    try:
        quads = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri="file:///c")
        buckets = stream._sorted(quads, keep)
        seen = [(p, b is not None) for p, b in buckets.items()]
        whole = _by_predicate(stream._kept([buckets], seen, ox.RdfFormat.TURTLE, []))
    except SyntaxError:
        whole = None
    halves = stream._in_two(data, ox.RdfFormat.TURTLE, keep, "file:///c")
    if halves is not None:  # when the halves read anything, it is what the whole reads
        assert whole == _by_predicate(halves)


def test_a_process_with_threads_is_not_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 0)
    monkeypatch.setattr(stream, "_alone", ALONE)
    forked: list[bool] = []
    monkeypatch.setattr(stream, "_in_two", lambda *a: forked.append(True))
    data = PREFIXES + b"".join(_statement(i) for i in range(10))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        kept = keep_quads("c.ttl", data, ox.RdfFormat.TURTLE, lambda p: p == USAGE)
    finally:
        stop.set()
        other.join()
    assert forked == [] and len(kept.by_predicate[USAGE]) == 10
