"""`ccsig check`: may these datasets be used for a category, given what I commit to?"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

import ccsig
from ccsig.answer.compliance import category_iri, decisions_as_rdf
from ccsig.cli._data import (
    Inputs,
    InStore,
    data_options,
    in_store_options,
    reading,
)
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    EXIT_OK,
    commit_option,
    emit,
    fail_on_option,
    gc_paused,
    guarded,
    output_format,
    output_option,
)
from ccsig.model.terms import serialise
from ccsig.report import render

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".json": "json", ".csv": "csv", ".ttl": "turtle"}


@click.command()
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
@in_store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="text (the default), json, csv, turtle; default from the extension of OUT.",
)
@output_option()
@fail_on_option("Exit 1 when any asset's decision is this (repeatable), for gating CI.")
@guarded
def check(
    inputs: Inputs,
    store: InStore,
    category: str,
    commit: tuple[str, ...],
    profile: str | None,
    fmt: str | None,
    output: str | None,
    fail_on: tuple[str, ...],
) -> None:
    """May I use these datasets for CATEGORY, given what I commit to?

    Decides every asset in DATA (Turtle, JSON-LD, N-Triples, RDF/XML, HTML landing
    pages, images with XMP; several files are merged): every node with a statement of
    preference and every dcat:Dataset and schema:Dataset. Each statement is consulted on
    its own (a category without a preference takes its nearest broader category's); a
    disallow whose CC signal the reuser satisfies becomes allowed, on the signal's
    elements. Statements about the same asset combine most-restrictively: any disallowed
    -> disallowed; else any allowed -> allowed; else unknown.

    DATA may be replaced (or joined) by --endpoint URL: the triples of a SPARQL 1.1
    endpoint, copied in and decided in-process, exactly as from a file. With --in-store
    and --update-endpoint the store itself lifts, reasons and decides, in a work graph of
    its own (removed afterwards unless --keep), and only the decisions are read back.

    Exit status: 0, or 1 when --fail-on matches; 2 when the input or options cannot be used.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    category_iri(inputs.vocabulary, category)  # unknown: fail before the usage checks too
    in_store = store.options(inputs)
    with reading(inputs, profile) as step:
        options = {**inputs.options(), **in_store}
        vocabulary = options.pop("vocabulary")
        with gc_paused():  # the report: a hundred thousand small objects, no cycles
            report = ccsig.check(
                inputs.data,
                category,
                commit,
                vocabulary=vocabulary,
                profile=profile,
                progress=step,
                **options,
            )
    with gc_paused():
        if fmt == "json":
            data: str | bytes | Iterator[str] = render.check_json_blocks(report)
        elif fmt == "csv":
            data = render.check_csv(report)
        elif fmt == "turtle":
            data = serialise(decisions_as_rdf(report), "turtle")
        else:
            data = render.check_text(report)
        emit(data, output)
    failed = any(report.summary[name] for name in fail_on)
    sys.exit(EXIT_NEGATIVE if failed else EXIT_OK)
