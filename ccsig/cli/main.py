"""The `ccsig` command line: a thin shell over the library.

Exit status: 0 success; 1 the answer is negative (validation found violations, or
--fail-on matched); 2 the input or the command line cannot be used (one line on stderr
says why); 3 (scan) some input was skipped, each with a warning line.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

import click

from ccsig._files import atomic_write
from ccsig.errors import CcsigError
from ccsig.model.terms import serialise
from ccsig.model.vocabulary import DEFAULT_VOCABULARY

EXIT_OK, EXIT_NEGATIVE, EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"ccsig: error: {' '.join(message.split())}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Report every failure as one line and exit 2; tracebacks only with CCSIG_DEBUG=1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CcsigError as e:
            _fail(str(e))
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:
            if os.environ.get("CCSIG_DEBUG"):
                raise
            _fail(f"{type(e).__name__}: {e} (set CCSIG_DEBUG=1 for a traceback)")

    return run


def _write(data: str | bytes) -> None:
    out = sys.stdout.buffer
    out.write(data.encode("utf-8") if isinstance(data, str) else data)
    out.flush()


vocabulary_option = click.option(
    "--vocabulary",
    default=DEFAULT_VOCABULARY,
    show_default=True,
    metavar="NAME",
    help=(
        "aipref vocabulary draft whose category labels and hierarchy apply: aipref-01 ... "
        "aipref-07 (see `ccsig vocab`). The default is aipref-02 because CC signals 0.1 and "
        "Creative Commons' own examples use its labels (ai-use, train-genai); later drafts "
        "keep only train-ai and search."
    ),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccsig")
def main() -> None:
    """Check Creative Commons CC signals and aipref content-usage preferences.

    A CC signal is the `exceptions` parameter of an aipref content-usage
    expression, e.g. `train-genai=n;exceptions=cc-cr-ec`: generative-AI training
    is not allowed, unless the reuser gives credit and contributes to the
    ecosystem. ccsig parses such expressions; adds them to catalogs (annotate) and
    validates the linked data that carries them, ODRL policies included; decides what a
    reuser may do (check, query, infer), over files or a SPARQL endpoint; reads them on
    the web (robots, header, scan); and explains them (declare, vocab).
    """


@main.command()
@click.argument("expression")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "turtle", "json-ld"]),
    default=None,
    help="Output format. Default: text for one expression, jsonl for `-`.",
)
@_guarded
def parse(expression: str, vocabulary: str, fmt: str | None) -> None:
    """Parse a content-usage EXPRESSION and show the preference for every category.

    EXPRESSION `-` reads standard input as raw bytes, one expression per line (only
    the line ending is removed), and writes one JSON object per line.

    JSON keys: expression, vocabulary, parsed (false when the dictionary did not
    parse), preferences (every category label -> allow/disallow/unknown, explicit
    only), exceptions (label -> CC signal token, on explicit disallows),
    effective and effective_exceptions (after falling back to the nearest
    ancestor category), canonical (the stated preferences re-serialised),
    warnings. An expression that states nothing is still a valid answer: exit 0.
    """
    from ccsig.model.expression import parse_expression
    from ccsig.model.vocabulary import load_ontology

    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    if expression == "-":
        fmt = fmt or "jsonl"
        if fmt not in ("jsonl", "json"):
            raise click.UsageError("reading expressions from standard input needs --format jsonl")
        from ccsig.report.batch import parse_lines

        parse_lines(sys.stdin.buffer, sys.stdout.buffer, vocabulary)
        sys.stdout.buffer.flush()
        return
    from ccsig.report import render

    parsed = parse_expression(os.fsencode(expression), vocabulary, ontology)
    fmt = fmt or "text"
    if fmt == "text":
        _write(render.expression_text(parsed, vocab))
    elif fmt in ("json", "jsonl"):
        _write(render.to_json(parsed.to_json(), pretty=fmt == "json"))
    else:
        _write(render.expression_rdf(parsed, fmt))


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@vocabulary_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--input-format",
    metavar="FORMAT",
    help="RDF syntax of the inputs when the file name does not tell: "
    "turtle, nt, nq, trig, xml, json-ld.",
)
@click.option(
    "--allow-remote-contexts",
    is_flag=True,
    help="Let JSON-LD inputs load @context documents over the network (off: nothing is fetched).",
)
@_guarded
def validate(
    files: tuple[str, ...],
    vocabulary: str,
    fmt: str,
    input_format: str | None,
    allow_remote_contexts: bool,
) -> None:
    """Validate RDF files that carry CC signals (ccsig:contentUsage) against ccsig's SHACL shapes.

    Reads Turtle, JSON-LD, N-Triples, N-Quads, TriG and RDF/XML, chosen by file
    extension or --input-format; `-` is standard input. Each expression is lifted
    into a structured statement and checked: violations mean the signal cannot be
    applied as written, warnings that it applies but probably not as meant.

    Exit status: 0 no violation, 1 at least one violation, 2 an input cannot be read.
    """
    from ccsig.report import render
    from ccsig.validate.shacl import validate_files

    if list(files).count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    report = validate_files(list(files), vocabulary, input_format, allow_remote_contexts)
    _write(render.to_json(report.to_json()) if fmt == "json" else render.report_text(report))
    sys.exit(EXIT_OK if report.conforms else EXIT_NEGATIVE)


def data_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read RDF data and reason over it."""
    for option in reversed(
        [
            vocabulary_option,
            click.option(
                "--engine",
                type=click.Choice(["fast", "reference"]),
                default="fast",
                show_default=True,
                help="fast: pyoxigraph with OWL RL rules as SPARQL; reference: owlrl and "
                "rdflib (exact, very slow beyond a few thousand triples).",
            ),
            click.option(
                "--input-format",
                metavar="FORMAT",
                help="RDF syntax of the inputs when the file name does not tell: "
                "turtle, nt, nq, trig, xml, json-ld.",
            ),
            click.option(
                "--allow-remote-contexts",
                is_flag=True,
                help="Let JSON-LD inputs load @context documents over the network.",
            ),
            click.option(
                "--endpoint",
                metavar="URL",
                help="Also read the triples of this SPARQL 1.1 query endpoint (its default "
                "graph, or the --graph graphs); DATA files are then optional.",
            ),
            click.option(
                "--graph",
                "graphs",
                multiple=True,
                metavar="IRI",
                help="With --endpoint: read this named graph instead of the default graph. "
                "Repeatable.",
            ),
        ]
    ):
        command = option(command)

    @wraps(command)
    def run(**kwargs: Any) -> Any:
        fields = {name: kwargs.pop(name) for name in Inputs.__dataclass_fields__}
        return command(inputs=Inputs(**fields), **kwargs)

    return run


