"""The `ccsig` command line: a thin shell over the public API (`ccsig`).

One module per command; the options several commands share are defined once, in
`_shared` (those of the commands that read RDF data in `_data`). The group loads a
command's module only when that command runs (or when --help lists them), so `ccsig
parse` starts without importing what `check` or `scan` need.
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

# name -> the module defining it; in the order `ccsig --help` lists them.
COMMANDS = {
    "parse": "ccsig.cli.parse",
    "validate": "ccsig.cli.validate",
    "check": "ccsig.cli.check",
    "infer": "ccsig.cli.infer",
    "query": "ccsig.cli.query",
    "vocab": "ccsig.cli.vocab",
    "annotate": "ccsig.cli.annotate",
    "declare": "ccsig.cli.declare",
    "migrate": "ccsig.cli.migrate",
    "robots": "ccsig.cli.robots",
    "header": "ccsig.cli.header",
    "rsl": "ccsig.cli.rsl",
    "scan": "ccsig.cli.scan",
    "audit": "ccsig.cli.audit",
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

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
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
