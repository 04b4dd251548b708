"""Semantics of parse_expression: aipref processing over an RFC 9651 Dictionary plus
the CC signals `exceptions` rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import UnknownVocabularyError
from ccsig.model.expression import parse_expression
from ccsig.model.vocabulary import load_ontology

A, D, U = "allow", "disallow", "unknown"
VOCABULARIES = sorted(load_ontology().vocabularies)
SIGNALS = ["cc-cr", "cc-cr-dc", "cc-cr-ec", "cc-cr-op"]


def stated(parsed) -> dict[str, str]:
    return {label: value for label, value in parsed.preferences.items() if value != U}


def assert_nothing_known(parsed) -> None:
    assert set(parsed.preferences.values()) == {U}
    assert set(parsed.effective.values()) == {U}
    assert parsed.exceptions == {} and parsed.effective_exceptions == {}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("train-ai=y, train-ai=n", {"train-ai": D}),
        ("train-ai=n, train-ai=y", {"train-ai": A}),
        ("train-ai=n, search=y, train-ai=y", {"train-ai": A, "search": A}),
        ('train-ai=n, train-ai="n"', {}),
    ],
)
def test_last_duplicate_wins(expression: str, expected: dict[str, str]) -> None:
    parsed = parse_expression(expression)
    assert stated(parsed) == expected
    assert parsed.duplicates == ("train-ai",)
    assert any("more than once" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("expression", "exceptions"),
    [
        ("train-ai=n;exceptions=cc-cr, train-ai=n", {}),
        ("train-ai=n, train-ai=n;exceptions=cc-cr", {"train-ai": "cc-cr"}),
        ("train-ai=n;exceptions=cc-cr, train-ai=y", {}),
        ("train-ai=n;exceptions=cc-cr, train-ai=n;exceptions=cc-cr-op", {"train-ai": "cc-cr-op"}),
        ("train-ai=n;exceptions=cc-cr;exceptions=cc-cr-op", {"train-ai": "cc-cr-op"}),
    ],
)
def test_last_duplicate_wins_with_its_own_parameters(expression: str, exceptions: dict) -> None:
    assert parse_expression(expression).exceptions == exceptions


@pytest.mark.parametrize(
    "expression",
    [
        "search=y, train-ai=n;search=1;search=2",
        "search=y, train-ai=(n;search=1;search=2)",
        "search=y, train-ai=n;exceptions=cc-cr;exceptions=cc-cr-ec",
    ],
)
def test_duplicate_parameter_keys_are_not_duplicate_labels(expression: str) -> None:
    # RFC 9651 §4.2.2 (Dictionary keys) and §4.2.3.2 (Parameters) overwrite duplicates
    # separately; aipref (-07 §6.5.1) warns about a *dictionary* key appearing twice.
    # Here every dictionary key appears once, so nothing is a duplicate label.
    parsed = parse_expression(expression)
    assert parsed.preferences["search"] == A
    assert parsed.duplicates == ()
    assert not any("'search' appears more than once" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("expression", "written"),
    [
        pytest.param('train-ai="n"', '"n"', id="string"),
        pytest.param("train-ai=?1", "?1", id="boolean-true"),
        pytest.param("train-ai", "?1", id="bare-key"),
        pytest.param("train-ai=?0", "?0", id="boolean-false"),
        pytest.param("train-ai=0", "0", id="integer"),
        pytest.param("train-ai=1.5", "1.5", id="decimal"),
        pytest.param("train-ai=(n)", "(n)", id="inner-list"),
        pytest.param("train-ai=yes", "yes", id="token-yes"),
        pytest.param("train-ai=N", "N", id="token-uppercase-N"),
        pytest.param("train-ai=:bg==:", ":bg==:", id="byte-sequence"),
    ],
)
def test_non_yn_values_are_unknown_and_warned(expression: str, written: str) -> None:
    parsed = parse_expression(expression)
    assert parsed.parsed is True
    assert parsed.preferences["train-ai"] == U
    assert parsed.effective["train-genai"] == U
    assert [m.value_as_written for m in parsed.members] == [written]
    assert any(w.startswith(f"train-ai={written}:") and "unknown" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"Train-ai=n", id="uppercase-key"),
        pytest.param(b"train-ai=n,", id="trailing-comma"),
        pytest.param(b"train-ai=n, search=\xc3\xa9", id="non-ascii-utf8"),
        pytest.param(b"train-ai=n, search=\xff", id="non-ascii-byte"),
        pytest.param(b"\ttrain-ai=n", id="leading-tab"),
        pytest.param(b"train-ai =n", id="space-before-equals"),
        pytest.param(b"train-ai=n;", id="trailing-semicolon"),
        pytest.param(b"train-ai=n\r", id="trailing-cr"),
        pytest.param(b"train-ai=n\x00", id="nul"),
    ],
)
def test_unparseable_means_everything_unknown(raw: bytes) -> None:
    parsed = parse_expression(raw)
    assert parsed.parsed is False
    assert parsed.error
    assert parsed.members == () and parsed.duplicates == ()
    assert_nothing_known(parsed)
    assert parsed.canonical() == ""
    assert any("does not parse" in w for w in parsed.warnings)


@pytest.mark.parametrize("raw", [b"", b"   "], ids=["empty", "spaces"])
def test_empty_field_value_is_an_empty_dictionary(raw: bytes) -> None:
    # RFC 9651 §4.2 strips leading/trailing SP; §4.2.2 on an empty string returns an
    # empty Dictionary (the HTTP WG "empty dictionary" case): it parses, states nothing.
    parsed = parse_expression(raw)
    assert parsed.parsed is True
    assert parsed.members == ()
    assert_nothing_known(parsed)
    assert parsed.warnings == ()


@pytest.mark.parametrize("raw", [b"train-ai=n ", b"train-ai=n\t", b" train-ai=n"])
def test_surrounding_whitespace_rfc9651(raw: bytes) -> None:
    # RFC 9651 §4.2 discards leading SP; §4.2.2 step 6 discards OWS (SP / HTAB)
    # after every member, so a trailing tab after a member is allowed.
    parsed = parse_expression(raw)
    assert parsed.parsed is True
    assert stated(parsed) == {"train-ai": D}


def test_unknown_labels_ignored_with_warning() -> None:
    parsed = parse_expression("foo=n, train-ai=y, ai=n")
    assert stated(parsed) == {"train-ai": A}
    assert [(m.label, m.known) for m in parsed.members] == [
        ("foo", False),
        ("train-ai", True),
        ("ai", False),  # an aipref-01 label, unknown in aipref-02
    ]
    assert any("'foo'" in w and "not a category of aipref-02" in w for w in parsed.warnings)
    assert any("'ai'" in w and "not a category" in w for w in parsed.warnings)


def test_unknown_parameters_ignored_silently() -> None:
    parsed = parse_expression("train-ai=n;foo=1;bar")
    assert stated(parsed) == {"train-ai": D}
    assert parsed.exceptions == {}
    assert parsed.warnings == ()


@pytest.mark.parametrize("signal", SIGNALS)
def test_each_signal_token_recognised(signal: str) -> None:
    parsed = parse_expression(f"train-genai=n;exceptions={signal}")
    assert parsed.exceptions == {"train-genai": signal}
    assert parsed.effective_exceptions == {"train-genai": signal}
    assert parsed.members[0].exception == signal
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("expression", "warning"),
    [
        pytest.param('train-genai=n;exceptions="cc-cr"', "names no CC signal", id="string"),
        pytest.param("train-genai=n;exceptions=cc-xx", "names no CC signal", id="unknown-token"),
        pytest.param("train-genai=n;exceptions=CC-CR", "names no CC signal", id="uppercase"),
        pytest.param("train-genai=n;exceptions=?1", "names no CC signal", id="boolean"),
        pytest.param("train-genai=n;exceptions", "names no CC signal", id="bare-parameter"),
        pytest.param("train-genai=y;exceptions=cc-cr", "not a disallow", id="on-allow"),
        pytest.param('train-genai="n";exceptions=cc-cr', "not a disallow", id="on-unknown"),
        pytest.param("foo=n;exceptions=cc-cr", "not a category", id="unknown-label"),
    ],
)
def test_unusable_exceptions_ignored_with_warning(expression: str, warning: str) -> None:
    parsed = parse_expression(expression)
    assert parsed.parsed is True
    assert parsed.exceptions == {}
    assert parsed.effective_exceptions == {}
    assert parsed.members[0].exception is None
    assert any(warning in w for w in parsed.warnings), parsed.warnings
    assert "exceptions" not in parsed.canonical()


@pytest.mark.parametrize(
    ("vocabulary", "expression", "canonical"),
    [
        (
            "aipref-02",
            "search=y, all=n;exceptions=cc-cr, foo=y",
            "all=n;exceptions=cc-cr, search=y",
        ),
        ("aipref-02", "train-genai=n, train-ai=y", "train-ai=y, train-genai=n"),
        ("aipref-02", 'train-ai="n", search=n;x=1', "search=n"),
        ("aipref-02", "train-ai=y;exceptions=cc-cr", "train-ai=y"),
        ("aipref-01", "genai=n, tdm=y", "tdm=y, genai=n"),
        ("aipref-04", "search=n, ai-output=y, bots=n", "bots=n, ai-output=y, search=n"),
        ("aipref-07", "search=n,train-ai=y", "train-ai=y, search=n"),
        ("aipref-07", "nothing=y", ""),
    ],
)
def test_canonical_form(vocabulary: str, expression: str, canonical: str) -> None:
    parsed = parse_expression(expression, vocabulary)
    assert parsed.canonical() == canonical
    again = parse_expression(canonical, vocabulary)
    assert again.preferences == parsed.preferences
    assert again.exceptions == parsed.exceptions
    assert again.canonical() == canonical


def test_unknown_vocabulary_raises() -> None:
    with pytest.raises(UnknownVocabularyError) as info:
        parse_expression("train-ai=n", "nope")
    assert "aipref-02" in str(info.value)


def test_vocabulary_changes_the_answer() -> None:
    old = parse_expression("train-genai=n, ai-use=y", "aipref-02")
    new = parse_expression("train-genai=n, ai-use=y", "aipref-07")
    assert stated(old) == {"train-genai": D, "ai-use": A}
    assert old.warnings == ()
    assert list(new.preferences) == ["train-ai", "search"]
    assert_nothing_known(new)
    assert any("'train-genai'" in w and "aipref-07" in w for w in new.warnings)
    assert parse_expression("train-ai=n", "aipref-02").effective["train-genai"] == D


def test_default_vocabulary_is_aipref_02() -> None:
    assert parse_expression("ai-use=n").vocabulary == "aipref-02"


# ------------------------------------------------------------------ properties

SF_ALPHABET = "abcnyz*_-.0123456789 \t,;=()\"?:/%@!#$&'+^`|~[]{}<>\\ABNYZ" + "\r\n\x00\x7f\u00e9"
sf_text = st.text(alphabet=SF_ALPHABET, max_size=60)
plausible = st.lists(
    st.tuples(
        st.sampled_from(["train-ai", "train-genai", "all", "search", "ai-use", "foo", "X"]),
        st.sampled_from(["=y", "=n", '="n"', "", "=?0", "=(y n)", "=yes", "=1"]),
        st.sampled_from(["", ";exceptions=cc-cr", ";exceptions=cc-cr-op", ";exceptions=x", ";a"]),
    ),
    max_size=6,
).map(lambda ms: ", ".join(k + v + p for k, v, p in ms))


def check_invariants(raw: bytes | str, vocabulary: str) -> None:
    parsed = parse_expression(raw, vocabulary)
    labels = load_ontology().vocabulary(vocabulary).labels
    assert list(parsed.preferences) == labels
    assert list(parsed.effective) == labels
    assert set(parsed.preferences.values()) <= {A, D, U}
    assert set(parsed.effective.values()) <= {A, D, U}
    assert set(parsed.exceptions.values()) <= set(SIGNALS)
    assert all(parsed.preferences[label] == D for label in parsed.exceptions)
    assert all(parsed.effective[label] == D for label in parsed.effective_exceptions)
    if not parsed.parsed:
        assert_nothing_known(parsed)
        assert parsed.members == ()
    again = parse_expression(parsed.canonical(), vocabulary)
    assert again.preferences == parsed.preferences
    assert again.exceptions == parsed.exceptions


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=80), vocabulary=st.sampled_from(VOCABULARIES))
def test_arbitrary_bytes_never_raise(raw: bytes, vocabulary: str) -> None:
    check_invariants(raw, vocabulary)


@settings(max_examples=300, deadline=None)
@given(text=sf_text | plausible, vocabulary=st.sampled_from(VOCABULARIES))
def test_arbitrary_structured_field_text_never_raises(text: str, vocabulary: str) -> None:
    check_invariants(text, vocabulary)


@pytest.mark.parametrize(
    ("text", "where", "position"),
    [("train-genai = n", "before", 12), ("train-genai= n", "after", 12),
     ("train-genai=n;exceptions= cc-cr", "after", 25)],
)  # fmt: skip
def test_a_space_around_equals_is_said_plainly(text: str, where: str, position: int) -> None:
    # http-sf says "'train-genai' should be followed by '=', not '='"
    parsed = parse_expression(text)
    assert (
        parsed.error
        == f"a space {where} '=' at position {position}: RFC 9651 allows none around '='"
    )
    assert not parsed.members