@dataclass(frozen=True)
class Inputs:
    """What a command reads (its DATA files and --endpoint) and how (`data_options`)."""

    data: tuple[str, ...]
    vocabulary: str
    engine: str
    input_format: str | None
    allow_remote_contexts: bool
    endpoint: str | None
    graphs: tuple[str, ...]


def _open(
    inputs: Inputs,
    *,
    commit: tuple[str, ...] = (),
    profile: str | None = None,
    keep_input: bool = False,
) -> tuple[Any, Any]:
    """Load, lift, reason; returns (engine, reuser). A progress bar shows on a terminal."""
    from ccsig.answer.compliance import COMMAND_LINE_REUSER, find_reuser, reuser_triples
    from ccsig.reason.engine import make_engine

    data, endpoint = inputs.data, inputs.endpoint
    if not data and not endpoint:
        raise click.UsageError("give at least one DATA file, or --endpoint URL")
    if inputs.graphs and not endpoint:
        raise click.UsageError("--graph names graphs of an --endpoint; give one")
    if list(data).count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    e = make_engine(inputs.engine, inputs.vocabulary, keep_input)
    paths = list(data) + ([profile] if profile else [])
    with _progress(len(paths) + 1 + bool(endpoint), "reading") as bar:
        for path in paths:
            bar.label = f"reading {path}"
            e.load(path, inputs.input_format, inputs.allow_remote_contexts)
            bar.update(1)
        if endpoint:
            bar.label = f"reading {endpoint}"
            e.load_endpoint(endpoint, inputs.graphs)
            bar.update(1)
        reuser = find_reuser(e) if profile else COMMAND_LINE_REUSER
        e.add(reuser_triples(list(commit), reuser))
        bar.label = "reasoning"
        e.prepare()
        bar.update(1)
    return e, reuser


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a report of a hundred thousand small
    objects is built and written: they hold no cycles, and collections triggered by their
    allocation cost as much as building them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _progress(length: int, label: str) -> Any:
    """A progress bar on standard error when it is a terminal; silent otherwise."""
    if sys.stderr.isatty():
        return click.progressbar(length=length, label=label, file=sys.stderr)
    from contextlib import nullcontext
    from types import SimpleNamespace

    return nullcontext(SimpleNamespace(update=lambda n: None, label=label))


