"""Engines: hold data, lifted statements and what reasoning adds; answer SPARQL.

Takes: RDF inputs (files, or triples such as a reuser's commitments), a vocabulary name.
Gives: after `prepare()`, a graph in which every ``ccsig:contentUsage`` literal is
lifted into a statement (ccsig.lift.literals), the vocabulary's OWL 2 RL consequences are
present, and statements are consulted (queries/consult.ru); `select` runs any
SPARQL question over it.

Two engines, one interface:
- `FastEngine` (default): pyoxigraph. Inputs load straight into the store and are
  lifted there (queries/lifting/, one parse per distinct expression); the
  vocabulary is closed once by owlrl and the OWL RL rules instance data can trigger
  run as SPARQL Update (queries/rules/). Neither owlrl nor rdflib touches the data.
- `ReferenceEngine`: rdflib graph, owlrl closure of vocabulary plus data, rdflib's
  SPARQL. Slow; it is the yardstick the fast engine is tested against.
"""

from __future__ import annotations

import pathlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from ccsig.ingest.blank_nodes import relabel
from ccsig.ingest.endpoint import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Endpoint
from ccsig.ingest.readers import load_into, parse_quads, read_quads
from ccsig.ingest.urls import base_iri_for
from ccsig.lift.literals import StoreLifter, lift
from ccsig.lift.odrl import lift_policies, lifting_query
from ccsig.lift.plus import lift_data_mining, plus_query
from ccsig.model.namespaces import CONTENT_USAGE
from ccsig.model.terms import (
    AtomicTerm,
    Subject,
    Term,
    from_rdflib,
    ox_term,
    rdflib_term,
    to_rdflib,
)
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.reason.rules import apply_rules, closed_vocabulary, reference_closure
from ccsig.resources import read_text

if TYPE_CHECKING:
    import rdflib

Row = dict[str, AtomicTerm | None]
Answer = tuple[list[str], list[Row]] | bool | list[ox.Triple]
ENGINES = ("fast", "reference")


