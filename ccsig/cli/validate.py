"""`ccsig validate`: RDF files against ccsig's SHACL shapes."""

from __future__ import annotations

import sys

import click

import ccsig
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    EXIT_OK,
    emit,
    guarded,
    input_format_option,
    output_format,
    output_option,
    remote_contexts_option,
    vocabulary_option,
)
from ccsig.report import render

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".json": "json"}


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="text (the default) or json; default from the extension of OUT.",
)
@output_option()
@input_format_option()
@remote_contexts_option
@guarded
def validate(
    files: tuple[str, ...],
    vocabulary: str,
    fmt: str | None,
    output: str | None,
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
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    if list(files).count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    report = ccsig.validate(
        files,
        vocabulary=vocabulary,
        input_format=input_format,
        allow_remote_contexts=allow_remote_contexts,
    )
    emit(render.to_json(report.to_json()) if fmt == "json" else render.report_text(report), output)
    sys.exit(EXIT_OK if report.conforms else EXIT_NEGATIVE)