commit_option = click.option(
    "--commit",
    multiple=True,
    metavar="ELEMENT",
    help="A signal element the reuser commits to meeting: credit, direct-contribution, "
    "ecosystem-contribution or open. Repeatable.",
)


@main.command()
@click.argument("data", nargs=-1, metavar="[DATA]...")
@click.option(
    "--for",
    "category",
    required=True,
    metavar="CATEGORY",
    help="Usage category label, e.g. train-genai.",
)
@commit_option
@click.option(
    "--reuser",
    "profile",
    metavar="PROFILE",
    help="RDF file describing one ccsig:Reuser and what it ccsig:commitsTo "
    "(combined with --commit).",
)
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "turtle"]),
    default="text",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["disallowed", "unknown"]),
    multiple=True,
    help="Exit 1 when any asset's decision is this (repeatable), for gating CI.",
)
@_guarded
def check(
    inputs: Inputs,
    category: str,
    commit: tuple[str, ...],
    profile: str | None,
    fmt: str,
    fail_on: tuple[str, ...],
) -> None:
    """May I use these datasets for CATEGORY, given what I commit to?

    Decides every asset in DATA (Turtle, JSON-LD, N-Triples, RDF/XML; several files are
    merged): every node with a statement of preference and every dcat:Dataset and
    schema:Dataset. Each statement is consulted on its own (a category without a
    preference takes its nearest broader category's); a disallow whose CC signal the
    reuser satisfies becomes allowed, on the signal's elements. Statements about the same
    asset combine most-restrictively: any disallowed -> disallowed; else any allowed ->
    allowed; else unknown.

    DATA may be replaced (or joined) by --endpoint URL: the triples of a SPARQL 1.1
    endpoint, copied in and decided in-process, exactly as from a file.

    Exit status: 0, or 1 when --fail-on matches; 2 when the input or options cannot be used.
    """
    from ccsig.answer.compliance import category_iri, decisions_as_rdf
    from ccsig.answer.compliance import check as decide
    from ccsig.report import render

    category_iri(inputs.vocabulary, category)  # unknown: fail before any input is read
    e, reuser = _open(inputs, commit=commit, profile=profile)
    with _gc_paused():
        report = decide(e, category, reuser)
        if fmt == "json":
            _write(render.check_json(report))
        elif fmt == "csv":
            _write(render.check_csv(report))
        elif fmt == "turtle":
            _write(serialise(decisions_as_rdf(report), "turtle"))
        else:
            _write(render.check_text(report))
    failed = any(report.summary[name] for name in fail_on)
    sys.exit(EXIT_NEGATIVE if failed else EXIT_OK)


