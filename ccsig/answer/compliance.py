"""Compliance answers: may this reuser use each asset for this category?

Takes: an engine holding data (see ccsig.reason.engine), a category label of the engine's
vocabulary, and a reuser: commitments given by name and/or a reuser profile (RDF
with one ``ccsig:Reuser`` and its ``ccsig:commitsTo``).
Gives: a `CheckReport`: one `Decision` per asset with conditions, the statements
behind it and an explanation, plus a summary.

The decision itself is SPARQL (queries/decisions.rq over what reasoning and
queries/consult.ru derived). This module builds the reuser's triples, binds the
query's parameters and turns its rows into explanations a person can read.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, cast
from urllib.parse import unquote

import pyoxigraph as ox

from ccsig.errors import (  # noqa: F401 (the errors are raised from here too)
    CcsigError,
    InputError,
    UnknownCategoryError,
    UnknownElementError,
)
from ccsig.ingest.readers import read_quads
from ccsig.model.namespaces import NS, RDF_TYPE
from ccsig.model.terms import AtomicTerm, Node, node_label
from ccsig.model.vocabulary import (  # noqa: F401 (check_elements: named from here too)
    category_of,
    check_elements,
    defined_terms,
    load_ontology,
    nearest_term,
)
from ccsig.reason.engine import Engine
from ccsig.resources import read_text

DECISIONS = ("allowed", "disallowed", "unknown")
COMMAND_LINE_REUSER = ox.NamedNode("urn:ccsig:reuser:command-line")
REUSER, COMMITS_TO = ox.NamedNode(NS + "Reuser"), ox.NamedNode(NS + "commitsTo")


def reuser_triples(commitments: list[str], reuser: Node) -> list[ox.Triple]:
    """A reuser committing to the named signal elements (credit, open, ...)."""
    check_elements(commitments)
    elements = load_ontology().elements
    triples = [ox.Triple(reuser, RDF_TYPE, REUSER)]
    for name in commitments:
        triples.append(ox.Triple(reuser, COMMITS_TO, ox.NamedNode(elements[name].iri)))
    return triples


def profile_triples(
    path: str, input_format: str | None = None, allow_remote_contexts: bool = False
) -> list[ox.Triple]:
    """The triples of a reuser profile file, every ccsig term in it one the vocabulary
    defines: a misspelt one (``ccsig:Credt``) would commit the reuser to nothing, silently,
    so it is an `InputError` naming the file and the term, as ``--commit credt`` is."""
    triples = [q.triple for q in read_quads(path, input_format, allow_remote_contexts)]
    known = defined_terms()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
                if term.value not in known:
                    raise InputError(path, _unknown_term(term.value, known))
    return triples


def _unknown_term(iri: str, known: frozenset[str]) -> str:
    name = iri[len(NS) :]
    close = nearest_term(iri)
    hint = f" (did you mean ccsig:{close[len(NS) :]}?)" if close else ""
    return f"ccsig:{name} is not a term of the ccsig vocabulary{hint}; see `ccsig vocab`"


def find_reuser(engine: Engine) -> Node:
    """The one reuser a profile loaded into the engine describes."""
    rows = engine.select(read_text("queries", "reusers.rq"))
    reusers = {r["reuser"] for r in rows if r["reuser"] is not None}
    reusers.discard(COMMAND_LINE_REUSER)
    if len(reusers) != 1:
        found = ", ".join(sorted(str(r) for r in reusers)) or "none"
        raise CcsigError(
            f"a reuser profile must describe exactly one ccsig:Reuser (found: {found})"
        )
    return cast(Node, reusers.pop())  # a subject of rdf:type: never a literal


class StatementOutcome(NamedTuple):
    # (named tuples: a catalog's report holds a hundred thousand of these)
    statement: str
    outcome: str
    decided_by: str | None  # the category label whose preference applied
    value: str | None
    exception: str | None
    expression: str | None
    source: str | None
    error: str | None
    why: str

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "outcome": self.outcome,
            "decided_by": self.decided_by,
            "value": self.value,
            "exception": self.exception,
            "expression": self.expression,
            "source": self.source,
            "why": self.why,
        }


class Decision(NamedTuple):
    asset: str
    decision: str
    outcome: str  # the decision as a preference value IRI (ccsig:allow, ...)
    conditions: tuple[str, ...]
    statements: tuple[StatementOutcome, ...]
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "decision": self.decision,
            "conditions": list(self.conditions),
            "explanation": self.explanation,
            "statements": [s.to_json() for s in self.statements],
        }


@dataclass(frozen=True)
class CheckReport:
    category: str
    vocabulary: str
    commitments: tuple[str, ...]
    results: tuple[Decision, ...]
    category_iri: str
    reuser: str

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(d.decision for d in self.results)
        return {name: counts.get(name, 0) for name in DECISIONS}

    def to_json(self, with_results: bool = True) -> dict[str, Any]:
        """The report as JSON data; without results, "results" is an empty list."""
        return {
            "category": self.category,
            "vocabulary": self.vocabulary,
            "commitments": list(self.commitments),
            "results": [d.to_json() for d in self.results] if with_results else [],
            "summary": self.summary,
        }


def category_iri(vocabulary: str, label: str) -> ox.NamedNode:
    """The IRI of a usage category of `vocabulary`, by its label."""
    return ox.NamedNode(category_of(vocabulary, label).iri)


DecisionRow = tuple[AtomicTerm | str | None, ...]
"""One row of queries/decisions.rq: asset, decision, outcome, conditions, statements
(RDF terms as a store answers them, or plain strings for all but the asset)."""


def text_of(value: AtomicTerm | str | None) -> str:
    """A row value's text (an RDF term's lexical form or IRI; '' for none)."""
    if value is None or isinstance(value, str):
        return value or ""
    return value.value


def check(engine: Engine, category: str, reuser: Node) -> CheckReport:
    """Decide every asset in a prepared engine for `category` and `reuser`."""
    commitments, rows = decision_rows(engine, category, reuser)
    return report(engine.vocabulary, category, commitments, rows, reuser)


def decision_rows(
    engine: Engine, category: str, reuser: Node
) -> tuple[list[str], Iterable[DecisionRow]]:
    """The reuser's commitments (element names, sorted) and the rows of
    queries/decisions.rq for `category`, as `report` reads them."""
    asked = category_iri(engine.vocabulary, category)
    commitments = sorted(
        r["name"].value
        for r in engine.select(read_text("queries", "commitments.rq"), {"reuser": reuser})
        if r["name"] is not None
    )
    names, rows = engine.solutions(
        read_text("queries", "decisions.rq"), {"category": asked, "reuser": reuser}
    )
    at = [names.index(n) for n in ("asset", "decision", "outcome", "conditions", "statements")]
    return commitments, (tuple(row[i] for i in at) for row in rows)


def report(
    vocabulary: str,
    category: str,
    commitments: list[str],
    rows: Iterable[DecisionRow],
    reuser: Node,
) -> CheckReport:
    """The report of decisions.rq's `rows` (asset, decision, outcome, conditions,
    statements), whichever engine or reading answered them."""
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    asked = category_iri(vocabulary, category)
    unknown = ontology.value_iris[ontology.unknown]
    key = tuple(commitments)
    results = []
    for asset, decided, outcome, conditions, records in rows:
        if asset is None:  # rdflib answers an empty grouping with one unbound row
            continue
        text = text_of(records)
        lines = text.split("\n") if text else ()
        outcomes = tuple(_outcome(r, category, key) for r in lines if r)
        if len(outcomes) > 1:
            outcomes = tuple(sorted(outcomes, key=_outcome_order))
        decision = text_of(decided) or "unknown"
        results.append(
            Decision(
                node_label(cast(AtomicTerm, asset)),
                decision,
                text_of(outcome) or unknown,
                _conditions(text_of(conditions)),
                outcomes,
                _explain(decision, outcomes),
            )
        )
    results.sort(key=lambda d: d.asset)
    return CheckReport(
        category=category,
        vocabulary=vocab.name,
        commitments=tuple(commitments),
        results=tuple(results),
        category_iri=asked.value,
        reuser=node_label(reuser),
    )


def _outcome_order(o: StatementOutcome) -> tuple[str, str, str, str]:
    return (o.statement, o.outcome, o.why, o.source or "")


def _outcome(record: str, category: str, commitments: tuple[str, ...]) -> StatementOutcome:
    statement, _, rest = record.partition(" ")
    return StatementOutcome(statement, *_outcome_of(rest, category, commitments)[1:])


@lru_cache(maxsize=4096)
def _conditions(signals: str) -> tuple[str, ...]:
    """The element names of the signals (IRIs separated by spaces) a decision rests on."""
    by_iri = load_ontology().signals_by_iri
    return tuple(sorted({e.name for iri in signals.split() for e in by_iri[iri].elements}))


@lru_cache(maxsize=65536)
def _outcome_of(fields_text: str, category: str, commitments: tuple[str, ...]) -> StatementOutcome:
    # Catalogs repeat a few expressions from a few sources: decode and explain each once.
    names = load_ontology().names
    fields = [f or None for f in fields_text.split(" ")]
    fields += [None] * (7 - len(fields))
    outcome, decider, value, signal, source, expression, error = fields[:7]
    expression, error = (None if f is None else unquote(f) for f in (expression, error))
    decided_by, value, exception = (
        None if iri is None else names.get(iri, iri) for iri in (decider, value, signal)
    )
    why = _why(
        outcome or "unknown",
        category,
        decided_by,
        value,
        exception,
        expression,
        error,
        list(commitments),
    )
    return StatementOutcome(
        statement="",
        outcome=outcome or "unknown",
        decided_by=decided_by,
        value=value,
        exception=exception,
        expression=expression,
        source=source,
        error=error,
        why=why,
    )


def _why(
    outcome: str,
    category: str,
    decided_by: str | None,
    value: str | None,
    exception: str | None,
    expression: str | None,
    error: str | None,
    commitments: list[str],
) -> str:
    quoted = f"`{expression}`" if expression is not None else "a structured statement"
    scope = decided_by if decided_by == category else f"{decided_by}, which covers {category}"
    if error:
        return f"unknown: {quoted} does not parse ({error}), so it states nothing"
    if decided_by is None:
        return f"unknown: {quoted} states nothing about {category} or any broader category"
    if outcome == "allowed" and value != "disallow":
        return f"allowed: {quoted} allows {scope}"
    signal = load_ontology().signals.get(exception or "")
    if outcome == "allowed" and signal is not None:
        names = ", ".join(e.name for e in signal.elements)
        return (
            f"allowed: {quoted} disallows {scope} unless the reuser meets {signal.token}, "
            f"and {names} {'is' if len(signal.elements) == 1 else 'are'} committed"
        )
    if signal is not None:
        missing = [e.name for e in signal.elements if e.name not in commitments]
        verb = "is" if len(missing) == 1 else "are"
        return f"disallowed: {quoted} needs {', '.join(missing)}, which {verb} not committed"
    return f"disallowed: {quoted} disallows {scope} with no exception"


def _explain(decision: str, outcomes: tuple[StatementOutcome, ...]) -> str:
    return _explanation(decision, tuple((o.outcome, o.why) for o in outcomes))


@lru_cache(maxsize=65536)
def _explanation(decision: str, outcomes: tuple[tuple[str, str], ...]) -> str:
    # (outcome, why) per statement; assets with the same expressions share explanations
    if not outcomes:
        return "unknown: no statement of preference is about this asset"
    deciding = [why for outcome, why in outcomes if outcome == decision]
    if decision == "unknown":
        return "; ".join(why for _, why in outcomes)
    text = "; ".join(deciding)
    if len(outcomes) > 1:
        verb = "decide" if len(deciding) > 1 else "decides"
        text += f" ({len(deciding)} of {len(outcomes)} statements {verb} it)"
    return text


def decisions_as_rdf(report: CheckReport) -> list[ox.Triple]:
    """The decisions as RDF, each linked (PROV) to the statements that decided it."""
    prov_derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    ontology = load_ontology()
    out: list[ox.Triple] = []
    reuser = _node(report.reuser)
    for d in report.results:
        key = f"{d.asset} {report.category_iri} {report.reuser}"
        node = ox.NamedNode(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}")
        out += [
            ox.Triple(node, RDF_TYPE, ox.NamedNode(NS + "Decision")),
            ox.Triple(node, ox.NamedNode(NS + "asset"), _node(d.asset)),
            ox.Triple(node, ox.NamedNode(NS + "usage"), ox.NamedNode(report.category_iri)),
            ox.Triple(node, ox.NamedNode(NS + "outcome"), ox.NamedNode(d.outcome)),
            ox.Triple(node, ox.NamedNode(NS + "reuser"), reuser),
            ox.Triple(node, ox.NamedNode(NS + "explanation"), ox.Literal(d.explanation)),
        ]
        for name in d.conditions:
            out.append(
                ox.Triple(
                    node, ox.NamedNode(NS + "condition"), ox.NamedNode(ontology.elements[name].iri)
                )
            )
        for s in d.statements:
            if s.statement and (s.outcome == d.decision or d.decision == "unknown"):
                out.append(ox.Triple(node, prov_derived, ox.NamedNode(s.statement)))
    return out


def _node(label: str) -> Node:
    return ox.BlankNode(label[2:]) if label.startswith("_:") else ox.NamedNode(label)
