"""`ccsig audit`: which URLs may be used, by what their sites said when they were crawled."""

from __future__ import annotations

import os
import sys

import click

import ccsig
from ccsig.cli._shared import (
    EXIT_NEGATIVE,
    EXIT_OK,
    EXIT_SKIPPED,
    commit_option,
    engine_options,
    fail_on_option,
    guarded,
    note,
    output_format,
    output_option,
    progress,
    vocabulary_option,
    warn,
)
from ccsig.errors import CcsigError

# The file name extensions that name each output format.
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".txt": "text",
}


@click.command()
@click.argument("urls", metavar="URLS")
@click.option(
    "--preferences",
    "sources",
    multiple=True,
    required=True,
    metavar="SOURCE",
    help="Where the sites' policies were captured: a WARC file (robots.txt, tdmrep.json and "
    "pages with preference headers, dated by WARC-Date), a folder of robots.txt files named "
    "by host (HOST or HOST.txt, dated by their modification time), or `ccsig scan` JSON "
    "Lines (.jsonl). Repeatable.",
)
@click.option(
    "--for", "category", required=True, metavar="CATEGORY", help="The usage category to decide."
)
@commit_option
@click.option(
    "--agent",
    default="*",
    show_default=True,
    metavar="TOKEN",
    help="The crawler's product token for robots.txt groups and crawl_allowed; the default "
    "matches only the groups for every crawler (User-agent: *).",
)
@click.option(
    "--at",
    metavar="DATE",
    help="Decide by the latest capture at or before DATE (YYYY-MM-DD: the end of that day, "
    "UTC; or an ISO 8601 date-time); a host captured only later is unknown. Default: the "
    "latest capture governs.",
)
@click.option(
    "--changed-since",
    metavar="DATE",
    help="Also decide each URL as of DATE (earlier) and flag the URLs whose decision changed.",
)
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "text"]),
    default=None,
    help="jsonl: a record per URL, then a summary record; csv, parquet: a row per URL; "
    "text: the summary alone. Default from the extension of OUT (.jsonl, .ndjson, .csv, "
    ".parquet, .txt), else jsonl.",
)
@output_option()
@click.option(
    "--column",
    metavar="NAME",
    help="The column of URLS that holds the URLs, for a CSV or Parquet file (default: url).",
)
@engine_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes for --engine local.",
)
@fail_on_option("Exit 1 when any URL's decision is this (repeatable).")
@guarded
def audit(
    urls: str,
    sources: tuple[str, ...],
    category: str,
    commit: tuple[str, ...],
    agent: str,
    at: str | None,
    changed_since: str | None,
    vocabulary: str,
    fmt: str | None,
    output: str | None,
    column: str | None,
    engine: str,
    master: str,
    jobs: int,
    fail_on: tuple[str, ...],
) -> None:
    """May each URL in URLS be used for CATEGORY, by what its site said when captured?

    URLS: a text file of URLs (one a line), - for standard input, or a CSV or Parquet
    file (.csv, .parquet; --column NAME, default url). A URL is governed by the
    robots.txt and /.well-known/tdmrep.json of its scheme and host, and by its own
    response headers, as `ccsig scan` reads them, from the capture in force: the latest
    one (or the latest at or before --at).

    JSON keys: url, decision (allowed / disallowed / unknown, as `ccsig check` decides
    the same statements), conditions, crawl_allowed (RFC 9309, for --agent; null
    without a robots.txt), preferences (label -> combined preference), exceptions
    (label -> the CC signal token that lifts its disallow), sources ({system, url,
    as_written, captured}), as_of (the latest capture that applied), reason (why a URL
    is unknown for want of a capture or a URL), and with --changed-since earlier
    ({at, decision, conditions, as_of, reason}) and changed. The last JSON Lines record
    is {"summary": ...}: counts per decision and the hosts with most disallowed URLs.

    Exit status: 0; 1 when --fail-on matches; 2 when the command cannot run (a missing
    --column, a bad date); 3 when input was skipped or URLs were left unknown for want
    of a capture (one warning each on stderr), which goes before 1.
    """
    fmt = output_format(output, fmt, EXTENSIONS, "jsonl")
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o OUT")
    if urls != "-" and not os.path.isfile(urls):
        raise CcsigError(f"{urls}: no such file")
    for source in sources:
        if not os.path.exists(source):
            raise CcsigError(f"{source}: no such file or folder")
    size = os.path.getsize(urls) if urls != "-" else 0
    line = _line_size(urls) if size else 0
    with progress(size, "auditing") as bar:
        result = ccsig.audit(
            urls,
            sources,
            category,
            commit,
            agent=agent,
            at=at,
            changed_since=changed_since,
            vocabulary=vocabulary,
            output=output,
            format=fmt,
            column=column,
            engine=engine,
            master=master,
            jobs=jobs,
            warn=warn,
            stdout=sys.stdout.buffer,
            progress=(lambda n: bar.update(n * line)) if line else None,
        )
    decisions = result.summary["decisions"]
    if fmt not in ("text", "jsonl") or output is not None:
        counts = ", ".join(f"{decisions[name]} {name}" for name in decisions)
        note(f"{result.summary['urls']} URLs: {counts}")
    if result.skipped:
        sys.exit(EXIT_SKIPPED)
    sys.exit(EXIT_NEGATIVE if any(decisions[name] for name in fail_on) else EXIT_OK)


def _line_size(path: str) -> int:
    """Bytes per URL of a text file of URLs, from its beginning: the progress bar counts
    URLs against the file's size. 0 (no bar) for CSV and Parquet."""
    if path.lower().endswith((".csv", ".parquet")):
        return 0
    with open(path, "rb") as f:
        start = f.read(65536)
    return max(1, round(len(start) / max(1, start.count(b"\n"))))
