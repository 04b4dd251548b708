"""Read an RDF input once, keeping only the triples whose predicate can matter.

Takes: an input's bytes and format (from `ccsig.ingest.readers.read_input`), the path it
came from, a test of predicates, and optionally a summary to make of what is kept.
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
rather than assumed (see `_in_two`); when it does not hold, or either half does not
parse, the input is read whole in this process, which names the error where it is.
Each half makes its own summary of what it kept (the caller's, e.g. an ordinary
catalog's types and contentUsage values as text), in its own process. The second
half's quads cross as N-Quads, parsed again only if the caller asks for them, and
only if either half's summary is None (the caller asked for none, or a part is not
what it summarises): an ordinary catalog's caller decides from the summaries alone,
and writing the quads cost the other process 0.06-0.09 s of 1.2 at 1.2 M triples.
Then `Kept.whole` is false, and a caller that needs the quads after all reads again
without a summary.
"""

from __future__ import annotations

import io
import marshal
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import pyoxigraph as ox

from ccsig.ingest.blank_nodes import may_hold_blank_nodes
from ccsig.ingest.readers import parse_quads, syntax_errors
from ccsig.ingest.urls import base_iri_for

Buckets = dict[ox.NamedNode, list[ox.Quad] | None]  # predicate -> its quads; None: dropped
Summary = Callable[[Buckets], Any]  # of one part's buckets; marshal-able, it may cross processes
Sent = list[tuple[str, bytes | None]]  # a part read elsewhere: (predicate, N-Quads or None)


@dataclass
class Kept:
    """What one reading kept, by predicate, and which predicates it left out."""

    predicates: list[ox.NamedNode]  # those kept, in reading order
    dropped: set[ox.NamedNode]
    named_graphs: bool  # the format can hold named graphs (so a kept quad may be in one)
    summaries: list[Any] = field(default_factory=list)  # each part's summary, in order
    parts: list[Buckets | Sent] = field(default_factory=list, repr=False)
    _quads: dict[ox.NamedNode, list[ox.Quad]] | None = field(default=None, repr=False)
    whole: bool = True  # false: a part's quads were summarised only, not sent here

    @property
    def by_predicate(self) -> dict[ox.NamedNode, list[ox.Quad]]:
        """The kept quads by predicate (a part read in another process is parsed now).
        Only of a `whole` reading: the caller reads again otherwise."""
        if not self.whole:
            raise ValueError("the quads of a part read elsewhere were not sent")
        if self._quads is None:
            quads: dict[ox.NamedNode, list[ox.Quad]] = {p: [] for p in self.predicates}
            for part in self.parts:
                if isinstance(part, dict):
                    for p, b in part.items():
                        if b is not None:
                            quads[p] += b
                    continue
                for iri, nquads in part:
                    if nquads is not None:
                        # (terms the other process's parser checked: not checked again)
                        parsed = ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
                        quads[ox.NamedNode(iri)] += parsed
            self._quads, self.parts = quads, []
        return self._quads

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
    summary: Summary | None = None,
) -> Kept:
    """The quads of `data` whose predicate `keep` accepts. Blank nodes are labelled as
    every reader labels them (ccsig.ingest.blank_nodes, from all of the node's quads, so
    an input that may hold one is parsed whole first); none is in `taken`, the labels of
    the inputs read before, to which they are added. `summary`, if given, is made of
    each part read (the whole, or each half) and kept in `Kept.summaries`."""
    base = base_iri_for(path)
    blank = may_hold_blank_nodes(data, fmt)
    if not blank and len(data) >= SPLIT_AT_LEAST and fmt in _SPLITTABLE and _CAN_FORK and _alone():
        halves = _in_two(data, fmt, keep, base, summary)
        if halves is not None:
            return halves
    with syntax_errors(path):
        quads: Iterable[ox.Quad]
        if blank:
            quads = parse_quads(path, data, fmt, base, taken)
        else:
            quads = ox.parse(data, format=fmt, base_iri=base)
        buckets = _sorted(quads, keep)
    summaries = [] if summary is None else [summary(buckets)]
    return _kept([buckets], [(p, b is not None) for p, b in buckets.items()], fmt, summaries)


def _alone() -> bool:
    """Whether this process runs one thread only: forking one with threads is not safe."""
    return threading.active_count() == 1


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


def _kept(
    parts: list[Buckets | Sent],
    seen: Iterable[tuple[ox.NamedNode, bool]],
    fmt: ox.RdfFormat,
    summaries: list[Any],
    whole: bool = True,
) -> Kept:
    """A `Kept` of the parts read, given every predicate seen and whether it was kept."""
    predicates: dict[ox.NamedNode, bool] = {}
    for p, kept in seen:
        predicates.setdefault(p, kept)
    return Kept(
        [p for p, kept in predicates.items() if kept],
        {p for p, kept in predicates.items() if not kept},
        fmt.supports_datasets,
        summaries,
        parts,
        whole=whole,
    )


_UNSEEN: list[ox.Quad] = []

# ---------------------------------------------------------------- two halves at once

