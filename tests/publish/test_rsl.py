"""ccsig.publish.rsl: `declare --format rsl` reads back to the same preferences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.ingest.rsl import parse_rsl
from ccsig.lift.rsl import statement_for
from ccsig.model.expression import parse_expression
from ccsig.model.vocabulary import load_ontology
from ccsig.publish.declare import declaration
from ccsig.publish.rsl import usage_values

VOCABULARIES = sorted(load_ontology().vocabularies)


def _writable(vocabulary: str) -> list[str]:
    vocab = load_ontology().vocabulary(vocabulary)
    return [label for label in vocab.labels if usage_values(label, vocab)]


@st.composite
def expressions(draw: st.DrawFn) -> tuple[str, str]:
    vocabulary = draw(st.sampled_from(VOCABULARIES))
    labels = draw(st.lists(st.sampled_from(_writable(vocabulary)), unique=True, max_size=5))
    members = [
        f"{label}={draw(st.sampled_from(['y', 'n', 'n;exceptions=cc-cr']))}" for label in labels
    ]
    return ", ".join(members), vocabulary


def _read_back(expression: str, vocabulary: str) -> tuple[dict[str, str], dict[str, str], str]:
    declared = declaration(expression.encode(), vocabulary)
    assert declared.rsl_left_out() == []
    document = parse_rsl(declared.rsl(), "declared.rsl")
    assert document.warnings == ()
    statement = statement_for(document, "/any/page", vocabulary)
    assert statement is not None
    return statement.preferences, statement.parsed.effective_exceptions, declared.rsl()


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_every_writable_expression_reads_back_to_the_same_preferences(
    case: tuple[str, str],
) -> None:
    expression, vocabulary = case
    parsed = parse_expression(expression, vocabulary)
    preferences, exceptions, _ = _read_back(expression, vocabulary)
    assert preferences == parsed.effective
    assert exceptions == parsed.effective_exceptions


def test_the_written_document_uses_rsl_values_and_attribution() -> None:
    _, _, text = _read_back("search=y, train-ai=n;exceptions=cc-cr, ai-use=n", "aipref-02")
    assert '<permits type="usage">search</permits>' in text
    assert '<prohibits type="usage">ai-train ai-index ai-input</prohibits>' in text
    assert '<payment type="attribution" />' in text
    assert "train-ai<" not in text  # the guides' spelling is read, never written


def test_a_broad_allow_does_not_reach_an_excepted_narrower_category() -> None:
    preferences, exceptions, _ = _read_back("all=y, train-ai=n;exceptions=cc-cr", "aipref-02")
    assert preferences["train-ai"] == "disallow" and exceptions["train-ai"] == "cc-cr"
    assert preferences["search"] == "allow"


@pytest.mark.parametrize(
    ("expression", "vocabulary", "reason"),
    [
        ("train-genai=n", "aipref-02", "train-genai: RSL has no usage value"),
        ("train-ai=n;exceptions=cc-cr-ec", "aipref-07", "exception cc-cr-ec"),
        ("ai-output=n", "aipref-04", "ai-output: RSL has no usage value"),
    ],
)
def test_what_rsl_cannot_say_is_named(expression: str, vocabulary: str, reason: str) -> None:
    (left_out,) = declaration(expression.encode(), vocabulary).rsl_left_out()
    assert reason in left_out
