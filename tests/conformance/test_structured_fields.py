"""The HTTP WG structured-field test suites, run through ccsig's parser.

Suites are read at collection time from ../shared/reference/structured-field-tests
(https://github.com/httpwg/structured-field-tests); nothing is copied into the repo.
Only cases whose header_type is "dictionary" apply: an aipref expression is an
RFC 9651 Dictionary. Each case's `raw` field lines are joined with ", ", which is
how HTTP combines field lines (RFC 9110, Section 5.3; RFC 9651, Section 4.2).
"""

from __future__ import annotations

from typing import Any

import http_sf
import pytest

from ccsig.model.expression import parse_expression
from ccsig.model.vocabulary import load_ontology
from tests.helpers.paths import requires_reference

SUITE_DIR = requires_reference("structured-field-tests")
SUITES = ["dictionary.json", "param-dict.json", "key-generated.json", "token.json"]


def _cases() -> list[Any]:
    params = []
    for suite in SUITES:
        path = SUITE_DIR / suite
        if not path.is_file():
            params.append(
                pytest.param(None, id=suite, marks=pytest.mark.skip(reason=f"{path} not found"))
            )
            continue
        seen: dict[str, int] = {}
        for case in http_sf.from_json(path.read_text(encoding="utf-8")):
            if case["header_type"] != "dictionary":
                continue
            name = case["name"]
            seen[name] = seen.get(name, 0) + 1
            suffix = f"#{seen[name]}" if seen[name] > 1 else ""
            params.append(pytest.param(case, id=f"{suite.removesuffix('.json')}: {name}{suffix}"))
    return params


CASES = _cases()


def _member_value_as_written(member: Any) -> str:
    """RFC 9651 serialisation of a member's bare item or inner list, without parameters.

    A one-member List serialises to exactly that member, which covers Items and
    Inner Lists alike.
    """
    bare = member[0] if isinstance(member, tuple) else member
    return http_sf.ser([(bare, {})])


def _expected_members(expected: Any) -> list[tuple[str, Any]]:
    return list(expected.items()) if isinstance(expected, dict) else [tuple(m) for m in expected]


def test_suites_were_found() -> None:
    # A silently empty parametrisation would pass vacuously.
    assert len([c for c in CASES if c.values[0] is not None]) > 100


@pytest.mark.parametrize("case", CASES)
def test_structured_field_case(case: dict[str, Any]) -> None:
    raw = ", ".join(case["raw"]).encode("utf-8")
    parsed = parse_expression(raw)
    vocabulary = load_ontology().vocabulary(parsed.vocabulary)
    if case.get("can_fail") and not parsed.parsed:
        return  # a SHOULD-level case: failing is acceptable
    if case.get("must_fail"):
        assert parsed.parsed is False, f"{raw!r} must not parse"
        assert parsed.members == ()
        assert set(parsed.preferences.values()) == {"unknown"}
        assert set(parsed.effective.values()) == {"unknown"}
        assert parsed.exceptions == {} and parsed.effective_exceptions == {}
        assert any("does not parse" in w for w in parsed.warnings), parsed.warnings
        return
    assert parsed.parsed is True, parsed.error
    assert parsed.error is None
    expected = _expected_members(case["expected"])
    assert [m.label for m in parsed.members] == [label for label, _ in expected]
    assert [m.value_as_written for m in parsed.members] == [
        _member_value_as_written(member) for _, member in expected
    ]
    # The aipref processing over the same dictionary: only Token y / n state anything.
    tokens = {"y": "allow", "n": "disallow"}
    stated = {}
    for label, member in expected:
        bare = member[0] if isinstance(member, tuple) else member
        if label in vocabulary.by_label and isinstance(bare, http_sf.Token):
            stated[label] = tokens.get(str(bare), "unknown")
    labels = vocabulary.labels
    assert parsed.preferences == {label: stated.get(label, "unknown") for label in labels}
