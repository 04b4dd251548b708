"""`ccsig scan`: what every HTTP response in WARC files may be used for."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import click

from ccsig._files import check_regular
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    EXIT_OK,
    EXIT_SKIPPED,
    commit_option,
    engine_options,
    fail_on_option,
    guarded,
    output_format,
    output_option,
    progress,
    vocabulary_option,
    warn,
)
from ccsig.model.vocabulary import load_ontology
from ccsig.report.records import write_records
from ccsig.scan.local import Scan
from ccsig.scan.records import ScanOptions
from ccsig.scan.spark import spark_scan

# The file name extensions that name each output format.
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".ttl": "ntriples",
    ".nt": "ntriples",
}
# `turtle` was the name of `ntriples` (N-Triples is a subset of Turtle); scripts keep working.
ALIASES = {"turtle": "ntriples"}


@click.command()
@click.argument("warcs", nargs=-1, required=True, metavar="WARC...")
@click.option(
    "--agent",
    default="*",
    show_default=True,
    metavar="TOKEN",
    help="The crawler's product token for robots.txt groups and X-Robots-Tag; the default "
    "matches only the groups for every crawler (User-agent: *).",
)
@vocabulary_option
@click.option(
    "--for", "category", metavar="CATEGORY", help="Decide every record for this usage category."
)
@commit_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "ntriples", *ALIASES]),
    default=None,
    help="Output format; default from the extension of OUT (.jsonl, .ndjson, .csv, .parquet, "
    ".ttl, .nt; another is refused), else jsonl. "
    "ntriples: the statements as RDF (N-Triples lines, which are Turtle too) for `ccsig "
    "check` and SPARQL; turtle: the old name of ntriples.",
)
@output_option()
@engine_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes for --engine local (default: one per CPU; 1: this process only).",
)
@fail_on_option("With --for: exit 1 when any record's decision is this (repeatable).")
@guarded
def scan(
    warcs: tuple[str, ...],
    agent: str,
    vocabulary: str,
    category: str | None,
    commit: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    engine: str,
    master: str,
    jobs: int | None,
    fail_on: tuple[str, ...],
) -> None:
    """What every HTTP response in WARC files (WARC or WARC.gz) may be used for.

    A page is governed by its own header fields (Content-Usage, Content-Signal, TDMRep,
    X-Robots-Tag), by the robots.txt and /.well-known/tdmrep.json of its scheme and host,
    and by the RSL licence documents that cover it (XML responses whose root is <rsl>:
    those its site serves, and those its robots.txt License lines or its Link fields
    name), found anywhere in the inputs (the last one seen wins; they give no record
    themselves).
    One record per other HTTP response, in input order.

    JSON keys: url, crawl (may the agent crawl it; null without a robots.txt),
    preferences (category label -> combined preference), exceptions (label -> the
    CC signal token that lifts its disallow), sources (the statements), warnings,
    and with --for: decision (allowed / disallowed / unknown, as `ccsig check`
    decides) and conditions. CSV and Parquet have a column per label and a
    LABEL_exception column per label.

    Exit status: 0; 1 when --fail-on matches; 2 when the command cannot run; 3 when
    input was skipped (damaged records, dropped header fields, ignored robots.txt
    lines; one warning each on stderr), which goes before 1.
    """
    if (commit or fail_on) and category is None:
        raise click.UsageError("--commit and --fail-on need --for CATEGORY")
    for path in warcs:
        check_regular(path)  # a FIFO or a device would be read as an empty file
    fmt = output_format(output, ALIASES.get(fmt or "", fmt), EXTENSIONS, "jsonl")
    written = "turtle" if fmt == "ntriples" else fmt  # (the records' writer's name for it)
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o OUT")
    options = ScanOptions(vocabulary, agent, category, tuple(commit))
    labels = load_ontology().vocabulary(vocabulary).labels
    counts = {"disallowed": 0, "unknown": 0, "allowed": 0}

    def warn_at(path: str, offset: int, message: str) -> None:
        warn(f"{path}: offset {offset}: {message}")

    def counted(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in records:
            if category is not None:
                counts[record["decision"]] += 1
            yield record

    if engine == "spark":
        with spark_scan(list(warcs), options, master, warn_at) as (records, skipped):
            decisions = category is not None
            write_records(
                counted(records), written, output, labels, decisions, sys.stdout.buffer, vocabulary
            )
            skipped_count = skipped()
    else:
        job = Scan(list(warcs), options, warn_at, jobs=jobs)
        total = sum(os.path.getsize(path) for path in warcs)
        with progress(total, "reading") as bar:
            job.collect(bar.update)
        with progress(job.pages, "scanning") as bar:
            counts.update(job.write(written, output, sys.stdout.buffer, bar.update))
        skipped_count = job.skipped
    if skipped_count:
        sys.exit(EXIT_SKIPPED)
    sys.exit(EXIT_NEGATIVE if any(counts[name] for name in fail_on) else EXIT_OK)
