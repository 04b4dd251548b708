"""A session with a SPARQL 1.1 store for in-store mode: its query and update endpoints,
a work graph of ccsig's own, and lifting done there.

Takes: a store's query and update endpoints, a work graph IRI, a vocabulary name.
Gives: `StoreSession`: questions asked of the work graph alone, updates confined to it
(``WITH``, ``GRAPH``), the store's default graph copied into it, its contentUsage
literals and ODRL policies lifted there (each distinct expression parsed once in
Python, the statements made by queries/lifting/statements.ru inside the store), and the
work graph dropped afterwards. Only the distinct expressions, what lifting writes and
the answers cross the network, never the catalog.

`check` and `query` (ccsig.answer.instore) reason and ask in such a session; `validate`
(ccsig.validation.instore) evaluates its shapes there. A blank-node asset cannot be
lifted in the store (its label means nothing in the next request), so a store whose
contentUsage values are about one is refused before anything is written.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ccsig.errors import CcsigError
from ccsig.ingest.endpoint import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Endpoint, has_blank_node
from ccsig.lift.literals import LIFTING_GRAPH, StoreLifter
from ccsig.lift.odrl import lift_policies, lifting_query
from ccsig.lift.plus import lift_data_mining, plus_query
from ccsig.model.namespaces import CONTENT_USAGE, NS
from ccsig.model.terms import AtomicTerm, Term
from ccsig.model.vocabulary import DEFAULT_VOCABULARY
from ccsig.resources import read_text

__all__ = ["Row", "StoreSession", "bound", "fresh_work_graph"]

Row = dict[str, AtomicTerm | None]
_PROBE = "urn:ccsig:probe:usage:"


def fresh_work_graph() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


@dataclass
class StoreSession:
    """A SPARQL store seen through its query and update endpoints, with a work graph."""

    query_url: str
    update_url: str
    work_graph: str
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    vocabulary: str = DEFAULT_VOCABULARY

    def __post_init__(self) -> None:
        try:
            self.graph = ox.NamedNode(self.work_graph)
        except ValueError:
            raise CcsigError(
                f"{self.work_graph!r} is not an IRI; a work graph must be one"
            ) from None
        self.scratch = ox.NamedNode(self.work_graph.rstrip("/#") + "/lifting")
        self.reader = Endpoint(self.query_url, self.timeout, self.max_bytes)
        self.writer = Endpoint(self.update_url, self.timeout, self.max_bytes)

    @property
    def sent(self) -> int:
        return self.reader.traffic.sent + self.writer.traffic.sent

    @property
    def received(self) -> int:
        return self.reader.traffic.received + self.writer.traffic.received

    # ----------------------------------------------------------------- asking, writing

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        names, rows = self.table(query, bindings)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def table(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[tuple[AtomicTerm | None, ...]]]:
        return self.reader.select(bound(query, bindings), self.work_graph)

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return self.reader.ask(bound(query, bindings), self.work_graph)

    def answer(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[Row]] | bool:
        """A SELECT's (variables, rows) or an ASK's boolean, asked of the work graph
        (a CONSTRUCT's triples are not read back: the store answers it with RDF)."""
        answer = self.reader.results(bound(query, bindings), self.work_graph)
        if isinstance(answer, bool):
            return answer
        names, rows = answer
        return names, [dict(zip(names, row, strict=True)) for row in rows]

    def update(self, text: str) -> None:
        """Run an ``INSERT {...} WHERE {...}`` of ccsig's own with the work graph as its
        graph (WITH), its scratch graph named where it names <urn:ccsig:lifting>."""
        self.writer.update(
            _with_graph(text.replace(str(LIFTING_GRAPH), str(self.scratch)), self.graph)
        )

    def insert(self, triples: Iterable[ox.Triple], graph: ox.NamedNode | None = None) -> None:
        self.writer.insert(triples, (graph or self.graph).value)

    # ----------------------------------------------------------------- the stages

    def refuse_a_used_work_graph(self) -> None:
        for graph in (self.graph, self.scratch):
            if self.reader.ask(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
                raise CcsigError(
                    f"{self.query_url}: the work graph {graph.value} already holds triples; "
                    "name another with --work-graph (ccsig writes only into its own graph)"
                )

    def refuse_blank_assets(self) -> None:
        names, rows = self.reader.select(read_text("queries", "lifting/blank-assets.rq"))
        if rows:
            raise CcsigError(
                f"{self.query_url}: {len(rows)} ccsig:contentUsage value(s) are about blank "
                "nodes, which cannot be lifted inside the store (a blank node's label names "
                "nothing in the next request); read the store without --in-store"
            )

    def copy_data(self, keep: str = "") -> None:
        """The default graph's triples into the work graph, inside the store; `keep` is
        a FILTER on ?s ?p ?o choosing which (by default all)."""
        self.writer.update(
            f"INSERT {{ GRAPH {self.graph} {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o . {keep} }}"
        )

    def lift(self, source: bool = True, plus: bool = True) -> None:
        """Lift the work graph's contentUsage literals and ODRL policies (and, with
        `plus`, images' PLUS values), with `source` the endpoint named as their source
        (as `check` and `query` lift an endpoint's triples; `validate` lifts a file's,
        without a source and without PLUS values, and so the store's)."""
        rows = self.select(read_text("queries", "lifting/expressions.rq"))
        local = ox.Store()
        local.extend(
            ox.Quad(ox.NamedNode(f"{_PROBE}{n}"), CONTENT_USAGE, r["literal"])
            for n, r in enumerate(rows)
            if isinstance(r["literal"], ox.Literal)
        )
        lifter = StoreLifter(local, self.vocabulary)
        lifter.parse_expressions()
        preferences = [
            q.triple
            for q in local.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if q.predicate != CONTENT_USAGE
        ]
        scratch = [q.triple for q in local.quads_for_pattern(None, None, None, LIFTING_GRAPH)]
        origin = ox.NamedNode(self.query_url) if source else None
        if origin is not None:
            scratch.append(ox.Triple(self.scratch, ox.NamedNode(NS + "source"), origin))
        self.insert(preferences)
        self.insert(scratch, self.scratch)
        self.update(read_text("queries", "lifting/statements.ru"))
        self.writer.update(f"DROP SILENT GRAPH {self.scratch}")
        policies = lift_policies(self.select(lifting_query()), self.vocabulary, origin)
        if any(
            isinstance(t.object, ox.BlankNode) and t.predicate.value == NS + "about"
            for t in policies
        ):
            raise CcsigError(
                f"{self.query_url}: an ODRL policy is linked to a blank node, which cannot be "
                "lifted inside the store; read the store without --in-store"
            )
        self.insert(t for t in policies if not has_blank_node(t))
        if plus:  # and the PLUS Data Mining values of images' XMP, as the engines read them
            mined = lift_data_mining(self.select(plus_query()), self.vocabulary, origin)
            self.insert(t for t in mined if not has_blank_node(t))

    def drop(self, keep: bool) -> None:
        graphs = [self.scratch] if keep else [self.scratch, self.graph]
        self.writer.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs))


