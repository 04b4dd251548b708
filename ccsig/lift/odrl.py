"""Read the ODRL policies catalogs link to datasets as statements of preference.

Takes: the rows of queries/lifting/odrl.rq (the permissions and prohibitions of every policy
linked to an asset with schema:usageInfo or odrl:hasPolicy and not read yet), a vocabulary
name and the file being read.
Gives: triples: one ``ccsig:Statement`` per (asset, policy), lifted as a catalog's
ccsig:contentUsage literal would be (ccsig.lift.literals) from the aipref expression the rules
amount to, with ``ccsig:preferenceSystem ccsig:odrl``, ``ccsig:policy``, the rules as found
(``ccsig:asWritten``), ``ccsig:source`` and, where a rule could only be read approximately,
an ``rdfs:comment`` saying how it was read. `ccsig check`, SHACL and the queries then see
the policy exactly like a contentUsage statement.

Which action means which category label, and which rule kind which value, is data
(vocab/mappings.ttl through queries/vocabulary-odrl-actions.rq; the ODRL AI vocabulary
draft's actions, per aipref draft, vocab/odrl-ai.ttl through
queries/internal/vocabulary-odrl-ai-actions.rq: an exact or close match, or a category that
is part of the action, is read); which duties make which CC
signal is the inverse of ccsig:dutyAction (vocab/signals.ttl). How rules read, per category:
- rules with an assignee address one party and are skipped; unmapped actions state nothing;
- a prohibition is a disallow; a permission without duties or constraints an allow;
- a permission whose duties' actions are exactly those of one signal's elements is a
  disallow with that signal as exception (what `ccsig declare --format odrl` writes);
- a rule with a constraint or refinement, or with duties no signal asks for exactly, is
  conditional in a way aipref cannot say: it is read as a disallow, the most restrictive
  reading;
- several rules on one category: a prohibition wins, then an unconditional permission; of
  signal permissions, the one with the fewest elements when their element sets are nested
  (meeting it meets them all), otherwise a plain disallow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import cast

import pyoxigraph as ox

from ccsig.lift.literals import Make, TripleOrQuad, uuid_iri
from ccsig.lift.web_rdf import mapped_statement_triples
from ccsig.model.expression import parse_expression
from ccsig.model.namespaces import NS, ODRL, curie
from ccsig.model.terms import AtomicTerm, Node, Term, node_label
from ccsig.model.vocabulary import (
    DEFAULT_VOCABULARY,
    Ontology,
    Vocabulary,
    duty_actions,
    load_ontology,
    vocabulary_store,
)
from ccsig.resources import read_text

SYSTEM = "odrl"
POLICY = ox.NamedNode(NS + "policy")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
LIFTING_QUERY = ("queries", "lifting/odrl.rq")

# How rules are shown in ccsig:asWritten: the prefixes ODRL policies use.
_SHOWN_PREFIXES = {
    "odrl": ODRL,
    "tdm": "http://www.w3.org/ns/tdmrep#",
    "ccsig": NS,
}

Row = Mapping[str, AtomicTerm | None]


def lifting_query() -> str:
    """queries/lifting/odrl.rq: the rules of policies not read yet."""
    return read_text(*LIFTING_QUERY)


@cache
def action_terms() -> dict[str, tuple[str, str | None]]:
    """ODRL action IRI -> (its mapped term's notation, a usage category's own label)."""
    rows = cast(
        ox.QuerySolutions,
        vocabulary_store().query(read_text("queries", "internal/vocabulary-odrl-actions.rq")),
    )
    return {row["action"].value: (row["term"].value, _value(row["label"])) for row in rows}


@cache
def signals_by_duties() -> dict[frozenset[str], str]:
    """The set of duty action IRIs that meets each CC signal -> its token."""
    duties = duty_actions()
    return {
        frozenset(duties[e.iri] for e in s.elements): s.token
        for s in load_ontology().signals.values()
    }


# The relations of vocab/odrl-ai.ttl under which a rule on an action speaks for a category,
# best first; declare writes only the first two.
READ_RELATIONS = ("exact", "close", "narrower")
WRITTEN_RELATIONS = ("exact", "close")


@dataclass(frozen=True)
class ActionMatch:
    """An ODRL AI vocabulary action and a category of one aipref draft (vocab/odrl-ai.ttl)."""

    action: str
    vocabulary: str
    label: str
    relation: str  # exact, close, narrower (the category is part of the action), broader
    reason: str


@cache
def ai_action_matches() -> tuple[ActionMatch, ...]:
    """Every stated relation between an ODRL AI action and a usage category."""
    ontology = load_ontology()
    labels = {c.iri: c.label for v in ontology.vocabularies.values() for c in v.categories}
    rows = cast(
        ox.QuerySolutions,
        vocabulary_store().query(read_text("queries", "internal/vocabulary-odrl-ai-actions.rq")),
    )
    return tuple(
        ActionMatch(
            row["action"].value,
            row["scheme"].value,
            labels[row["category"].value],
            row["relation"].value,
            _value(row["reason"]) or "",
        )
        for row in rows
    )


@cache
def ai_action_labels(vocabulary: str) -> dict[str, str]:
    """ODRL AI action IRI -> the category label a rule on it is read as in `vocabulary`."""
    best: dict[str, tuple[int, str]] = {}
    for m in ai_action_matches():
        if m.vocabulary == vocabulary and m.relation in READ_RELATIONS:
            rank = READ_RELATIONS.index(m.relation)
            if m.action not in best or rank < best[m.action][0]:
                best[m.action] = (rank, m.label)
    return {action: label for action, (_, label) in best.items()}


def action_label(action: str, vocabulary: Vocabulary) -> str | None:
    """The category label an ODRL action means in `vocabulary`, or None if it means none."""
    if action in ai_action_labels(vocabulary.name):
        return ai_action_labels(vocabulary.name)[action]
    known = action_terms().get(action)
    if known is None:
        return None
    term, own_label = known
    if own_label is not None:
        return own_label if own_label in vocabulary.by_label else None
    mapping = load_ontology().mapped(SYSTEM, term)
    return mapping.label_in(vocabulary) if mapping is not None else None


@dataclass
class Rule:
    """One permission or prohibition as queries/lifting/odrl.rq found it."""

    kind: str  # permission, prohibition
    actions: set[str] = field(default_factory=set)
    duties: dict[Term, str | None] = field(default_factory=dict)  # duty -> its action
    constrained: bool = False
    assignees: set[str] = field(default_factory=set)

    def text(self) -> str:
        parts = [self.kind, " ".join(sorted(_short(a) for a in self.actions))]
        if self.duties:
            shown = sorted(_short(a) if a else "(no action)" for a in self.duties.values())
            parts.append("duty " + ", ".join(shown))
        if self.constrained:
            parts.append("with constraint")
        if self.assignees:
            parts.append("assignee " + ", ".join(sorted(self.assignees)))
        return " ".join(parts)


@dataclass(frozen=True)
class Reading:
    """What the rules on one category label amount to."""

    token: str  # y, n
    prohibits: bool = False  # read from a prohibition
    signal: str | None = None
    note: str | None = None  # why a rule was read more restrictively than written

    def member(self, label: str) -> str:
        return f"{label}={self.token}" + (f";exceptions={self.signal}" if self.signal else "")


def read_rules(
    rules: Iterable[Rule], vocabulary: Vocabulary, ontology: Ontology
) -> dict[str, Reading]:
    """Category label -> the reading of the rules on it, in the vocabulary's label order."""
    tokens = ontology.value_tokens
    on: dict[str, list[tuple[Rule, Reading]]] = {}
    for rule in rules:
        if rule.assignees:
            continue
        reading = _read_rule(rule, tokens)
        for action in rule.actions:
            label = action_label(action, vocabulary)
            if label is not None:
                on.setdefault(label, []).append((rule, reading))
    out = {}
    for label in vocabulary.labels:
        if label in on:
            out[label] = _combine([reading for _, reading in on[label]], ontology)
    return out


