"""The public API: everything the `ccsig` command does, as typed functions.

Takes: sources (file paths, `-` for standard input, rdflib graphs or pyoxigraph stores),
category labels, and commitments as plain signal element names (``credit``, ``open``).
Gives: report objects; each has ``to_json()``, the JSON-ready data the command line
prints with ``--format json`` (or JSON-LD, where that is the command's JSON), equal to
it for the same inputs. `ccsig.cli` is a thin shell over this module.

Why one module of ~500 lines: the whole public API reads in one place, each function a
few lines over one stage below; split, a reader would look for the API in several files.

>>> import ccsig
>>> ccsig.parse("train-genai=n;exceptions=cc-cr-ec").effective["train-genai"]
'disallow'
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Union, cast

import pyoxigraph as ox

from ccsig._files import read_file
from ccsig.answer import query as questions
from ccsig.answer.compliance import (
    COMMAND_LINE_REUSER,
    CheckReport,
    category_iri,
    find_reuser,
    profile_triples,
    reuser_triples,
)
from ccsig.answer.compliance import check as decide
from ccsig.answer.instore import Store, fresh_work_graph, in_store_check
from ccsig.answer.instore import prepare as prepare_store
from ccsig.answer.stream import stream_check
from ccsig.audit.run import AuditResult, audit_records, build_table, options_of, run_audit
from ccsig.audit.spark import discard_spark
from ccsig.errors import CcsigError, IncompleteDeclarationError
from ccsig.ingest.endpoint import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Endpoint, has_blank_node
from ccsig.ingest.headers import parse_header_lines, rsl_links, statements_from_headers
from ccsig.ingest.readers import context_files, read_bytes, user_contexts
from ccsig.ingest.robots import SIZE_LIMIT as ROBOTS_SIZE_LIMIT
from ccsig.ingest.robots import RobotsAnswer, evaluate, parse_robots
from ccsig.ingest.rsl import parse_rsl
from ccsig.ingest.warc import HEAD_LIMIT
from ccsig.lift.rsl import RslReport
from ccsig.lift.store import StoreSession
from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.namespaces import PREFIXES
from ccsig.model.terms import AtomicTerm, Node, from_rdflib, serialise
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement, combine, combine_exceptions
from ccsig.publish.annotate import Annotation
from ccsig.publish.annotate import annotate as _annotate
from ccsig.publish.declare import Declaration, declaration
from ccsig.publish.migrate import FileMigration, Migration, migrate_expression, migrate_file
from ccsig.reason.engine import Engine, make_engine
from ccsig.validation.run import validate_files, validate_in_store
from ccsig.validation.shacl import Report as ValidationReport

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "Annotation",
    "AuditResult",
    "CheckReport",
    "Closure",
    "Declaration",
    "FileMigration",
    "HeaderReport",
    "Loaded",
    "Migration",
    "ParsedExpression",
    "Prepared",
    "QueryResult",
    "RobotsReport",
    "RslReport",
    "Source",
    "ValidationReport",
    "WriteBack",
    "annotate",
    "audit",
    "audit_urls",
    "check",
    "declare",
    "header",
    "infer",
    "load",
    "migrate",
    "migrate_catalog",
    "parse",
    "prepare_query",
    "query",
    "robots",
    "rsl",
    "validate",
    "write_back",
]

Source = Union[str, "os.PathLike[str]", "rdflib.Graph", ox.Store]


def _listed(value: Any) -> list[Any]:
    """What `value` holds, as a list; one path, name, graph or store given alone is a
    list of one (a str is iterable too, by characters: ``check("catalog.ttl", ...)``
    read the files "c", "a", ...; a graph or a store by its triples)."""
    rdflib = sys.modules.get("rdflib")
    if isinstance(value, str | bytes | os.PathLike | ox.Store) or (
        rdflib is not None and isinstance(value, rdflib.Graph)
    ):
        return [value]
    return list(value)


"""What the data functions read: a file path (``-``: standard input), an rdflib graph
or a pyoxigraph store (its default graph)."""

Progress = Callable[[str], None]
"""Called with a label (``reading FILE``, ``reasoning``) as each loading step starts."""


def parse(expression: str | bytes, vocabulary: str = DEFAULT_VOCABULARY) -> ParsedExpression:
    """Parse one content-usage expression; every category's preference, with fallback."""
    if isinstance(expression, str):
        expression = os.fsencode(expression)
    return parse_expression(expression, vocabulary, load_ontology())