@main.command()
@click.argument("data", nargs=-1, metavar="[DATA]...")
@click.option(
    "-o", "--output", metavar="OUT", help="Write here (atomically) instead of standard output."
)
@click.option(
    "--new-only", is_flag=True, help="Only what lifting and reasoning added, not the input."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "json-ld"]),
    default=None,
    help="Output syntax; default from the extension of OUT, else turtle.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="Write the closure to this SPARQL 1.1 update endpoint (INSERT DATA) instead of "
    "standard output.",
)
@click.option(
    "--update-graph",
    metavar="IRI",
    help="With --update-endpoint: insert into this named graph, not the default graph.",
)
@data_options
@_guarded
def infer(
    output: str | None,
    new_only: bool,
    fmt: str | None,
    update_endpoint: str | None,
    update_graph: str | None,
    inputs: Inputs,
) -> None:
    """Write the OWL 2 RL closure of DATA under the ccsig vocabulary.

    The closure is the data, the structured statements lifted from its ccsig:contentUsage
    literals, and what the vocabulary's axioms entail (assets, the category hierarchy,
    satisfied signals, PROV mappings, the categories each preference applies to); the
    vocabulary's own triples are left out. With --update-endpoint it is written to a SPARQL
    store with INSERT DATA (typically with --endpoint on the same store and --new-only).
    """
    import pyoxigraph as ox

    fmt = fmt or {".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}.get(
        os.path.splitext(output or "")[1].lower(), "turtle"
    )
    if update_graph and not update_endpoint:
        raise click.UsageError("--update-graph names a graph of an --update-endpoint; give one")
    e, _ = _open(inputs, keep_input=new_only)
    triples = e.closure(new_only=new_only)
    if update_endpoint:
        triples = list(triples)  # pushed, and written too with -o
        _push(triples, update_endpoint, update_graph, from_endpoint=bool(inputs.endpoint))
        if not output:
            return
    if fmt == "nt":
        payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    else:
        payload = serialise(list(triples), fmt)
    if output:
        atomic_write(output, payload)
    else:
        _write(payload)


def _push(triples: list[Any], url: str, graph: str | None, *, from_endpoint: bool) -> None:
    """INSERT DATA the closure into `url`. Blank nodes read from an endpoint cannot be
    named back to it (each request mints new ones), so triples holding them are left
    out, with a warning saying how many."""
    from ccsig.ingest.endpoint import Endpoint, has_blank_node

    skipped = 0
    if from_endpoint:
        kept = [t for t in triples if not has_blank_node(t)]
        skipped, triples = len(triples) - len(kept), kept
    requests = Endpoint(url).insert(triples, graph)
    if skipped:
        _warn(
            f"{skipped} triples about blank nodes read from the endpoint were not written "
            "back: SPARQL cannot name the endpoint's blank nodes; give those assets IRIs"
        )
    plural = "" if requests == 1 else "s"
    click.echo(
        f"ccsig: wrote {len(triples)} triples to {url} in {requests} request{plural}", err=True
    )