# Below this many bytes forking costs more than half a parse saves (tests lower it).
SPLIT_AT_LEAST = 8 * 1024 * 1024
# The share this process reads: the other also writes what it kept, which this one reads.
FIRST_SHARE = 0.53
_SPLITTABLE = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
_CAN_FORK = hasattr(os, "fork") and (os.cpu_count() or 1) > 1
_STOPS = {signal.SIGINT, signal.SIGTERM}
_DIRECTIVES = (b"@prefix", b"@base", b"prefix", b"base", b"#")


def _in_two(
    data: bytes,
    fmt: ox.RdfFormat,
    keep: Callable[[ox.NamedNode], bool],
    base: str,
    summary: Summary | None = None,
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
    read, write = os.pipe()  # the other process's answer
    ask, asked = os.pipe()  # and whether to send its quads after all (see _second_half)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for end in (read, write, ask, asked):
            os.close(end)
        return None
    if pid == 0:  # pragma: no cover (the forked half; its answer is tested)
        os.close(read)
        os.close(asked)
        half = _reader(head, memoryview(data)[cut:])
        _second_half(write, ask, half, fmt, keep, base, summary)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write)
    os.close(ask)
    reaped = False
    try:
        try:
            parser = ox.parse(_reader(memoryview(data)[:cut]), format=fmt, base_iri=base)
            first = _sorted(parser, keep)
            same = (parser.prefixes, parser.base_iri) == state
        except (SyntaxError, ValueError, OSError):
            return None
        if not same:
            return None  # (the other process is stopped below)
        mine = None if summary is None else summary(first)
        with os.fdopen(read, "rb") as pipe, os.fdopen(asked, "wb") as reply:
            read = asked = -1
            answer = _message(pipe)
            if answer is None:
                return None
            seen, theirs, nquads = answer
            whole = nquads is not None or mine is None
            if nquads is None and whole:
                reply.write(b"1")
                reply.close()
                nquads = _message(pipe)
                if nquads is None:
                    return None  # pragma: no cover (the other process ended early)
        os.waitpid(pid, 0)
        reaped = True
        sent: Sent = [(iri, None) for iri, _ in seen]
        if nquads is not None:
            sent = list(zip((iri for iri, _ in seen), nquads, strict=True))
        kept = [(p, b is not None) for p, b in first.items()]
        kept += [(ox.NamedNode(iri), k) for iri, k in seen]
        summaries = [] if summary is None else [mine, theirs]
        return _kept([first, sent], kept, fmt, summaries, whole)
    finally:
        for end in (read, asked):
            if end >= 0:
                os.close(end)
        if not reaped:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _message(pipe: IO[bytes]) -> Any:
    """One marshalled message from the other process (8 bytes of length first), or None
    if it ended without one (its half did not parse)."""
    size = pipe.read(8)
    if len(size) < 8:
        return None
    body = pipe.read(int.from_bytes(size, "little"))
    return marshal.loads(body)


def _send(pipe: IO[bytes], value: Any) -> None:  # pragma: no cover (the forked process)
    body = marshal.dumps(value)
    pipe.write(len(body).to_bytes(8, "little"))
    pipe.write(body)
    pipe.flush()


def _second_half(
    out: int,
    ask: int,
    data: IO[bytes],
    fmt: ox.RdfFormat,
    keep: Callable[[ox.NamedNode], bool],
    base: str,
    summary: Summary | None,
) -> None:  # pragma: no cover (runs in the forked process)
    """Parse, keep, and write to `out` the predicates seen (each with whether it was
    kept), the summary, and the kept quads (N-Quads, by predicate) unless the summary is
    made: then those only if the other process asks on `ask` (its own half's summary is
    None). Nothing if the half does not parse. Never returns."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops this process
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
        with os.fdopen(out, "wb") as pipe, os.fdopen(ask, "rb") as asked:
            try:
                buckets = _sorted(ox.parse(data, format=fmt, base_iri=base), keep)
            except (SyntaxError, ValueError, OSError):
                return
            made = None if summary is None else summary(buckets)
            seen = [(p.value, b is not None) for p, b in buckets.items()]

            def nquads() -> list[bytes | None]:
                return [
                    None if b is None else ox.serialize(b, format=ox.RdfFormat.N_QUADS)
                    for b in buckets.values()
                ]

            if made is None:
                _send(pipe, (seen, made, nquads()))
                return
            _send(pipe, (seen, made, None))
            if asked.read(1):
                _send(pipe, nquads())
    finally:
        os._exit(0)


class _Views(io.RawIOBase):
    """Bytes read from views of the input, in order, without copying them first (a
    half of a 10-million-triple catalog is 235 MB)."""

    def __init__(self, views: Sequence[bytes | memoryview]) -> None:
        self._views = [memoryview(v) for v in views]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._views and not len(self._views[0]):
            self._views.pop(0)
        if not self._views:
            return 0
        view = self._views[0]
        n = min(len(buffer), len(view))
        buffer[:n] = view[:n]
        self._views[0] = view[n:]
        return n


def _reader(*views: bytes | memoryview) -> IO[bytes]:
    return io.BufferedReader(_Views(views), 1 << 20)


def _cut(data: bytes) -> int | None:
    """Just after the first line from `FIRST_SHARE` of the input on that ends in ``.``."""
    at = data.find(b".\n", int(len(data) * FIRST_SHARE))
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