def validate(
    sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
    *,
    vocabulary: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    engine: str = "fast",
    shapes: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
    keep_going: bool = False,
    progress: Progress | None = None,
    contexts: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    in_store: bool = False,
    update_endpoint: str | None = None,
    work_graph: str | None = None,
    keep: bool = False,
) -> ValidationReport:
    """Validate RDF files against ccsig's SHACL shapes and any steward `shapes` files;
    each file is validated on its own. `engine` is "fast" (results equal to pySHACL's;
    what it cannot evaluate exactly goes to pySHACL) or "reference" (pySHACL only). With
    `keep_going`, a file that cannot be read is listed in ``.unreadable`` and the others
    are still validated; otherwise it raises `InputError`. `contexts` are local JSON-LD
    contexts the inputs may name beyond their own folder, as `load` takes them.

    With `endpoint`, the default graph of that SPARQL endpoint is read in and validated
    too (copy mode), its results naming the endpoint's URL as their file. With
    ``in_store=True`` (and `update_endpoint`, no files) the store validates it itself,
    in `work_graph` (default a fresh urn:uuid; dropped afterwards unless `keep`), and
    only the results are read back: the same report as copy mode's, or a `CcsigError`
    naming a shape the store cannot evaluate (see ccsig.validation.instore)."""
    paths = [os.fspath(s) for s in _listed(sources)]
    steward = [os.fspath(s) for s in _listed(shapes)]
    if paths.count("-") > 1:
        raise CcsigError("standard input (-) can be read only once")
    if in_store:
        if not endpoint or not update_endpoint:
            raise CcsigError(
                "in-store mode needs an endpoint and an update endpoint of the same store"
            )
        if paths:
            raise CcsigError("in-store mode reads the store's default graph only: give no files")
        if engine != "fast":
            raise CcsigError("in-store mode evaluates the fast engine's shapes: no engine choice")
        session = StoreSession(
            endpoint,
            update_endpoint,
            fresh_work_graph() if work_graph is None else work_graph,
            timeout=timeout,
            max_bytes=max_bytes,
            vocabulary=vocabulary,
        )
        return validate_in_store(session, steward, keep=keep, progress=progress)
    if work_graph is not None or keep or update_endpoint is not None:
        raise CcsigError("update_endpoint, work_graph and keep go with in_store")
    if not paths and not endpoint:
        raise CcsigError("give at least one file, or an endpoint")
    with user_contexts(context_files(_listed(contexts))):
        return validate_files(
            paths,
            vocabulary,
            input_format,
            allow_remote_contexts,
            engine=engine,
            shapes=steward,
            keep_going=keep_going,
            progress=progress,
            endpoint=endpoint,
            timeout=timeout,
            max_bytes=max_bytes,
        )


@dataclass
class Loaded:
    """An engine holding the sources, lifted, reasoned and consulted, and the reuser
    whose commitments it holds."""

    engine: Engine
    reuser: Node
    placeholder: bool = False
    """The reuser is ccsig's own (``urn:ccsig:reuser:command-line``), committing to nothing:
    there only for the questions to have one, it is not part of the data."""

    def closure(self, new_only: bool = False) -> Closure:
        """The closure of what was loaded (see `infer`), without a `placeholder` reuser."""
        triples: Iterable[ox.Triple] = self.engine.closure(new_only=new_only)
        if self.placeholder:
            triples = (t for t in triples if self.reuser not in (t.subject, t.object))
        return Closure(list(triples))


