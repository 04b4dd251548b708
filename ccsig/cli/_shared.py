"""What every command shares: exit codes, error reporting, output, progress, and the
options several commands take, each defined once.

Exit status: 0 success; 1 the answer is negative (validation found violations, or
--fail-on matched); 2 the input or the command line cannot be used (one line on stderr
says why); 3 (scan) some input was skipped, each with a warning line.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace
from typing import Any, TypeVar

import click

import ccsig
from ccsig._files import atomic_write

EXIT_OK, EXIT_NEGATIVE, EXIT_BAD_INPUT, EXIT_SKIPPED = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])


def error(message: str) -> None:
    """One line on standard error: what cannot be used, and why."""
    click.echo(f"ccsig: error: {' '.join(message.split())}", err=True)


def fail(message: str) -> None:
    error(message)
    sys.exit(EXIT_BAD_INPUT)


def warn(message: str) -> None:
    click.echo(f"ccsig: warning: {' '.join(message.split())}", err=True)


def guarded(command: F) -> F:
    """Report every failure as one line and exit 2; tracebacks only with CCSIG_DEBUG=1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ccsig.CcsigError as e:
            fail(str(e))
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
            fail(f"{type(e).__name__}: {e} (set CCSIG_DEBUG=1 for a traceback)")

    return run  # type: ignore[return-value]


def write(data: str | bytes) -> None:
    out = sys.stdout.buffer
    out.write(data.encode("utf-8") if isinstance(data, str) else data)
    out.flush()


def emit(data: str | bytes, output: str | None) -> None:
    """To `output` (atomically), or to standard output."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output:
        atomic_write(output, payload)
    else:
        write(payload)


def format_from_extension(output: str | None, by_extension: Mapping[str, str], default: str) -> str:
    """The output format an -o file's extension names, else `default`."""
    return by_extension.get(os.path.splitext(output or "")[1].lower(), default)


def progress(length: int, label: str) -> Any:
    """A progress bar on standard error when it is a terminal; silent otherwise."""
    if sys.stderr.isatty():
        return click.progressbar(length=length, label=label, file=sys.stderr)
    return nullcontext(SimpleNamespace(update=lambda n: None, label=label))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a report of a hundred thousand small
    objects is built and written: they hold no cycles, and collections triggered by their
    allocation cost as much as building them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def known_vocabulary(vocabulary: str) -> None:
    """An unknown --vocabulary is exit 2 before any input is read."""
    ccsig.load_ontology().vocabulary(vocabulary)


# ------------------------------------------------------------------ options

vocabulary_option = click.option(
    "--vocabulary",
    default=ccsig.DEFAULT_VOCABULARY,
    show_default=True,
    metavar="NAME",
    help=(
        "aipref vocabulary draft whose category labels and hierarchy apply: aipref-01 ... "
        "aipref-07 (see `ccsig vocab`). The default is aipref-02 because CC signals 0.1 and "
        "Creative Commons' own examples use its labels (ai-use, train-genai); later drafts "
        "keep only train-ai and search."
    ),
)


def output_option(help: str = "Write here (atomically) instead of standard output.") -> Any:
    return click.option(
        "-o", "--output", metavar="OUT", type=click.Path(dir_okay=False, writable=True), help=help
    )


def input_format_option(
    what: str = "the inputs", formats: str = "turtle, nt, nq, trig, xml, json-ld"
) -> Any:
    return click.option(
        "--input-format",
        metavar="FORMAT",
        help=f"RDF syntax of {what} when the file name does not tell: {formats}.",
    )


remote_contexts_option = click.option(
    "--allow-remote-contexts",
    is_flag=True,
    help="Let JSON-LD inputs load @context documents over the network (off: nothing is fetched).",
)

commit_option = click.option(
    "--commit",
    multiple=True,
    metavar="ELEMENT",
    help="A signal element the reuser commits to meeting: credit, direct-contribution, "
    "ecosystem-contribution or open. Repeatable.",
)


def fail_on_option(help: str) -> Any:
    return click.option(
        "--fail-on", type=click.Choice(["disallowed", "unknown"]), multiple=True, help=help
    )


endpoint_limit_options = [
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=ccsig.api.DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="The most an endpoint request may take, from connecting to the answer's end.",
    ),
    click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=ccsig.api.DEFAULT_MAX_BYTES,
        show_default=True,
        metavar="BYTES",
        help="The largest answer read from an endpoint.",
    ),
]


@dataclass(frozen=True)
class Inputs:
    """What a command reads (its DATA files and --endpoint) and how (`data_options`)."""

    data: tuple[str, ...]
    vocabulary: str
    engine: str
    input_format: str | None
    allow_remote_contexts: bool
    endpoint: str | None
    graphs: tuple[str, ...]
    timeout: float
    max_bytes: int

    def options(self) -> dict[str, Any]:
        """The keyword arguments `ccsig.load` takes for these inputs."""
        return {
            "vocabulary": self.vocabulary,
            "engine": self.engine,
            "input_format": self.input_format,
            "allow_remote_contexts": self.allow_remote_contexts,
            "endpoint": self.endpoint,
            "graphs": self.graphs,
            "timeout": self.timeout,
            "max_bytes": self.max_bytes,
        }

    def check(self) -> None:
        """The usage errors of the data options, before anything is read."""
        if not self.data and not self.endpoint:
            raise click.UsageError("give at least one DATA file, or --endpoint URL")
        if self.graphs and not self.endpoint:
            raise click.UsageError("--graph names graphs of an --endpoint; give one")
        if list(self.data).count("-") > 1:
            raise click.UsageError("standard input (-) can be read only once")


def data_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read RDF data and reason over it."""
    for option in reversed(
        [
            vocabulary_option,
            click.option(
                "--engine",
                type=click.Choice(["fast", "reference"]),
                default="fast",
                show_default=True,
                help="fast: pyoxigraph with OWL RL rules as SPARQL; reference: owlrl and "
                "rdflib (exact, very slow beyond a few thousand triples).",
            ),
            input_format_option(),
            click.option(
                "--allow-remote-contexts",
                is_flag=True,
                help="Let JSON-LD inputs load @context documents over the network.",
            ),
            click.option(
                "--endpoint",
                metavar="URL",
                help="Also read the triples of this SPARQL 1.1 query endpoint (its default "
                "graph, or the --graph graphs); DATA files are then optional.",
            ),
            click.option(
                "--graph",
                "graphs",
                multiple=True,
                metavar="IRI",
                help="With --endpoint: read this named graph instead of the default graph. "
                "Repeatable.",
            ),
            *endpoint_limit_options,
        ]
    ):
        command = option(command)

    @wraps(command)
    def run(**kwargs: Any) -> Any:
        fields = {name: kwargs.pop(name) for name in Inputs.__dataclass_fields__}
        return command(inputs=Inputs(**fields), **kwargs)

    return run


def load(
    inputs: Inputs,
    *,
    commit: tuple[str, ...] = (),
    profile: str | None = None,
    keep_input: bool = False,
) -> ccsig.Loaded:
    """`ccsig.load` for a command's inputs, with a progress bar on a terminal."""
    inputs.check()
    steps = len(inputs.data) + bool(profile) + bool(inputs.endpoint) + 1
    with progress(steps, "reading") as bar:
        started = False

        def step(label: str) -> None:
            nonlocal started
            if started:
                bar.update(1)
            started = True
            bar.label = label

        loaded = ccsig.load(
            inputs.data,
            commitments=commit,
            profile=profile,
            keep_input=keep_input,
            progress=step,
            **inputs.options(),
        )
        bar.update(1)
    return loaded
