"""The summary of an audit, added up chunk by chunk: counts per decision, changed
decisions, and the hosts that account for most disallowed URLs.

Takes: the chunks of ccsig.audit.judge, from any engine, in any number.
Gives: the summary record (``{"urls", "decisions", ["changed", "since"], "top_hosts"}``),
and the warnings of the chunks passed on once (once per host for a host without a
capture); memory holds a few counters per host.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from ccsig.audit.judge import DECISIONS, Chunk, unpack, with_columns
from ccsig.audit.table import stamp_of

_DISALLOWED = DECISIONS.index("disallowed")
_COMPACT = 1 << 18  # rows of host columns kept before they are added up


def _numbers(np: Any, array: Any) -> Any:
    """The values of an int32 or int64 pyarrow array without nulls, as a numpy view
    (Array.to_numpy would import pandas)."""
    kind = np.int64 if array.type.bit_width == 64 else np.int32
    data = array.buffers()[1]
    if data is None:
        return np.zeros(0, kind)
    return np.frombuffer(data, kind, count=len(array), offset=array.offset * kind().itemsize)


class Tally:
    """What the summary says, added up chunk by chunk (hosts bounded by the table's)."""

    def __init__(self, since: datetime | None = None) -> None:
        self.decisions = [0, 0, 0]
        self.changed = 0
        self.hosts: dict[str, int] = {}  # host -> URLs per decision, packed
        self.skipped = 0  # warnings about URLs audited as unknown, or skipped
        self.since = since
        self._warned: set[str] = set()
        self._columns: list[Any] = []  # chunks' host_columns, added up now and then
        self._rows = 0  # in _columns
        self._compacted = 0  # rows of _columns[0] after the last adding up
        self._summary: tuple[int, dict[str, Any]] | None = None  # (top, summary) until `add`

    def add(self, chunk: Chunk, warn: Any) -> None:
        self._summary = None
        for index in range(3):
            self.decisions[index] += chunk.decisions[index]
        self.changed += chunk.changed
        hosts = self.hosts
        get = hosts.get
        for host, counts in chunk.hosts.items():
            hosts[host] = get(host, 0) + counts  # (packed: judge.unpack)
        if chunk.host_columns is not None:
            self._columns.append(chunk.host_columns)
            self._rows += chunk.host_columns.num_rows
            if self._rows > max(_COMPACT, 2 * self._compacted):
                self._compact()
        for about, message in chunk.warnings:
            if about is not None:
                if about in self._warned:
                    continue
                self._warned.add(about)
            self.skipped += 1
            warn(message)

    def _compact(self) -> None:
        """The host columns added up into one table: a row per host. By numpy, not
        pyarrow's group_by: that imports pyarrow.dataset and, through it, pandas (half a
        second, in the process that writes, while the workers wait for it)."""
        import numpy as np
        import pyarrow as pa  # (the chunks' host_columns are pyarrow tables)
        import pyarrow.compute as pc

        table = pa.concat_tables(self._columns).combine_chunks()
        rows = table.num_rows
        hosts = table["host"].chunk(0) if rows else table["host"].combine_chunks()
        encoded = pc.dictionary_encode(hosts)
        where = _numbers(np, encoded.indices)
        size = len(encoded.dictionary)
        sums: list[Any] = [encoded.dictionary]
        for name in DECISIONS:
            summed = np.zeros(size, np.int64)
            if rows:
                np.add.at(summed, where, _numbers(np, table[name].chunk(0)))
            sums.append(pa.Array.from_buffers(pa.int64(), size, [None, pa.py_buffer(summed)]))
        table = pa.table(sums, names=["host", *DECISIONS])
        self._columns = [table]
        self._rows = self._compacted = table.num_rows

    def per_host(self) -> dict[str, int]:
        """Per host, the URLs of each decision so far, packed (judge.unpack)."""
        if not self._columns:
            return self.hosts
        self._compact()
        folded = with_columns(self.hosts, self._columns[0])
        self.hosts, self._columns, self._rows, self._compacted = folded, [], 0, 0
        return folded

    def summary(self, top: int = 10) -> dict[str, Any]:
        """The summary record of what was added so far (made once: the trailer of the
        output and the result both ask)."""
        if self._summary is not None and self._summary[0] == top:
            return copy.deepcopy(self._summary[1])
        made = self._made(top)
        self._summary = (top, made)
        return copy.deepcopy(made)

    def _made(self, top: int) -> dict[str, Any]:
        hosts = self.per_host()
        ranked = sorted(
            ((unpack(counts)[_DISALLOWED], host) for host, counts in hosts.items() if host),
            key=lambda item: (-item[0], item[1]),
        )
        out: dict[str, Any] = {
            "urls": sum(self.decisions),
            "decisions": dict(zip(DECISIONS, self.decisions, strict=True)),
        }
        if self.since is not None:
            out["changed"] = self.changed
            out["since"] = stamp_of(self.since)
        out["top_hosts"] = [
            {"host": host, "urls": sum(unpack(hosts[host])),
             **dict(zip(DECISIONS, unpack(hosts[host]), strict=True))}
            for count, host in ranked[:top]
            if count
        ]  # fmt: skip
        return out