def load(
    sources: Source | Iterable[Source] = (),
    *,
    commitments: str | Iterable[str] = (),
    profile: str | os.PathLike[str] | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    engine: str = "fast",
    input_format: str | None = None,
    allow_remote_contexts: bool = False,
    endpoint: str | None = None,
    graphs: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_input: bool = False,
    progress: Progress | None = None,
    contexts: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
) -> Loaded:
    """Load `sources` (and an endpoint's triples), add the reuser, reason.

    The endpoint's answer must come whole within `timeout` seconds and hold at most
    `max_bytes`; it may redirect within its origin only.

    The reuser is the one a `profile` file describes, else a reuser of ccsig's own
    (``urn:ccsig:reuser:command-line``); either way it commits to `commitments` too.
    JSON-LD inputs may name the local `contexts` too, each a file or folder (by relative
    reference, absolute path or file: URL), or ``URL=PATH``: the context at URL is read
    from PATH, offline. Each is read as a local context: a regular file of at most 1 MiB.
    """
    sources = _listed(sources)
    if not sources and not endpoint:
        raise CcsigError("give at least one source, or an endpoint")
    if graphs and not endpoint:
        raise CcsigError("graphs name graphs of an endpoint; give one")
    if [s for s in sources if isinstance(s, str | os.PathLike)].count("-") > 1:
        raise CcsigError("standard input (-) can be read only once")
    step = progress or (lambda label: None)
    files = context_files(_listed(contexts))  # a --context naming nothing fails before any reading
    e = make_engine(engine, vocabulary, keep_input)
    with user_contexts(files):
        for source in sources:
            if isinstance(source, ox.Store):
                step("reading a pyoxigraph store")
                default = ox.DefaultGraph()
                e.add(q.triple for q in source.quads_for_pattern(None, None, None, default))
            elif isinstance(source, str | os.PathLike):
                step(f"reading {os.fspath(source)}")
                e.load(os.fspath(source), input_format, allow_remote_contexts)
            else:
                step("reading an rdflib graph")
                e.add(from_rdflib(source))
        if profile is not None:
            step(f"reading {os.fspath(profile)}")
            e.add(profile_triples(os.fspath(profile), input_format, allow_remote_contexts))
    if endpoint:
        step(f"reading {endpoint}")
        e.load_endpoint(endpoint, graphs, timeout=timeout, max_bytes=max_bytes)
    commitments = _listed(commitments)
    reuser = find_reuser(e) if profile is not None else COMMAND_LINE_REUSER
    e.add(reuser_triples(commitments, reuser))
    step("reasoning")
    e.prepare()
    return Loaded(e, reuser, placeholder=profile is None and not commitments)


def check(
    sources: Source | Iterable[Source],
    category: str,
    commitments: str | Iterable[str] = (),
    *,
    vocabulary: str = DEFAULT_VOCABULARY,
    stream: bool = True,
    **options: Any,
) -> CheckReport:
    """May these assets be used for `category`, given the reuser's commitments?

    `options` are `load`'s (profile, engine, input_format, endpoint, graphs, ...).
    Files are read once, keeping only the triples that can decide (ccsig.answer.stream),
    unless `stream` is false or the sources are not all files: then every triple is
    loaded, as `load` does; the answers are the same. With ``in_store=True`` the store
    at `endpoint` decides, through `update_endpoint`, in `work_graph` (default a fresh
    urn:uuid; dropped afterwards unless `keep`): see ccsig.answer.instore.
    """
    category_iri(vocabulary, category)  # an unknown category fails before any input is read
    sources = _listed(sources)
    commitments = _listed(commitments)
    if options.pop("in_store", False):
        store = in_store(sources, vocabulary, options)
        options.pop("vocabulary", None)
        return in_store_check(
            store,
            category,
            commitments,
            keep=options.get("keep", False),
            progress=options.get("progress"),
        )
    if (
        stream
        and sources
        and all(isinstance(s, str | os.PathLike) for s in sources)
        and not options.get("endpoint")
        and not options.get("keep_input")
        and options.get("engine", "fast") == "fast"
    ):
        if options.get("graphs"):
            raise CcsigError("graphs name graphs of an endpoint; give one")
        files = cast("list[str | os.PathLike[str]]", sources)
        if [os.fspath(s) for s in files].count("-") > 1:
            raise CcsigError("standard input (-) can be read only once")
        for unused in ("engine", "endpoint", "graphs", "timeout", "max_bytes", "keep_input"):
            options.pop(unused, None)
        # a --context naming nothing fails before any reading, as in `load`
        with user_contexts(context_files(_listed(options.pop("contexts", ())))):
            return stream_check(
                files,
                category,
                commitments,
                vocabulary=vocabulary,
                **options,
            )
    loaded = load(sources, commitments=commitments, vocabulary=vocabulary, **options)
    return decide(loaded.engine, category, loaded.reuser)


IN_STORE_OPTIONS = {
    "endpoint",
    "update_endpoint",
    "work_graph",
    "keep",
    "timeout",
    "max_bytes",
    "progress",
    "engine",
    "input_format",
    "allow_remote_contexts",
    "graphs",
    "profile",
}


