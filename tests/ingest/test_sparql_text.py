"""`ccsig.ingest.sparql_text`: how deeply a SPARQL query nests, by a lexer that skips
strings, IRIs and comments, before any parser can overflow its stack on it."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import InputError
from ccsig.ingest.sparql_text import check_query_nesting, query_depth
from tests.helpers.paths import ROOT


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }", 2),
        ("ASK { FILTER((1 + 2) * 3 > 0) }", 3),
        # binary minus after an operand is not a level; unary ones are
        ("ASK { FILTER(1 - 2 - 3 - 4 < 0) }", 2),
        ("ASK { FILTER(!!!true) }", 5),
        ("ASK { FILTER(?x != ?y) }", 2),
        # brackets in strings and comments are counted bare (a parser may lex otherwise)
        ("ASK { # ((((\n ?s ?p ?o }", 5),
        ('ASK { ?s ?p "((" . ?s ?p "))" . ?s ?p "((" }', 3),
        ('ASK { ?s ?p "}}}}{{{" }', 3),
        ("ASK { ?s <http://e.org/a#b> ?o }", 1),
        ("ASK { ?s <http://e.org/(a)> ?o }", 2),
    ],
)
def test_depth_counts_brackets_and_unary_operators(text: str, depth: int) -> None:
    assert query_depth(text) == depth


def test_closing_brackets_in_strings_do_not_hide_nesting() -> None:
    text = "ASK " + '{ ?s ?p "}" . ' * 300 + "}" * 300
    with pytest.raises(InputError, match=r"^q\.rq:1:\d+: the query nests more than 256 deep"):
        check_query_nesting(text, "q.rq")


def test_the_place_named_is_where_the_bound_is_passed() -> None:
    text = "ASK {\n  FILTER(" + "(" * 300 + "1" + ")" * 300 + ")\n}"
    with pytest.raises(InputError) as caught:
        check_query_nesting(text, "q.rq")
    # the group and the FILTER's parenthesis, then the 255th more: the 257th level
    assert caught.value.location == f"q.rq:2:{len('  FILTER(') + 255}"


def test_the_shipped_queries_are_far_below_the_bound() -> None:
    for f in (ROOT / "queries").rglob("*.rq"):
        assert query_depth(f.read_text(encoding="utf-8")) < 16, f


def test_the_measure_is_linear_and_quick_on_a_huge_query() -> None:
    text = "SELECT * WHERE " + "{" * 1_000_000 + "}" * 1_000_000
    started = time.monotonic()
    with pytest.raises(InputError):
        check_query_nesting(text, "q.rq")
    assert time.monotonic() - started < 5


_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "!",
        "!=",
        "-",
        "+",
        "<",
        ">",
        "<=",
        "<http://e.org/#x>",
        '"',
        "'",
        '"""',
        "'''",
        "\\",
        "#",
        "\n",
        " ",
        "?x",
        "1",
        "true",
        "a",
        "ex:p",
        ".",
    ]
)


def _bare(text: str) -> int:
    depth = deepest = 0
    for c in text:
        depth = depth + 1 if c in "{([" else max(depth - 1, 0) if c in "}])" else depth
        deepest = max(deepest, depth)
    return deepest


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=40))
def test_fuzz_the_measure(pieces: list[str]) -> None:
    text = "".join(pieces)
    depth = query_depth(text)
    # never less than bare bracket counting, never more than every opener and operator
    assert _bare(text) <= depth <= sum(text.count(c) for c in "{([!+-")
    check_query_nesting(text, "q.rq")  # 40 pieces cannot nest past the bound