def bound(query: str, bindings: Mapping[str, Term] | None) -> str:
    """`query` with `bindings` as what a store cannot be handed beside a query:
    pre-bound variables (SEP-0007). A VALUES block for them opens every group (``{``)
    that mentions one, so that groups evaluated on their own (an OPTIONAL's) see the
    bound value too, as they would with the variable replaced; the blocks of VALUES
    data, CONSTRUCT templates and sub-queries' outer braces are left alone."""
    if not bindings:
        return query
    code = _code_only(query)
    names = {k: re.compile(rf"[?$]{re.escape(k)}\b") for k in bindings}
    out: list[str] = []
    last = 0
    for opening, closing in _groups(code):
        before = code[:opening]
        if _NOT_A_GROUP.search(before):
            continue
        inside = code[opening:closing]
        if inside[1:].lstrip().upper().startswith("SELECT"):  # a sub-query's own braces
            continue
        used = [k for k, pattern in names.items() if pattern.search(inside)]
        if not used:
            continue
        variables = " ".join(f"?{k}" for k in used)
        values = " ".join(str(bindings[k]) for k in used)
        out.append(query[last : opening + 1])
        out.append(f" VALUES ({variables}) {{ ({values}) }} ")
        last = opening + 1
    out.append(query[last:])
    return "".join(out)


# a `{` opening VALUES data, a CONSTRUCT template or an INSERT/DELETE template
_NOT_A_GROUP = re.compile(
    r"(VALUES\s*(?:[?$]\w+|\([^()]*\))|CONSTRUCT|INSERT|DELETE|DATA)\s*$", re.I
)


def _code_only(text: str) -> str:
    """`text` with its comments, strings and IRIs blanked out (same length), so that
    braces and variables are found only where they are SPARQL."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            end = min(j + len(quote), n)
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            end = text.index(">", i) + 1
        else:
            i += 1
            continue
        for k in range(i, end):
            if out[k] != "\n":
                out[k] = " "
        i = end
    return "".join(out)


def _groups(code: str) -> list[tuple[int, int]]:
    """(position of `{`, position of its `}`) for every brace pair, outermost first."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(code):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            pairs.append((stack.pop(), i))
    return sorted(pairs)


def _with_graph(update: str, graph: ox.NamedNode) -> str:
    lines = update.split("\n")
    for i, line in enumerate(lines):
        code = line.lstrip()
        if not code or code.startswith("#") or code.upper().startswith("PREFIX"):
            continue
        if not code.upper().startswith("INSERT"):
            raise CcsigError("only INSERT {...} WHERE {...} updates run in a work graph")
        lines[i] = f"WITH {graph}\n{line}"
        return "\n".join(lines)
    raise CcsigError("an empty update")
