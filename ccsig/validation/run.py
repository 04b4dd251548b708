"""Run the engines over one input: read, lift, validate each shape with the engine that
can evaluate it exactly, and merge the results.

Takes: an input file (or its quads), a vocabulary name, the engine asked for and the
shapes graph (ccsig.validation.shapes).
Gives: `Result`s as ccsig.validation.shacl reports them.

With the fast engine, the shapes it evaluates run over a pyoxigraph store
(ccsig.validation.fast), or, where the data cannot change what the shipped shapes see of
an asset beyond its contentUsage values, once per distinct set of values
(ccsig.validation.broadcast); every other shape runs in pySHACL, on the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ccsig.errors import CcsigError, InputError
from ccsig.ingest.blank_nodes import may_hold_blank_nodes
from ccsig.ingest.endpoint import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Endpoint
from ccsig.ingest.readers import (
    base_iri_for,
    parse_quads,
    read_input,
    read_quads,
    syntax_errors,
)
from ccsig.lift.literals import lift
from ccsig.lift.odrl import lift_policies, lift_policies_in, lifting_query
from ccsig.lift.store import StoreSession
from ccsig.model.terms import to_rdflib
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology, vocabulary_store
from ccsig.validation import broadcast
from ccsig.validation import shapes as shapes_module
from ccsig.validation.fast import Engine, Raw, label, text
from ccsig.validation.instore import StoreEngine, why_not_in_store
from ccsig.validation.shacl import (
    SEVERITIES,
    SEVERITY_ORDER,
    InvalidShapes,
    Report,
    Result,
    reference_results,
)
from ccsig.validation.shapes import SH, TARGETS, Shape, ShapesGraph
from ccsig.validation.terms import Misspellings

if TYPE_CHECKING:
    import rdflib

ENGINES = ("fast", "reference")


@cache
def _shipped() -> ShapesGraph:
    return shapes_module.load()


def shapes_for(extra: tuple[str, ...]) -> ShapesGraph:
    """The shipped shapes plus the steward's files (read afresh each time)."""
    return shapes_module.load(extra) if extra else _shipped()


def engines(graph: ShapesGraph, engine: str) -> tuple[tuple[str, str, str], ...]:
    """(shape, engine, why) for every targeted shape."""
    out = []
    for s in graph.shapes:
        why = s.why_not_fast()
        if engine == "reference":
            out.append((s.label(), "reference", "asked for"))
        elif why is None:
            out.append((s.label(), "fast", ""))
        else:
            out.append((s.label(), "reference", why))
    return tuple(out)


def validate_file(
    path: str,
    vocabulary: str,
    input_format: str | None,
    allow_remote_contexts: bool,
    engine: str,
    graph: ShapesGraph,
) -> list[Result]:
    """Every result for one input: the shapes' and, whatever the engine, a warning for
    each ccsig: term the vocabulary does not define (ccsig.validation.terms)."""
    misspelt = Misspellings()
    results = _shape_results(
        path, vocabulary, input_format, allow_remote_contexts, engine, graph, misspelt
    )
    return results + misspelt.results(path)


def _shape_results(
    path: str,
    vocabulary: str,
    input_format: str | None,
    allow_remote_contexts: bool,
    engine: str,
    graph: ShapesGraph,
    misspelt: Misspellings,
) -> list[Result]:
    quads: list[ox.Quad] | None = None  # None while the broadcast path has not read them all
    if engine == "reference" or not graph.shipped:
        quads = list(misspelt.watch(read_quads(path, input_format, allow_remote_contexts)))
        return validate_quads(quads, vocabulary, path, engine, graph)
    data, fmt = read_input(path, input_format, allow_remote_contexts)

    def parse() -> Iterator[ox.Quad]:  # streamed: only for an input without blank nodes
        read = ox.parse(data, format=fmt, base_iri=base_iri_for(path))
        return misspelt.watch(read)

    # Blank nodes are labelled from the whole input (ccsig.ingest.blank_nodes), so an
    # input that may hold one is read whole first. Shapes beyond the shipped ones need
    # every quad too; then all engines read the same ones, and a blank node has one
    # label in the report.
    if may_hold_blank_nodes(data, fmt):
        quads = list(misspelt.watch(parse_quads(path, data, fmt, base_iri_for(path), None)))
    everything = len(graph.shipped) < len(graph.shapes)
    with syntax_errors(path):
        if quads is None and everything:
            quads = list(parse())
        values = broadcast.collect(quads if quads is not None else parse(), graph)
    raws = None if values is None else broadcast.results(values, vocabulary, graph.shipped)
    if raws is None:  # the data may change what the shipped shapes see: the store path
        if quads is None:
            with syntax_errors(path):
                quads = list(parse())
        return validate_quads(quads, vocabulary, path, engine, graph)
    results = [result(r, path) for r in raws]
    rest = [s for s in graph.shapes if s not in graph.shipped]
    if rest:
        assert quads is not None  # read whole above: `everything`
        results.extend(validate_quads(quads, vocabulary, path, engine, graph, rest))
    return results


