"""Streaming check: decide a catalog from the few triples that can decide it.

Takes: RDF files (``-`` for standard input), a category label, commitments, and
optionally a reuser profile.
Gives: the `CheckReport` that loading every triple into an engine gives
(`ccsig.answer.compliance.check`), without holding the catalog.

How:
1. Each input is parsed once and only triples whose predicate can decide are kept
   (ccsig.ingest.stream): those queries/internal/decisive-predicates.rq names over the
   closed vocabulary (rdf:type, ccsig:contentUsage, ODRL policy links, schema axioms,
   ...) and every ccsig: predicate. If a schema triple kept from the data (``ex:p
   rdfs:subPropertyOf ccsig:contentUsage``) makes a predicate decisive that was dropped,
   the inputs are read a second time with the larger set. (A large input may be read
   in two halves at once, in two processes; each half summarises what it kept as text,
   `_summary`, statement IRIs included, and the other process's quads are sent only if
   a half is no ordinary catalog's: should step 3 need them after all, the input is
   read again.)
2. When what is kept is only types and contentUsage literals in the default graph (an
   ordinary catalog), the decisions come from small engines rather than one holding
   every asset, with nodes and values as text (each hash of a pyoxigraph term is a call
   into Rust; a str keeps its hash): each distinct expression is lifted and decided
   once, on a stand-in asset, by queries/decisions.rq itself; each distinct set of types
   is reasoned once, on a stand-in node, by the OWL RL rules, to tell whether it makes
   an asset. What is left in Python is the aipref "combining" rule (most restrictive
   wins, conditions added up), as in ccsig.answer.decide; tests/answer/test_stream.py
   holds the result equal to the full engine's on every fixture and on generated
   catalogs. Assets with the same one expression from the same source share their
   decision's fields; each gets its own statement IRI.
3. Otherwise (structured statements, ODRL policies, schema axioms, named graphs, a
   reuser profile, a stand-in that reasons into more than types), the kept triples go
   into one engine, which decides as it would have over the whole input.

Memory is then the input's bytes while it is parsed, plus a few objects per signalled
or typed node.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import NamedTuple, cast

import pyoxigraph as ox

from ccsig.answer.compliance import (
    COMMAND_LINE_REUSER,
    CheckReport,
    Decision,
    StatementOutcome,
    category_iri,
    check_elements,
    decision_rows,
    find_reuser,
    profile_triples,
    reuser_triples,
    text_of,
)
from ccsig.answer.compliance import _conditions as signal_elements
from ccsig.answer.compliance import _explain as explain
from ccsig.answer.compliance import _outcome_of as outcome_of
from ccsig.answer.compliance import _outcome_order as outcome_order
from ccsig.answer.compliance import check as decide
from ccsig.errors import InputWarning
from ccsig.ingest.readers import read_input
from ccsig.ingest.stream import Buckets, Kept, keep_quads
from ccsig.ingest.urls import base_iri_for
from ccsig.lift.literals import is_string_literal, uuid_text
from ccsig.model.namespaces import CONTENT_USAGE, NS, RDF_TYPE
from ccsig.model.terms import Node, node_label
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology, unread
from ccsig.reason.engine import FastEngine
from ccsig.reason.rules import closed_vocabulary
from ccsig.resources import read_text

__all__ = ["decisive_predicates", "stream_check"]

Step = Callable[[str], None]

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
# The schema triples that can make another predicate decisive (see the query).
AXIOMS = frozenset(
    ox.NamedNode(iri)
    for iri in (
        _RDFS + "subPropertyOf",
        _RDFS + "domain",
        _RDFS + "range",
        _OWL + "equivalentProperty",
        _OWL + "inverseOf",
        _OWL + "sameAs",
        _OWL + "onProperty",
    )
)
_PROBE = "urn:ccsig:probe:"
# a value a stand-in node holds for ccsig:contentUsage's domain to apply, lifting nothing
_NOT_AN_EXPRESSION = ox.Literal(
    "0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
)
_RANK = {"unknown": 0, "allowed": 1, "disallowed": 2}


def decisive_predicates(schema: Iterable[ox.Triple | ox.Quad] = ()) -> frozenset[ox.NamedNode]:
    """The predicates that can decide, given the closed vocabulary and `schema`."""
    schema = list(schema)
    return _decisive(schema) if schema else _vocabulary_decisive()


@cache
def _vocabulary_decisive() -> frozenset[ox.NamedNode]:
    return _decisive([])


def _decisive(schema: Sequence[ox.Triple | ox.Quad]) -> frozenset[ox.NamedNode]:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in closed_vocabulary())
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in schema)
    rows = store.query(read_text("queries", "internal/decisive-predicates.rq"))
    assert isinstance(rows, ox.QuerySolutions)
    out: set[ox.NamedNode] = set()
    for row in rows:
        out.update(t for t in (row["read"], row["predicate"]) if isinstance(t, ox.NamedNode))
    return frozenset(out)


@dataclass
class _Input:
    path: str
    source: str
    kept: Kept
    data: bytes | None = None  # standard input's bytes, for a second reading
    fmt: ox.RdfFormat | None = None  # and their format, as read_input gave it


def _keeper(decisive: frozenset[ox.NamedNode]) -> Callable[[ox.NamedNode], bool]:
    """What a reading keeps: the decisive predicates and every predicate in ccsig's
    namespace (shared by the first reading and the second)."""
    return lambda predicate: predicate in decisive or predicate.value.startswith(NS)


def _readings(
    paths: Sequence[str],
    decisive: frozenset[ox.NamedNode],
    input_format: str | None,
    allow_remote_contexts: bool,
    step: Step,
    summary: Callable[[Buckets], Part | None] | None,
    before: Sequence[_Input] = (),
) -> list[_Input]:
    """Each input read, keeping what `decisive` names, each part summarised by
    `summary` if given; a second reading (`before`: the first's inputs) takes standard
    input's bytes from the first and warns of nothing again."""
    keep = _keeper(decisive)
    out = []
    taken: set[str] = set()  # blank node labels, unique across the inputs
    for n, path in enumerate(paths):
        step(f"reading {path}")
        first = before[n] if before else None
        if first is not None and first.data is not None and first.fmt is not None:
            data, fmt = first.data, first.fmt  # standard input, read once, kept
        else:
            data, fmt = read_input(path, input_format, allow_remote_contexts)
        kept = keep_quads(path, data, fmt, keep, taken, summary)
        if not before:
            _warn_unread(path, kept)
        stdin = path == "-"
        out.append(
            _Input(path, base_iri_for(path), kept, data if stdin else None, fmt if stdin else None)
        )
    return out


def _warn_unread(path: str, kept: Kept) -> None:
    """Warn, once per predicate, of each one nothing reads that looks meant for ccsig (a
    misspelt ccsig: term, contentUsage in another namespace): the check would otherwise
    say only "unknown" of its subjects."""
    dropped = sorted(kept.dropped, key=lambda p: p.value)
    for predicate in [*kept.predicates, *dropped]:
        message = unread(predicate.value)
        if message is not None:
            warning = InputWarning(f"{path}: {message} (`ccsig validate` names its subjects)")
            warnings.warn(warning, stacklevel=2)


def stream_check(
    paths: Sequence[str | os.PathLike[str]],
    category: str,
    commitments: Iterable[str] = (),
    *,
    vocabulary: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    profile: str | os.PathLike[str] | None = None,
    progress: Step | None = None,
) -> CheckReport:
    """`ccsig.check` over files, reading each once and keeping only what can decide;
    `progress` is called with a label as each step starts."""
    step: Step = progress or (lambda label: None)
    commitments = list(commitments)
    load_ontology().vocabulary(vocabulary)
    check_elements(commitments)  # before any input is read
    names = [os.fspath(p) for p in paths]
    extra: list[ox.Triple] = []
    if profile is not None:
        step(f"reading {os.fspath(profile)}")
        extra = profile_triples(os.fspath(profile), input_format, allow_remote_contexts)
    decisive = decisive_predicates(t for t in extra if t.predicate in AXIOMS)
    # (an ordinary catalog is decided from its parts' summaries: none with a profile)
    summary = _summariser(vocabulary) if profile is None else None
    inputs = _readings(names, decisive, input_format, allow_remote_contexts, step, summary)
    schema = [
        q
        for i in inputs
        if AXIOMS.intersection(i.kept.predicates)  # (else the quads need not be read back)
        for p in AXIOMS
        for q in i.kept.by_predicate.get(p, ())
    ]
    if schema:
        more = decisive_predicates([*schema, *(t for t in extra if t.predicate in AXIOMS)])
        if any(p in more for i in inputs for p in i.kept.dropped):
            step("reading again: the data's schema makes more of it decisive")
            decisive = more
            inputs = _readings(
                names, more, input_format, allow_remote_contexts, step, summary, inputs
            )
    step("reasoning")
    if profile is None:
        simple = _simple_report(inputs, category, commitments, vocabulary)
        if simple is not None:
            return simple
    if not all(i.kept.whole for i in inputs):  # (summarised, but not ordinary after all)
        step("reading again: the catalog needs an engine")
        inputs = _readings(names, decisive, input_format, allow_remote_contexts, step, None, inputs)
    return _engine_report(inputs, category, commitments, vocabulary, extra, profile is not None)


def _engine_report(
    inputs: list[_Input],
    category: str,
    commitments: list[str],
    vocabulary: str,
    extra: list[ox.Triple],
    has_profile: bool,
) -> CheckReport:
    """The kept triples in one engine, decided as `ccsig.api.load` and `check` would."""
    engine = FastEngine(vocabulary)
    for i in inputs:
        engine.load_quads(list(i.kept.quads), i.source)
    if has_profile:
        engine.add(extra)
    reuser = find_reuser(engine) if has_profile else COMMAND_LINE_REUSER
    engine.add(reuser_triples(commitments, reuser))
    engine.prepare()
    return decide(engine, category, reuser)


# ---------------------------------------------------------------- ordinary catalogs


@dataclass
class _Catalog:
    """What an ordinary catalog's kept triples say, as text: node label -> its types'
    labels, node label -> its contentUsage values (N-Triples text) each with the IRI of
    the statement it makes of the node, the source of each value first read from an
    input but the first (`source`), and each value as a literal."""

    source: str  # the first input's
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    usages: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    literals: dict[str, ox.Literal] = field(default_factory=dict)


# One part's types (the same sets the same objects), values with their statement IRIs,
# and its distinct values, in reading order: see `_summary`.
Part = tuple[dict[str, frozenset[str]], dict[str, dict[str, str]], list[str]]


def _summariser(vocabulary: str) -> Callable[[Buckets], Part | None]:
    iri = load_ontology().vocabulary(vocabulary).iri
    return lambda buckets: _summary(buckets, iri)


def _summary(buckets: Buckets, vocabulary_iri: str) -> Part | None:
    """What one part of an input read says if it is part of an ordinary catalog
    (made where it was read, perhaps in another process: ccsig.ingest.stream), or None
    when a kept triple is anything but a type or a contentUsage literal in the default
    graph, about a node not of ccsig's own. Each value's statement IRI is minted here
    (`uuid_text`, a SHA-1 per value: 0.2 s at 100,000 datasets), where the two halves of
    a large input are read at once, rather than after both."""
    kept = [p for p, b in buckets.items() if b is not None]
    if set(kept) - {RDF_TYPE, CONTENT_USAGE}:
        return None
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    default = ox.DefaultGraph
    types: dict[str, set[str]] = {}
    usages: dict[str, dict[str, str]] = {}
    texts: dict[str, str] = {}  # each value's text, once
    for predicate in (RDF_TYPE, CONTENT_USAGE):
        for q in buckets.get(predicate) or ():
            # (subjects are never triple terms: read_input refuses RDF-star)
            s, o = q.subject, q.object
            if type(s) is named:
                label = s.value
                if label.startswith(_OURS):
                    return None
            elif type(s) is blank:
                label = "_:" + s.value
            else:
                return None
            if not isinstance(q.graph_name, default):
                return None
            if predicate is RDF_TYPE:
                if type(o) is named:
                    c = o.value
                elif type(o) is blank:
                    c = "_:" + o.value
                else:
                    return None
                classes = types.get(label)
                if classes is None:
                    types[label] = {c}
                else:
                    classes.add(c)
            elif type(o) is literal:
                text = str(o)
                text = texts.setdefault(text, text)
                values = usages.get(label)
                if values is None:
                    values = usages[label] = {}
                elif text in values:
                    continue
                values[text] = uuid_text(label, o.value, o.language or "", vocabulary_iri)
            else:
                return None
    same: dict[frozenset[str], frozenset[str]] = {}
    typed = {}
    for node, classes in types.items():
        frozen = frozenset(classes)
        typed[node] = same.setdefault(frozen, frozen)
    return typed, usages, list(texts)


def _ordinary(inputs: list[_Input]) -> _Catalog | None:
    """The catalog the inputs' parts make, or None if one is no ordinary catalog's."""
    catalog = _Catalog(inputs[0].source if inputs else "")
    types, usages, sources = catalog.types, catalog.usages, catalog.sources
    distinct: dict[str, None] = {}
    for n, i in enumerate(inputs):
        if not i.kept.summaries:
            return None
        for part in i.kept.summaries:
            if part is None:
                return None
            typed, used, values = part
            distinct.update(dict.fromkeys(values))
            both = types.keys() & typed.keys()  # (for most parts, none)
            merged = {node: types[node] | typed[node] for node in both}
            types.update(typed)
            types.update(merged)
            if n == 0:  # every value's source is the first input's
                before = {node: usages[node] for node in usages.keys() & used.keys()}
                usages.update(used)
                for node, known in before.items():
                    for text, iri in used[node].items():
                        known.setdefault(text, iri)
                    usages[node] = known
                continue
            source = i.source
            for node, theirs in used.items():
                known = usages.setdefault(node, {})
                for text, iri in theirs.items():
                    if text not in known:  # read before, from another input: lifted once
                        known[text] = iri
                        sources[node, text] = source
    # the values as literals, read back from their N-Triples text
    text = "".join(f"<{_PROBE}> <{_PROBE}> {o} .\n" for o in distinct)
    try:
        read = [q.object for q in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError:  # pragma: no cover (what pyoxigraph wrote, it reads)
        return None
    if len(read) != len(distinct) or not all(isinstance(o, ox.Literal) for o in read):
        return None  # pragma: no cover
    catalog.literals = dict(zip(distinct, cast(list[ox.Literal], read), strict=True))
    return catalog


def _term(label: str) -> Node:
    return ox.BlankNode(label[2:]) if label.startswith("_:") else ox.NamedNode(label)


_OURS = (NS, "urn:ccsig:")


def _ours(iri: str) -> bool:
    return iri.startswith(NS) or iri.startswith("urn:ccsig:")


def _simple_report(
    inputs: list[_Input], category: str, commitments: list[str], vocabulary: str
) -> CheckReport | None:
    catalog = _ordinary(inputs)
    if catalog is None:
        return None
    assets = _assets(catalog)
    if assets is None:
        return None
    answered = _expressions(catalog, category, commitments, vocabulary)
    if answered is None:
        return None
    known, by_literal, outcomes = answered
    results = _decisions(assets, catalog, by_literal, outcomes, category, known, vocabulary)
    return CheckReport(
        category=category,
        vocabulary=load_ontology().vocabulary(vocabulary).name,
        commitments=tuple(known),
        results=results,
        category_iri=category_iri(vocabulary, category).value,
        reuser=node_label(COMMAND_LINE_REUSER),
    )


def _assets(catalog: _Catalog) -> list[str] | None:
    """The nodes OWL RL reasoning makes ``ccsig:Asset``s: each distinct (types, has a
    contentUsage) is reasoned once on a stand-in node. None if a stand-in reasons into
    anything but its own types."""
    types, usages = catalog.types, catalog.usages
    untyped: frozenset[str] = frozenset()
    # (a part's nodes of the same types share one set: its hash is worked out once)
    signalled = {types.get(node, untyped) for node in usages}
    unsignalled = {classes for node, classes in types.items() if node not in usages}
    keys = [(c, True) for c in signalled] + [(c, False) for c in unsignalled]
    kinds = {key: n for n, key in enumerate(sorted(keys, key=lambda k: (sorted(k[0]), k[1])))}
    engine = FastEngine()
    given: list[ox.Triple] = []
    for (classes, is_signalled), n in kinds.items():
        probe = ox.NamedNode(f"{_PROBE}type:{n}")
        given += [ox.Triple(probe, RDF_TYPE, _term(c)) for c in sorted(classes)]
        if is_signalled:
            given.append(ox.Triple(probe, CONTENT_USAGE, _NOT_AN_EXPRESSION))
    engine.add(given)
    engine.prepare()
    asset_class = ox.NamedNode(NS + "Asset")
    known = set(closed_vocabulary()) | set(given)
    for t in engine.triples():
        if t in known:
            continue
        subject = t.subject
        if t.predicate != RDF_TYPE or not (
            isinstance(subject, ox.NamedNode) and subject.value.startswith(_PROBE)
        ):
            return None  # reasoning concluded more than types of the stand-ins
    asset = {
        key
        for key, n in kinds.items()
        if ox.Quad(ox.NamedNode(f"{_PROBE}type:{n}"), RDF_TYPE, asset_class) in engine.store
    }
    yes = {c for c, is_signalled in asset if is_signalled}
    no = {c for c, is_signalled in asset if not is_signalled}
    out = [node for node, c in types.items() if (c in yes if node in usages else c in no)]
    if untyped in yes:
        out += [node for node in usages if node not in types]
    return out


@dataclass(frozen=True)
class _Answer:
    """A distinct expression's statement, decided on a stand-in asset."""

    decision: str
    conditions: str
    lines: tuple[list[str], ...]  # its records' fields, split


def _expressions(
    catalog: _Catalog, category: str, commitments: list[str], vocabulary: str
) -> tuple[list[str], dict[str, _Answer | None], dict[str, str]] | None:
    """Each distinct string expression lifted on a stand-in asset and decided by
    queries/decisions.rq: (commitments, expression -> its answer, decision -> outcome
    IRI). None if the answer holds an asset that is no stand-in."""
    literals = sorted(text for text, lit in catalog.literals.items() if is_string_literal(lit))
    probes = {ox.NamedNode(f"{_PROBE}usage:{n}"): lit for n, lit in enumerate(literals)}
    engine = FastEngine(vocabulary)
    # (with a source: decisions.rq writes no record for a statement read from nowhere)
    engine.load_quads(
        [ox.Quad(p, CONTENT_USAGE, catalog.literals[lit]) for p, lit in probes.items()], _PROBE
    )
    engine.add(reuser_triples(commitments, COMMAND_LINE_REUSER))
    engine.prepare()
    known, rows = decision_rows(engine, category, COMMAND_LINE_REUSER)
    by_literal: dict[str, _Answer | None] = {}
    outcomes: dict[str, str] = {}
    for asset, decided, outcome, conditions, records in rows:
        if asset is None:
            continue
        literal = probes.get(asset) if isinstance(asset, ox.NamedNode) else None
        if literal is None:
            return None
        lines = tuple(r.split(" ") for r in text_of(records).split("\n") if r)
        decision = text_of(decided) or "unknown"
        if outcome is not None:
            outcomes[decision] = text_of(outcome)
        text = text_of(conditions)
        by_literal[literal] = _Answer(decision, text, lines) if lines else None
    return known, by_literal, outcomes


class _Alone(NamedTuple):
    """What the assets whose only value is one expression from one source share."""

    rest: tuple[str | None, ...]  # its outcome's fields after the statement IRI
    decision: str
    outcome: str
    conditions: tuple[str, ...]
    explanation: str


def _decisions(
    assets: list[str],
    catalog: _Catalog,
    by_literal: dict[str, _Answer | None],
    outcomes: dict[str, str],
    category: str,
    commitments: list[str],
    vocabulary: str,
) -> tuple[Decision, ...]:
    """The real assets' decisions (as `ccsig.answer.compliance.report` makes them of
    decisions.rq's rows), from their expressions' answers: the statement IRIs and
    sources are the asset's; across its statements the most restrictive decision wins,
    and an allowed one rests on every allowing statement's conditions (aipref
    "combining", as ccsig.answer.decide restates it). Assets with the same expressions
    from the same sources share everything but the asset and statement IRIs, worked
    out once."""
    ontology = load_ontology()
    unknown = ontology.value_iris[ontology.unknown]
    committed = tuple(commitments)
    # each record but its statement IRI and source: "outcome decider value signal "
    # and " expression error"
    parts = {
        literal: [(" ".join(f[1:5]) + " ", " " + " ".join(f[6:])) for f in a.lines]
        for literal, a in by_literal.items()
        if a is not None
    }

    @cache
    def outcomes_of(literal: str, source: str) -> tuple[StatementOutcome, ...]:
        return tuple(
            outcome_of(middle + source + tail, category, committed)
            for middle, tail in parts[literal]
        )

    @cache
    def combined(values: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
        answers = [a for a in map(by_literal.get, values) if a is not None]
        if len(answers) == 1:
            decision, conditions = answers[0].decision, answers[0].conditions
        else:
            decision = max((a.decision for a in answers), key=_RANK.__getitem__)
            conditions = (
                " ".join(a.conditions for a in answers if a.decision == "allowed")
                if decision == "allowed"
                else ""
            )
        return decision, outcomes[decision], signal_elements(conditions)

    nothing = Decision("", "unknown", unknown, (), (), explain("unknown", ()))[1:]
    # (value, source) of an asset's only value -> what every such asset shares (its
    # decision's fields but the statement IRI), `unanswered`, or None when the value has
    # more than one record (then worked out in full)
    alone: dict[tuple[str, str], _Alone | None] = {}
    unanswered = _Alone((), "", "", (), "")

    def shared(literal: str, source: str) -> _Alone | None:
        if literal not in parts:
            return unanswered
        if len(parts[literal]) != 1:
            return None
        (template,) = outcomes_of(literal, source)
        decision, outcome, conditions = combined((literal,))
        reason = explain(decision, (template,))
        return _Alone(template[1:], decision, outcome, conditions, reason)

    results: list[Decision] = []
    append = results.append
    usages, sources, first = catalog.usages, catalog.sources, catalog.source
    make = tuple.__new__  # (a named tuple's own constructor, without its keyword handling)
    for label in assets:
        values = usages.get(label)
        if values is None:
            append(make(Decision, (label, *nothing)))
            continue
        if len(values) == 1:  # most assets
            [(text, iri)] = values.items()
            only = (text, sources.get((label, text), first) if sources else first)
            known = alone.get(only, unanswered)
            if known is unanswered and only not in alone:
                known = alone[only] = shared(*only)
            if known is unanswered:
                append(make(Decision, (label, *nothing)))
                continue
            if known is not None:
                rest, decision, outcome, conditions, reason = known
                found: tuple[StatementOutcome, ...] = (make(StatementOutcome, (iri, *rest)),)
                append(make(Decision, (label, decision, outcome, conditions, found, reason)))
                continue
        answered = [(text, iri) for text, iri in values.items() if text in parts]
        if not answered:
            append(make(Decision, (label, *nothing)))
            continue
        statements = []
        for literal, iri in answered:
            source = sources.get((label, literal), first) if sources else first
            statements += [
                make(StatementOutcome, (iri, *o[1:])) for o in outcomes_of(literal, source)
            ]
        if len(statements) > 1:
            statements.sort(key=outcome_order)
        decision, outcome, conditions = combined(tuple(lit for lit, _ in answered))
        found = tuple(statements)
        append(Decision(label, decision, outcome, conditions, found, explain(decision, found)))
    results.sort(key=itemgetter(0))  # by asset
    return tuple(results)