def in_store(sources: list[Source], vocabulary: str, options: Mapping[str, Any]) -> Store:
    """The store `options` name for in-store mode (``in_store=True``): `endpoint` to
    query, `update_endpoint` to write its `work_graph` (default a fresh urn:uuid),
    dropped afterwards unless `keep`."""
    # options left at their defaults (the CLI passes them all: contexts=() …) are not given
    unknown = {name for name in set(options) - IN_STORE_OPTIONS if options[name]}
    if unknown:
        raise CcsigError(f"in-store mode takes no {', '.join(sorted(unknown))}")
    if not options.get("endpoint") or not options.get("update_endpoint"):
        raise CcsigError("in-store mode needs an endpoint and an update endpoint of the same store")
    if sources or options.get("graphs") or options.get("profile"):
        raise CcsigError(
            "in-store mode reads the store's default graph only: give no files, graphs or profile"
        )
    return Store(
        options["endpoint"],
        options["update_endpoint"],
        fresh_work_graph() if options.get("work_graph") is None else options["work_graph"],
        timeout=options.get("timeout", DEFAULT_TIMEOUT),
        max_bytes=options.get("max_bytes", DEFAULT_MAX_BYTES),
        vocabulary=vocabulary,
    )


@dataclass
class Closure:
    """The OWL 2 RL closure of the data (without the vocabulary's own triples)."""

    triples: list[ox.Triple]

    FORMATS: ClassVar[tuple[str, ...]] = ("turtle", "nt", "json-ld", "xml")
    EXTENSIONS: ClassVar[dict[str, str]] = {
        ".ttl": "turtle",
        ".nt": "nt",
        ".jsonld": "json-ld",
        ".json": "json-ld",
        ".rdf": "xml",
        ".owl": "xml",
        ".xml": "xml",
    }
    """The file name extensions that name each format."""

    def serialise(self, fmt: str = "turtle") -> bytes:
        """``turtle``, ``nt``, ``json-ld`` (compacted with ccsig's context) or ``xml``
        (RDF/XML)."""
        if fmt == "nt":
            return cast(bytes, ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES))
        if fmt == "xml":
            return cast(
                bytes,
                ox.serialize(self.triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES),
            )
        return serialise(self.triples, fmt)

    def to_json(self) -> Any:
        """The closure as compacted JSON-LD, as ``ccsig infer --format json-ld`` writes it."""
        return json.loads(self.serialise("json-ld"))


def infer(
    sources: Source | Iterable[Source] = (), *, new_only: bool = False, **options: Any
) -> Closure:
    """The closure of `sources`; with `new_only`, only what lifting and reasoning added.

    `options` are `load`'s."""
    return load(sources, keep_input=new_only, **options).closure(new_only)


@dataclass
class WriteBack:
    """What `write_back` sent: triples written, requests made, triples left out."""

    written: int
    requests: int
    skipped: int


