"""`ccsig annotate`: add a CC signal to a dataset in a catalog file, keeping the file."""

from __future__ import annotations

import click

import ccsig
from ccsig._files import atomic_write
from ccsig.cli._shared import (
    context_option,
    guarded,
    input_format_option,
    output_option,
    vocabulary_option,
    warn,
    write,
)


@click.command()
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
    metavar="IRI|_:LABEL",
    help="The dataset to annotate; needed only when FILE describes more than one. A blank "
    "node by the label validate and check print for it (_:squad_v2).",
)
@output_option("Write the result here (atomically).")
@click.option("--in-place", is_flag=True, help="Replace FILE (atomically) with the result.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the dataset's one existing expression instead of refusing.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write an expression that `ccsig validate` would report as a violation.",
)
@input_format_option("FILE", "turtle, nt, nq, trig, json-ld, html")
@context_option
@vocabulary_option
@guarded
def annotate(
    file: str,
    expression: str,
    asset: str | None,
    output: str | None,
    in_place: bool,
    replace: bool,
    force: bool,
    input_format: str | None,
    contexts: tuple[str, ...],
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
    unless --replace, which changes that one value where it is written. An expression
    that `ccsig validate` would report as a violation is refused unless --force, and
    validate's warnings about it are repeated. Writes to standard output unless -o or
    --in-place.
    """
    if in_place and output:
        raise click.UsageError("give -o OUT or --in-place, not both")
    if in_place and file == "-":
        raise click.UsageError("standard input cannot be edited in place; use -o OUT")
    result = ccsig.annotate(
        file,
        expression,
        asset=asset,
        input_format=input_format,
        vocabulary=vocabulary,
        replace=replace,
        force=force,
        contexts=contexts,
    )
    for warning in result.warnings:
        warn(warning)
    if not result.changed:
        warn(f"{result.asset} already has this expression; nothing to add")
    target = file if in_place else output
    if target:
        if result.changed or not in_place:
            atomic_write(target, result.text.encode("utf-8"))
    else:
        write(result.text)
