"""`ccsig parse`: one content-usage expression, or a stream of them."""

from __future__ import annotations

import io
import os
import sys

import click

import ccsig
from ccsig.cli._shared import emit, guarded, output_format, output_option, vocabulary_option
from ccsig.report import render
from ccsig.report.batch import parse_lines

# Each format, by the file name extension that names it.
EXTENSIONS = {
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ttl": "turtle",
    ".jsonld": "json-ld",
}


@click.command()
@click.argument("expression")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "turtle", "json-ld"]),
    default=None,
    help="Output format. Default: from the extension of OUT, else text for one expression, "
    "jsonl for `-`.",
)
@output_option()
@guarded
def parse(expression: str, vocabulary: str, fmt: str | None, output: str | None) -> None:
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
    vocab = ccsig.load_ontology().vocabulary(vocabulary)
    if expression == "-":
        fmt = output_format(output, fmt, {**EXTENSIONS, ".json": "jsonl"}, "jsonl")
        if fmt not in ("jsonl", "json"):
            raise click.UsageError("reading expressions from standard input needs --format jsonl")
        if output is None:
            parse_lines(sys.stdin.buffer, sys.stdout.buffer, vocabulary)
            sys.stdout.buffer.flush()
        else:
            # (the lines are held until the file is complete: -o writes atomically)
            lines = io.BytesIO()
            parse_lines(sys.stdin.buffer, lines, vocabulary)
            emit(lines.getvalue(), output)
        return
    # ccsig.parse_expression, what ccsig.parse calls: ccsig.parse lives in ccsig.api, whose
    # import brings every stage (~0.2 s), and parse needs none of them
    parsed = ccsig.parse_expression(os.fsencode(expression), vocabulary)
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    if fmt == "text":
        data: str | bytes = render.expression_text(parsed, vocab)
    elif fmt in ("json", "jsonl"):
        data = render.to_json(parsed.to_json(), pretty=fmt == "json")
    else:
        data = render.expression_rdf(parsed, fmt)
    emit(data, output)
