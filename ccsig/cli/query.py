"""`ccsig query`: a SPARQL question of the data, after lifting and reasoning."""

from __future__ import annotations

import sys

import click

import ccsig
from ccsig.answer import query as q
from ccsig.cli._data import (
    Inputs,
    InStore,
    data_options,
    in_store_options,
    load,
    reading,
)
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    commit_option,
    emit,
    guarded,
    output_format,
    output_option,
    warn,
)
from ccsig.errors import CcsigError

TABLE_FORMATS = ("text", "json", "csv")
RDF_FORMATS = ccsig.Closure.FORMATS
EXTENSIONS = {**ccsig.Closure.EXTENSIONS, ".txt": "text", ".json": "json", ".csv": "csv"}
# `table` was the name of `text` before every command called it text; scripts keep working.
ALIASES = {"table": "text"}


@click.command()
@click.argument("question", required=False, metavar="NAME|FILE.rq")
@click.argument("data", nargs=-1, metavar="DATA...")
@click.option("--list", "list_questions", is_flag=True, help="List the shipped questions and exit.")
@click.option(
    "--bind",
    multiple=True,
    metavar="VAR=VALUE",
    help="Pre-bind a variable to an RDF term: <iri>, prefix:name (ccsig:, dcat:, ...), a "
    'Turtle literal ("x"@en, 42), a category label (train-ai) for a parameter that is a '
    "usage category, or a plain string. Repeatable.",
)
@commit_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*TABLE_FORMATS, *RDF_FORMATS, *ALIASES]),
    default=None,
    help="SELECT and ASK: text (the default), json (SPARQL 1.1 results), csv; CONSTRUCT and "
    "DESCRIBE: turtle (the default; also for text), nt, json-ld (also for json), xml. "
    "Default from the extension of OUT. (table: the old name of text.)",
)
@output_option()
@click.option(
    "--fail-on",
    type=click.Choice(["true", "false"]),
    default=None,
    help="ASK: the answer that exits 1 (default false: exit 0 when the answer is true).",
)
@click.option(
    "--allow-service", is_flag=True, help="Allow SERVICE (federated queries over the network)."
)
@data_options
@in_store_options
@guarded
def query(
    question: str | None,
    list_questions: bool,
    bind: tuple[str, ...],
    commit: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    fail_on: str | None,
    allow_service: bool,
    inputs: Inputs,
    store: InStore,
) -> None:
    """Ask a SPARQL question of DATA, after lifting and reasoning.

    NAME is a question shipped in queries/ (see --list); FILE.rq is your own SELECT, ASK,
    CONSTRUCT or DESCRIBE. With --commit, a reuser committing to those elements is added
    and bound to ?reuser (where the question uses it). JSON is the SPARQL 1.1 results
    format; CSV the SPARQL 1.1 CSV format. An ASK prints true or false and exits 0, or 1
    for the --fail-on answer (default: false). With --endpoint, the endpoint's triples are
    copied in and asked in-process; with --in-store and --update-endpoint, lifting,
    reasoning and the question (SELECT or ASK) run inside the store, in a work graph of its
    own that is removed afterwards unless --keep. When nothing matched, a warning says why
    it may not have (a plain string bound where an IRI was meant).
    """
    fmt = ALIASES.get(fmt or "", fmt)
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    if list_questions:
        listed = q.questions()
        if fmt == "json":
            emit(q.json_dumps([item.to_json() for item in listed]), output)
            return
        lines = []
        for item in listed:
            params = f"  [parameters: {item.parameters}]" if item.parameters else ""
            lines.append(f"{item.name}: {item.question}{params}\n")
        emit("".join(lines), output)
        return
    if question is None or not (inputs.data or inputs.endpoint):
        raise click.UsageError(
            "give a question (NAME or FILE.rq) and at least one DATA file or --endpoint URL"
        )
    prepared = ccsig.prepare_query(
        question,
        dict(q.parse_binding_text(b) for b in bind),
        allow_service=allow_service,
        vocabulary=inputs.vocabulary,
    )
    in_store = store.options(inputs)
    if in_store:
        with reading(inputs) as step:
            result = ccsig.query(
                question,
                bindings=dict(q.parse_binding_text(b) for b in bind),
                commitments=commit,
                allow_service=allow_service,
                progress=step,
                **inputs.options(),
                **in_store,
            )
    else:
        result = prepared.ask(load(inputs, commit=commit))
    if fail_on is not None and result.form != "ask":
        raise CcsigError("--fail-on true|false is for ASK queries")
    if result.form == "graph":
        if fmt in ("csv",):
            raise CcsigError(f"{question}: a {prepared.question.name} graph has no CSV form")
        rdf = {"text": "turtle", "json": "json-ld"}.get(fmt, fmt)
        data: str | bytes = result.serialise(rdf)
    elif fmt in RDF_FORMATS:
        raise CcsigError(
            f"--format {fmt} writes RDF, which only CONSTRUCT and DESCRIBE answer; this is "
            f"{'an ASK' if result.form == 'ask' else 'a SELECT'} query: use text, json or csv"
        )
    elif fmt == "json":
        data = q.json_dumps(result.to_json())
    elif fmt == "csv":
        data = result.to_csv()
    else:
        data = result.to_table()
    for warning in result.warnings:
        warn(warning)
    emit(data, output)
    if result.form == "ask" and str(result.boolean).lower() == (fail_on or "false"):
        sys.exit(EXIT_NEGATIVE)