def _read_rule(rule: Rule, tokens: dict[str, str]) -> Reading:
    term = load_ontology().mapped(SYSTEM, rule.kind)
    assert term is not None and term.meaning is not None, f"vocab/ maps no ODRL {rule.kind}"
    disallow = tokens[load_ontology().disallow]
    token = tokens[term.meaning]
    prohibits = token == disallow
    if rule.constrained:
        note = f"{rule.text()}: a condition aipref cannot express"
        return Reading(disallow, prohibits, note=note)
    if prohibits or not rule.duties:
        return Reading(token, prohibits)
    actions = frozenset(a for a in rule.duties.values() if a is not None)
    signal = signals_by_duties().get(actions) if None not in rule.duties.values() else None
    if signal is None:
        return Reading(disallow, note=f"{rule.text()}: duties no CC signal asks for exactly")
    return Reading(disallow, signal=signal)


def _combine(readings: list[Reading], ontology: Ontology) -> Reading:
    """The rules on one category: a prohibition wins, then an unconditional permission;
    nested signal permissions give the signal with the fewest elements; otherwise n."""
    disallow = ontology.value_tokens[ontology.disallow]
    prohibitions = [r for r in readings if r.prohibits]
    if prohibitions:  # an unconditional one, if there is one, needs no note
        return min(prohibitions, key=lambda r: r.note is not None)
    unconditional = [r for r in readings if r.signal is None and r.note is None]
    if unconditional:
        return unconditional[0]
    signals = sorted(
        {r.signal for r in readings if r.signal is not None},
        key=lambda token: len(ontology.signals[token].elements),
    )
    notes = "; ".join(sorted({r.note for r in readings if r.note is not None})) or None
    elements = [{e.iri for e in ontology.signals[s].elements} for s in signals]
    if signals and all(a <= b for a, b in zip(elements, elements[1:], strict=False)):
        return Reading(disallow, signal=signals[0], note=notes)
    if len(signals) > 1:
        unnested = f"signals whose elements are not nested: {', '.join(signals)}"
        notes = f"{notes}; {unnested}" if notes else unnested
    return Reading(disallow, note=notes)


