"""Read an RDF input once, keeping only the triples whose predicate can matter.

Takes: an input's bytes and format (from `ccsig.ingest.readers.read_input`), the path it
came from, and a test of predicates.
Gives: the quads whose predicate passes the test, and the predicates that did not: the
caller (ccsig.answer.stream) decides from what is kept, and reads the input again if a
schema triple it kept makes a dropped predicate matter after all.

A catalog's titles, keywords and distributions never decide anything `check` answers;
keeping them cost ~1 GB at 1.2 million triples. Each quad costs one dictionary lookup
of its predicate here: the test runs once per distinct predicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ccsig.ingest.blank_nodes import may_hold_blank_nodes
from ccsig.ingest.readers import parse_quads, syntax_errors
from ccsig.ingest.urls import base_iri_for


@dataclass
class Kept:
    """What one reading kept, by predicate, and which predicates it left out."""

    by_predicate: dict[ox.NamedNode, list[ox.Quad]]
    dropped: set[ox.NamedNode]
    named_graphs: bool  # the format can hold named graphs (so a kept quad may be in one)

    @property
    def quads(self) -> Iterator[ox.Quad]:
        for quads in self.by_predicate.values():
            yield from quads


def keep_quads(
    path: str,
    data: bytes,
    fmt: ox.RdfFormat,
    keep: Callable[[ox.NamedNode], bool],
    taken: set[str] | None = None,
) -> Kept:
    """The quads of `data` whose predicate `keep` accepts. Blank nodes are labelled as
    every reader labels them (ccsig.ingest.blank_nodes, from all of the node's quads, so
    an input that may hold one is parsed whole first); none is in `taken`, the labels of
    the inputs read before, to which they are added."""
    buckets: dict[ox.NamedNode, list[ox.Quad] | None] = {}
    base = base_iri_for(path)
    with syntax_errors(path):
        quads: Iterable[ox.Quad]
        if may_hold_blank_nodes(data, fmt):
            quads = parse_quads(path, data, fmt, base, taken)
        else:
            quads = ox.parse(data, format=fmt, base_iri=base)
        for quad in quads:
            predicate = quad.predicate
            bucket = buckets.get(predicate, _UNSEEN)
            if bucket is _UNSEEN:
                bucket = buckets[predicate] = [] if keep(predicate) else None
            if bucket is not None:
                bucket.append(quad)
    return Kept(
        {p: b for p, b in buckets.items() if b is not None},
        {p for p, b in buckets.items() if b is None},
        fmt.supports_datasets,
    )


_UNSEEN: list[ox.Quad] = []
