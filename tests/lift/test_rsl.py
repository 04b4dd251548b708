"""ccsig.lift.rsl: RSL licences as aipref statements, read through vocab/rsl.ttl."""

from __future__ import annotations

import pytest

from ccsig.ingest.rsl import parse_rsl
from ccsig.lift.rsl import content_statement, license_statement, statement_for

NS = 'xmlns="https://rslstandard.org/rsl"'


def _content(body: str, attributes: str = 'url="/"') -> str:
    return f"<rsl {NS}><content {attributes}>{body}</content></rsl>"


def _expression(body: str, vocabulary: str = "aipref-02", attributes: str = 'url="/"') -> str:
    (content,) = parse_rsl(_content(body, attributes)).contents
    return content_statement(content, vocabulary).expression


def test_prohibit_ai_training_template() -> None:  # rslstandard.org getting-started
    assert _expression('<license><prohibits type="usage">ai-train</prohibits></license>') == (
        "train-ai=n"
    )


def test_a_free_permission_is_an_allow() -> None:
    body = '<license><permits type="usage">ai-train</permits><payment type="free"/></license>'
    assert _expression(body) == "train-ai=y"


def test_attribution_is_the_credit_signal_as_exception() -> None:
    body = (
        '<license><permits type="usage">ai-train</permits><payment type="attribution"/></license>'
    )
    assert _expression(body) == "train-ai=n;exceptions=cc-cr"


@pytest.mark.parametrize(
    ("extra", "attributes", "reason"),
    [
        ('<payment type="subscription"/>', 'url="/"', "payment subscription"),
        ('<payment type="attribution"/>', 'url="/" server="https://l.example/api"', "server"),
        ('<payment type="attribution"/><permits type="user">education</permits>', 'url="/"',
         "permits user education"),
        ('<prohibits type="geo">US</prohibits>', 'url="/"', "prohibits geo US"),
    ],
)  # fmt: skip
def test_a_conditional_permission_is_a_plain_disallow_saying_why(
    extra: str, attributes: str, reason: str
) -> None:
    (content,) = parse_rsl(
        _content(f'<license><permits type="usage">ai-train</permits>{extra}</license>', attributes)
    ).contents
    statement = license_statement(content, content.licenses[0])
    assert statement.expression == "train-ai=n"
    assert reason in (statement.note or "")


def test_the_narrower_value_decides_and_a_tie_goes_to_the_prohibition() -> None:
    body = (
        '<license><prohibits type="usage">ai-all</prohibits>'
        '<permits type="usage">ai-train</permits></license>'
    )
    assert _expression(body) == "train-ai=y, ai-use=n"
    tie = (
        '<license><prohibits type="usage">ai-input</prohibits>'
        '<permits type="usage">ai-index</permits></license>'
    )
    assert _expression(tie) == "ai-use=n"


def test_all_means_the_root_or_every_category_without_one() -> None:
    body = (
        '<license><prohibits type="usage">all</prohibits>'
        '<permits type="usage">search</permits></license>'
    )
    assert _expression(body) == "all=n, search=y"
    assert _expression(body, "aipref-07") == "train-ai=n, search=y"
    assert _expression(body, "aipref-03") == "bots=n, search=y"


def test_licences_of_one_content_are_alternatives() -> None:
    body = (
        '<license><prohibits type="usage">ai-train</prohibits></license>'
        '<license><permits type="usage">ai-train</permits><payment type="attribution"/></license>'
        '<license><permits type="usage">search</permits></license>'
    )
    statement = statement_for(parse_rsl(_content(body)), "/a")
    assert statement is not None
    assert statement.preferences["train-ai"] == "disallow"
    assert statement.parsed.effective_exceptions["train-ai"] == "cc-cr"
    assert statement.preferences["search"] == "allow"


def test_no_content_covers_the_page() -> None:
    assert statement_for(parse_rsl(_content("<license/>", 'url="/docs/"')), "/other") is None


def test_unlisted_uses_state_nothing() -> None:
    (content,) = parse_rsl(
        _content('<license><permits type="usage">search</permits></license>')
    ).contents
    preferences = content_statement(content).preferences
    assert preferences["search"] == "allow"
    assert preferences["train-ai"] == preferences["ai-use"] == "unknown"