@main.command()
@click.argument("question", required=False, metavar="NAME|FILE.rq")
@click.argument("data", nargs=-1, metavar="DATA...")
@click.option("--list", "list_questions", is_flag=True, help="List the shipped questions and exit.")
@click.option(
    "--bind",
    multiple=True,
    metavar="VAR=VALUE",
    help="Pre-bind a variable to an RDF term: <iri>, prefix:name (ccsig:, dcat:, ...), a "
    'Turtle literal ("x"@en, 42), or a plain string. Repeatable.',
)
@commit_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--allow-service", is_flag=True, help="Allow SERVICE (federated queries over the network)."
)
@data_options
@_guarded
def query(
    question: str | None,
    list_questions: bool,
    bind: tuple[str, ...],
    commit: tuple[str, ...],
    fmt: str,
    allow_service: bool,
    inputs: Inputs,
) -> None:
    """Ask a SPARQL question of DATA, after lifting and reasoning.

    NAME is a question shipped in queries/ (see --list); FILE.rq is your own SELECT. With
    --commit, a reuser committing to those elements is added and bound to ?reuser (where
    the question uses it). JSON is the SPARQL 1.1 results format; CSV the SPARQL 1.1 CSV
    format. With --endpoint, the endpoint's triples are copied in and asked in-process.
    """
    from ccsig.answer import query as q

    if list_questions:
        for item in q.questions():
            params = f"  [parameters: {item.parameters}]" if item.parameters else ""
            click.echo(f"{item.name}: {item.question}{params}")
        return
    if question is None or not (inputs.data or inputs.endpoint):
        raise click.UsageError(
            "give a question (NAME or FILE.rq) and at least one DATA file or --endpoint URL"
        )
    chosen = q.load_question(question)
    if not allow_service:
        q.refuse_service(chosen.text, question)
    bindings = dict(q.parse_binding(b) for b in bind)
    e, reuser = _open(inputs, commit=commit)
    if commit and "reuser" not in bindings and re.search(r"[?$]reuser\b", chosen.text):
        bindings["reuser"] = reuser
    try:
        variables, rows = e.table(chosen.text, bindings)
    except (SyntaxError, ValueError, RuntimeError) as err:
        raise CcsigError(f"{question}: {' '.join(str(err).split())}") from None
    if fmt == "json":
        _write(q.json_dumps(q.to_sparql_json(variables, rows)))
    elif fmt == "csv":
        _write(q.to_csv(variables, rows))
    else:
        _write(q.to_table(variables, rows))


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json-ld", "html"]),
    default="text",
    show_default=True,
    help="text: a readable summary; turtle, json-ld: the OWL ontology; html: documentation "
    "with every term and each aipref draft's category tree (one self-contained page).",
)
@click.option(
    "--closed",
    is_flag=True,
    help="With everything OWL 2 RL entails from the vocabulary alone: what a SPARQL store "
    "needs beside the data to run queries/rules/ itself.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@_guarded
def vocab(fmt: str, closed: bool, output: str | None) -> None:
    """Show the vocabulary ccsig ships: aipref category trees, CC signals and their elements.

    `--format turtle` and `--format json-ld` give the whole OWL ontology (the
    JSON-LD uses ccsig's context); `text` is a readable summary; `html` documents
    every term, with each aipref draft's categories drawn as a tree.
    """
    from ccsig.model.vocabulary import load_ontology, vocabulary_store
    from ccsig.report import render

    if closed and fmt in ("text", "html"):
        raise click.UsageError("--closed needs --format turtle or json-ld")
    if fmt == "text":
        data: bytes = render.ontology_text(load_ontology()).encode("utf-8")
    elif fmt == "html":
        from ccsig.publish.docs import vocabulary_html

        data = vocabulary_html().encode("utf-8")
    elif closed:
        from ccsig.reason.rules import closed_vocabulary

        data = serialise(list(closed_vocabulary()), fmt)
    else:
        data = serialise([q.triple for q in vocabulary_store()], fmt)
    if output:
        atomic_write(output, data)
    else:
        _write(data)


@main.command()
@click.argument("file", metavar="FILE")
@click.option(
    "-e",
    "--expression",
    required=True,
    metavar="EXPR",
    help="The content-usage expression to add, e.g. 'train-genai=n;exceptions=cc-cr-ec'.",
)
@click.option(
    "--asset",
    metavar="IRI",
    help="The dataset to annotate; needed only when FILE describes more than one.",
)
@click.option("-o", "--output", metavar="OUT", help="Write the result here (atomically).")
@click.option("--in-place", is_flag=True, help="Replace FILE (atomically) with the result.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the dataset's one existing expression instead of refusing.",
)
@click.option(
    "--input-format",
    metavar="FORMAT",
    help="RDF syntax of FILE when its name does not tell: turtle, nt, nq, trig, json-ld.",
)
@vocabulary_option
@_guarded
def annotate(
    file: str,
    expression: str,
    asset: str | None,
    output: str | None,
    in_place: bool,
    replace: bool,
    input_format: str | None,
    vocabulary: str,
) -> None:
    """Add a CC signal (ccsig:contentUsage EXPR) to a dataset in a DCAT, schema.org or
    Croissant file, keeping everything already there.

    The result keeps FILE's format, comments, layout and key order: Turtle, TriG,
    N-Triples and N-Quads get the statement appended; JSON-LD gets one member in the
    dataset's object, and the ccsig prefix in its @context when missing. The result is
    read back and must be the original graph plus exactly the new triple. Without
    --asset, FILE must describe exactly one dcat:Dataset or schema:Dataset (a blank
    node will do). A dataset that already has a different expression is refused
    unless --replace, which changes that one value where it is written. Writes to
    standard output unless -o or --in-place.
    """
    from ccsig.publish.annotate import annotate as add_signal

    if in_place and output:
        raise click.UsageError("give -o OUT or --in-place, not both")
    if in_place and file == "-":
        raise click.UsageError("standard input cannot be edited in place; use -o OUT")
    result = add_signal(file, expression, asset, input_format, vocabulary, replace)
    for warning in result.warnings:
        _warn(warning)
    if not result.changed:
        _warn(f"{result.asset} already has this expression; nothing to add")
    target = file if in_place else output
    if target:
        if result.changed or not in_place:
            atomic_write(target, result.text.encode("utf-8"))
    else:
        _write(result.text)


DECLARE_FORMATS = ("text", "robots", "header", "turtle", "json-ld", "odrl", "html")


@main.command()
@click.argument("expression")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DECLARE_FORMATS),
    default="text",
    show_default=True,
    help="text: plain language, category by category; robots: a robots.txt group; header: "
    "the HTTP field; turtle, json-ld: the lifted statement; odrl: an ODRL policy (Turtle); "
    "html: the text as a web page.",
)
@click.option("--uid", metavar="IRI", help="The ODRL policy's IRI (default: derived from EXPR).")
@click.option(
    "-o", "--output", metavar="OUT", help="Write here (atomically) instead of standard output."
)
@_guarded
def declare(
    expression: str, vocabulary: str, fmt: str, uid: str | None, output: str | None
) -> None:
    """What EXPRESSION asks of reusers, for people and for machines.

    The plain-language account comes category by category from the definitions in
    vocab/ (categories, preference values, CC signals and their elements). The ODRL
    policy has one permission per allowed category, one permission with a duty per
    signal element for a disallow with a CC signal exception (credit -> odrl:attribute,
    direct contribution -> odrl:compensate, the others ccsig duty actions), and a
    prohibition per plain disallow.
    """
    from ccsig._files import atomic_write
    from ccsig.publish.declare import declaration

    text = declaration(os.fsencode(expression), vocabulary, uid).render(fmt)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        _write(data)
    else:
        atomic_write(output, data)


