"""The `ccsig` command line: a thin shell over the library.

Exit status: 0 success; 1 the answer is negative (validation found violations);
2 the input or the command line cannot be used (one line on stderr says why).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from ccsig.errors import CcsigError
from ccsig.vocabulary import DEFAULT_VOCABULARY

EXIT_OK, EXIT_NEGATIVE, EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"ccsig: error: {' '.join(message.split())}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Report every failure as one line and exit 2; tracebacks only with CCSIG_DEBUG=1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CcsigError as e:
            _fail(str(e))
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:
            if os.environ.get("CCSIG_DEBUG"):
                raise
            _fail(f"{type(e).__name__}: {e} (set CCSIG_DEBUG=1 for a traceback)")

    return run


def _write(data: str | bytes) -> None:
    out = sys.stdout.buffer
    out.write(data.encode("utf-8") if isinstance(data, str) else data)
    out.flush()


vocabulary_option = click.option(
    "--vocabulary",
    default=DEFAULT_VOCABULARY,
    show_default=True,
    metavar="NAME",
    help=(
        "aipref vocabulary draft whose category labels and hierarchy apply: aipref-01 ... "
        "aipref-07 (see `ccsig vocab`). The default is aipref-02 because CC signals 0.1 and "
        "Creative Commons' own examples use its labels (ai-use, train-genai); later drafts "
        "keep only train-ai and search."
    ),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccsig")
def main() -> None:
    """Check Creative Commons CC signals and aipref content-usage preferences.

    A CC signal is the `exceptions` parameter of an aipref content-usage
    expression, e.g. `train-genai=n;exceptions=cc-cr-ec`: generative-AI training
    is not allowed, unless the reuser gives credit and contributes to the
    ecosystem. ccsig parses such expressions, validates linked data that carries
    them (ccsig:contentUsage) and prints the vocabulary it ships.
    """


@main.command()
@click.argument("expression")
@vocabulary_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "turtle", "json-ld"]),
    default=None,
    help="Output format. Default: text for one expression, jsonl for `-`.",
)
@_guarded
def parse(expression: str, vocabulary: str, fmt: str | None) -> None:
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
    from ccsig.expression import parse_expression
    from ccsig.vocabulary import load_ontology

    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    if expression == "-":
        fmt = fmt or "jsonl"
        if fmt not in ("jsonl", "json"):
            raise click.UsageError("reading expressions from standard input needs --format jsonl")
        from ccsig.batch import parse_lines

        parse_lines(sys.stdin.buffer, sys.stdout.buffer, vocabulary)
        sys.stdout.buffer.flush()
        return
    from ccsig import render

    parsed = parse_expression(os.fsencode(expression), vocabulary, ontology)
    fmt = fmt or "text"
    if fmt == "text":
        _write(render.expression_text(parsed, vocab))
    elif fmt in ("json", "jsonl"):
        _write(render.to_json(parsed.to_json(), pretty=fmt == "json"))
    else:
        _write(render.expression_rdf(parsed, fmt))


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@vocabulary_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--input-format",
    metavar="FORMAT",
    help="RDF syntax of the inputs when the file name does not tell: "
    "turtle, nt, nq, trig, xml, json-ld.",
)
@click.option(
    "--allow-remote-contexts",
    is_flag=True,
    help="Let JSON-LD inputs load @context documents over the network (off: nothing is fetched).",
)
@_guarded
def validate(
    files: tuple[str, ...],
    vocabulary: str,
    fmt: str,
    input_format: str | None,
    allow_remote_contexts: bool,
) -> None:
    """Validate RDF files that carry CC signals (ccsig:contentUsage) against ccsig's SHACL shapes.

    Reads Turtle, JSON-LD, N-Triples, N-Quads, TriG and RDF/XML, chosen by file
    extension or --input-format; `-` is standard input. Each expression is lifted
    into a structured statement and checked: violations mean the signal cannot be
    applied as written, warnings that it applies but probably not as meant.

    Exit status: 0 no violation, 1 at least one violation, 2 an input cannot be read.
    """
    from ccsig import render
    from ccsig.validate import validate_files

    if list(files).count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    report = validate_files(list(files), vocabulary, input_format, allow_remote_contexts)
    _write(render.to_json(report.to_json()) if fmt == "json" else render.report_text(report))
    sys.exit(EXIT_OK if report.conforms else EXIT_NEGATIVE)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json-ld"]),
    default="text",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@_guarded
def vocab(fmt: str, output: str | None) -> None:
    """Show the vocabulary ccsig ships: aipref category trees, CC signals and their elements.

    `--format turtle` and `--format json-ld` give the whole OWL ontology (the
    JSON-LD uses ccsig's context); `text` is a readable summary.
    """
    from ccsig import render
    from ccsig.vocabulary import load_ontology, vocabulary_store

    if fmt == "text":
        data: bytes = render.ontology_text(load_ontology()).encode("utf-8")
    else:
        data = render.serialise(list(vocabulary_store()), fmt)
    if output:
        render.atomic_write(output, data)
    else:
        _write(data)


if __name__ == "__main__":  # pragma: no cover
    main()
