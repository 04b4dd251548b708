"""`ccsig header`: what an HTTP response's header fields say about using its content."""

from __future__ import annotations

import click

import ccsig
from ccsig.cli._shared import (
    emit,
    guarded,
    known_vocabulary,
    output_format,
    output_option,
    vocabulary_option,
    warn,
)
from ccsig.lift.web_rdf import statements_rdf
from ccsig.model.terms import serialise
from ccsig.report import render

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".json": "json", ".ttl": "turtle"}


@click.command()
@click.argument("lines", nargs=-1, metavar="[FIELD-LINE | -]...")
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
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="Output format: text (the default), json, turtle; default from the extension of OUT.",
)
@output_option()
@guarded
def header(
    lines: tuple[str, ...],
    file: str | None,
    agent: str | None,
    url: str | None,
    vocabulary: str,
    fmt: str | None,
    output: str | None,
) -> None:
    """What an HTTP response's header fields say about using its content.

    Give field lines as arguments (`'Content-Usage: train-ai=n'`) or with --file
    (`-`, alone or as --file -, reads a saved response head from standard input).
    Several Content-Usage field lines combine into one dictionary (RFC 9110 5.3: a
    later key overrides an earlier one); TDMRep (tdm-reservation, tdm-policy) and
    X-Robots-Tag noai/noimageai and Content-Signal are mapped in (vocab/mappings.ttl);
    everything combines most-restrictively. Link fields with rel="license" and type
    application/rsl+xml name RSL licence documents (read them with `ccsig rsl`).

    JSON keys: preferences (every category label -> allow/disallow/unknown),
    exceptions (label -> the CC signal token that lifts its disallow, as `ccsig
    parse` gives), statements, licenses (RSL document URLs), warnings. Turtle (with
    --url): the statements as ccsig:Statements about the URL, for `ccsig check` and SPARQL.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    known_vocabulary(vocabulary)
    if "-" in lines:  # `-` is standard input, as everywhere else, never a field line
        if file is not None or lines.count("-") > 1:
            raise click.UsageError(
                "`-` reads the response head from standard input, as --file does: give one"
            )
        file, lines = "-", tuple(line for line in lines if line != "-")
    if file is None and not lines:
        raise click.UsageError("give header field lines, or --file FILE (- for standard input)")
    report = ccsig.header(lines, file=file, agent=agent, url=url, vocabulary=vocabulary)
    for warning in report.warnings:
        warn(warning)
    if fmt == "turtle":
        if url is None:
            raise click.UsageError("--format turtle needs --url: the statements are about it")
        data: str | bytes = serialise(statements_rdf(url, report.statements), "turtle")
    elif fmt == "json":
        data = render.to_json(report.to_json())
    else:
        data = render.header_text(
            report.statements, report.preferences, report.exceptions, report.licenses
        )
    emit(data, output)
