"""Deciding a chunk of URLs column by column (pyarrow.compute): the chunk loop's bytes, faster.

Takes: what an Auditor (ccsig.audit.judge) takes, and chunks of URLs.
Gives: for each chunk the Chunk `Auditor.chunk` gives, byte for byte: the same records in
the same order, the same warnings in the same order, the same counts.

The common URL is plain (nothing JSON or CSV escapes, a path `request_path_at` leaves as it
is) on a site whose record is the same for all its URLs, or depends only on which of the
plain patterns of its robots.txt the path begins with (ccsig.ingest.robots.PathMatcher's
cache key). For those URLs:
- one regular expression cuts each URL where the loop cuts it: the site's part, the path;
- the site's parts are dictionary-encoded, and the loop's state of each (`Auditor._state`)
  looked up once per distinct one;
- the URLs of each path matcher (grouped by sorting) are tested against its plain patterns
  with `starts_with`, giving per URL a number whose bits say which it begins;
- each distinct (site, that number) gets its entry once, by the loop's own code;
- what was learnt (site parts and their states, keys and their entries) is kept across
  chunks as arrays (`_Known`), so a chunk's Python work is for the sites and keys it sees
  first, and the rest is index_in and take;
- each line is joined from the URL and its entry's tail, and the URLs per decision of each
  host are counted by group_by and sent as columns (Chunk.host_columns).
Every other URL (not plain, a site with no capture or with pages of its own, a path that
begins a wildcard pattern's literal start, equals an anchored pattern or is /robots.txt,
a matcher with few URLs in the chunk) goes through the loop (`Auditor.rows`), in input
order, and its line is put in its place. Warnings come only from those URLs, so they keep
their order. --changed-since, Parquet output, and headers or scan records in the sources
take the loop for every URL.

pyarrow is optional (the `parquet` extra): without it every chunk takes the loop.
tests/audit/test_columns.py holds the bytes equal to the loop's and to each URL's record
built alone. Speed: benchmarks/bench_audit.py.
"""

from __future__ import annotations

import sys
from typing import Any

from ccsig.audit.judge import (
    _CONST,
    _NOT_SITE,
    _SITE_CACHE,
    DECISIONS,
    Auditor,
    Chunk,
    unpack,
)
from ccsig.ingest.robots import _PLAIN_PATH

_MIN_URLS = 256  # fewer URLs in a chunk: the loop is as quick
_MIN_GROUP = 8  # fewer URLs of one matcher in a chunk: they take the loop
# per URL: its site's number in the chunk << _SHIFT | the plain patterns its path begins with
_SHIFT = 40
_WHICH = (1 << _SHIFT) - 1
_KNOWN = 1 << 20  # sites, or entries, the column path keeps; past it, it starts again
# the characters of a site's part (before its first "/", "?" or "#") JSON and CSV leave as
# they are; which site it names is still site_of's to say
_AUTHORITY = r"[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]%]*"


def _pattern(csv: bool) -> str:
    """A plain URL: a scheme of letters, the site's part, a `_PLAIN_PATH` path (for CSV,
    without commas, which it quotes)."""
    authority, path = _AUTHORITY, _PLAIN_PATH.pattern
    if csv:
        authority, path = authority.replace(",", ""), path.replace(",", "")
    return f"^(?P<site>[A-Za-z]+://{authority})(?P<path>{path})$"


