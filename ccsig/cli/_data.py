"""The options of the commands that read RDF data (check, infer, query, validate): the
DATA files, --endpoint and its limits, in-store mode; and loading what they name.

Apart from `_shared` because these options' defaults come from the SPARQL endpoint client
(ccsig.ingest.endpoint), which the other commands, and `ccsig --help`, need not import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

import click

import ccsig
from ccsig.cli._shared import context_option, input_format_option, progress, vocabulary_option
from ccsig.ingest.endpoint import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

endpoint_limit_options = [
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="The most an endpoint request may take, from connecting to the answer's end.",
    ),
    click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
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
    contexts: tuple[str, ...]
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
            "contexts": self.contexts,
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
            context_option,
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


@dataclass(frozen=True)
class InStore:
    """In-store mode's options (`in_store_options`): where to write, and whether."""

    update_endpoint: str | None
    in_store: bool
    work_graph: str | None
    keep: bool

    def options(self, inputs: Inputs) -> dict[str, Any]:
        """The keyword arguments `ccsig.check` and `ccsig.query` take for them; usage
        errors first."""
        return self.options_for(inputs.endpoint, inputs.data, inputs.graphs)

    def options_for(
        self, endpoint: str | None, data: tuple[str, ...], graphs: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """`options` for a command that reads `data` files and an `endpoint` (`validate`,
        which has no --graph)."""
        if not self.in_store:
            if self.work_graph is not None or self.keep or self.update_endpoint is not None:
                raise click.UsageError(
                    "--update-endpoint, --work-graph and --keep go with --in-store"
                )
            return {}
        if endpoint is None or self.update_endpoint is None:
            raise click.UsageError("--in-store needs --endpoint URL and --update-endpoint URL")
        if data or graphs:
            raise click.UsageError(
                "--in-store reads the store's default graph: give no DATA files or --graph"
            )
        return {
            "in_store": True,
            "update_endpoint": self.update_endpoint,
            "work_graph": self.work_graph,
            "keep": self.keep,
        }


def in_store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--update-endpoint, --in-store, --work-graph, --keep: run inside the store."""
    for option in reversed(
        [
            click.option(
                "--update-endpoint",
                metavar="URL",
                help="With --in-store: the SPARQL 1.1 update endpoint of the --endpoint's "
                "store, where the work graph is written.",
            ),
            click.option(
                "--in-store",
                is_flag=True,
                help="Lift, reason and ask inside the --endpoint's store, in a work graph of "
                "its own, and read back only the answers (nothing else is written).",
            ),
            click.option(
                "--work-graph",
                metavar="IRI",
                help="With --in-store: the work graph (default: a fresh urn:uuid); it must be "
                "empty.",
            ),
            click.option(
                "--keep",
                is_flag=True,
                help="With --in-store: leave the work graph in the store afterwards.",
            ),
        ]
    ):
        command = option(command)

    @wraps(command)
    def run(**kwargs: Any) -> Any:
        fields = {name: kwargs.pop(name) for name in InStore.__dataclass_fields__}
        return command(store=InStore(**fields), **kwargs)

    return run


@contextmanager
def reading(inputs: Inputs, profile: str | None = None) -> Iterator[Callable[[str], None]]:
    """The usage errors of the data options, then a progress bar on a terminal over the
    steps `ccsig.load` reports (each file, the endpoint, reasoning): yields the callback
    to pass as its `progress`."""
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

        yield step
        bar.update(1)


def load(
    inputs: Inputs,
    *,
    commit: tuple[str, ...] = (),
    profile: str | None = None,
    keep_input: bool = False,
) -> ccsig.Loaded:
    """`ccsig.load` for a command's inputs, with a progress bar on a terminal."""
    with reading(inputs, profile) as step:
        return ccsig.load(
            inputs.data,
            commitments=commit,
            profile=profile,
            keep_input=keep_input,
            progress=step,
            **inputs.options(),
        )
