"""`ccsig vocab`: the vocabulary ccsig ships, as text, RDF or HTML documentation."""

from __future__ import annotations

import click

from ccsig.cli._shared import emit, guarded, output_format, output_option
from ccsig.model.terms import serialise
from ccsig.model.vocabulary import load_ontology, vocabulary_store
from ccsig.publish.docs import vocabulary_html
from ccsig.reason.rules import closed_vocabulary
from ccsig.report import render

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".ttl": "turtle", ".jsonld": "json-ld", ".html": "html"}


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="text: a readable summary; turtle, json-ld: the OWL ontology; html: documentation "
    "with every term and each aipref draft's category tree (one self-contained page). "
    "Default: from the extension of OUT, else text.",
)
@click.option(
    "--closed",
    is_flag=True,
    help="With everything OWL 2 RL entails from the vocabulary alone: what a SPARQL store "
    "needs beside the data to run queries/rules/ itself.",
)
@output_option("Write to this file (atomically) instead of standard output.")
@guarded
def vocab(fmt: str | None, closed: bool, output: str | None) -> None:
    """Show the vocabulary ccsig ships: aipref category trees, CC signals and their elements.

    `--format turtle` and `--format json-ld` give the whole OWL ontology (the
    JSON-LD uses ccsig's context); `text` is a readable summary; `html` documents
    every term, with each aipref draft's categories drawn as a tree.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    if closed and fmt in ("text", "html"):
        raise click.UsageError("--closed needs --format turtle or json-ld")
    if fmt == "text":
        data: bytes = render.ontology_text(load_ontology()).encode("utf-8")
    elif fmt == "html":
        data = vocabulary_html().encode("utf-8")
    elif closed:
        data = serialise(list(closed_vocabulary()), fmt)
    else:
        data = serialise([q.triple for q in vocabulary_store()], fmt)
    emit(data, output)
