"""OWL 2 RL reasoning over the vocabulary and the data.

Takes: a pyoxigraph store (fast engine) or an rdflib graph (reference engine)
holding data and lifted statements.
Gives: the same store or graph with what the vocabulary's axioms entail: assets
typed as ``ccsig:Asset``, the transitive category hierarchy, the CC signals a
reuser's commitments satisfy, PROV mappings.

The reference engine is owlrl over vocabulary plus data. It is exact and slow
(about a second per thousand triples). The fast engine closes the vocabulary
once with owlrl, loads that closure beside the data, and runs the OWL RL rules
instance data can trigger, written as SPARQL Update in queries/rules/, until
nothing changes. A differential test keeps the two in agreement.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

import pyoxigraph as ox

from ccsig._files import atomic_write, cache_dir
from ccsig.errors import CcsigError
from ccsig.model.terms import AtomicTerm, from_rdflib
from ccsig.model.vocabulary import vocabulary_graph
from ccsig.reason.equality import reason_with_equality
from ccsig.resources import data_dir, data_files

if TYPE_CHECKING:
    import rdflib

MAX_ROUNDS = 64
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"


@cache
def closed_vocabulary() -> tuple[ox.Triple, ...]:
    """The vocabulary with everything OWL RL entails from it alone.

    Axioms whose only news is owl:Thing (``C rdfs:subClassOf owl:Thing``, ``p rdfs:domain
    owl:Thing``) are left out: every individual is an owl:Thing, and deriving it for each
    of a million nodes costs the fast engine more than anything else it infers.
    The closure takes owlrl about a second, so it is kept in the user's cache folder
    (``$XDG_CACHE_HOME/ccsig``), keyed by the vocabulary's content.
    """
    key = hashlib.sha256(
        b"".join(f.name.encode() + f.read_bytes() for f in data_files("vocab", ".ttl"))
    ).hexdigest()[:24]
    cached = cache_dir() / f"closed-vocabulary-{key}.nt"
    triples = _read_cache(cached)
    if triples is not None:
        return triples
    triples = _close_vocabulary()
    body = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cached, _DIGEST_LINE % hashlib.sha256(body).hexdigest().encode() + body)
    except (OSError, CcsigError):  # a read-only home (or an odd cache path) is no reason to fail
        pass
    return triples


# The cache's first line: an N-Triples comment holding the SHA-256 of the rest.
_DIGEST_LINE = b"# sha256 %s\n"


def _read_cache(path: Path) -> tuple[ox.Triple, ...] | None:
    """The cached closure, if the file holds exactly what was written (its digest
    matches); None for a missing, truncated, edited or unreadable cache, to rebuild."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    first, _, body = data.partition(b"\n")
    if first + b"\n" != _DIGEST_LINE % hashlib.sha256(body).hexdigest().encode():
        return None
    try:
        return tuple(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None


def _close_vocabulary() -> tuple[ox.Triple, ...]:
    import owlrl
    import rdflib

    graph = rdflib.Graph() + vocabulary_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    trivial = {RDFS + "subClassOf", RDFS + "domain", RDFS + "range"}
    return tuple(
        t
        for t in from_rdflib(graph)  # rdflib holds no triple terms
        if not (cast(AtomicTerm, t.object).value == OWL_THING and t.predicate.value in trivial)
    )


class Rule(NamedTuple):
    name: str
    update: str  # INSERT {template} WHERE {pattern}
    would_add: str  # ASK whether the pattern has a solution whose template is not all present


_RULE = re.compile(
    r"^(?P<prologue>(?:\s*(?:#[^\n]*|PREFIX\s+\S*\s*<[^>]*>))*)\s*"
    r"INSERT\s*\{(?P<template>[^{}]*)\}\s*WHERE\s*(?P<pattern>\{.*\})\s*$",
    re.S | re.I,
)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule file in queries/rules/, in name order."""
    folder = data_dir("queries") / "rules"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".ru")), key=lambda f: f.name)
    return tuple(_rule(f.name.removesuffix(".ru"), f.read_text(encoding="utf-8")) for f in files)


def _rule(name: str, update: str) -> Rule:
    m = _RULE.match(update)
    if m is None or "_:" in m["template"] or "[" in m["template"]:
        raise ValueError(f"rule {name}: must be one INSERT {{...}} WHERE {{...}}, no blank nodes")
    would_add = (
        f"{m['prologue']}\nASK {{\n{m['pattern']}\nFILTER NOT EXISTS {{{m['template']}}}\n}}"
    )
    return Rule(name, update, would_add)


def apply_rules(store: ox.Store) -> int:
    """Run the rules until none can add anything; returns how many rule runs added triples.

    The store must already hold the closed vocabulary (see `closed_vocabulary`).
    Before a rule runs, an ASK tells whether it would conclude anything not yet in
    the store (its pattern, with FILTER NOT EXISTS on its fully bound template: one
    index lookup per candidate). Only then does it run, as the SPARQL Update it is,
    inside the store: no conclusion passes through Python, and re-deriving what is
    there costs a lookup rather than an insertion. A rule is asked again only if some
    rule added triples since it was last found to have nothing to add, so once the
    first pass is done only the rules before the last change are asked again.

    The equality rules (eq-*) are the exception: their SPARQL costs the cube of a
    sameAs class's size, so ccsig.reason.equality concludes the same in Python, the
    other rules running over one node per sameAs class.
    """
    others = tuple(rule for rule in rules() if not is_equality(rule))
    return reason_with_equality(
        store, lambda: run_rules(lambda ask: bool(store.query(ask)), store.update, others)
    )


def is_equality(rule: Rule) -> bool:
    """Whether `rule` is one of OWL RL's equality rules (its file is named ``NN-eq-*``)."""
    return rule.name.partition("-")[2].startswith("eq-")


def run_rules(
    ask: Callable[[str], bool],
    update: Callable[[str], None],
    chosen: tuple[Rule, ...] | None = None,
) -> int:
    """`apply_rules` over any store: `ask` answers a rule's ASK, `update` runs its update
    (ccsig.answer.instore runs them inside a SPARQL store, in a work graph); `chosen`
    rules only, else every rule."""
    chosen = rules() if chosen is None else chosen
    changes = 0
    closed_at = {rule.name: -1 for rule in chosen}  # changes count when last found closed
    for _ in range(MAX_ROUNDS):
        asked = False
        for rule in chosen:
            if closed_at[rule.name] >= changes:
                continue
            asked = True
            if ask(rule.would_add):
                update(rule.update)
                changes += 1
                closed_at[rule.name] = changes - 1  # its own conclusions may feed it again
            else:
                closed_at[rule.name] = changes
        if not asked:
            return changes
    raise RuntimeError(f"OWL RL rules did not reach a fixpoint in {MAX_ROUNDS} rounds")


# owlrl's cost with owl:sameAs grows with the classes of nodes it joins: each class of k
# nodes gives k² sameAs triples, every triple about a member is copied to the others,
# and the closure needs more rounds the longer the chain. Measured (2 busy cores, a
# chain of k nodes and one statement): k=1 5 s, 10 6 s, 20 10 s, 30 15 s, 50 72 s,
# 100 317 s; 1,000 does not finish. The reference engine refuses data whose
# Σ k² × max k (over its sameAs classes) passes this budget (a chain of 36 nodes).
SAME_AS_BUDGET = 50_000
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def same_as_classes(graph: rdflib.Graph) -> list[list[rdflib.term.Node]]:
    """The nodes owl:sameAs joins, as classes of two or more, largest first (linear)."""
    import rdflib

    parent: dict[rdflib.term.Node, rdflib.term.Node] = {}

    def root(n: rdflib.term.Node) -> rdflib.term.Node:
        parent.setdefault(n, n)
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for s, _, o in graph.triples((None, rdflib.URIRef(OWL_SAME_AS), None)):
        a, b = root(s), root(o)
        if a != b:
            parent[a] = b
    classes: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
    for n in parent:
        classes.setdefault(root(n), []).append(n)
    return sorted(
        (c for c in classes.values() if len(c) > 1), key=lambda c: (-len(c), sorted(map(str, c)))
    )


def refuse_too_large(graph: rdflib.Graph) -> None:
    """A `CcsigError` (one line) for data owlrl would take too long to close."""
    classes = same_as_classes(graph)
    if classes and sum(len(c) ** 2 for c in classes) * len(classes[0]) > SAME_AS_BUDGET:
        largest = classes[0]
        example = min(str(n) for n in largest)
        raise CcsigError(
            f"owl:sameAs joins {len(largest):,} nodes into one (among them {example}): too "
            "large for the reference engine, whose OWL RL closure would not finish; use "
            "--engine fast"
        )


def reference_closure(graph: rdflib.Graph) -> None:
    """owlrl's OWL 2 RL closure of vocabulary plus `graph`, in place; refused (before any
    work) when it would not finish in reasonable time (`refuse_too_large`)."""
    import owlrl

    refuse_too_large(graph)
    graph += vocabulary_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