# ---------------------------------------------------------------- the web


def _warn(message: str) -> None:
    click.echo(f"ccsig: warning: {' '.join(message.split())}", err=True)


def _preference_table(preferences: dict[str, str]) -> list[str]:
    from ccsig.report.render import _table

    return [f"  {line}" for line in _table(list(preferences.items()))] if preferences else []


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--agent", required=True, metavar="TOKEN", help="The crawler's product token.")
@click.option(
    "--path",
    "paths",
    multiple=True,
    required=True,
    metavar="PATH",
    help="A path (with query) on the site, e.g. /images/a.png. Repeatable: one answer each.",
)
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="json: one object for one path, one line per path for several; jsonl: always lines.",
)
@_guarded
def robots(file: str, agent: str, paths: tuple[str, ...], vocabulary: str, fmt: str) -> None:
    """What a robots.txt FILE (`-`: standard input) says to crawler TOKEN about each PATH.

    Group selection, Allow/Disallow and Content-Usage rules follow RFC 9309 and
    draft-ietf-aipref-attach: the Content-Usage rules with the longest matching path
    govern, and combine most-restrictively; paths that may not be crawled have no
    preferences. Cloudflare's Content-Signal lines are read too (vocab/mappings.ttl).

    JSON keys: agent, path, crawl, group (matched token, "*" or null), rules
    (governing Content-Usage values), preferences (every category label ->
    allow/disallow/unknown), statements.
    """
    from ccsig.ingest.readers import read_bytes
    from ccsig.ingest.robots import evaluate, parse_robots
    from ccsig.report import render

    load_ontology_or_fail(vocabulary)
    location = None if file == "-" else file
    parsed = parse_robots(read_bytes(file), location=location)
    for warning in parsed.warnings:
        _warn(f"{file}: {warning}")
    answers = [evaluate(parsed, agent, path, vocabulary) for path in paths]
    if fmt == "json" and len(answers) == 1:
        _write(render.to_json(answers[0].to_json()))
    elif fmt in ("json", "jsonl"):
        _write("".join(render.to_json(a.to_json(), pretty=False) for a in answers))
    else:
        lines = []
        for a in answers:
            group = a.group if a.group is not None else "none"
            lines.append(f"{a.path}: {'may' if a.crawl else 'may not'} be crawled (group {group})")
            lines.extend(f"  rule: {rule}" for rule in a.rules)
            lines.extend(_preference_table(a.preferences))
        _write("\n".join(lines) + "\n")


