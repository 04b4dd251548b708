"""The summary of an audit, added up chunk by chunk: counts per decision, changed
decisions, and the hosts that account for most disallowed URLs.

Takes: the chunks of ccsig.audit.judge, from any engine, in any number.
Gives: the summary record (``{"urls", "decisions", ["changed", "since"], "top_hosts"}``),
and the warnings of the chunks passed on once (once per host for a host without a
capture); memory holds a few counters per host.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ccsig.audit.judge import DECISIONS, Chunk, unpack, with_columns
from ccsig.audit.table import stamp_of

_DISALLOWED = DECISIONS.index("disallowed")
_COMPACT = 1 << 18  # rows of host columns kept before they are added up


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

    def add(self, chunk: Chunk, warn: Any) -> None:
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
        """The host columns added up into one table: a row per host."""
        import pyarrow as pa  # (the chunks' host_columns are pyarrow tables)

        summed = (
            pa.concat_tables(self._columns)
            .group_by("host", use_threads=False)
            .aggregate([(name, "sum") for name in DECISIONS])
        )
        table = pa.table(
            [summed["host"]] + [summed[f"{name}_sum"] for name in DECISIONS],
            names=["host", *DECISIONS],
        )
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