def arrow() -> tuple[Any, Any] | None:
    """pyarrow and pyarrow.compute, or None when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    return pa, pc


def without_pandas() -> None:
    """Tell pyarrow, in a process of ccsig's own (a forked worker, a Spark executor's
    Python worker), not to import pandas: pyarrow looks for pandas on its first
    conversion of Python objects, and importing it costs each worker ~0.45 s, while the
    column path converts only lists of str and int. pyarrow looks once in Python (its
    pandas shim) and in C++ (for pandas' NA values, converting and inferring types);
    here each looking fails, a finder refusing pandas for a few conversions. What truly
    needs pandas later (Table.to_pandas) still imports it: the shim looks again. Never
    raises (a worker initializer that raises is forked again and again)."""
    if "pandas" in sys.modules:
        return  # (imported already: finding it costs nothing)
    refuse = _NoPandas()
    sys.meta_path.insert(0, refuse)
    try:
        found = arrow()
        if found is not None:
            pa = found[0]
            pa.array([0], pa.int64())
            pa.array([""], pa.large_string())
            pa.array([0])
            pa.array([""])
    except Exception:  # (an optimisation only)
        pass
    finally:
        sys.meta_path.remove(refuse)


class _NoPandas:
    """An import finder that says pandas is not there."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


class ColumnAuditor(Auditor):
    """An Auditor whose chunks are decided column by column where that gives the same."""

    def __init__(
        self, table: Any, options: Any, fmt: str, labels: list[str], *, columns: bool = True
    ) -> None:
        super().__init__(table, options, fmt, labels)
        judges = self.judges
        self._arrow: tuple[Any, Any] | None = None
        if columns and fmt in ("jsonl", "csv", "text") and len(judges) == 1:
            if not judges[0]._per_url:
                self._arrow = arrow()
        self._plain = _pattern(fmt == "csv")
        self._numbers: Any = None  # 0, 1, 2, ... (int64), sliced per chunk
        self._known: Any = None  # made on the first chunk: in the worker, not before forking

    @property
    def columnwise(self) -> bool:
        """Whether chunks (of `_MIN_URLS` URLs or more) are decided column by column."""
        return self._arrow is not None

    def chunk(self, urls: Any) -> Chunk:
        urls = urls if isinstance(urls, list) else list(urls)
        if self._arrow is None or len(urls) < _MIN_URLS:
            return super().chunk(urls)
        return self._columns(urls)

    def _columns(self, urls: list[str]) -> Chunk:
        assert self._arrow is not None
        pa, pc = self._arrow
        string = pa.large_string()
        column = pa.array(urls, string)
        parts = pc.extract_regex(column, self._plain)  # null: not plain
        encoded = pc.dictionary_encode(pc.struct_field(parts, [0]))
        paths = pc.struct_field(parts, [1])
        known = self._known
        if known is None or known.full():
            known = self._known = _Known(pa, pc)
        site = pc.take(known.sites_of(encoded.dictionary, self), encoded.indices)
        way_of = pc.fill_null(pc.take(known.ways, site), -2)  # null site: not plain
        int64 = pa.int64()
        key = pc.shift_left(pc.cast(pc.fill_null(site, 0), int64), _SHIFT)
        key = pc.if_else(pc.equal(way_of, -2), -1, key)
        if known.matchers:
            key = self._matched(pa, pc, key, way_of, paths, known.matchers)
        loop = pc.less(key, 0)
        encoded_keys = pc.dictionary_encode(key)
        key_index = encoded_keys.indices
        counted = (
            pa.table({"k": key_index, "row": self._rows_of(pa, len(urls))})
            .group_by("k", use_threads=False)
            .aggregate([("row", "min"), ("row", "count")])
        )
        in_order = pc.sort_indices(counted["k"])  # (each of 0 .. keys - 1 once)
        firsts = pc.take(counted["row_min"], in_order)
        counts = pc.take(counted["row_count"], in_order)
        number = known.entries_of(encoded_keys.dictionary, firsts, urls, self)  # null: loop
        host_columns = known.hosts(number, counts)
        decisions = [0] * len(DECISIONS)
        if host_columns is not None:
            for index, name in enumerate(DECISIONS):
                decisions[index] = pc.sum(host_columns[name]).as_py()
        warnings: list[tuple[str | None, str]] = []
        lines: list[str] = []
        hosts: dict[str, int] = {}
        if pc.any(loop).as_py():
            lines, _, _, hosts, warnings, _ = self.rows(pc.filter(column, loop).to_pylist())
            for index, count in enumerate(unpack(sum(hosts.values()))):
                decisions[index] += count
        payload: Any = None
        if self.fmt != "text":
            row_tails = pc.take(pc.take(known.tails, number), key_index)  # null: the loop's
            nothing = pa.scalar("", string)
            head: Any = pa.scalar('{"url":"', string)
            quote: Any = pa.scalar('"', string)
            if lines:  # the loop's lines in the URLs' place, with nothing around them
                column = pc.replace_with_mask(column, loop, pa.array(lines, string))
                head, quote = pc.if_else(loop, nothing, head), pc.if_else(loop, nothing, quote)
            parts = [head, column, quote, row_tails] if self.fmt == "jsonl" else [column, row_tails]
            joined = pc.binary_join_element_wise(
                *parts, nothing, null_handling="replace", null_replacement=""
            )
            payload = _joined_bytes(joined)
        return Chunk(payload, decisions, 0, hosts, warnings, host_columns)

    def _matched(
        self, pa: Any, pc: Any, key: Any, way_of: Any, paths: Any, matchers: list[Any]
    ) -> Any:
        """`key` with, for each URL of a matcher, the bits of the plain patterns its path
        begins with (-1: the loop's, as the matcher would not use its cache for it)."""
        int64 = pa.int64()
        order = pc.sort_indices(way_of)  # stable: by matcher, in input order within one
        sizes = {row["values"]: row["counts"] for row in pc.value_counts(way_of).to_pylist()}
        pieces: list[Any] = []
        start = 0
        for way in sorted(sizes):
            size = sizes[way]
            rows = order.slice(start, size)
            start += size
            piece = pc.take(key, rows)
            if way >= 0:
                plain, exact, wild = matchers[way].patterns()
                if size < _MIN_GROUP or len(plain) > _SHIFT:
                    piece = pa.nulls(size, int64)
                else:
                    piece = self._which(pa, pc, piece, pc.take(paths, rows), plain, exact, wild)
            pieces.append(piece)
        in_order = pa.concat_arrays(pieces)
        return pc.fill_null(pc.take(in_order, pc.sort_indices(order)), -1)

    @staticmethod
    def _which(
        pa: Any,
        pc: Any,
        key: Any,
        paths: Any,
        plain: tuple[str, ...],
        exact: frozenset[str],
        wild: tuple[str, ...],
    ) -> Any:
        """PathMatcher.match_path's cache key, as bits (null where it matches in full or
        the key holds more than the plain patterns)."""
        int64 = pa.int64()
        apart = pc.or_(pc.equal(paths, "/robots.txt"), pc.starts_with(paths, "/robots.txt?"))
        if exact:
            listed = pa.array(sorted(exact), pa.large_string())
            apart = pc.or_(apart, pc.is_in(paths, value_set=listed))
        for first in wild:
            apart = pc.or_(apart, pc.starts_with(paths, first))
        for bit, text in enumerate(plain):
            begins = pc.shift_left(pc.cast(pc.starts_with(paths, text), int64), bit)
            key = pc.bit_wise_or(key, begins)
        return pc.if_else(apart, pa.scalar(None, int64), key)

    def _entry_by(self, state: list[Any], url: str, cut: int, which: int) -> Any:
        """The entry of a plain URL of a site (`cut`: where its path starts) whose path
        begins the plain patterns `which` says: as the chunk loop finds it, and kept."""
        if state[3] is None:  # one entry for all the site's URLs
            entry = state[2]
            if entry is None:
                entry, found = self.entry(url, state[0], _CONST)
                assert not found  # (robots.txt alone: no warnings, ccsig.audit.judge)
                self._learn(state, _CONST, entry)
            return entry
        by_which = state[6]
        entry = by_which.get(which)
        if entry is None:
            number = state[3](url[cut:])[0]
            assert number  # (no wildcard pattern begins this path)
            entry = state[4].get(number)
            if entry is None:
                entry, found = self.entry(url, state[0], number)
                assert not found
                self._learn(state, number, entry)
            if len(by_which) >= _SITE_CACHE:
                by_which.clear()
            by_which[which] = entry
        return entry

    def _rows_of(self, pa: Any, count: int) -> Any:
        """0, 1, ..., count - 1."""
        if self._numbers is None or len(self._numbers) < count:
            self._numbers = pa.array(range(max(count, 65536)), pa.int64())
        return self._numbers.slice(0, count)


class _Known:
    """What the column path learnt, kept across chunks as arrays: each site's part seen
    (its number, its loop state, how its URLs go) and each (site, patterns begun) key's
    entry (its tail, decision, host). A chunk's Python work is then for what it sees
    first, not for every distinct site in it."""

    def __init__(self, pa: Any, pc: Any) -> None:
        self.pa, self.pc = pa, pc
        self.names: list[str] = []  # by site number: the site's part of the URL
        self.states: list[Any] = []  # by site number: Auditor._state
        self._ways: list[int] = []  # -2 the loop, -1 one entry for all, g >= 0 matcher g
        self._shares: list[Any] = []  # Auditor.shares of the site
        self._matched: dict[tuple[int, int], Any] = {}  # (matcher g, patterns begun) -> match
        self.matchers: list[Any] = []
        self._numbered: dict[int, int] = {}  # id(matcher) -> g
        self.entries = 0  # entries kept (in the arrays below)
        self.keys_array: Any = None  # by entry number: its key, tail, decision, host's number
        self.tails: Any = None
        self.decisions: Any = None
        self.host_of: Any = None
        # the entries not yet in the arrays, by entry number from `entries`: the key (site
        # number << _SHIFT | which), the tail, the decision, the host's number
        self._keys: list[int] = []
        self._tails: list[str] = []
        self._decisions: list[int] = []
        self._host_of: list[int] = []
        self._hosts: dict[str, int] = {}
        self._host_names: list[str] = []
        self._sync_sites()
        self._sync_entries(0)

    def full(self) -> bool:
        return len(self.names) >= _KNOWN or self.entries >= _KNOWN

    def sites_of(self, names: Any, auditor: Any) -> Any:
        """The site number of each of a chunk's distinct site parts (int32)."""
        pa, pc = self.pa, self.pc
        numbers = pc.index_in(names, value_set=self.names_array)
        new = pc.is_null(numbers)
        if not pc.any(new).as_py():
            return numbers
        first = len(self.names)
        for name in pc.filter(names, new).to_pylist():
            self._add_site(name, auditor)
        self._sync_sites()
        added = pa.array(range(first, len(self.names)), pa.int32())
        return pc.replace_with_mask(numbers, new, added)

    def _add_site(self, name: str, auditor: Any) -> None:
        state = auditor._authorities.get(name)
        if state is None:
            state = auditor._state(name, name)
        if state is _NOT_SITE:
            way = -2
        elif state[3] is not None:
            matcher = state[3].__self__
            way = self._numbered.get(id(matcher), -3)
            if way == -3:
                way = self._numbered[id(matcher)] = len(self.matchers)
                self.matchers.append(matcher)
        else:
            way = -1 if state[5] else -2
        self.names.append(name)
        self.states.append(state)
        self._ways.append(way)
        self._shares.append(None if way == -2 else auditor.shares(state[0]))

    def _sync_sites(self) -> None:
        pa = self.pa
        self.names_array = pa.array(self.names, pa.large_string())
        self.ways = pa.array(self._ways, pa.int32())

    def entries_of(self, keys: Any, firsts: Any, urls: list[str], auditor: Any) -> Any:
        """The entry number of each of a chunk's distinct keys (int32; null: the loop's),
        building the entries of keys not seen before from their first URL (`firsts`)."""
        pa, pc = self.pa, self.pc
        numbers = pc.index_in(keys, value_set=self.keys_array)
        new = pc.and_(pc.is_null(numbers), pc.greater_equal(keys, 0))
        if not pc.any(new).as_py():
            return numbers
        first = self.entries
        names, states, ways, shares = self.names, self.states, self._ways, self._shares
        matched = self._matched
        template = auditor.template
        for value, row in zip(
            pc.filter(keys, new).to_pylist(), pc.filter(firsts, new).to_pylist(), strict=True
        ):
            site = value >> _SHIFT
            state = states[site]
            which = value & _WHICH
            found = None
            share = shares[site]
            if share is not None:  # the encoding shared with sites alike, if made yet
                way = ways[site]
                if way == -1:
                    found = template(_CONST, share[1])
                else:  # the match of the patterns begun, the same for the matcher's sites
                    match = matched.get((way, which))
                    if match is None:
                        url = urls[row]
                        match = matched[way, which] = state[3](url[len(names[site]) :])[0]
                    if match:  # (0: a wildcard rule, matched in full)
                        found = template(match, share[1])
            if found is not None:
                tail, decision = share[0].join(found[0]), found[1]
            else:
                entry = auditor._entry_by(state, urls[row], len(names[site]), which)
                tail = entry.tail if isinstance(entry.tail, str) else ""  # (text: none)
                decision = entry.decision
            host = state[1]
            number = self._hosts.get(host)
            if number is None:
                number = self._hosts[host] = len(self._host_names)
                self._host_names.append(host)
            self._keys.append(value)
            self._tails.append(tail)
            self._decisions.append(decision)
            self._host_of.append(number)
        self._sync_entries(first)
        added = pa.array(range(first, self.entries), pa.int32())
        return pc.replace_with_mask(numbers, new, added)

    def _sync_entries(self, first: int) -> None:
        """The entries not yet in the arrays added to them (`first`: 0, the arrays begin)."""
        pa = self.pa
        columns: list[tuple[list[Any], Any]] = [
            (self._keys, pa.int64()),
            (self._tails, pa.large_string()),
            (self._decisions, pa.int8()),
            (self._host_of, pa.int32()),
        ]
        arrays = [pa.array(values, kind) for values, kind in columns]
        if first:
            old = [self.keys_array, self.tails, self.decisions, self.host_of]
            arrays = [pa.concat_arrays([a, b]) for a, b in zip(old, arrays, strict=True)]
        self.keys_array, self.tails, self.decisions, self.host_of = arrays
        self.entries += len(self._keys)
        for values, _ in columns:
            values.clear()
        self.host_names = pa.array(self._host_names, pa.large_string())

    def hosts(self, numbers: Any, counts: Any) -> Any:
        """Per host, the URLs of each decision (Chunk.host_columns) of a chunk's distinct
        keys with entries (`numbers`) and their URLs (`counts`); None: there are none."""
        pa, pc = self.pa, self.pc
        valid = pc.is_valid(numbers)
        numbers, counts = pc.filter(numbers, valid), pc.filter(counts, valid)
        if not len(numbers):
            return None
        decisions = pc.take(self.decisions, numbers)
        columns = {"host": pc.take(self.host_of, numbers)}
        for index in range(len(DECISIONS)):
            columns[DECISIONS[index]] = pc.if_else(pc.equal(decisions, index), counts, 0)
        summed = (
            pa.table(columns)
            .group_by("host", use_threads=False)
            .aggregate([(name, "sum") for name in DECISIONS])
        )
        return pa.table(
            [pc.take(self.host_names, summed["host"])]
            + [summed[f"{name}_sum"] for name in DECISIONS],
            names=["host", *DECISIONS],
        )


def _joined_bytes(joined: Any) -> bytes:
    """The values of a large_string array without nulls, one after another, as bytes."""
    _, offsets, data = joined.buffers()
    ends = memoryview(offsets).cast("q")  # (int64 offsets)
    start, end = ends[joined.offset], ends[joined.offset + len(joined)]
    return data[start:end].to_pybytes() if end > start else b""
