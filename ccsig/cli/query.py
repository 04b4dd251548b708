"""`ccsig query`: a SPARQL question of the data, after lifting and reasoning."""

from __future__ import annotations

import re

import click

from ccsig.answer import query as q
from ccsig.cli._shared import Inputs, commit_option, data_options, guarded, load, write
from ccsig.errors import CcsigError
from ccsig.model.terms import AtomicTerm


@click.command()
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
@guarded
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
    bindings: dict[str, AtomicTerm] = dict(q.parse_binding(b) for b in bind)
    loaded = load(inputs, commit=commit)
    if commit and "reuser" not in bindings and re.search(r"[?$]reuser\b", chosen.text):
        bindings["reuser"] = loaded.reuser
    try:
        variables, rows = loaded.engine.table(chosen.text, bindings)
    except (SyntaxError, ValueError, RuntimeError) as err:
        raise CcsigError(f"{question}: {' '.join(str(err).split())}") from None
    if fmt == "json":
        write(q.json_dumps(q.to_sparql_json(variables, rows)))
    elif fmt == "csv":
        write(q.to_csv(variables, rows))
    else:
        write(q.to_table(variables, rows))
