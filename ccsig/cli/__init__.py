"""The `ccsig` command line: a thin shell over the public API (`ccsig`).

One module per command; the options several commands share are defined once, in
`_shared` (those of the commands that read RDF data in `_data`). The group loads a
command's module only when that command runs, so `ccsig parse` starts without
importing what `check` or `scan` need, and `ccsig --help` without importing any.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from typing import TextIO

import click

from ccsig.cli._shared import EXIT_INTERRUPTED, EXIT_OK, quiet_option, set_quiet, warn
from ccsig.errors import InputWarning

__all__ = ["COMMANDS", "entry", "main"]

# name -> (the module defining it, the first paragraph of its help, which `ccsig --help`
# lists: reading it from the command would import every command's module, ~0.3 s;
# tests/cli/test_help.py keeps the two equal).
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": (
        "ccsig.cli.parse",
        "Parse a content-usage EXPRESSION and show the preference for every category.",
    ),
    "validate": (
        "ccsig.cli.validate",
        "Validate RDF files that carry CC signals (ccsig:contentUsage) against ccsig's SHACL "
        "shapes.",
    ),
    "check": ("ccsig.cli.check", "May I use these datasets for CATEGORY, given what I commit to?"),
    "infer": ("ccsig.cli.infer", "Write the OWL 2 RL closure of DATA under the ccsig vocabulary."),
    "query": ("ccsig.cli.query", "Ask a SPARQL question of DATA, after lifting and reasoning."),
    "vocab": (
        "ccsig.cli.vocab",
        "Show the vocabulary ccsig ships: aipref category trees, CC signals and their elements.",
    ),
    "annotate": (
        "ccsig.cli.annotate",
        "Add a CC signal (ccsig:contentUsage EXPR) to a dataset in a DCAT, schema.org or "
        "Croissant file, keeping everything already there.",
    ),
    "declare": (
        "ccsig.cli.declare",
        "What EXPRESSION asks of reusers, for people and for machines.",
    ),
    "migrate": (
        "ccsig.cli.migrate",
        "Rewrite EXPR, or every ccsig:contentUsage literal of the catalog FILE (Turtle, TriG,"
        " N-Triples, N-Quads or JSON-LD; `-` for standard input), from the labels of the "
        "--from draft to those of the --to draft.",
    ),
    "robots": (
        "ccsig.cli.robots",
        "What a robots.txt FILE (`-`: standard input) says to crawler TOKEN about each PATH.",
    ),
    "header": (
        "ccsig.cli.header",
        "What an HTTP response's header fields say about using its content.",
    ),
    "rsl": ("ccsig.cli.rsl", "What an RSL 1.0 licence document FILE (`-`: standard input) says."),
    "scan": (
        "ccsig.cli.scan",
        "What every HTTP response in WARC files (WARC or WARC.gz) may be used for.",
    ),
    "audit": (
        "ccsig.cli.audit",
        "May each URL in URLS be used for CATEGORY, by what its site said when captured?",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def invoke(self, ctx: click.Context) -> object:
        # Ctrl-C: 130 (128 + SIGINT), as in a command's body (see _shared.guarded), not
        # click's "Aborted!" and 1
        try:
            with warnings.catch_warnings():
                # what the readers say of an input (ccsig.errors.InputWarning), every
                # time, as ccsig's own warning lines
                warnings.simplefilter("always", InputWarning)
                shown_before = warnings.showwarning

                def show(
                    message: Warning | str,
                    category: type[Warning],
                    filename: str,
                    lineno: int,
                    file: TextIO | None = None,
                    line: str | None = None,
                ) -> None:
                    if issubclass(category, InputWarning):
                        warn(str(message))
                    else:
                        shown_before(message, category, filename, lineno, file, line)

                warnings.showwarning = show
                return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(EXIT_INTERRUPTED)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands `--help` lists, from `COMMANDS`: no command's module is imported.
        (Each line is cut as click.Group cuts a loaded command's help.)"""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        if not any(p.name == "quiet" for p in command.params):
            command.params.append(quiet_option())
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-V", "--version", package_name="ccsig", prog_name="ccsig")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=set_quiet,
    help="No warnings, notes or progress bars on standard error; errors still.",
)
def main() -> None:
    """Check Creative Commons CC signals and aipref content-usage preferences.

    A CC signal is the `exceptions` parameter of an aipref content-usage
    expression, e.g. `train-genai=n;exceptions=cc-cr-ec`: generative-AI training
    is not allowed, unless the reuser gives credit and contributes to the
    ecosystem. ccsig parses such expressions; adds them to catalogs (annotate) and
    validates the linked data that carries them, ODRL policies included; decides what a
    reuser may do (check, query, infer), over files or a SPARQL endpoint; reads them on
    the web (robots, header, scan); and explains them (declare, vocab).
    """


def entry() -> None:
    """The `ccsig` command: `main`, then a quick exit.

    Freeing a big catalog's store and report object by object takes about a second at
    100k datasets, and the operating system reclaims the memory at once; so once
    output is flushed the process leaves with os._exit. (Every file ccsig writes is
    complete before this: outputs are renamed into place.)
    """
    try:
        main()
        code: int = EXIT_OK
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or EXIT_OK
        else:  # sys.exit("message"), as click never does, but be exact about it
            print(e.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
    os._exit(code)