class Engine(ABC):
    name: str

    def __init__(self, vocabulary: str = DEFAULT_VOCABULARY, keep_input: bool = False) -> None:
        """With `keep_input`, what is loaded and added is remembered, so that
        `closure(new_only=True)` can tell what lifting and reasoning added."""
        load_ontology().vocabulary(vocabulary)  # fail early on an unknown name
        self.vocabulary = vocabulary
        self.keep_input = keep_input
        self.prepared = False
        # blank-node labels of the inputs loaded so far: a later input's are told apart
        self._taken: set[str] = set()

    def load(
        self, path: str, input_format: str | None = None, allow_remote_contexts: bool = False
    ) -> None:
        """Add one input and lift its contentUsage literals, with the file as their source."""
        self._load(path, input_format, allow_remote_contexts)
        self._lift_all(ox.NamedNode(base_iri_for(path)))

    def load_endpoint(
        self,
        url: str,
        graphs: Iterable[str] = (),
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        """Add the triples of a SPARQL endpoint's default graph (or of its named `graphs`)
        and lift them, with the endpoint as their source; the request must be done within
        `timeout` seconds and its answer hold at most `max_bytes`."""

        stream, fmt = Endpoint(url, timeout, max_bytes).triples(graphs)
        with stream:
            self._load_stream(stream, fmt, url)
        self._lift_all(ox.NamedNode(url))

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Add triples that are not from a file (a reuser built from --commit, a profile);
        their blank nodes are told apart from the inputs' (ccsig.ingest.blank_nodes)."""
        quads = relabel((ox.Quad(t.subject, t.predicate, t.object) for t in triples), self._taken)
        triples = [q.triple for q in quads]
        self._add(triples)
        self._remember(triples)
        if any(t.predicate == CONTENT_USAGE for t in triples):
            self._lift(None)
        self._lift_policies(None)

    def _lift_all(self, source: ox.NamedNode | None) -> None:
        self._lift(source)
        self._lift_policies(source)

    def _lift_policies(self, source: ox.NamedNode | None) -> None:
        """Read the ODRL policies linked to assets and not read yet (ccsig.lift.odrl)."""

        self._add(lift_policies(self.select(lifting_query()), self.vocabulary, source))
        # and the PLUS Data Mining values of images' XMP (ccsig.lift.plus)
        self._add(lift_data_mining(self.select(plus_query()), self.vocabulary, source))

    def prepare(self) -> None:
        """Reason and consult; call once, after every input is loaded and added."""
        if self.prepared:
            return
        self._finish_lifting()
        self._infer()
        self._update(read_text("queries", "consult.ru"))
        self.prepared = True

    def closure(self, new_only: bool = False) -> Iterator[ox.Triple]:
        """The data with everything lifted and inferred, without the vocabulary itself;
        with `new_only`, only what lifting and reasoning added."""

        vocabulary = set(closed_vocabulary())
        for t in self.triples():
            if t in vocabulary or (new_only and self._was_input(t)):
                continue
            yield t

    @abstractmethod
    def _lift(self, source: ox.NamedNode | None) -> None:
        """Lift the contentUsage literals not lifted yet, from `source`; ODRL policies are
        `_lift_policies`' (one SPARQL query, the same on both engines)."""

    @abstractmethod
    def _finish_lifting(self) -> None:
        """Tidy up after the last input (the fast engine drops its scratch graph)."""

    @abstractmethod
    def _remember(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        """With keep_input, note `triples` as input."""

    @abstractmethod
    def _was_input(self, triple: ox.Triple) -> bool: ...

    @abstractmethod
    def _load(self, path: str, input_format: str | None, allow_remote_contexts: bool) -> None: ...

    @abstractmethod
    def _load_stream(self, stream: IO[bytes], fmt: ox.RdfFormat, source: str) -> None:
        """Add the RDF read from `stream` (`source`, a URL, is its base and named in errors)."""

    @abstractmethod
    def _add(self, triples: Iterable[ox.Triple]) -> None: ...

    @abstractmethod
    def content_usage(self) -> Iterator[ox.Triple]:
        """Every (asset, ccsig:contentUsage, value) triple held."""

    @abstractmethod
    def _infer(self) -> None: ...

    @abstractmethod
    def _update(self, update: str) -> None: ...

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; `bindings` pre-bind variables as RDF terms (SEP-0007 / initBindings)."""
        return self.table(query, bindings)[1]

    @abstractmethod
    def table(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[Row]]:
        """Like `select`, with the projected variables (known even when no row matches)."""

    @abstractmethod
    def answer(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        """Run a query of any form: SELECT gives (variables, rows), ASK a bool,
        CONSTRUCT and DESCRIBE a list of triples."""

    def solutions(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], Iterable[Sequence[AtomicTerm | None]]]:
        """Like `table`, but rows are sequences in the order of the names: the fast
        engine hands pyoxigraph's solutions over as they come, and reading them by
        position costs a fraction of reading them by name."""
        names, rows = self.table(query, bindings)
        return names, [tuple(row[n] for n in names) for row in rows]

    @abstractmethod
    def triples(self) -> Iterator[ox.Triple]:
        """Everything held, vocabulary included."""


class FastEngine(Engine):
    name = "fast"

    def __init__(self, vocabulary: str = DEFAULT_VOCABULARY, keep_input: bool = False) -> None:
        super().__init__(vocabulary, keep_input)
        self.store = ox.Store()
        self._lifter = StoreLifter(self.store, vocabulary)
        self._input: ox.Store | None = ox.Store() if keep_input else None

    def _remember(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        if self._input is not None:
            self._input.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def _was_input(self, triple: ox.Triple) -> bool:
        assert self._input is not None, "open the engine with keep_input=True"
        return ox.Quad(triple.subject, triple.predicate, triple.object) in self._input

    def _load(self, path: str, input_format: str | None, allow_remote_contexts: bool) -> None:
        if self._input is None:
            load_into(self.store, path, input_format, allow_remote_contexts, self._taken)
        else:
            # parsed once, so the data and its record share their blank nodes
            self._keep(read_quads(path, input_format, allow_remote_contexts, self._taken))

    def _load_stream(self, stream: IO[bytes], fmt: ox.RdfFormat, source: str) -> None:
        quads = parse_quads(source, stream, fmt, source, self._taken)
        if self._input is None:
            self.store.extend(quads)
        else:
            self._keep(quads)

    def load_quads(self, quads: list[ox.Quad], source: str) -> None:
        """Add quads already read from `source` (a file's base IRI) and lift them, as
        `load` would have from the file (ccsig.answer.stream reads files itself)."""
        self.store.extend(quads)
        self._remember(quads)
        self._taken.update(
            t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)
        )
        self._lift_all(ox.NamedNode(source))

    def _keep(self, quads: list[ox.Quad]) -> None:
        assert self._input is not None
        self.store.extend(quads)
        self._input.extend(quads)

    def _add(self, triples: Iterable[ox.Triple]) -> None:
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def _lift(self, source: ox.NamedNode | None) -> None:
        self._lifter.lift(source)

    def _finish_lifting(self) -> None:
        self._lifter.finish()

    def content_usage(self) -> Iterator[ox.Triple]:
        for q in self.store.quads_for_pattern(None, CONTENT_USAGE, None):
            yield ox.Triple(q.subject, q.predicate, q.object)

    def _infer(self) -> None:

        self._add(closed_vocabulary())
        apply_rules(self.store)

    def _update(self, update: str) -> None:
        self.store.update(update)

    def table(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[Row]]:
        names, rows = self.solutions(query, bindings)
        return names, [dict(zip(names, row, strict=True)) for row in rows]

    def solutions(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], Iterable[Sequence[AtomicTerm | None]]]:
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        results = self.store.query(query, substitutions=substitutions)
        if not isinstance(results, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        return [v.value for v in results.variables], results

    def answer(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        results = self.store.query(query, substitutions=substitutions)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        if isinstance(results, ox.QueryTriples):
            return list(results)
        names = [v.value for v in results.variables]
        return names, [dict(zip(names, row, strict=True)) for row in results]

    def triples(self) -> Iterator[ox.Triple]:
        for q in self.store:
            yield ox.Triple(q.subject, q.predicate, q.object)


class ReferenceEngine(Engine):
    name = "reference"

    def __init__(self, vocabulary: str = DEFAULT_VOCABULARY, keep_input: bool = False) -> None:
        import rdflib

        super().__init__(vocabulary, keep_input)
        self.graph: rdflib.Graph = rdflib.Graph()
        self._input: set[ox.Triple] | None = set() if keep_input else None
        self._lifted: set[tuple[Subject, Term]] = set()

    def _remember(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        if self._input is not None:
            self._input.update(ox.Triple(t.subject, t.predicate, t.object) for t in triples)

    def _was_input(self, triple: ox.Triple) -> bool:
        assert self._input is not None, "open the engine with keep_input=True"
        return triple in self._input

    def _load(self, path: str, input_format: str | None, allow_remote_contexts: bool) -> None:
        quads = read_quads(path, input_format, allow_remote_contexts, self._taken)
        self._add(quads)
        self._remember(quads)

    def _load_stream(self, stream: IO[bytes], fmt: ox.RdfFormat, source: str) -> None:
        quads = parse_quads(source, stream, fmt, source, self._taken)
        self._add(quads)
        self._remember(quads)

    def _add(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:

        to_rdflib(triples, self.graph)

    def _lift(self, source: ox.NamedNode | None) -> None:
        fresh = [t for t in self.content_usage() if (t.subject, t.object) not in self._lifted]
        self._lifted.update((t.subject, t.object) for t in fresh)
        self._add(lift(fresh, self.vocabulary, source))

    def _finish_lifting(self) -> None:
        pass

    def content_usage(self) -> Iterator[ox.Triple]:
        import rdflib

        yield from from_rdflib(self.graph.triples((None, rdflib.URIRef(CONTENT_USAGE.value), None)))

    def _infer(self) -> None:

        reference_closure(self.graph)

    def _update(self, update: str) -> None:
        self.graph.update(update)

    def table(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[Row]]:

        answer = self.answer(query, bindings)
        if not isinstance(answer, tuple):
            raise ValueError("not a SELECT query")
        return answer

    def answer(self, query: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        init = {k: rdflib_term(v) for k, v in (bindings or {}).items()}
        result = self.graph.query(query, initBindings=init)
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return list(from_rdflib(result.graph or ()))
        names = [str(v) for v in result.vars or []]
        return names, [
            {n: (None if row[i] is None else ox_term(row[i])) for i, n in enumerate(names)}
            for row in cast("Iterable[rdflib.query.ResultRow]", result)
        ]

    def triples(self) -> Iterator[ox.Triple]:

        yield from from_rdflib(self.graph)


def make_engine(
    name: str, vocabulary: str = DEFAULT_VOCABULARY, keep_input: bool = False
) -> Engine:
    engines: dict[str, type[Engine]] = {"fast": FastEngine, "reference": ReferenceEngine}
    return engines[name](vocabulary, keep_input)


def open_engine(
    paths: Iterable[str | pathlib.Path],
    engine: str = "fast",
    vocabulary: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    extra: Iterable[ox.Triple] = (),
    keep_input: bool = False,
) -> Engine:
    """An engine holding `paths` (and `extra` triples), lifted, reasoned and consulted."""
    e = make_engine(engine, vocabulary, keep_input)
    for path in paths:
        e.load(str(path), input_format, allow_remote_contexts)
    e.add(extra)
    e.prepare()
    return e
