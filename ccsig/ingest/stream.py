"""Read an RDF input once, keeping only the triples whose predicate can matter.

Takes: an input's bytes and format (from `ccsig.ingest.readers.read_input`), the path it
came from, and a test of predicates.
Gives: the quads whose predicate passes the test, and the predicates that did not: the
caller (ccsig.answer.stream) decides from what is kept, and reads the input again if a
schema triple it kept makes a dropped predicate matter after all.

A catalog's titles, keywords and distributions never decide anything `check` answers;
keeping them cost ~1 GB at 1.2 million triples. Each quad costs one dictionary lookup
of its predicate here: the test runs once per distinct predicate.

A large Turtle, N-Triples or N-Quads input without blank nodes is read in two halves
at once, the second in a forked process (parsing is most of the time `check` takes,
and the machine has a second core). The cut is made where the reading of the whole
would be between two statements with the same prefixes and base, and that is checked
rather than assumed (see `_halves`); when it does not hold, or either half does not
parse, the input is read whole in this process, which names the error where it is.
"""

from __future__ import annotations

import marshal
import os
import signal
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
    base = base_iri_for(path)
    blank = may_hold_blank_nodes(data, fmt)
    if not blank and len(data) >= SPLIT_AT_LEAST and fmt in _SPLITTABLE and _CAN_FORK:
        halves = _in_two(data, fmt, keep, base)
        if halves is not None:
            return halves
    with syntax_errors(path):
        quads: Iterable[ox.Quad]
        if blank:
            quads = parse_quads(path, data, fmt, base, taken)
        else:
            quads = ox.parse(data, format=fmt, base_iri=base)
        buckets = _sorted(quads, keep)
    return _kept(buckets, fmt)


Buckets = dict[ox.NamedNode, list[ox.Quad] | None]  # predicate -> its quads, None if dropped


def _sorted(quads: Iterable[ox.Quad], keep: Callable[[ox.NamedNode], bool]) -> Buckets:
    buckets: Buckets = {}
    for quad in quads:
        predicate = quad.predicate
        bucket = buckets.get(predicate, _UNSEEN)
        if bucket is _UNSEEN:
            bucket = buckets[predicate] = [] if keep(predicate) else None
        if bucket is not None:
            bucket.append(quad)
    return buckets


def _kept(buckets: Buckets, fmt: ox.RdfFormat) -> Kept:
    return Kept(
        {p: b for p, b in buckets.items() if b is not None},
        {p for p, b in buckets.items() if b is None},
        fmt.supports_datasets,
    )


_UNSEEN: list[ox.Quad] = []

# ---------------------------------------------------------------- two halves at once

# Below this many bytes forking costs more than half a parse saves (tests lower it).
SPLIT_AT_LEAST = 8 * 1024 * 1024
_SPLITTABLE = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
_CAN_FORK = hasattr(os, "fork") and (os.cpu_count() or 1) > 1
_STOPS = {signal.SIGINT, signal.SIGTERM}
_DIRECTIVES = (b"@prefix", b"@base", b"prefix", b"base", b"#")


def _in_two(
    data: bytes, fmt: ox.RdfFormat, keep: Callable[[ox.NamedNode], bool], base: str
) -> Kept | None:
    """`data` read as two halves at once (the second in a forked process), or None if
    that cannot be shown to read what the whole would.

    The cut is just after a line ending in ``.``. When the first half on its own parses,
    the cut is between two statements of the whole: no Turtle token but a long string
    spans a line break (and one cut would not parse), and a document whose statements do
    not all end is no document. The second half is read after the input's leading
    directives (its prologue), and the prefixes and base the first half ends with must
    be the prologue's: then the second half reads on as the whole would have.
    """
    cut = _cut(data)
    prologue = _prologue(data, fmt, base)
    if cut is None or prologue is None:
        return None
    head, state = prologue
    if cut <= len(head):
        return None
    read, write = os.pipe()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover (the forked half; its answer is tested)
        os.close(read)
        _second_half(write, head + data[cut:], fmt, keep, base)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write)
    reaped = False
    try:
        try:
            parser = ox.parse(data[:cut], format=fmt, base_iri=base)
            first = _sorted(parser, keep)
            same = (parser.prefixes, parser.base_iri) == state
        except (SyntaxError, ValueError, OSError):
            return None
        with os.fdopen(read, "rb") as pipe:
            read = -1
            answer = pipe.read()
        os.waitpid(pid, 0)
        reaped = True
        if not same or not answer:
            return None
        return _joined(first, marshal.loads(answer), keep, fmt)
    finally:
        if read >= 0:
            os.close(read)
        if not reaped:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _second_half(
    out: int, data: bytes, fmt: ox.RdfFormat, keep: Callable[[ox.NamedNode], bool], base: str
) -> None:  # pragma: no cover (runs in the forked process)
    """Parse, keep, and write to `out` the kept quads (N-Quads, by predicate) and the
    dropped predicates; nothing if the half does not parse. Never returns."""
    answer = b""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops this process
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
        try:
            buckets = _sorted(ox.parse(data, format=fmt, base_iri=base), keep)
        except (SyntaxError, ValueError, OSError):
            pass
        else:
            answer = marshal.dumps(
                [
                    (p.value, None if b is None else ox.serialize(b, format=ox.RdfFormat.N_QUADS))
                    for p, b in buckets.items()
                ]
            )
        with os.fdopen(out, "wb") as pipe:
            pipe.write(answer)
    finally:
        os._exit(0)


def _joined(
    first: Buckets,
    second: list[tuple[str, bytes | None]],
    keep: Callable[[ox.NamedNode], bool],
    fmt: ox.RdfFormat,
) -> Kept:
    """The first half's buckets with the second's appended, in reading order."""
    for iri, nquads in second:
        predicate = ox.NamedNode(iri)
        bucket = first.get(predicate, _UNSEEN)
        if bucket is _UNSEEN:
            bucket = first[predicate] = [] if keep(predicate) else None
        if bucket is not None and nquads is not None:
            # (terms this process's parser checked: the strict checks are not redone)
            bucket.extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True))
    return _kept(first, fmt)


def _cut(data: bytes) -> int | None:
    """Just after the first line from the middle on that ends in ``.``."""
    at = data.find(b".\n", len(data) // 2)
    return None if at < 0 else at + 2


def _prologue(
    data: bytes, fmt: ox.RdfFormat, base: str
) -> tuple[bytes, tuple[dict[str, str], str | None]] | None:
    """The input's leading lines of directives, comments and blank lines, and the
    prefixes and base they leave; None if they do not parse as nothing but that."""
    end = 0
    if fmt == ox.RdfFormat.TURTLE:
        while end < len(data):
            stop = data.find(b"\n", end)
            stop = len(data) if stop < 0 else stop + 1
            line = data[end:stop].strip().lower()
            if line and not line.startswith(_DIRECTIVES):
                break
            end = stop
    head = data[:end]
    try:
        parser = ox.parse(head, format=fmt, base_iri=base)
        if next(parser, None) is not None:
            return None
    except (SyntaxError, ValueError):
        return None
    return head, (parser.prefixes, parser.base_iri)