def fast_store(quads: Sequence[ox.Quad], vocabulary: str) -> tuple[ox.Store, list[ox.Triple]]:
    """The store the fast engine validates (the data in its default graph, its lifted
    statements, the vocabulary), and the lifted statements."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    # the ODRL lifting reads the data alone, as lift_policies_in would in a store of its own
    rows = store.query(lifting_query())
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    policies = lift_policies([{n: row[n] for n in names} for row in rows], vocabulary)
    lifted = lift(quads, vocabulary) + policies
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in lifted)
    store.extend(_vocabulary_quads())
    return store, lifted


def validate_quads(
    quads: Sequence[ox.Quad],
    vocabulary: str,
    file: str,
    engine: str,
    graph: ShapesGraph,
    only: Sequence[Shape] | None = None,
) -> list[Result]:
    """Every result for one input's quads (of the shapes `only`, by default all), over a
    store or in pySHACL; both engines label blank nodes by their ids here."""
    if engine == "reference":
        lifted = lift(quads, vocabulary) + lift_policies_in(quads, vocabulary)
        shapes = reference_graph(graph, graph.shapes) if graph.files else None
        return reference_results(quads, lifted, file, shapes)
    chosen = graph.shapes if only is None else only
    fast = [s for s in chosen if s.why_not_fast() is None]
    slow = [s for s in chosen if s.why_not_fast() is not None]
    results: list[Result] = []
    if fast:
        store, lifted = fast_store(quads, vocabulary)
        evaluator = Engine(store)
        results.extend(result(r, file) for s in fast for r in evaluator.validate(s))
    else:
        lifted = lift(quads, vocabulary) + lift_policies_in(quads, vocabulary)
    if slow:
        results.extend(reference_results(quads, lifted, file, reference_graph(graph, slow)))
    return results


@cache
def _vocabulary_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(q.subject, q.predicate, q.object) for q in vocabulary_store())


def result(r: Raw, file: str) -> Result:
    return Result(
        severity=SEVERITIES.get(r.severity, "info"),
        focus=label(r.focus) or "",
        path=label(r.path),
        message=" ".join(r.message.split()),
        file=file,
        value=None if r.value is None else text(r.value),  # str(), as shacl.py gives it
    )


def reference_graph(graph: ShapesGraph, keep: Sequence[Shape]) -> rdflib.Graph:
    """The shapes graph with the targets of every shape not in `keep` removed, so pySHACL
    runs only `keep` (the others stay, for sh:node and sh:or to refer to)."""
    kept = {s.node for s in keep}
    targets = {SH + t for t in TARGETS | {"target"}}
    return to_rdflib(
        t for t in graph.triples if not (t.predicate.value in targets and t.subject not in kept)
    )


def validate_files(
    paths: Sequence[str],
    vocabulary: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    engine: str = "fast",
    shapes: Sequence[str] = (),
    keep_going: bool = False,
    progress: Callable[[str], None] | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Validate each file on its own against the shipped shapes plus the steward shape
    files `shapes`; raises `InputError` for a file (data or shapes) that cannot be read,
    or, with `keep_going`, validates the others and lists it in `Report.unreadable`.
    With `endpoint`, the default graph of that SPARQL endpoint is read in (copy mode)
    and validated too, as one more file named by its URL.

    `engine` is "fast" (the default) or "reference" (pySHACL over rdflib, every shape).
    `progress` is called with each file's name as its validation starts.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    load_ontology().vocabulary(vocabulary)
    graph = shapes_for(tuple(shapes))
    results: list[Result] = []
    unreadable: list[str] = []
    sources = [(p, False) for p in paths] + ([(endpoint, True)] if endpoint else [])
    for path, from_endpoint in sources:
        if progress is not None:
            progress(path)
        try:
            if from_endpoint:
                found = endpoint_results(path, vocabulary, engine, graph, timeout, max_bytes)
            else:
                found = validate_file(
                    path, vocabulary, input_format, allow_remote_contexts, engine, graph
                )
            results.extend(found)
        except InvalidShapes as e:
            if not shapes:
                raise
            raise CcsigError(f"{', '.join(shapes)}: not valid SHACL (pySHACL: {e})") from None
        except InputError as e:
            if not keep_going:
                raise
            unreadable.append(str(e))
    return _report(results, graph, engine, bool(shapes), unreadable)


def _report(
    results: list[Result], graph: ShapesGraph, engine: str, steward: bool, unreadable: list[str]
) -> Report:
    # The value breaks ties that pySHACL leaves in no particular order (two non-string
    # values on one asset), so the report is the same run to run and engine to engine.
    results.sort(
        key=lambda r: (
            r.file,
            SEVERITY_ORDER.get(r.severity, 3),
            r.focus,
            r.path or "",
            r.message,
            r.value or "",
        )
    )
    return Report(
        tuple(dict.fromkeys(results)),
        engines(graph, engine),
        show_engines=steward,
        unreadable=tuple(unreadable),
    )


def endpoint_results(
    url: str,
    vocabulary: str,
    engine: str,
    graph: ShapesGraph,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Result]:
    """Copy mode: the default graph of the SPARQL endpoint `url` read in and validated
    as a file holding it would be (its results name `url` as their file)."""
    stream, fmt = Endpoint(url, timeout, max_bytes).triples()
    misspelt = Misspellings()
    with stream:
        quads = list(misspelt.watch(parse_quads(url, stream, fmt, url, None)))
    return validate_quads(quads, vocabulary, url, engine, graph) + misspelt.results(url)


# the steps validate_in_store reports to its `progress`
IN_STORE_STEPS = 4


def validate_in_store(
    session: StoreSession,
    shapes: Sequence[str] = (),
    *,
    keep: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """In-store mode: the store's default graph validated inside the store, in the
    session's work graph (the data copied there, lifted as a file's data is, beside the
    vocabulary, exactly the fast engine's store), each shape one query
    (ccsig.validation.instore); only the results are read back. The same report as
    `validate_endpoint`. A shape the store cannot evaluate is refused before anything
    is written; the work graph is dropped afterwards unless `keep` (and always when a
    step fails)."""
    step = progress or (lambda label: None)
    load_ontology().vocabulary(session.vocabulary)
    graph = shapes_for(tuple(shapes))
    for s in graph.shapes:
        why = why_not_in_store(s)
        if why is not None:
            raise CcsigError(
                f"{s.label()}: the store cannot evaluate this shape ({why}); "
                "validate without --in-store (copy mode) to have pySHACL run it"
            )
    step(f"checking {session.query_url}")
    session.refuse_a_used_work_graph()
    session.refuse_blank_assets()
    try:
        step("copying the data into the work graph")
        session.copy_data()
        step("lifting in the store")
        session.lift(source=False, plus=False)
        session.insert(q.triple for q in _vocabulary_quads())
        step("validating in the store")
        engine = StoreEngine(session.table)
        url = session.query_url
        results = [result(r, url) for s in graph.shapes for r in engine.validate(s)]
        misspelt = Misspellings()
        misspelt.note(session.reader.select(misspelt.query())[1])
        results.extend(misspelt.results(url))
    except BaseException:
        session.drop(keep=False)
        raise
    session.drop(keep)
    return _report(results, graph, "fast", bool(shapes), [])