@main.command()
@click.argument("lines", nargs=-1, metavar="[FIELD-LINE]...")
@click.option(
    "-f",
    "--file",
    metavar="FILE",
    help="Read header field lines from FILE (`-`: standard input), e.g. a saved response head.",
)
@click.option("--agent", metavar="TOKEN", help="Apply X-Robots-Tag directives addressed to TOKEN.")
@click.option("--url", metavar="URL", help="The URL the response is for, recorded as the location.")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@_guarded
def header(
    lines: tuple[str, ...],
    file: str | None,
    agent: str | None,
    url: str | None,
    vocabulary: str,
    fmt: str,
) -> None:
    """What an HTTP response's header fields say about using its content.

    Give field lines as arguments (`'Content-Usage: train-ai=n'`) or with --file.
    Several Content-Usage field lines combine into one dictionary (RFC 9110 5.3: a
    later key overrides an earlier one); TDMRep (tdm-reservation, tdm-policy) and
    X-Robots-Tag noai/noimageai are mapped in (vocab/mappings.ttl); everything
    combines most-restrictively.

    JSON keys: preferences (every category label -> allow/disallow/unknown),
    statements, warnings. Turtle (with --url): the statements as ccsig:Statements
    about the URL, for `ccsig check` and SPARQL.
    """
    from ccsig.ingest.headers import parse_header_lines, statements_from_headers
    from ccsig.ingest.readers import read_bytes
    from ccsig.model.web import combine
    from ccsig.report import render

    load_ontology_or_fail(vocabulary)
    if file is None and not lines:
        raise click.UsageError("give header field lines, or --file FILE (- for standard input)")
    fields, warnings = parse_header_lines("\r\n".join(lines))
    if file is not None:  # a saved response head (maybe with a status line and a body) first
        from_file, more = parse_header_lines(read_bytes(file))
        fields, warnings = [*from_file, *fields], [*more, *warnings]
    statements, more = statements_from_headers(fields, vocabulary, agent=agent, location=url)
    warnings = [*warnings, *more]
    for warning in warnings:
        _warn(warning)
    preferences = combine(statements, vocabulary)
    if fmt == "turtle":
        from ccsig.lift.web_rdf import statements_rdf

        if url is None:
            raise click.UsageError("--format turtle needs --url: the statements are about it")
        _write(serialise(statements_rdf(url, statements), "turtle"))
    elif fmt == "json":
        out = {
            "preferences": preferences,
            "statements": [s.to_json() for s in statements],
            "warnings": warnings,
        }
        _write(render.to_json(out))
    else:
        rows = [f"{s.via} {s.system}: {s.as_written}" for s in statements]
        _write("\n".join([*rows, *_preference_table(preferences)]) + "\n")


def load_ontology_or_fail(vocabulary: str) -> None:
    """An unknown --vocabulary is exit 2 before any input is read."""
    from ccsig.model.vocabulary import load_ontology

    load_ontology().vocabulary(vocabulary)


EXIT_SKIPPED = 3  # ccsig scan: some input was skipped (one warning each on stderr)


