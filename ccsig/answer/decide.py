"""Check's decision rules restated in Python, for crawl-scale jobs.

Takes: the web statements about one URL (`ccsig.model.web.WebStatement`), a usage
category label and the reuser's commitments (signal element names).
Gives: the decision `ccsig check` reaches for the same statements (queries/consult.ru
and queries/decisions.rq over the lifted statements), without a store: `scan`
decides millions of records, and a store per record would cost a thousand times more.

This is the one Python restatement of the decision semantics. It sits beside the
SPARQL it restates, and a differential test (tests/answer/test_decide.py) holds the two
equal on random statements and commitments.
"""

from __future__ import annotations

from collections.abc import Iterable

from ccsig.model.vocabulary import load_ontology
from ccsig.model.web import WebStatement

__all__ = ["decide"]


def decide(
    statements: Iterable[WebStatement], category: str, commitments: Iterable[str]
) -> tuple[str, list[str]]:
    """(allowed / disallowed / unknown, conditions) for `category`, as `ccsig check`
    decides: each statement's effective preference for the category; a disallow whose
    CC signal's elements are all committed is allowed on them; then most restrictive."""
    ontology = load_ontology()
    allow, disallow = ontology.value_names["y"], ontology.disallow
    committed = set(commitments)
    outcomes: set[str] = set()
    conditions: set[str] = set()
    for statement in statements:
        value = statement.parsed.effective.get(category)
        if value == allow:
            outcomes.add("allowed")
        elif value == disallow:
            signal = ontology.signals.get(statement.parsed.effective_exceptions.get(category, ""))
            names = [e.name for e in signal.elements] if signal is not None else []
            if names and committed.issuperset(names):
                outcomes.add("allowed")
                conditions.update(names)
            else:
                outcomes.add("disallowed")
        else:
            outcomes.add("unknown")
    if "disallowed" in outcomes:
        return "disallowed", []
    if "allowed" in outcomes:
        return "allowed", sorted(conditions)
    return "unknown", []
