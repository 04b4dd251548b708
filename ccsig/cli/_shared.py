"""What every command shares: exit codes, error reporting, output, progress, and the
options several commands take, each defined once.

Exit status: 0 success; 1 the answer is negative (validation found violations, or
--fail-on matched); 2 the input or the command line cannot be used (one line on stderr
says why); 3 (scan) some input was skipped, each with a warning line; 130 interrupted
(Ctrl-C); 143 terminated (SIGTERM), temporary files removed either way.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from functools import wraps
from types import SimpleNamespace
from typing import Any, TypeVar

import click

import ccsig
from ccsig._files import atomic_write
from ccsig.errors import one_line

EXIT_OK, EXIT_NEGATIVE, EXIT_BAD_INPUT, EXIT_SKIPPED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM

# The temporary file `atomic_write` renames into place: `.NAME.ccsig-PID.XXXXXXXX.tmp`
# beside NAME.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.ccsig-[0-9]+\.[^./]+\.tmp")

F = TypeVar("F", bound=Callable[..., Any])


def error(message: str) -> None:
    """One line on standard error: what cannot be used, and why."""
    click.echo(f"ccsig: error: {one_line(message)}", err=True)


def fail(message: str) -> None:
    error(message)
    sys.exit(EXIT_BAD_INPUT)


def warn(message: str) -> None:
    if not quiet():
        click.echo(f"ccsig: warning: {one_line(message)}", err=True)


def note(message: str) -> None:
    """A line on standard error saying what was done (silenced by --quiet)."""
    if not quiet():
        click.echo(f"ccsig: {one_line(message)}", err=True)


_QUIET = "ccsig.quiet"


def quiet() -> bool:
    """--quiet was given (to `ccsig` or to the command): no warnings, notes or progress."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_QUIET))


def set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_QUIET] = True  # (meta is shared by a context and those nested in it)


