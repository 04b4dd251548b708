"""`ccsig validate`: RDF files against ccsig's SHACL shapes."""

from __future__ import annotations

import sys

import click

import ccsig
from ccsig.cli._data import (
    InStore,
    endpoint_limit_options,
    in_store_options,
)
from ccsig.cli._shared import (
    EXIT_BAD_INPUT,
    EXIT_NEGATIVE,
    EXIT_OK,
    context_option,
    emit,
    error,
    guarded,
    input_format_option,
    output_format,
    output_option,
    progress,
    remote_contexts_option,
    vocabulary_option,
)
from ccsig.report import render
from ccsig.validation.run import ENGINES, IN_STORE_STEPS

# Each format, by the file name extension that names it.
EXTENSIONS = {".txt": "text", ".json": "json"}


@click.command()
@click.argument("files", nargs=-1, metavar="[FILE]...")
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
@context_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="fast",
    show_default=True,
    help="fast: each constraint once over the whole input, results equal to pySHACL's "
    "(shapes it cannot evaluate exactly go to pySHACL); reference: pySHACL over rdflib "
    "(exact, minutes per thousand datasets).",
)
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    metavar="FILE",
    help="A SHACL shapes file of your own (e.g. DCAT-AP's, or 'every dataset must carry "
    "a signal'), added to ccsig's. Repeatable. The output then says which engine ran "
    "which shape.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning"]),
    default="violation",
    show_default=True,
    help="Exit 1 on any result this severe: warning, for stewards who want a clean file.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Also validate the default graph of this SPARQL 1.1 query endpoint, read in as "
    "a file would be (copy mode); FILE is then optional.",
)
@endpoint_limit_options[0]
@endpoint_limit_options[1]
@in_store_options
@guarded
def validate(
    files: tuple[str, ...],
    vocabulary: str,
    fmt: str | None,
    output: str | None,
    input_format: str | None,
    allow_remote_contexts: bool,
    contexts: tuple[str, ...],
    engine: str,
    shapes: tuple[str, ...],
    fail_on: str,
    endpoint: str | None,
    timeout: float,
    max_bytes: int,
    store: InStore,
) -> None:
    """Validate RDF files that carry CC signals (ccsig:contentUsage) against ccsig's SHACL shapes.

    Reads Turtle, JSON-LD, N-Triples, N-Quads, TriG and RDF/XML, HTML pages (their
    JSON-LD script blocks and RDFa) and images (their XMP), chosen by file extension or
    --input-format; `-` is standard input. Each expression is lifted
    into a structured statement and checked: violations mean the signal cannot be
    applied as written, warnings that it applies but probably not as meant.

    With --endpoint URL the store's default graph is read in and validated as one more
    file, named by its URL (copy mode). With --in-store and --update-endpoint the store
    validates it itself: the data is copied and lifted into a work graph of its own
    (removed afterwards unless --keep), each shape runs there as one SPARQL query, and
    only the results are read back; the report is the one copy mode gives. Shapes that
    only pySHACL can evaluate are refused in-store (exit 2), naming the shape.

    Exit status: 0 no violation, 1 at least one violation (or warning, with --fail-on
    warning), 2 an input cannot be read: the other files are still validated and
    reported, and each unreadable one gets one line on standard error.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    if list(files).count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    if not files and not endpoint:
        raise click.UsageError("give at least one FILE, or --endpoint URL")
    in_store = store.options_for(endpoint, files)
    if in_store and engine != "fast":
        raise click.UsageError("--in-store evaluates the fast engine's shapes: no --engine")
    steps = IN_STORE_STEPS if in_store else len(files) + bool(endpoint)
    with progress(steps, "validating") as bar:

        def step(label: str) -> None:
            bar.label = label if in_store else f"validating {label}"
            bar.update(1)

        report = ccsig.validate(
            files,
            vocabulary=vocabulary,
            input_format=input_format,
            allow_remote_contexts=allow_remote_contexts,
            contexts=contexts,
            engine=engine,
            shapes=shapes,
            keep_going=True,
            progress=step,
            endpoint=endpoint,
            timeout=timeout,
            max_bytes=max_bytes,
            **in_store,
        )
    if len(report.unreadable) < len(files) + bool(endpoint):
        text = render.to_json(report.to_json()) if fmt == "json" else render.report_text(report)
        emit(text, output)
    for line in report.unreadable:
        error(line)
    if report.unreadable:
        sys.exit(EXIT_BAD_INPUT)
    failed = not report.conforms or (fail_on == "warning" and report.count("warning") > 0)
    sys.exit(EXIT_NEGATIVE if failed else EXIT_OK)
