"""ccsig.scan.records: the policy table of a scan holds what the input holds."""

from __future__ import annotations

import pickle
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from ccsig.ingest.robots import SIZE_LIMIT
from ccsig.ingest.warc import read_responses
from ccsig.scan.local import Scan
from ccsig.scan.records import Policies, ScanOptions
from tests.helpers.warc import http, member


def _large_robots(n: int) -> bytes:
    rules = b"".join(
        b"Disallow: /p%d/*x\nContent-Usage: /q%d/ train-ai=n\n" % (i, i) for i in range(n)
    )
    return b"User-agent: *\n" + rules


def test_many_hosts_with_large_robots_txt_stay_within_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: the parsed robots.txt of every host was kept (~16.5 MB each)
    robots = _large_robots(4000)  # ~190 KB, ~5 MB parsed
    hosts = [f"https://h{i}.example" for i in range(12)]
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        b"".join(member(h + "/robots.txt", http("200 OK", [], robots)) for h in hosts)
        + b"".join(member(h + "/q7/page", http("200 OK", [])) for h in hosts)
    )
    monkeypatch.setattr(Policies, "PARSED_BUDGET", 2 * len(robots))
    tracemalloc.start()
    try:
        job = Scan([str(warc)], ScanOptions(), jobs=1)
        records = list(job.records())
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [r["preferences"]["train-ai"] for r in records] == ["disallow"] * 12
    # the bytes of 12 files and at most a few parsed, not 12 parsed (60 MB)
    assert held < 25_000_000


def test_a_robots_txt_capture_is_kept_to_the_limit(tmp_path: Path) -> None:
    body = b"User-agent: *\nDisallow: /a\n" + b"# filler\n" * 200_000  # 1.8 MB
    warc = tmp_path / "r.warc.gz"
    warc.write_bytes(member("https://a.example/robots.txt", http("200 OK", [], body)))
    (response,) = read_responses(str(warc))
    assert response.body is not None and len(response.body) == SIZE_LIMIT + 1
    assert response.body_size == len(body)
    warnings: list[str] = []
    job = Scan([str(warc)], ScanOptions(), warn=lambda p, o, m: warnings.append(m), jobs=1)
    job.collect()
    assert warnings == [
        f"https://a.example/robots.txt: robots.txt is {len(body)} bytes: only the first "
        f"{SIZE_LIMIT} bytes (500 KiB) were parsed, the rest was ignored"
    ]
    assert job.policies.robots["https://a.example"] == response.body  # bytes, not parsed


def test_policies_pickle_without_their_parsed_forms() -> None:
    policies = Policies()
    policies.apply("https://a.example", "robots", b"User-agent: *\nDisallow: /\n")
    assert policies.robots_of("https://a.example") is not None
    copy = pickle.loads(pickle.dumps(policies))
    assert copy.robots == policies.robots and copy._parsed == {}
    robots = copy.robots_of("https://a.example")
    assert robots is not None and robots.groups[0].rules[0].value == "/"


def test_a_robots_txt_within_the_budget_is_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ccsig.scan.records as records

    calls: list[str | None] = []
    real = records.parse_robots

    def counted(data: bytes | str, location: str | None = None, size: int | None = None) -> Any:
        calls.append(location)
        return real(data, location, size)

    monkeypatch.setattr(records, "parse_robots", counted)
    warc = tmp_path / "w.warc.gz"
    warc.write_bytes(
        member("https://a.example/robots.txt", http("200 OK", [], b"User-agent: *\nDisallow: /\n"))
        + member("https://a.example/p", http("200 OK", []))
        + member("https://a.example/q", http("200 OK", []))
    )
    records_ = list(Scan([str(warc)], ScanOptions(), jobs=1).records())
    assert [r["crawl"] for r in records_] == [False, False]
    assert calls == ["https://a.example/robots.txt"]


def test_the_budget_counts_a_replaced_robots_txt_once() -> None:
    policies = Policies()
    site = "https://a.example"
    for body in (b"User-agent: *\nDisallow: /a\n", b"User-agent: *\nDisallow: /bb\n"):
        policies.apply(site, "robots", body)
        assert policies.robots_of(site) is not None
    assert policies._parsed_bytes == len(b"User-agent: *\nDisallow: /bb\n")
    policies.apply(site, "robots", None)
    assert policies.robots_of(site) is None and policies._parsed_bytes == 0
