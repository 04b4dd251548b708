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

from ccsig.audit.judge import DECISIONS, Chunk, unpack
from ccsig.audit.table import stamp_of

_DISALLOWED = DECISIONS.index("disallowed")


class Tally:
    """What the summary says, added up chunk by chunk (hosts bounded by the table's)."""

    def __init__(self, since: datetime | None = None) -> None:
        self.decisions = [0, 0, 0]
        self.changed = 0
        self.hosts: dict[str, int] = {}  # host -> URLs per decision, packed
        self.skipped = 0  # warnings about URLs audited as unknown, or skipped
        self.since = since
        self._warned: set[str] = set()

    def add(self, chunk: Chunk, warn: Any) -> None:
        for index in range(3):
            self.decisions[index] += chunk.decisions[index]
        self.changed += chunk.changed
        hosts = self.hosts
        get = hosts.get
        for host, counts in chunk.hosts.items():
            hosts[host] = get(host, 0) + counts  # (packed: judge.unpack)
        for about, message in chunk.warnings:
            if about is not None:
                if about in self._warned:
                    continue
                self._warned.add(about)
            self.skipped += 1
            warn(message)

    def summary(self, top: int = 10) -> dict[str, Any]:
        ranked = sorted(
            ((unpack(counts)[_DISALLOWED], host) for host, counts in self.hosts.items() if host),
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
            {"host": host, "urls": sum(unpack(self.hosts[host])),
             **dict(zip(DECISIONS, unpack(self.hosts[host]), strict=True))}
            for count, host in ranked[:top]
            if count
        ]  # fmt: skip
        return out