def quiet_option() -> click.Option:
    """-q/--quiet, which the group and every command take."""
    return click.Option(
        ["-q", "--quiet"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=set_quiet,
        help="No warnings, notes or progress bars on standard error (errors still are); "
        "the exit status still tells of skipped input.",
    )


def guarded(command: F) -> F:
    """Report every failure as one line and exit 2; tracebacks only with CCSIG_DEBUG=1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with terminated_as_exit():
            return _run(*args, **kwargs)

    def _run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ccsig.CcsigError as e:
            fail(str(e))
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except KeyboardInterrupt:
            # Ctrl-C: the shell's convention, 128 + SIGINT, so scripts can tell it apart
            click.echo("", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:
            if os.environ.get("CCSIG_DEBUG"):
                raise
            if isinstance(e, OSError) and e.filename is not None:
                fail(os_error(e))  # a file: named as the user gave it, and why
            fail(f"{type(e).__name__}: {e} (set CCSIG_DEBUG=1 for a traceback)")

    return run  # type: ignore[return-value]


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(EXIT_TERMINATED)


def _default_in_child() -> None:
    # A forked process (scan's workers) dies of SIGTERM at once, as without ccsig's
    # handler: a Python handler runs only when the main thread gets to it, so a worker
    # blocked in native code would outlive Pool.terminate(), which then waits forever.
    if signal.getsignal(signal.SIGTERM) is _terminate:
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        except ValueError:  # (not the main thread: cannot be, after a fork)
            pass


os.register_at_fork(after_in_child=_default_in_child)


@contextmanager
def terminated_as_exit() -> Iterator[None]:
    """SIGTERM (`kill`, a CI job's timeout) raised as SystemExit(143) in this process, so
    the `finally` blocks that remove temporary files run, as they do for Ctrl-C; the
    default action (killed without a word) would leave them behind. Forked processes
    keep the default action (see `_default_in_child`)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # (signal handlers can be set only in the main thread)
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write(data: str | bytes | Iterable[str]) -> None:
    out = sys.stdout.buffer
    if isinstance(data, str | bytes):
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
    else:
        for block in data:
            out.write(block.encode("utf-8"))
    out.flush()


def emit(data: str | bytes | Iterable[str], output: str | None) -> None:
    """To `output` (atomically), or to standard output; `data` may come in blocks of
    text, each written as it comes."""
    payload: bytes | Iterable[bytes]
    if isinstance(data, str | bytes):
        payload = data.encode("utf-8") if isinstance(data, str) else data
    else:
        payload = (block.encode("utf-8") for block in data)
    if output:
        try:
            atomic_write(output, payload)
        except OSError as e:
            raise ccsig.CcsigError(os_error(e, output)) from None
    else:
        write(payload if isinstance(payload, bytes) else data)


def os_error(e: OSError, path: str | None = None) -> str:
    """What went wrong with a file, in one line naming the file the user gave: never
    the temporary file an output is written through, nor an exception's name."""
    name = path or (os.fsdecode(e.filename) if e.filename is not None else "")
    if path is None and name:
        folder, base = os.path.split(name)
        temporary = _TEMPORARY.fullmatch(base)
        if temporary:
            name = os.path.join(folder, temporary.group("name"))
    folder = os.path.dirname(name) or "."
    if isinstance(e, FileNotFoundError) and name and not os.path.isdir(folder):
        reason = f"no such folder {folder}"
    elif isinstance(e, IsADirectoryError):
        reason = "is a folder, not a file"
    elif e.strerror:
        reason = e.strerror[:1].lower() + e.strerror[1:]
    else:
        reason = str(e)
    return f"{name}: {reason}" if name else reason


def output_format(
    output: str | None, fmt: str | None, by_extension: Mapping[str, str], default: str
) -> str:
    """The format to write: --format, else the one the -o file's extension names, else
    `default` (no -o, or a name without an extension). An extension that names no format
    the command writes, or another format than --format, is refused (exit 2): the file
    would hold something its name says it does not."""
    extension = os.path.splitext(output or "")[1].lower()
    named = by_extension.get(extension)
    if fmt is None:
        if not extension:
            return default
        if named is None:
            known = ", ".join(sorted(by_extension))
            raise ccsig.CcsigError(
                f"{output}: cannot tell which format to write from {extension} (the extensions "
                f"this command knows: {known}); give --format"
            )
        return named
    if named is not None and named != fmt:
        raise ccsig.CcsigError(
            f"{output}: {extension} names {named}, not --format {fmt}; rename the file or "
            "change --format"
        )
    return fmt


def progress(length: int, label: str) -> Any:
    """A progress bar on standard error when it is a terminal; silent otherwise."""
    if sys.stderr.isatty() and not quiet():
        return click.progressbar(length=length, label=label, file=sys.stderr)
    return nullcontext(SimpleNamespace(update=lambda n: None, label=label))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a report of a hundred thousand small
    objects is built and written: they hold no cycles, and collections triggered by their
    allocation cost as much as building them. Resumed, the collector finds them already
    old (frozen, then thawed into the oldest generation): else the next allocation made
    it collect the young generation, every one of them (0.4 s at 100,000 assets)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
            gc.unfreeze()


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


def engine_options(command: F) -> F:
    """--engine local|spark and --master, for the commands Spark can run (scan, audit)."""
    command = click.option(
        "--master",
        default="local[*]",
        show_default=True,
        metavar="URL",
        help="Spark master for --engine spark: local[N], spark://host:port, yarn, ...",
    )(command)
    return click.option(
        "--engine",
        type=click.Choice(["local", "spark"]),
        default="local",
        show_default=True,
        help="local: this machine; spark: PySpark (pip install 'ccsig[spark]', Java 17).",
    )(command)


def input_format_option(
    what: str = "the inputs",
    formats: str = "turtle, nt, nq, trig, xml, json-ld, html, image",
) -> Any:
    return click.option(
        "--input-format",
        metavar="FORMAT",
        help=f"RDF syntax of {what} when the file name does not tell: {formats}.",
    )


context_option = click.option(
    "--context",
    "contexts",
    multiple=True,
    metavar="PATH|URL=PATH",
    help="A local JSON-LD context file or folder that JSON-LD inputs may name (by relative "
    "reference, absolute path or file: URL) beside the input's own folder; URL=PATH reads "
    "the context at URL from the file PATH, offline. Regular files of at most 1 MiB. "
    "Repeatable.",
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