def write_back(
    triples: Iterable[ox.Triple],
    url: str,
    graph: str | None = None,
    *,
    from_endpoint: bool,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> WriteBack:
    """INSERT DATA `triples` into the SPARQL update endpoint `url` (into `graph`).

    Blank nodes read from an endpoint cannot be named back to it (each request mints
    new ones), so with `from_endpoint` the triples holding them are left out. Each
    request must be answered within `timeout` seconds (and at most `max_bytes`); a
    redirect is an error, never followed, since nothing would be written."""
    triples = list(triples)
    skipped = 0
    if from_endpoint:
        kept = [t for t in triples if not has_blank_node(t)]
        skipped, triples = len(triples) - len(kept), kept
    requests = Endpoint(url, timeout, max_bytes).insert(triples, graph)
    return WriteBack(len(triples), requests, skipped)


Row = dict[str, AtomicTerm | None]


@dataclass
class QueryResult:
    """A SPARQL question's answer: for a SELECT the projected variables and the rows, for
    an ASK the `boolean`, for a CONSTRUCT or DESCRIBE the `triples`; `warnings` say why a
    question may have answered nothing."""

    variables: list[str]
    rows: list[Row]
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def form(self) -> str:
        """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE)."""
        if self.boolean is not None:
            return "ask"
        return "graph" if self.triples is not None else "select"

    def to_json(self) -> Any:
        """The SPARQL 1.1 Query Results JSON Format (SELECT, ASK); for a graph, compacted
        JSON-LD, as ``ccsig query --format json`` prints them."""
        if self.form == "ask":
            return {"head": {}, "boolean": self.boolean}
        if self.form == "graph":
            return Closure(self.triples or []).to_json()
        return questions.to_sparql_json(self.variables, self.rows)

    def to_csv(self) -> str:
        if self.form == "ask":
            return f"{str(self.boolean).lower()}\r\n"
        return questions.to_csv(self.variables, self.rows)

    def to_table(self) -> str:
        if self.form == "ask":
            return f"{str(self.boolean).lower()}\n"
        return questions.to_table(self.variables, self.rows)

    def serialise(self, fmt: str) -> bytes:
        """The triples of a CONSTRUCT or DESCRIBE in one of `Closure.FORMATS`."""
        if self.triples is None:
            raise CcsigError(f"a {self.form.upper()} query answers no RDF to write as {fmt}")
        return Closure(self.triples).serialise(fmt)


@dataclass(frozen=True)
class Prepared:
    """A question and the terms bound to its variables, checked before any data is read."""

    question: questions.Question
    bindings: dict[str, AtomicTerm]

    def ask(self, loaded: Loaded) -> QueryResult:
        """Ask the question of what `loaded` holds; a reuser with commitments (or one from
        a profile) is bound to ``?reuser`` where the question uses it."""
        bound = dict(self.bindings)
        if not loaded.placeholder and "reuser" not in bound and self.question.uses("reuser"):
            bound["reuser"] = loaded.reuser
        try:
            answer = loaded.engine.answer(self.question.text, bound)
        except (SyntaxError, ValueError, RuntimeError) as err:
            raise CcsigError(f"{self.question.name}: {' '.join(str(err).split())}") from None
        return self.result(answer)

    def ask_store(self, store: Store, reuser: Node | None = None) -> QueryResult:
        """Ask the question of a store's work graph (in-store mode, SELECT and ASK),
        `reuser` bound to ``?reuser`` where the question uses it."""
        bound = dict(self.bindings)
        if reuser is not None and "reuser" not in bound and self.question.uses("reuser"):
            bound["reuser"] = reuser
        return self.result(store.answer(self.question.text, bound))

    def result(self, answer: Any) -> QueryResult:
        """The `QueryResult` of an engine's answer."""
        if isinstance(answer, bool):
            return QueryResult([], [], boolean=answer)
        if isinstance(answer, list):
            result = QueryResult([], [], triples=answer)
            empty = not answer
        else:
            result = QueryResult(*answer)
            empty = not result.rows
        if empty:
            result.warnings.extend(questions.why_empty(self.bindings))
        return result


def prepare_query(
    question: str,
    bindings: Mapping[str, str | AtomicTerm] | None = None,
    *,
    allow_service: bool = False,
    vocabulary: str = DEFAULT_VOCABULARY,
) -> Prepared:
    """`question` (a shipped question's name, or a query file) with `bindings` read as
    ``--bind`` reads them: ``<iri>``, ``prefix:name``, a Turtle literal, or a bare
    category label for a parameter that is a usage category."""
    chosen = questions.load_question(question)
    if not allow_service:
        questions.refuse_service(chosen.text, question)
    return Prepared(chosen, questions.bind(chosen, bindings or {}, vocabulary))


def query(
    question: str,
    sources: Source | Iterable[Source] = (),
    *,
    bindings: Mapping[str, str | AtomicTerm] | None = None,
    commitments: str | Iterable[str] = (),
    allow_service: bool = False,
    **options: Any,
) -> QueryResult:
    """Ask `question` (a shipped question's name, or a SELECT, ASK, CONSTRUCT or DESCRIBE
    file) of the data; see `prepare_query` for `bindings`. With `commitments`, the reuser
    is bound to ``?reuser`` where the question uses it. `options` are `load`'s, or
    in-store mode's (``in_store=True``, `endpoint`, `update_endpoint`, `work_graph`,
    `keep`; see `check`), where a SELECT or ASK is answered by the store itself."""
    vocabulary = options.get("vocabulary", DEFAULT_VOCABULARY)
    prepared = prepare_query(question, bindings, allow_service=allow_service, vocabulary=vocabulary)
    sources, commitments = _listed(sources), _listed(commitments)
    if options.pop("in_store", False):
        options.pop("vocabulary", None)
        store = in_store(sources, vocabulary, options)
        step = options.get("progress") or (lambda label: None)
        prepare_store(store, commitments, decisive_only=False, keep=False, step=step)
        try:
            step("asking the store")
            return prepared.ask_store(store, COMMAND_LINE_REUSER if commitments else None)
        finally:
            store.drop(options.get("keep", False))
    return prepared.ask(load(sources, commitments=commitments, **options))


def declare(
    expression: str | bytes,
    vocabulary: str = DEFAULT_VOCABULARY,
    uid: str | None = None,
    *,
    force: bool = False,
    target: str | None = None,
) -> Declaration:
    """What `expression` asks of reusers; ``.render(fmt)`` gives each of its forms.

    Raises `IncompleteDeclarationError` (naming what is left out, and why) when the
    declaration would state less than was written: an unknown label, a value other than
    y/n, an ignored exception, a repeated label, or no preference at all; with `force`
    it is made anyway, and ``.dropped`` lists what it leaves out. `target` is the asset
    the ODRL policy names (``odrl:target``), so that the policy alone reads as a
    statement about it."""
    if isinstance(expression, str):
        expression = os.fsencode(expression)
    declared = declaration(expression, vocabulary, uid, target)
    if declared.dropped and not force:
        raise IncompleteDeclarationError(
            declared.parsed.expression, declared.canonical, declared.dropped
        )
    return declared


def annotate(
    path: str | os.PathLike[str],
    expression: str,
    *,
    asset: str | None = None,
    input_format: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    replace: bool = False,
    force: bool = False,
    contexts: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
) -> Annotation:
    """The text of `path` with ``ccsig:contentUsage expression`` added to one dataset
    (nothing is written: ``Annotation.text`` is the new file). An expression `validate`
    would report as a violation is refused unless `force`; its warnings are repeated.
    `contexts`: local JSON-LD contexts the file may name, as `load` takes them."""
    with user_contexts(context_files(_listed(contexts))):
        return _annotate(
            os.fspath(path), expression, asset, input_format, vocabulary, replace, force
        )


def migrate(expression: str | bytes, to: str, *, source: str = DEFAULT_VOCABULARY) -> Migration:
    """`expression`, written with the labels of draft `source`, in the labels of draft `to`
    (``ccsig migrate EXPR --to``); ``.warnings()`` says, label by label, where meaning
    changes (close, narrower) or is lost (no counterpart, only wider ones), with the reason
    vocab/drafts.ttl gives."""
    return migrate_expression(expression, to, source)


def migrate_catalog(
    path: str | os.PathLike[str],
    to: str,
    *,
    source: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
) -> FileMigration:
    """The text of catalog `path` with every ``ccsig:contentUsage`` literal migrated
    (``ccsig migrate FILE --to``), edited where each is written; nothing is written."""
    return migrate_file(os.fspath(path), to, source, input_format)


@dataclass
class RobotsReport:
    """What a robots.txt says to one crawler about each path asked."""

    answers: list[RobotsAnswer]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> Any:
        """One answer's data for one path; a list of them for several."""
        data = [a.to_json() for a in self.answers]
        return data[0] if len(data) == 1 else data


def robots(
    source: str | os.PathLike[str] | bytes,
    agent: str,
    paths: Iterable[str],
    vocabulary: str = DEFAULT_VOCABULARY,
) -> RobotsReport:
    """Read a robots.txt (a path, ``-``, or its bytes) as crawler `agent` would."""
    load_ontology().vocabulary(vocabulary)
    if isinstance(source, bytes):
        parsed = parse_robots(source)
    else:
        path = os.fspath(source)
        # the limit and the byte after it: parse_robots tells a line cut by the limit
        data, size = read_file(path, ROBOTS_SIZE_LIMIT + 1)
        parsed = parse_robots(data, location=None if path == "-" else path, size=size)
    answers = [evaluate(parsed, agent, p, vocabulary) for p in paths]
    return RobotsReport(answers, list(parsed.warnings))


@dataclass
class HeaderReport:
    """What an HTTP response's header fields say about using its content."""

    preferences: dict[str, str]
    statements: list[WebStatement]
    warnings: list[str]
    # label -> the CC signal token that lifts the combined disallow (as `parse` has)
    exceptions: dict[str, str] = field(default_factory=dict)
    # RSL licence documents named by Link: <...>; rel="license"; type="application/rsl+xml"
    licenses: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "preferences": self.preferences,
            "exceptions": self.exceptions,
            "statements": [s.to_json() for s in self.statements],
            "licenses": self.licenses,
            "warnings": self.warnings,
        }


