"""`ccsig declare`: what an expression asks of reusers, for people and for machines."""

from __future__ import annotations

import os

import click

import ccsig
from ccsig.cli._shared import emit, fail, guarded, output_option, vocabulary_option, warn
from ccsig.publish.declare import FORMATS


@click.command()
@click.argument("expression")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: plain language, category by category; robots: a robots.txt group; header: "
    "the HTTP field; turtle, json-ld: the lifted statement; odrl: an ODRL policy (Turtle), "
    "odrl-jsonld: the same policy in ODRL's JSON-LD with the W3C ODRL context; html: the "
    "text as a web page.",
)
@click.option("--uid", metavar="IRI", help="The ODRL policy's IRI (default: derived from EXPR).")
@click.option(
    "--target",
    metavar="IRI",
    help="The asset the ODRL policy is about (odrl:target), so the policy alone is a "
    "statement `ccsig check` reads.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Declare the expression even when aipref processing would leave part of it out "
    "(an unknown label, a value other than y/n, an exception naming no CC signal, a "
    "repeated label) or it states no preference; each part left out is a warning.",
)
@output_option()
@guarded
def declare(
    expression: str,
    vocabulary: str,
    fmt: str,
    uid: str | None,
    target: str | None,
    force: bool,
    output: str | None,
) -> None:
    """What EXPRESSION asks of reusers, for people and for machines.

    The plain-language account comes category by category from the definitions in
    vocab/ (categories, preference values, CC signals and their elements). The ODRL
    policy's actions are the ODRL AI vocabulary draft's (odrl:data-mining, odrl:ai-training,
    odrl:gen-ai, odrl:ai-augment, odrl:search) where vocab/odrl-ai.ttl matches one to the
    category exactly or closely, else the category's own IRI. It has one permission per
    allowed category, one permission with a duty per signal element for a disallow with
    a CC signal exception (credit -> odrl:attribute, direct contribution ->
    odrl:compensate, the others ccsig duty actions), and a prohibition per plain
    disallow. With --target the policy names its asset (odrl:target), so `ccsig check`
    reads the policy file alone.

    Everything is written from the canonical expression; when that would say less than
    EXPRESSION as written, nothing is written (exit 2, naming what would be left out
    and why) unless --force.
    """
    try:
        declared = ccsig.declare(
            os.fsencode(expression), vocabulary, uid, force=force, target=target
        )
    except ccsig.IncompleteDeclarationError as e:
        fail(f"{e} (--force declares it anyway)")
        return
    for reason in declared.dropped:
        warn(f"left out: {reason}")
    emit(declared.render(fmt), output)
