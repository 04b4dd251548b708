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

from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ccsig.resources import data_dir
from ccsig.terms import from_rdflib

if TYPE_CHECKING:
    import rdflib

MAX_ROUNDS = 64


@cache
def closed_vocabulary() -> tuple[ox.Triple, ...]:
    """The vocabulary with everything OWL RL entails from it alone."""
    import owlrl
    import rdflib

    from ccsig.validate import vocabulary_graph

    graph = rdflib.Graph() + vocabulary_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return tuple(from_rdflib(graph))


@cache
def rules() -> tuple[tuple[str, str], ...]:
    """(name, SPARQL Update) for every rule file in queries/rules/, in name order."""
    folder = data_dir("queries") / "rules"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".ru")), key=lambda f: f.name)
    return tuple((f.name.removesuffix(".ru"), f.read_text(encoding="utf-8")) for f in files)


def apply_rules(store: ox.Store) -> int:
    """Run the rules until a round adds nothing; returns how many triples were added.

    The store must already hold the closed vocabulary (see `closed_vocabulary`).
    """
    before = len(store)
    size = before
    for _ in range(MAX_ROUNDS):
        for _name, update in rules():
            store.update(update)
        grown = len(store)
        if grown == size:
            return grown - before
        size = grown
    raise RuntimeError(f"OWL RL rules did not reach a fixpoint in {MAX_ROUNDS} rounds")


def reference_closure(graph: rdflib.Graph) -> None:
    """owlrl's OWL 2 RL closure of vocabulary plus `graph`, in place."""
    import owlrl

    from ccsig.validate import vocabulary_graph

    graph += vocabulary_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
