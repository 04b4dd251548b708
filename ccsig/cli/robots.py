"""`ccsig robots`: what a robots.txt says to a crawler about each path."""

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
EXTENSIONS = {".txt": "text", ".json": "json", ".jsonl": "jsonl"}


@click.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--agent",
    default="*",
    show_default=True,
    metavar="TOKEN",
    help="The crawler's product token; * is any crawler the file does not name (its * group).",
)
@click.option(
    "--path",
    "paths",
    multiple=True,
    default=("/",),
    show_default=True,
    metavar="PATH",
    help="A path (with query) on the site, e.g. /images/a.png, or a URL on it. Repeatable: "
    "one answer each.",
)
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXTENSIONS.values())),
    default=None,
    help="text (the default); json: one object for one path, one line per path for several; "
    "jsonl: always lines. Default from the extension of OUT.",
)
@output_option()
@guarded
def robots(
    file: str,
    agent: str,
    paths: tuple[str, ...],
    vocabulary: str,
    fmt: str | None,
    output: str | None,
) -> None:
    """What a robots.txt FILE (`-`: standard input) says to crawler TOKEN about each PATH.

    Group selection, Allow/Disallow and Content-Usage rules follow RFC 9309 and
    draft-ietf-aipref-attach: the Content-Usage rules with the longest matching path
    govern, and combine most-restrictively; paths that may not be crawled have no
    preferences. Cloudflare's Content-Signal lines are read too (vocab/mappings.ttl), in
    a group or before the first one (then every crawler's, unless its group has its
    own); License lines name RSL licence documents (read them with `ccsig rsl`).

    JSON keys: agent, path, crawl, group (matched token, "*" or null), rules
    (governing Content-Usage values), preferences (every category label ->
    allow/disallow/unknown), exceptions (label -> the CC signal token that lifts
    its disallow, as `ccsig parse` gives), statements (a Content-Signal one notes its
    line and group), licenses (the URLs of License lines).
    """
    fmt = output_format(output, fmt, EXTENSIONS, "text")
    known_vocabulary(vocabulary)
    report = ccsig.robots(file, agent, paths, vocabulary)
    for warning in report.warnings:
        warn(f"{file}: {warning}")
    if fmt == "json" and len(report.answers) == 1:
        data = render.to_json(report.to_json())
    elif fmt in ("json", "jsonl"):
        data = "".join(render.to_json(a.to_json(), pretty=False) for a in report.answers)
    else:
        data = render.robots_text(report.answers)
    emit(data, output)
