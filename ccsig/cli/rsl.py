"""`ccsig rsl`: what an RSL licence document says, per content, licence and URL."""

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
from ccsig.report import render

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".json": "json"}


@click.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="URL",
    help="A URL or path on the site the document governs: which content covers it and "
    "what that says. Repeatable.",
)
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="Output format: text (the default) or json; default from the extension of OUT.",
)
@output_option()
@guarded
def rsl(
    file: str, urls: tuple[str, ...], vocabulary: str, fmt: str | None, output: str | None
) -> None:
    """What an RSL 1.0 licence document FILE (`-`: standard input) says.

    Per <content url>: each <license>'s terms and the aipref expression they amount to
    (vocab/rsl.ttl): prohibited usage is a disallow; permitted usage is an allow when the
    licence asks nothing, a disallow with the CC signal cc-cr as exception when it asks
    only attribution, and a disallow otherwise (paid, a licence server, user or geo
    conditions). Several licences of one content are alternatives: per category the most
    permissive. With --url, the content whose url pattern matches longest (RFC 9309
    matching) governs. Entities, DTDs and external references are never expanded or
    fetched; a malformed document is a warning naming the line, and states nothing.

    JSON keys: vocabulary, location, contents (url, line, server, licenses with their
    statement, statement), urls (url, content, line, preferences, exceptions), warnings.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    known_vocabulary(vocabulary)
    report = ccsig.rsl(file, urls, vocabulary)
    for warning in report.warnings:
        warn(warning)
    if fmt == "json":
        data = render.to_json(report.to_json())
    else:
        data = render.rsl_text(report)
    emit(data, output)
