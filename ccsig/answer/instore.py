"""In-store mode: lift, reason and ask inside a SPARQL 1.1 store, in a work graph.

Takes: a store's query and update endpoints, a work graph IRI, a vocabulary name.
Gives: the work graph filled as an in-process engine would fill its store (the data's
decisive triples, the closed vocabulary, lifted statements, OWL RL conclusions,
consulted preferences) and the answers to questions asked of it; only the answers, the
distinct expressions and the vocabulary cross the network, never the catalog.

How each stage runs there:
- the data: copied inside the store from its default graph into the work graph (for
  `check` only the decisive triples, see ccsig.answer.stream; for `query` all of them);
- lifting: each distinct contentUsage expression is read out and parsed once in Python;
  its preference nodes go into the work graph and what queries/lifting/statements.ru
  needs into a scratch graph beside it; the statements are then made by that update,
  inside the store; ODRL policies (queries/lifting/odrl.rq) and images' PLUS values
  (queries/lifting/plus.rq) are read and their statements written back;
- reasoning and consulting: the OWL RL rules (queries/rules/) and queries/consult.ru,
  each update run ``WITH`` the work graph, each rule's ASK asked of it alone
  (``default-graph-uri``);
- questions: asked of the work graph alone, their parameters bound by a VALUES block.

The session itself (endpoints, work graph, lifting, dropping) is ccsig.lift.store's,
shared with `validate --in-store`. Nothing but the work graph (and its scratch graph)
is written: every update names it (``WITH``, ``GRAPH``), and both are dropped
afterwards, also when a step fails, unless the caller keeps the work graph. A
blank-node asset cannot be lifted there (its label means nothing in the next request),
so a store whose contentUsage values are about one is refused before anything is
written (and one whose ODRL policies are linked to one, with the work graph dropped
again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

import pyoxigraph as ox

from ccsig.answer.compliance import (
    COMMAND_LINE_REUSER,
    CheckReport,
    DecisionRow,
    category_iri,
    check_elements,
    report,
    reuser_triples,
)
from ccsig.answer.stream import AXIOMS, decisive_predicates
from ccsig.lift.store import Row, StoreSession, bound, fresh_work_graph
from ccsig.model.namespaces import NS
from ccsig.reason.rules import closed_vocabulary, run_rules
from ccsig.resources import read_text

__all__ = ["Row", "Store", "StoreSession", "bound", "fresh_work_graph", "in_store_check"]


class Store(StoreSession):
    """A store session that also reasons: `check` and `query` inside the store."""

    def copy_data(self, keep: str = "", *, decisive_only: bool = False) -> None:
        """The default graph's triples (only the decisive ones) into the work graph."""
        if decisive_only:
            names, rows = self.reader.select(
                "SELECT ?s ?p ?o WHERE { VALUES ?p { "
                + " ".join(str(p) for p in sorted(AXIOMS, key=str))
                + " } ?s ?p ?o }"
            )
            schema = [
                ox.Triple(*cast("tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]", r)) for r in rows
            ]
            decisive = sorted(p.value for p in decisive_predicates(schema))
            listed = ", ".join(f"<{p}>" for p in decisive)
            keep = f'FILTER (?p IN ({listed}) || STRSTARTS(STR(?p), "{NS}"))'
        super().copy_data(keep)

    def reason(self, reuser: list[ox.Triple]) -> None:
        """The reuser, the closed vocabulary, the OWL RL rules, then consulting."""
        self.insert(reuser)
        self.insert(closed_vocabulary())
        run_rules(self.ask, self.update)
        self.update(read_text("queries", "consult.ru"))


def in_store_check(
    store: Store,
    category: str,
    commitments: Iterable[str] = (),
    *,
    keep: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CheckReport:
    """`check` inside the store: the same report as copying the store in (copy mode)."""
    step = progress or (lambda label: None)
    commitments = list(commitments)
    asked = category_iri(store.vocabulary, category)
    check_elements(commitments)
    prepare(store, commitments, decisive_only=True, keep=keep, step=step)
    try:
        step("asking the store")
        known = sorted(
            r["name"].value
            for r in store.select(
                read_text("queries", "commitments.rq"), {"reuser": COMMAND_LINE_REUSER}
            )
            if r["name"] is not None
        )
        names, rows = store.table(
            read_text("queries", "decisions.rq"), {"category": asked, "reuser": COMMAND_LINE_REUSER}
        )
        at = [names.index(n) for n in ("asset", "decision", "outcome", "conditions", "statements")]
        picked: list[DecisionRow] = [tuple(row[i] for i in at) for row in rows]
        return report(store.vocabulary, category, known, picked, COMMAND_LINE_REUSER)
    finally:
        store.drop(keep)


def prepare(
    store: Store,
    commitments: list[str],
    *,
    decisive_only: bool,
    keep: bool,
    step: Callable[[str], None],
) -> None:
    """Fill the work graph (dropping it again if a step fails, even with `keep`)."""
    step(f"checking {store.query_url}")
    store.refuse_a_used_work_graph()
    store.refuse_blank_assets()
    try:
        step("copying the data into the work graph")
        store.copy_data(decisive_only=decisive_only)
        step("lifting in the store")
        store.lift()
        step("reasoning in the store")
        store.reason(reuser_triples(commitments, COMMAND_LINE_REUSER))
    except BaseException:
        store.drop(keep=False)
        raise