def lift_policies(
    rows: Iterable[Row],
    vocabulary: str = DEFAULT_VOCABULARY,
    source: ox.NamedNode | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> list[TripleOrQuad]:
    """The statements of the policies in `rows` (queries/lifting/odrl.rq), one per
    (asset, policy), each from the aipref expression its rules amount to."""
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    policies: dict[tuple[Node, Node], dict[Term, Rule]] = {}
    for row in rows:
        asset, policy, node = row["asset"], row["policy"], row["rule"]
        kind, action = row["kind"], row["action"]
        assert isinstance(asset, Node) and isinstance(policy, Node) and node is not None
        assert kind is not None and action is not None
        rule = policies.setdefault((asset, policy), {}).setdefault(node, Rule(kind.value))
        rule.actions.add(action.value)
        if row["duty"] is not None:
            duty_action = row["dutyAction"]
            rule.duties[row["duty"]] = None if duty_action is None else duty_action.value
        constrained = row["constrained"]
        rule.constrained |= constrained is not None and constrained.value == "true"
        if row["assignee"] is not None:
            rule.assignees.add(_shown(row["assignee"]))
    out: list[TripleOrQuad] = []
    for (asset, policy), rules in policies.items():
        readings = read_rules(rules.values(), vocab, ontology)
        expression = ", ".join(r.member(label) for label, r in readings.items())
        parsed = parse_expression(expression, vocabulary, ontology)
        statement = uuid_iri("odrl", node_label(asset), node_label(policy), vocab.iri)
        as_written = "; ".join(sorted(rule.text() for rule in rules.values()))
        out.extend(
            mapped_statement_triples(
                asset, parsed, ontology, statement, SYSTEM, as_written, source, make
            )
        )
        out.append(make(statement, POLICY, policy))
        for label, reading in readings.items():
            if reading.note is not None:
                comment = f"{label} read as {reading.member(label)}: {reading.note}"
                out.append(make(statement, COMMENT, ox.Literal(comment)))
    return list(dict.fromkeys(out))


def lift_policies_in(
    triples: Iterable[ox.Triple | ox.Quad],
    vocabulary: str = DEFAULT_VOCABULARY,
    source: ox.NamedNode | None = None,
) -> list[ox.Triple]:
    """The statements of the policies linked in `triples` (for callers without a store)."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = store.query(lifting_query())
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    return lift_policies([{n: row[n] for n in names} for row in rows], vocabulary, source)


def _short(iri: str) -> str:
    return curie(iri, _SHOWN_PREFIXES, bare=False) or f"<{iri}>"


def _shown(term: Term) -> str:
    return _short(term.value) if isinstance(term, ox.NamedNode) else str(term)


def _value(term: AtomicTerm | None) -> str | None:
    return None if term is None else term.value
