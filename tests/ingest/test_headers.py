"""Preferences an HTTP response states in its header fields, and a site's tdmrep.json:
ccsig.ingest.headers over Content-Usage, TDMRep and X-Robots-Tag."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.ingest.headers import (
    combined,
    location_matches,
    parse_header_lines,
    statements_from_headers,
    tdmrep_statement,
)
from ccsig.model import web
from ccsig.model.vocabulary import load_ontology
from tests.helpers.timing import growth

A, D, U = "allow", "disallow", "unknown"
VOCABULARIES = sorted(load_ontology().vocabularies)


def stated(statement: web.WebStatement) -> dict[str, str]:
    return {label: value for label, value in statement.parsed.preferences.items() if value != U}


def from_text(text: str | bytes, **kwargs) -> tuple[list[web.WebStatement], list[str]]:
    fields, warnings = parse_header_lines(text)
    statements, more = statements_from_headers(fields, **kwargs)
    return statements, warnings + more


# ------------------------------------------------------------------ parse_header_lines


def test_status_line_skipped_names_lowered_values_trimmed() -> None:
    fields, warnings = parse_header_lines(
        "HTTP/1.1 200 OK\r\nContent-Type:  text/html \r\nCONTENT-USAGE:\ttrain-ai=n\t\r\n"
    )
    assert fields == [("content-type", "text/html"), ("content-usage", "train-ai=n")]
    assert warnings == []


def test_lf_only_and_bytes() -> None:
    fields, warnings = parse_header_lines(b"HTTP/2 200\nX-Robots-Tag: noai\nA: b\n")
    assert fields == [("x-robots-tag", "noai"), ("a", "b")]
    assert warnings == []


def test_status_line_only_skipped_first() -> None:
    fields, warnings = parse_header_lines("A: 1\nHTTP/1.1 200 OK\n")
    assert fields == [("a", "1")]
    assert len(warnings) == 1 and "HTTP/1.1 200 OK" in warnings[0]


def test_obsolete_line_folding_joined() -> None:
    fields, warnings = parse_header_lines(
        "HTTP/1.1 200 OK\r\nContent-Usage: train-ai=n,\r\n   search=y\r\n\tX: y\r\nB: c\r\n"
    )
    assert fields == [("content-usage", "train-ai=n, search=y X: y"), ("b", "c")]
    assert warnings == []


def test_continuation_without_field_warns() -> None:
    fields, warnings = parse_header_lines("HTTP/1.1 200 OK\r\n  orphan: 1\r\nA: b\r\n")
    assert fields == [("a", "b")]
    assert len(warnings) == 1 and "orphan" in warnings[0]


def test_line_without_colon_warns_and_is_skipped() -> None:
    fields, warnings = parse_header_lines("A: 1\nnot a field\nB: 2\n")
    assert fields == [("a", "1"), ("b", "2")]
    assert len(warnings) == 1 and "not a field" in warnings[0] and "colon" in warnings[0]


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b", "\x7f", "\rx", "a\x0bb"])
def test_control_characters_drop_the_field_with_a_warning(bad: str) -> None:
    fields, warnings = parse_header_lines(f"Content-Usage: train-ai=n{bad}\nA: b\n")
    assert fields == [("a", "b")]
    assert len(warnings) == 1 and "content-usage" in warnings[0]


def test_htab_inside_a_value_is_kept() -> None:
    fields, warnings = parse_header_lines("A: x\ty\n")
    assert fields == [("a", "x\ty")] and warnings == []


def test_bad_field_name_skipped_whitespace_before_colon_removed() -> None:
    fields, warnings = parse_header_lines("Content-Usage : train-ai=n\nbad name: 1\n: 2\n")
    assert fields == [("content-usage", "train-ai=n")]
    assert len(warnings) == 2


def test_header_section_ends_at_the_empty_line() -> None:
    raw = b"HTTP/1.1 200 OK\r\nA: 1\r\n\r\nTDM-Reservation: 1\r\n\x00\xff body"
    fields, warnings = parse_header_lines(raw)
    assert fields == [("a", "1")] and warnings == []
    fields, _ = parse_header_lines("A: 1\n\nB: 2\n")
    assert fields == [("a", "1")]


def test_bytes_are_read_as_latin_1() -> None:
    fields, warnings = parse_header_lines(b"A: caf\xe9\r\n")
    assert fields == [("a", "caf\xe9")] and warnings == []


def test_empty_value_kept() -> None:
    assert parse_header_lines("A:\n") == ([("a", "")], [])


# ------------------------------------------------------------------ Content-Usage


def test_content_usage_header() -> None:
    statements, warnings = from_text("HTTP/1.1 200 OK\r\nContent-Usage: train-ai=n\r\n")
    assert warnings == []
    [statement] = statements
    assert statement.system == web.CONTENT_USAGE and statement.via == "header"
    assert statement.as_written == "train-ai=n"
    assert stated(statement) == {"train-ai": D}
    # the hierarchy applies: train-genai falls under train-ai
    assert statement.preferences["train-genai"] == D


def test_content_usage_lines_combine_into_one_dictionary_later_key_wins() -> None:
    statements, warnings = statements_from_headers(
        [("content-usage", "train-ai=n, search=y"), ("content-usage", "train-ai=y")]
    )
    [statement] = statements
    assert statement.as_written == "train-ai=n, search=y, train-ai=y"
    assert stated(statement) == {"train-ai": A, "search": A}
    assert any("more than once" in w for w in warnings)


def test_content_usage_lines_earlier_disallow_overridden() -> None:
    [statement], _ = statements_from_headers(
        [("Content-Usage", "train-ai=y"), ("CONTENT-USAGE", "train-ai=n")]
    )
    assert stated(statement) == {"train-ai": D}


def test_unparseable_content_usage_all_unknown_with_warning() -> None:
    statements, warnings = statements_from_headers([("content-usage", "train-ai=n;;")])
    [statement] = statements
    assert set(statement.preferences.values()) == {U}
    assert statement.parsed.error is not None
    assert any("does not parse" in w for w in warnings)


def test_one_bad_line_spoils_the_combined_value() -> None:
    # RFC 9651: the combined value is parsed as a whole; a failure fails the field
    [statement], warnings = statements_from_headers(
        [("content-usage", "train-ai=n"), ("content-usage", "search=")]
    )
    assert set(statement.preferences.values()) == {U}
    assert warnings


def test_location_recorded() -> None:
    [statement], _ = statements_from_headers(
        [("content-usage", "train-ai=n")], location="https://example.com/a"
    )
    assert statement.location == "https://example.com/a"


# ------------------------------------------------------------------ TDMRep headers


def test_tdm_reservation_1_disallows_with_policy_note() -> None:
    statements, warnings = from_text(
        "HTTP/1.1 200 OK\r\ntdm-reservation: 1\r\n"
        "tdm-policy: https://provider.com/policies/policy.json\r\n"
    )
    assert warnings == []
    [statement] = statements
    assert statement.system == "tdmrep" and statement.as_written == "1"
    assert statement.note == "https://provider.com/policies/policy.json"
    assert set(statement.preferences.values()) == {D}  # aipref-02: the root "all"


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_tdm_reservation_1_disallows_in_every_vocabulary(vocabulary: str) -> None:
    [statement], _ = statements_from_headers([("tdm-reservation", "1")], vocabulary=vocabulary)
    assert D in statement.preferences.values()
    assert set(statement.preferences) == set(load_ontology().vocabulary(vocabulary).labels)


def test_tdm_reservation_0_states_nothing_without_warning() -> None:
    [statement], warnings = statements_from_headers(
        [("tdm-reservation", "0"), ("tdm-policy", "https://p.example/")]
    )
    assert set(statement.preferences.values()) == {U} and warnings == []
    assert statement.note == "https://p.example/"


@pytest.mark.parametrize("value", ["2", "yes", "true", "", "1 1", "1, 0", "01"])
def test_tdm_reservation_other_values_are_unset_with_warning(value: str) -> None:
    [statement], warnings = statements_from_headers([("tdm-reservation", value)])
    assert set(statement.preferences.values()) == {U}
    assert len(warnings) == 1 and "tdm-reservation" in warnings[0]


def test_tdm_reservation_repeated_identical_counts_once() -> None:
    for fields in (
        [("tdm-reservation", "1"), ("tdm-reservation", "1")],
        [("tdm-reservation", "1, 1")],
    ):
        [statement], warnings = statements_from_headers(fields)
        assert D in statement.preferences.values() and warnings == []


def test_tdm_policy_alone_is_ignored_with_warning() -> None:
    statements, warnings = statements_from_headers([("tdm-policy", "https://p.example/")])
    assert statements == [] and len(warnings) == 1


# ------------------------------------------------------------------ X-Robots-Tag


def test_noai_disallows_train_ai() -> None:
    [statement], warnings = statements_from_headers([("x-robots-tag", "noindex, noai")])
    assert statement.system == "x-robots-tag" and statement.as_written == "noindex, noai"
    assert stated(statement) == {"train-ai": D}
    assert warnings == []


@pytest.mark.parametrize("name", ["Robots-Tag", "robots-tag"])
def test_robots_tag_without_x_is_read_as_x_robots_tag(name: str) -> None:
    # draft-illyes-repext names the field Robots-Tag; it was ignored, silently
    [statement], warnings = statements_from_headers([(name.lower(), "noai")])
    assert statement.system == "x-robots-tag" and stated(statement) == {"train-ai": D}
    fields, _ = parse_header_lines(f"{name}: otherbot: noai\r\n")
    assert statements_from_headers(fields, agent="otherbot")[0] != []


def test_x_robots_tag_other_directives_state_nothing() -> None:
    assert statements_from_headers([("x-robots-tag", "noindex, nofollow")]) == ([], [])


def test_noai_for_another_agent_does_not_apply() -> None:
    statements, warnings = statements_from_headers([("x-robots-tag", "otherbot: noindex, noai")])
    assert statements == []
    assert len(warnings) == 1 and "otherbot" in warnings[0]
    # nor to a named agent that is someone else
    statements, _ = statements_from_headers([("x-robots-tag", "otherbot: noai")], agent="ccbot")
    assert statements == []


def test_noai_for_our_agent_applies_case_insensitively() -> None:
    [statement], warnings = statements_from_headers(
        [("x-robots-tag", "CCBot: noindex, noai")], agent="ccbot"
    )
    assert stated(statement) == {"train-ai": D} and warnings == []


def test_agent_prefix_switches_within_a_line_and_resets_per_line() -> None:
    fields = [("x-robots-tag", "otherbot: noai, ccbot: noimageai"), ("x-robots-tag", "noai")]
    statements, _ = statements_from_headers(fields + [("content-type", "image/png")], agent="ccbot")
    assert [s.as_written for s in statements] == ["otherbot: noai, ccbot: noimageai", "noai"]
    statements, _ = statements_from_headers(fields, agent="otherbot")
    assert [s.as_written for s in statements] == [value for _, value in fields]


def test_unprefixed_directives_apply_to_every_agent() -> None:
    [statement], _ = statements_from_headers([("x-robots-tag", "noai")], agent="ccbot")
    assert stated(statement) == {"train-ai": D}


def test_valued_directives_are_not_agent_names() -> None:
    [statement], warnings = statements_from_headers(
        [("x-robots-tag", "max-snippet: 20, unavailable_after: 25 Jun 2010 15:00:00 PST, noai")]
    )
    assert stated(statement) == {"train-ai": D} and warnings == []


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("image/png", {"train-ai": D}),
        ("Image/JPEG; q=1", {"train-ai": D}),
        ("text/html; charset=utf-8", {}),
        (None, {}),
    ],
)
def test_noimageai_applies_only_to_images(content_type: str | None, expected: dict) -> None:
    fields = [("x-robots-tag", "noimageai")]
    if content_type is not None:
        fields.append(("content-type", content_type))
    [statement], warnings = statements_from_headers(fields)
    assert stated(statement) == expected
    assert bool(warnings) == (expected == {})


def test_content_type_last_member_wins() -> None:
    fields = [("content-type", "text/html"), ("content-type", "image/png")]
    [statement], _ = statements_from_headers([("x-robots-tag", "noimageai"), *fields])
    assert stated(statement) == {"train-ai": D}
    [statement], _ = statements_from_headers(
        [("x-robots-tag", "noimageai"), ("content-type", "image/png, text/html")]
    )
    assert stated(statement) == {}


# ------------------------------------------------------------------ one response, combined


def test_everything_about_a_response_combines_most_restrictively() -> None:
    statements, warnings = from_text(
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: image/jpeg\r\n"
        "Content-Usage: train-ai=y, search=y\r\n"
        "X-Robots-Tag: noimageai\r\n"
        "tdm-reservation: 0\r\n"
    )
    assert [s.system for s in statements] == ["content-usage", "tdmrep", "x-robots-tag"]
    result = combined(statements)
    assert result == web.combine(statements)
    assert result["train-ai"] == D and result["search"] == A and result["all"] == U
    assert warnings == []


def test_combined_without_statements_is_unknown() -> None:
    assert set(combined([]).values()) == {U}


# ------------------------------------------------------------------ tdmrep.json


SPEC_EXAMPLE = json.dumps(
    [
        {"location": "/directory-a/", "tdm-reservation": 1},
        {
            "location": "/directory-b/html/",
            "tdm-reservation": 1,
            "tdm-policy": "https://provider.com/policies/policy.json",
        },
        {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0},
    ]
)


def test_tdmrep_spec_example() -> None:
    statement, warnings = tdmrep_statement(
        SPEC_EXAMPLE,
        "/directory-b/html/page.html",
        location="https://provider.com/.well-known/tdmrep.json",
    )
    assert warnings == []
    assert statement is not None and statement.via == "tdmrep.json"
    assert set(statement.preferences.values()) == {D}
    assert statement.note == "https://provider.com/policies/policy.json"
    assert statement.location == "https://provider.com/.well-known/tdmrep.json"
    assert json.loads(statement.as_written)["location"] == "/directory-b/html/"

    statement, _ = tdmrep_statement(SPEC_EXAMPLE.encode(), "/directory-b/images/x/y.jpg")
    assert statement is not None and set(statement.preferences.values()) == {U}

    assert tdmrep_statement(SPEC_EXAMPLE, "/directory-c/a") == (None, [])
    assert tdmrep_statement(SPEC_EXAMPLE, "/Directory-A/x") == (None, [])  # case-sensitive


def test_tdmrep_first_matching_rule_wins() -> None:
    data = json.dumps(
        [
            {"location": "/a/public/", "tdm-reservation": 0},
            {"location": "/a/", "tdm-reservation": 1},
        ]
    )
    statement, _ = tdmrep_statement(data, "/a/public/x")
    assert statement is not None and set(statement.preferences.values()) == {U}
    statement, _ = tdmrep_statement(data, "/a/private/x")
    assert statement is not None and set(statement.preferences.values()) == {D}


def test_tdmrep_full_url_reduced_to_path_and_query() -> None:
    data = json.dumps([{"location": "/*.php$", "tdm-reservation": 1}])
    assert tdmrep_statement(data, "https://example.com/index.php")[0] is not None
    assert tdmrep_statement(data, "https://example.com/index.php?x=1")[0] is None
    assert tdmrep_statement(data, "https://example.com/index.php#frag")[0] is not None


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/", "/anything", True),
        ("/fish", "/fish.html", True),
        ("/fish", "/Fish", False),
        ("/fish$", "/fish", True),
        ("/fish$", "/fish/", False),
        ("/this/*/then", "/this/a/b/then/more", True),
        ("/this/*/then", "/this/then", False),
        ("/*.jpg", "/a/b.jpg", True),
        ("/*.jpg$", "/a/b.jpg?x", False),
        ("*.pdf", "/a.pdf", True),
        ("/a**b", "/ab", True),
        ("/a*b*c$", "/abcbc", True),
        ("/a*b*c$", "/abcb", False),
        ("/path/foo-%24", "/path/foo-$", True),  # the TDMRep spec's example
        ("/path/foo-$x", "/path/foo-%24x", True),  # a '$' before the end is literal
        ("/%7Euser", "/~user", True),  # unreserved escapes are decoded
        ("/~user", "/%7euser", True),
        ("/a%2fb", "/a%2Fb", True),  # escape case does not matter
        ("/a%2Fb", "/a/b", False),  # a reserved character stays encoded
        ("/café", "/caf%C3%A9", True),  # non-ASCII is compared UTF-8 encoded
        ("/a*", "/a%2A", True),
        ("/a%2A", "/a*", True),
        ("/a%2A", "/ab", False),
    ],
)
def test_location_matching(pattern: str, path: str, expected: bool) -> None:
    assert location_matches(pattern, path) is expected


@pytest.mark.parametrize(
    "data", ["", "{", "not json", b"\xff\xfe\x00", "[" * 100_000, '{"location": "/"}', "1"]
)
def test_tdmrep_unreadable_files_give_none_and_a_warning(data: str | bytes) -> None:
    statement, warnings = tdmrep_statement(data, "/")
    assert statement is None and len(warnings) == 1


def test_tdmrep_utf8_bom_accepted() -> None:
    data = b"\xef\xbb\xbf" + json.dumps([{"location": "/", "tdm-reservation": 1}]).encode()
    statement, warnings = tdmrep_statement(data, "/x")
    assert statement is not None and warnings == []


def test_tdmrep_bad_rules_skipped_with_warnings_before_the_match() -> None:
    data = json.dumps(
        ["rule", {"tdm-reservation": 1}, {"location": 5}, {"location": "/", "tdm-reservation": 1}]
    )
    statement, warnings = tdmrep_statement(data, "/x")
    assert statement is not None and D in statement.preferences.values()
    assert len(warnings) == 3


@pytest.mark.parametrize("value", ['"1"', "true", "2", "null", "1.5", "[1]"])
def test_tdmrep_reservation_other_than_1_or_0_is_unset(value: str) -> None:
    data = (
        f'[{{"location": "/", "tdm-reservation": {value}}}, '
        '{"location": "/", "tdm-reservation": 1}]'
    )
    statement, warnings = tdmrep_statement(data, "/x")
    # the matching rule governs, even with an unusable value: the reservation is unset
    assert statement is not None and set(statement.preferences.values()) == {U}
    assert len(warnings) == 1 and "rule 1" in warnings[0]


def test_tdmrep_missing_reservation_is_unset() -> None:
    statement, warnings = tdmrep_statement('[{"location": "/"}]', "/x")
    assert statement is not None and set(statement.preferences.values()) == {U}
    assert len(warnings) == 1


# ------------------------------------------------------------------ never raises


def assert_complete(statements: list[web.WebStatement], vocabulary: str) -> None:
    labels = set(load_ontology().vocabulary(vocabulary).labels)
    for statement in statements:
        assert set(statement.preferences) == labels
        assert set(statement.preferences.values()) <= {A, D, U}


NAMES = st.sampled_from(
    [
        "Content-Usage",
        "content-usage",
        "tdm-reservation",
        "TDM-Policy",
        "X-Robots-Tag",
        "Content-Type",
        "Other",
        "bad name",
        "",
    ]
)
VALUES = st.text(alphabet=st.sampled_from(list("nyai=,;: -*\t\r\n\x00\x7fotherbot/")), max_size=40)
LINE = st.builds(lambda n, v: f"{n}:{v}", NAMES, VALUES)
HEADERS = st.lists(LINE, max_size=8).map("\r\n".join)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=200), st.binary(max_size=200), HEADERS),
    vocabulary=st.sampled_from(VOCABULARIES),
    agent=st.one_of(st.none(), st.sampled_from(["otherbot", "ccbot", ""])),
)
def test_headers_never_raise(text: str | bytes, vocabulary: str, agent: str | None) -> None:
    fields, warnings = parse_header_lines(text)
    assert all(isinstance(w, str) for w in warnings)
    for name, value in fields:
        assert name == name.lower() and value == value.strip(" \t")
    statements, more = statements_from_headers(fields, vocabulary=vocabulary, agent=agent)
    assert all(isinstance(w, str) for w in more)
    assert_complete(statements, vocabulary)
    assert set(combined(statements, vocabulary).values()) <= {A, D, U}


@settings(max_examples=300, deadline=None)
@given(
    fields=st.lists(st.tuples(NAMES | st.text(max_size=10), st.text(max_size=40)), max_size=6),
    vocabulary=st.sampled_from(VOCABULARIES),
)
def test_statements_from_arbitrary_fields_never_raise(
    fields: list[tuple[str, str]], vocabulary: str
) -> None:
    statements, _ = statements_from_headers(fields, vocabulary=vocabulary, agent="otherbot")
    assert_complete(statements, vocabulary)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["location", "tdm-reservation", "tdm-policy"]), inner)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(JSONISH.map(json.dumps), st.text(max_size=60), st.binary(max_size=60)),
    path=st.text(max_size=20),
    vocabulary=st.sampled_from(VOCABULARIES),
)
def test_tdmrep_never_raises(data: str | bytes, path: str, vocabulary: str) -> None:
    statement, warnings = tdmrep_statement(data, path, vocabulary=vocabulary)
    assert all(isinstance(w, str) for w in warnings)
    if statement is not None:
        assert_complete([statement], vocabulary)


# ------------------------------------------------------------------ obsolete line folding


def _folded(continuations: int) -> str:
    return "Content-Usage: train-ai=n\r\n" + "".join(f" , x{i}=y\r\n" for i in range(continuations))


def test_unfolding_time_grows_linearly() -> None:
    # Regression: each continuation line copied the whole field so far (3.2 MB: 131 s).
    # 8 times the lines: linear takes ~8 times as long, quadratic ~64 times.
    small, large = _folded(10_000), _folded(80_000)
    ratio = growth(lambda: parse_header_lines(small), lambda: parse_header_lines(large))
    assert ratio < 24, f"8x the folded lines took {ratio:.1f}x the time"
    fields, _ = parse_header_lines(large)
    assert fields[0][1].endswith(", x79999=y") and fields[0][1].count(" , ") == 80_000


def _unfolded_one_by_one(text: str) -> list[str]:
    """The obvious unfolding, one continuation at a time: what parse_header_lines must match."""
    logical: list[str] = []
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if line[:1] in (" ", "\t"):
            if logical:
                logical[-1] = logical[-1].rstrip(" \t") + " " + line.strip(" \t")
            continue
        logical.append(line)
    return logical


FOLDED_PART = st.text(alphabet=st.sampled_from(list("ab=, \t")), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    first=FOLDED_PART,
    continuations=st.lists(
        st.tuples(st.sampled_from([" ", "\t", "  ", " \t"]), FOLDED_PART), max_size=6
    ),
)
def test_unfolding_matches_one_fold_at_a_time(
    first: str, continuations: list[tuple[str, str]]
) -> None:
    text = "x:" + first + "".join(f"\r\n{lead}{part}" for lead, part in continuations)
    fields, _ = parse_header_lines(text)
    (expected,) = _unfolded_one_by_one(text)
    assert fields == [("x", expected.partition(":")[2].strip(" \t"))]


# ---------------------------------------------------------------- Content-Signal, Link (RSL)


def test_content_signal_header_is_read_as_the_robots_line_is() -> None:
    from ccsig.ingest.headers import statements_from_headers

    statements, warnings = statements_from_headers(
        [("content-signal", "search=yes, ai-train=no"), ("content-signal", "ai-input=disallow")]
    )
    (statement,) = statements
    assert (statement.system, statement.via) == ("content-signal", "header")
    assert statement.expression == "search=y, train-ai=n, ai-use=n"
    assert warnings == [
        "content-signal: value 'disallow' (read as 'no') is not Content-Signal's spelling"
    ]


def test_meta_content_value_is_read_by_the_same_function() -> None:
    from ccsig.ingest.headers import content_signal_statement

    statement, warnings = content_signal_statement("ai-train=no", "meta", "aipref-07")
    assert statement.via == "meta" and statement.preferences["train-ai"] == "disallow"
    assert warnings == []


def test_rsl_link_fields_name_licence_documents() -> None:
    from ccsig.ingest.headers import rsl_links

    urls, warnings = rsl_links(
        [
            ("link", '</license.xml>; rel="license"; type="application/rsl+xml", '
                     '<https://example.com/>; rel="canonical"'),
            ("Link", '<https://creativecommons.org/licenses/by/4.0/>; rel=license'),
            ("link", '<https://cdn.example/l.rsl>; rel="alternate LICENSE"; '
                     'type="application/rsl+xml"; title="a, b"'),
        ],
        base="https://example.com/articles/1",
    )  # fmt: skip
    assert urls == ["https://example.com/license.xml", "https://cdn.example/l.rsl"]
    assert len(warnings) == 1 and "creativecommons.org" in warnings[0]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>;,=\"' \tlicensrl/+xmapt*%\\\x00é")), max_size=80))
def test_rsl_links_never_raise(value: str) -> None:
    from ccsig.ingest.headers import rsl_links

    urls, warnings = rsl_links([("link", value)], base="https://example.com/a")
    assert all(isinstance(url, str) for url in urls)
    assert all("\n" not in w for w in warnings)