@main.command()
@click.argument("warcs", nargs=-1, required=True, metavar="WARC...")
@click.option(
    "--agent",
    default="*",
    show_default=True,
    metavar="TOKEN",
    help="The crawler's product token for robots.txt groups and X-Robots-Tag; the default "
    "matches only the groups for every crawler (User-agent: *).",
)
@vocabulary_option
@click.option(
    "--for", "category", metavar="CATEGORY", help="Decide every record for this usage category."
)
@commit_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "turtle"]),
    default=None,
    help="Output format; default from the extension of OUT (.csv, .parquet, .ttl), else jsonl. "
    "turtle: the statements as RDF (N-Triples lines) for `ccsig check` and SPARQL.",
)
@click.option(
    "-o", "--output", metavar="OUT", help="Write here (atomically) instead of standard output."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: this process; spark: PySpark (pip install 'ccsig[spark]').",
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    metavar="URL",
    help="Spark master for --engine spark: local[N], spark://host:port, yarn, ...",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes for --engine local (default: one per CPU; 1: this process only).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["disallowed", "unknown"]),
    multiple=True,
    help="With --for: exit 1 when any record's decision is this (repeatable).",
)
@_guarded
def scan(
    warcs: tuple[str, ...],
    agent: str,
    vocabulary: str,
    category: str | None,
    commit: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    engine: str,
    master: str,
    jobs: int | None,
    fail_on: tuple[str, ...],
) -> None:
    """What every HTTP response in WARC files (WARC or WARC.gz) may be used for.

    A page is governed by its own header fields (Content-Usage, TDMRep, X-Robots-Tag)
    and by the robots.txt and /.well-known/tdmrep.json of its scheme and host found
    anywhere in the inputs (the last one seen wins; they give no record themselves).
    One record per other HTTP response, in input order.

    JSON keys: url, crawl (may the agent crawl it; null without a robots.txt),
    preferences (category label -> combined preference), sources (the statements),
    warnings, and with --for: decision (allowed / disallowed / unknown, as `ccsig
    check` decides) and conditions. CSV and Parquet have a column per label.

    Exit status: 0; 1 when --fail-on matches; 2 when the command cannot run; 3 when
    input was skipped (damaged records, dropped header fields, ignored robots.txt
    lines; one warning each on stderr), which goes before 1.
    """
    from ccsig.model.vocabulary import load_ontology
    from ccsig.report.records import write_records
    from ccsig.scan.local import Scan, ScanOptions

    if (commit or fail_on) and category is None:
        raise click.UsageError("--commit and --fail-on need --for CATEGORY")
    for path in warcs:
        if not os.path.isfile(path):
            raise CcsigError(f"{path}: no such file")
    fmt = fmt or {".csv": "csv", ".parquet": "parquet", ".ttl": "turtle", ".nt": "turtle"}.get(
        os.path.splitext(output or "")[1].lower(), "jsonl"
    )
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o OUT")
    options = ScanOptions(vocabulary, agent, category, tuple(commit))
    labels = load_ontology().vocabulary(vocabulary).labels
    counts = {"disallowed": 0, "unknown": 0, "allowed": 0}

    def warn(path: str, offset: int, message: str) -> None:
        _warn(f"{path}: offset {offset}: {message}")

    def counted(records: Any) -> Any:
        for record in records:
            if category is not None:
                counts[record["decision"]] += 1
            yield record

    if engine == "spark":
        from ccsig.scan.spark import spark_scan

        with spark_scan(list(warcs), options, master, warn) as (records, skipped):
            decisions = category is not None
            write_records(
                counted(records), fmt, output, labels, decisions, sys.stdout.buffer, vocabulary
            )
            skipped_count = skipped()
    else:
        job = Scan(list(warcs), options, warn, jobs=jobs)
        total = sum(os.path.getsize(path) for path in warcs)
        with _progress(total, "reading") as bar:
            job.collect(bar.update)
        with _progress(job.pages, "scanning") as bar:
            counts.update(job.write(fmt, output, sys.stdout.buffer, bar.update))
        skipped_count = job.skipped
    if skipped_count:
        sys.exit(EXIT_SKIPPED)
    sys.exit(EXIT_NEGATIVE if any(counts[name] for name in fail_on) else EXIT_OK)


def entry() -> None:
    """The `ccsig` command: `main`, then a quick exit.

    Freeing a big catalog's store and report object by object takes about a second at
    100k datasets, and the operating system reclaims the memory at once; so once
    output is flushed the process leaves with os._exit. (Every file ccsig writes is
    complete before this: outputs are renamed into place.)
    """
    try:
        main()
        code: int = EXIT_OK
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or EXIT_OK
        else:  # sys.exit("message"), as click never does, but be exact about it
            print(e.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