def _header_file(path: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The fields of a saved response head, read to `HEAD_LIMIT` bytes (as scan reads a
    WARC record's): its body, however large, is not read."""
    data, size = read_file(path, HEAD_LIMIT + 1)
    warnings = []
    if size > HEAD_LIMIT and re.search(rb"\r?\n\r?\n", data) is None:
        data = data[: data.rfind(b"\n", 0, HEAD_LIMIT) + 1]  # no line cut by the limit
        warnings.append(
            f"{path}: the header section is longer than {HEAD_LIMIT} bytes; only the lines "
            "before that were read"
        )
    fields, more = parse_header_lines(data)
    return fields, [*warnings, *more]


def header(
    lines: Iterable[str] = (),
    *,
    file: str | os.PathLike[str] | None = None,
    agent: str | None = None,
    url: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
) -> HeaderReport:
    """Read header field lines (``Name: value``), and a saved response head from `file`
    before them; several Content-Usage fields combine into one dictionary."""
    load_ontology().vocabulary(vocabulary)
    fields, warnings = parse_header_lines("\r\n".join(lines))
    if file is not None:  # a saved response head (maybe with a status line and a body) first
        from_file, more = _header_file(os.fspath(file))
        fields, warnings = [*from_file, *fields], [*more, *warnings]
    statements, more = statements_from_headers(fields, vocabulary, agent=agent, location=url)
    licenses, links = rsl_links(fields, base=url)
    warnings = [*warnings, *more, *links]
    return HeaderReport(
        combine(statements, vocabulary),
        statements,
        warnings,
        combine_exceptions(statements, vocabulary),
        licenses,
    )


def rsl(
    source: str | os.PathLike[str] | bytes,
    urls: Iterable[str] = (),
    vocabulary: str = DEFAULT_VOCABULARY,
) -> RslReport:
    """Read an RSL licence document (a path, ``-``, or its bytes) and what it says about
    each of `urls` (URLs or paths on the site it governs)."""
    load_ontology().vocabulary(vocabulary)
    if isinstance(source, bytes):
        document = parse_rsl(source)
    else:
        path = os.fspath(source)
        document = parse_rsl(read_bytes(path), location="-" if path == "-" else path)
    return RslReport(document, vocabulary, list(urls))


def audit(
    urls: str | os.PathLike[str] | Iterable[str],
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    category: str,
    commitments: str | Iterable[str] = (),
    *,
    agent: str = "*",
    at: str | None = None,
    changed_since: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    output: str | os.PathLike[str] | None = None,
    format: str = "jsonl",
    column: str | None = None,
    engine: str = "local",
    master: str = "local[*]",
    jobs: int = 1,
    warn: Callable[[str], None] | None = None,
    stdout: Any = None,
    progress: Callable[[int], None] | None = None,
) -> AuditResult:
    """May each URL (a text file, ``-``, CSV or Parquet with `column`, or an iterable of
    strings) be used for `category`, by what the `sources` (WARC files, folders of
    robots.txt named by host, scan's JSON Lines) captured of its site? Writes a record
    per URL as `format` (jsonl, csv, parquet, text: the summary) to `output`, if given;
    gives the summary. `at`, `changed_since`: dates (ISO 8601) of the time rules."""
    tell = warn or (lambda message: None)
    options = options_of(category, _listed(commitments), agent, vocabulary, at, changed_since)
    paths = [os.fspath(s) for s in _listed(sources)]
    table = build_table(paths, options, tell, jobs, engine=engine, master=master)
    given = os.fspath(urls) if isinstance(urls, (str, os.PathLike)) else urls
    try:
        return run_audit(
            given,
            table,
            options,
            fmt=format,
            output=os.fspath(output) if output is not None else None,
            stdout=stdout,
            column=column,
            engine=engine,
            master=master,
            jobs=jobs,
            warn=tell,
            progress=progress,
        )
    finally:
        if engine == "spark":
            discard_spark(master)  # the session build_table began, if the audit did not use it


def audit_urls(
    urls: str | Iterable[str],
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    category: str,
    commitments: str | Iterable[str] = (),
    *,
    agent: str = "*",
    at: str | None = None,
    changed_since: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    warn: Callable[[str], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """`audit`'s records as dicts, one per URL (a str alone is one URL), lazily (for a
    notebook)."""
    options = options_of(category, _listed(commitments), agent, vocabulary, at, changed_since)
    tell = warn or (lambda message: None)
    table = build_table([os.fspath(s) for s in _listed(sources)], options, tell)
    return audit_records([urls] if isinstance(urls, str) else urls, table, options)
