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
- each distinct (site, that number) gets its entry once, by the loop's own code, and keeps
  it, per site, for the next chunks;
- each line is joined from the URL and its entry's tail, and a group_by counts per entry.
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

from typing import Any

from ccsig.audit.judge import _CONST, _NOT_SITE, _ONE, _SITE_CACHE, Auditor, Chunk, unpack
from ccsig.ingest.robots import _PLAIN_PATH

_MIN_URLS = 256  # fewer URLs in a chunk: the loop is as quick
_MIN_GROUP = 8  # fewer URLs of one matcher in a chunk: they take the loop
# per URL: its site's number in the chunk << _SHIFT | the plain patterns its path begins with
_SHIFT = 40
_WHICH = (1 << _SHIFT) - 1
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
        names: list[str] = encoded.dictionary.to_pylist()
        # per distinct site's part: its state, and how its URLs go: -2 the loop, -1 one
        # entry for all, g >= 0 by the plain patterns of matcher g
        states: list[Any] = []
        ways: list[int] = []
        matchers: list[Any] = []
        numbered: dict[int, int] = {}
        authorities = self._authorities
        for name in names:
            state = authorities.get(name)
            if state is None:
                state = self._state(name, name)
            states.append(state)
            if state is _NOT_SITE:
                ways.append(-2)
            elif state[3] is not None:
                matcher = state[3].__self__
                way = numbered.get(id(matcher))
                if way is None:
                    way = numbered[id(matcher)] = len(matchers)
                    matchers.append(matcher)
                ways.append(way)
            else:
                ways.append(-1 if state[5] else -2)
        index = encoded.indices
        int64 = pa.int64()
        way_of = pc.fill_null(pc.take(pa.array(ways, pa.int32()), index), -2)
        key = pc.shift_left(pc.cast(pc.fill_null(index, 0), int64), _SHIFT)
        key = pc.if_else(pc.equal(way_of, -2), -1, key)
        if matchers:
            key = self._matched(pa, pc, key, way_of, paths, matchers)
        loop = pc.less(key, 0)
        encoded_keys = pc.dictionary_encode(key)
        keys: list[int] = encoded_keys.dictionary.to_pylist()
        key_index = encoded_keys.indices
        counted = (
            pa.table({"k": key_index, "row": self._rows_of(pa, len(urls))})
            .group_by("k", use_threads=False)
            .aggregate([("row", "min"), ("row", "count")])
        )
        tails: list[Any] = [None] * len(keys)
        hosts: dict[str, int] = {}
        for number, first, count in zip(
            counted["k"].to_pylist(),
            counted["row_min"].to_pylist(),
            counted["row_count"].to_pylist(),
            strict=True,
        ):
            value = keys[number]
            if value < 0:
                continue  # the loop's URLs
            site = value >> _SHIFT
            entry = self._entry_by(states[site], urls[first], len(names[site]), value & _WHICH)
            tails[number] = entry.tail
            host = states[site][1]
            hosts[host] = hosts.get(host, 0) + count * _ONE[entry.decision]
        warnings: list[tuple[str | None, str]] = []
        lines: list[str] = []
        if pc.any(loop).as_py():
            lines, _, _, found, warnings, _ = self.rows(pc.filter(column, loop).to_pylist())
            for host, counts in found.items():
                hosts[host] = hosts.get(host, 0) + counts
        payload: Any = None
        if self.fmt != "text":
            row_tails = pc.take(pa.array(tails, string), key_index)  # null: the loop's
            nothing = pa.scalar("", string)
            if self.fmt == "jsonl":
                head, quote = pa.scalar('{"url":"', string), pa.scalar('"', string)
                joined = pc.binary_join_element_wise(head, column, quote, row_tails, nothing)
            else:
                joined = pc.binary_join_element_wise(column, row_tails, nothing)
            if lines:
                joined = pc.replace_with_mask(joined, loop, pa.array(lines, string))
            payload = _joined_bytes(joined)
        return Chunk(payload, unpack(sum(hosts.values())), 0, hosts, warnings)

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


def _joined_bytes(joined: Any) -> bytes:
    """The values of a large_string array without nulls, one after another, as bytes."""
    _, offsets, data = joined.buffers()
    ends = memoryview(offsets).cast("q")  # (int64 offsets)
    start, end = ends[joined.offset], ends[joined.offset + len(joined)]
    return data[start:end].to_pybytes() if end > start else b""
