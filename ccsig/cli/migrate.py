"""`ccsig migrate`: an expression, or a catalog's expressions, from one aipref draft's labels
to another's, saying where meaning changes or is lost."""

from __future__ import annotations

import json
import os
import sys

import click

import ccsig
from ccsig._files import atomic_write
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    EXIT_OK,
    emit,
    guarded,
    input_format_option,
    known_vocabulary,
    output_option,
    warn,
    write,
)


@click.command()
@click.argument("source", metavar="EXPR|FILE")
@click.option(
    "--to",
    "target",
    required=True,
    metavar="NAME",
    help="The aipref draft to write for, e.g. aipref-07 (see `ccsig vocab`).",
)
@click.option(
    "--from",
    "origin",
    default=ccsig.DEFAULT_VOCABULARY,
    show_default=True,
    metavar="NAME",
    help="The aipref draft the expressions were written for.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the migrated expression (or file); json: the migration, label by label.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["changed", "lost"]),
    multiple=True,
    help="Exit 1 when a label's meaning changed (close, narrower) or was lost (no "
    "counterpart, only wider ones, or ignored as written); repeatable, for gating CI.",
)
@output_option()
@click.option("--in-place", is_flag=True, help="Replace FILE (atomically) with the result.")
@input_format_option("FILE", "turtle, nt, nq, trig, json-ld")
@guarded
def migrate(
    source: str,
    target: str,
    origin: str,
    fmt: str,
    fail_on: tuple[str, ...],
    output: str | None,
    in_place: bool,
    input_format: str | None,
) -> None:
    """Rewrite EXPR, or every ccsig:contentUsage literal of the catalog FILE (Turtle,
    TriG, N-Triples, N-Quads or JSON-LD; `-` for standard input), from the labels of
    the --from draft to those of the --to draft.

    Each target category takes the preference of the source category that relates to
    it best (exact, then close, then a source category it lies inside); a category only
    wider than anything written gets nothing. How the drafts' categories relate, and
    why, is vocab/drafts.ttl. One warning per label whose meaning is not kept exactly:
    close, narrower, only wider counterparts (not carried), or no counterpart (lost).
    A file keeps its layout, comments and key order: each literal is changed where it
    is written, and the result must read back as the original with only those values
    changed.

    Exit status: 0; 1 when --fail-on matches; 2 when the input or options cannot be used.
    """
    if in_place and output:
        raise click.UsageError("give -o OUT or --in-place, not both")
    known_vocabulary(origin)
    known_vocabulary(target)
    is_file = source == "-" or os.path.exists(source)
    if in_place and (not is_file or source == "-"):
        raise click.UsageError("--in-place edits a FILE (not standard input or an expression)")
    if is_file:
        result = ccsig.migrate_catalog(source, target, source=origin, input_format=input_format)
        warnings, outcomes = result.warnings, result.outcomes
        if fmt == "json":
            body = _json(result.to_json())
        else:
            body = result.text
    else:
        migration = ccsig.migrate(os.fsencode(source), target, source=origin)
        warnings, outcomes = migration.warnings(), migration.outcomes
        body = _json(migration.to_json()) if fmt == "json" else migration.migrated + "\n"
    # Written first: warnings about a result that cannot be written would only mislead.
    if in_place:
        if fmt == "json":
            raise click.UsageError("--in-place writes the migrated file; drop --format json")
        if result.changed:
            atomic_write(source, body.encode("utf-8"))
    elif output:
        emit(body, output)
    else:
        write(body)
    for warning in warnings:
        warn(warning)
    sys.exit(EXIT_NEGATIVE if outcomes & set(fail_on) else EXIT_OK)


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
