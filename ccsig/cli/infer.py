"""`ccsig infer`: the OWL 2 RL closure of the data, to a file or a SPARQL store."""

from __future__ import annotations

import click

import ccsig
from ccsig.cli._data import (
    Inputs,
    data_options,
    load,
)
from ccsig.cli._shared import (
    emit,
    guarded,
    note,
    output_format,
    output_option,
    warn,
)


@click.command()
@click.argument("data", nargs=-1, metavar="[DATA]...")
@output_option()
@click.option(
    "--new-only", is_flag=True, help="Only what lifting and reasoning added, not the input."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(ccsig.Closure.FORMATS)),
    default=None,
    help="Output syntax (xml: RDF/XML); default from the extension of OUT (.ttl, .nt, "
    ".jsonld, .json, .rdf, .owl, .xml), else turtle.",
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
@guarded
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
    fmt = output_format(output, fmt, ccsig.Closure.EXTENSIONS, "turtle")
    if update_graph and not update_endpoint:
        raise click.UsageError("--update-graph names a graph of an --update-endpoint; give one")
    closure = load(inputs, keep_input=new_only).closure(new_only)
    if update_endpoint:
        sent = ccsig.write_back(
            closure.triples,
            update_endpoint,
            update_graph,
            from_endpoint=bool(inputs.endpoint),
            timeout=inputs.timeout,
            max_bytes=inputs.max_bytes,
        )
        if sent.skipped:
            warn(
                f"{sent.skipped} triples about blank nodes read from the endpoint were not "
                "written back: SPARQL cannot name the endpoint's blank nodes; give those "
                "assets IRIs"
            )
        plural = "" if sent.requests == 1 else "s"
        note(
            f"wrote {sent.written} triples to {update_endpoint} in {sent.requests} request{plural}"
        )
        if not output:
            return
    emit(closure.serialise(fmt), output)
