"""The policy table: which capture governs at which point in time, from which source."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ccsig.audit.run import audit_records, build_table, options_of
from ccsig.audit.table import MTIME, parse_date
from ccsig.errors import CcsigError
from tests.helpers.warc import http, member

OLD = b"User-agent: *\nContent-Usage: train-ai=y\n"
NEW = b"User-agent: *\nContent-Usage: train-ai=n\n"


def robots_warc(path: Path, captures: list[tuple[str, str, bytes]]) -> Path:
    """(site, WARC-Date, robots.txt body) captures, in this order."""
    path.write_bytes(
        b"".join(
            member(f"{site}/robots.txt", http("200 OK", ["Content-Type: text/plain"], body), date)
            for site, date, body in captures
        )
    )
    return path


def decisions(
    sources: list[Path], urls: list[str], warnings: list[str] | None = None, **options: str
) -> list[dict[str, object]]:
    chosen = options_of("train-genai", (), "*", None, options.get("at"), options.get("since"))
    sink = warnings if warnings is not None else []
    table = build_table([str(s) for s in sources], chosen, sink.append)
    return list(audit_records(urls, table, chosen))


def test_the_latest_capture_governs_whatever_the_input_order(tmp_path: Path) -> None:
    warc = robots_warc(
        tmp_path / "r.warc.gz",
        [("https://a.example", "2026-06-01T00:00:00Z", NEW),
         ("https://a.example", "2025-06-01T00:00:00Z", OLD)],
    )  # fmt: skip
    [record] = decisions([warc], ["https://a.example/x"])
    assert record["decision"] == "disallowed"
    assert record["as_of"] == "2026-06-01T00:00:00Z"
    assert record["sources"] == [
        {
            "system": "content-usage",
            "url": "https://a.example/robots.txt",
            "as_written": "train-ai=n",
            "captured": "2026-06-01T00:00:00Z",
        }
    ]


def test_at_takes_the_latest_capture_at_or_before_the_date(tmp_path: Path) -> None:
    warc = robots_warc(
        tmp_path / "r.warc.gz",
        [("https://a.example", "2025-06-01T10:00:00Z", OLD),
         ("https://a.example", "2026-06-01T00:00:00Z", NEW)],
    )  # fmt: skip
    url = ["https://a.example/x"]
    assert decisions([warc], url, at="2025-12-31")[0]["decision"] == "allowed"
    # a date alone is its whole day: the capture at 10:00 counts on 2025-06-01
    assert decisions([warc], url, at="2025-06-01")[0]["decision"] == "allowed"
    assert decisions([warc], url, at="2026-06-01")[0]["decision"] == "disallowed"


def test_a_host_with_no_capture_before_at_is_unknown_and_says_so(tmp_path: Path) -> None:
    warc = robots_warc(tmp_path / "r.warc.gz", [("https://a.example", "2026-06-01T00:00:00Z", NEW)])
    [record] = decisions([warc], ["https://a.example/x"], at="2026-01-01")
    assert record["decision"] == "unknown" and record["as_of"] is None
    assert "at or before 2026-01-01T23:59:59.999999Z" in str(record["reason"])
    [never] = decisions([warc], ["https://b.example/x"])
    assert never["decision"] == "unknown" and "in the sources" in str(never["reason"])


def test_equal_dates_the_capture_read_last_governs(tmp_path: Path) -> None:
    same = "2026-06-01T00:00:00Z"
    warc = robots_warc(
        tmp_path / "r.warc.gz", [("https://a.example", same, OLD), ("https://a.example", same, NEW)]
    )
    assert decisions([warc], ["https://a.example/"])[0]["decision"] == "disallowed"


def test_changed_since_adds_the_earlier_decision(tmp_path: Path) -> None:
    warc = robots_warc(
        tmp_path / "r.warc.gz",
        [("https://a.example", "2025-06-01T00:00:00Z", OLD),
         ("https://a.example", "2026-06-01T00:00:00Z", NEW),
         ("https://b.example", "2026-06-01T00:00:00Z", NEW)],
    )  # fmt: skip
    a, b = decisions([warc], ["https://a.example/", "https://b.example/"], since="2025-12-31")
    assert a["decision"] == "disallowed" and a["changed"] is True
    assert a["earlier"] == {
        "at": "2025-12-31T23:59:59.999999Z",
        "decision": "allowed",
        "conditions": [],
        "as_of": "2025-06-01T00:00:00Z",
        "reason": None,
    }
    earlier = b["earlier"]
    assert isinstance(earlier, dict) and earlier["decision"] == "unknown"
    assert "at or before" in earlier["reason"] and b["changed"] is True


def test_a_later_404_removes_the_robots_txt(tmp_path: Path) -> None:
    warc = tmp_path / "r.warc.gz"
    url = "https://a.example/robots.txt"
    warc.write_bytes(
        member(url, http("200 OK", [], NEW), "2025-01-01T00:00:00Z")
        + member(url, http("404 Not Found", [], b""), "2026-01-01T00:00:00Z")
    )
    [now] = decisions([warc], ["https://a.example/"])
    assert now["decision"] == "unknown" and now["crawl_allowed"] is True and now["reason"] is None
    [then] = decisions([warc], ["https://a.example/"], at="2025-06-01")
    assert then["decision"] == "disallowed"


def test_a_folder_of_robots_files_is_dated_by_mtime_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "robots"
    folder.mkdir()
    (folder / "a.example.txt").write_bytes(NEW)
    (folder / "b.example").write_bytes(OLD)
    (folder / "not a host!").write_bytes(OLD)
    stamp = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
    os.utime(folder / "a.example.txt", (stamp, stamp))
    warnings: list[str] = []
    a, b, c = decisions(
        [folder], ["http://a.example/x", "https://b.example/", "https://c.example/"], warnings
    )
    assert a["decision"] == "disallowed" and b["decision"] == "allowed"
    assert a["sources"] == [
        {
            "system": "content-usage",
            "url": "http://a.example/robots.txt",
            "as_written": "train-ai=n",
            "captured": "2026-03-01T00:00:00Z",
            "captured_by": MTIME,
        }
    ]
    assert c["decision"] == "unknown"
    assert any("not a host name" in w for w in warnings)


def test_scan_output_is_a_source(tmp_path: Path) -> None:
    scanned = tmp_path / "scan.jsonl"
    source = {
        "system": "content-usage",
        "via": "header",
        "as_written": "train-genai=n;exceptions=cc-cr",
        "expression": "train-genai=n;exceptions=cc-cr",
        "location": "https://a.example/p",
    }
    lines = [
        {"url": "https://a.example/p", "crawl": True, "sources": [source], "warnings": []},
        {"url": "https://a.example/q", "crawl": None, "sources": [], "warnings": []},
    ]
    scanned.write_text("\n".join(map(json.dumps, lines)) + "\nnot json\n")
    warnings: list[str] = []
    p, q = decisions([scanned], ["https://a.example/p", "https://a.example/q"], warnings)
    assert p["decision"] == "disallowed" and p["exceptions"] == {"train-genai": "cc-cr"}
    assert q["decision"] == "unknown" and q["reason"] is None
    assert warnings == [f"{scanned}: line 3: not a `ccsig scan` record (not JSON); skipped"]
    chosen = options_of("train-genai", ("credit",))
    table = build_table([str(scanned)], chosen, warnings.append)
    [allowed] = audit_records(["https://a.example/p"], table, chosen)
    assert allowed["decision"] == "allowed" and allowed["conditions"] == ["credit"]


def test_damaged_records_and_undated_captures_are_warnings(tmp_path: Path) -> None:
    warc = tmp_path / "r.warc.gz"
    good = member("https://a.example/robots.txt", http("200 OK", [], NEW), "2026-01-01T00:00:00Z")
    undated = member("https://b.example/robots.txt", http("200 OK", [], NEW), "yesterday")
    warc.write_bytes(good + b"garbage, not gzip" + undated)
    warnings: list[str] = []
    a, b = decisions([warc], ["https://a.example/", "https://b.example/"], warnings)
    assert a["decision"] == "disallowed" and b["decision"] == "unknown"
    assert any("skipped to offset" in w for w in warnings)
    assert any("no readable WARC-Date" in w for w in warnings)


def test_a_robots_txt_over_500_kib_is_a_warning(tmp_path: Path) -> None:
    body = NEW + b"# padding\n" * 60_000
    warc = robots_warc(
        tmp_path / "r.warc.gz", [("https://a.example", "2026-01-01T00:00:00Z", body)]
    )
    warnings: list[str] = []
    [record] = decisions([warc], ["https://a.example/"], warnings)
    assert record["decision"] == "disallowed"  # its first 500 KiB, as RFC 9309 allows
    assert any("only the first 512000 bytes" in w for w in warnings)


def test_dates() -> None:
    assert parse_date("2026-01-01") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_date("2026-01-01T10:00:00+02:00") == datetime(2026, 1, 1, 8, tzinfo=UTC)
    with pytest.raises(CcsigError, match="is not a date"):
        parse_date("last week")
    with pytest.raises(CcsigError, match="before --at"):
        options_of("train-genai", at="2025-01-01", changed_since="2026-01-01")


def _mixed_warc(path: Path, seed: int) -> tuple[Path, list[str]]:
    """Robots.txt (shared and odd bodies, 404, 503, undated), tdmrep.json, pages with
    and without preference fields, and garbage between records; the URLs to audit."""
    import random

    rng = random.Random(seed)
    bodies = [OLD, NEW, b"User-agent: *\nno colon here\nDisallow: /p/\n", b"User-agent: *\n"]
    dates = ["2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z", "soon"]
    sites = [f"https://h{i}.example" for i in range(12)]
    parts: list[bytes] = []
    for n in range(240):
        site, date = rng.choice(sites), rng.choice(dates)
        roll = rng.random()
        if roll < 0.5:
            status = rng.choice(["200 OK"] * 4 + ["404 Not Found", "503 Unavailable"])
            parts.append(member(f"{site}/robots.txt", http(status, [], rng.choice(bodies)), date))
        elif roll < 0.6:
            tdm = b'[{"location": "/", "tdm-reservation": 1}]'
            parts.append(member(f"{site}/.well-known/tdmrep.json", http("200 OK", [], tdm), date))
        elif roll < 0.9:
            fields = ["Content-Usage: train-ai=n"] if rng.random() < 0.5 else []
            parts.append(member(f"{site}/p/{n % 7}", http("200 OK", fields), date))
        else:
            parts.append(b"garbage, not gzip " * rng.randint(1, 40))
    path.write_bytes(b"".join(parts))
    urls = [f"{site}/p/{k}" for site in sites for k in range(8)]
    return path, urls


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_warc_read_in_ranges_by_workers_gives_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """--jobs 2 reads a large WARC file in byte ranges (cut anywhere: inside records,
    in garbage); records and warnings are those of reading it in one go."""
    from ccsig.audit import table as table_module
    from ccsig.ingest.warc import range_starts

    warc, urls = _mixed_warc(tmp_path / "m.warc.gz", seed)
    monkeypatch.setattr(table_module, "_MIN_RANGE", 1500)
    chosen = options_of("train-genai", (), "*", None, None, "2025-09-01")
    found = []
    for jobs in (1, 2):
        warnings: list[str] = []
        table = build_table([str(warc)], chosen, warnings.append, jobs)
        found.append((list(audit_records(urls, table, chosen)), warnings, table.skipped))
    step = max(1500, warc.stat().st_size // 4 + 1)  # as the table cuts it for 2 jobs
    assert len(range_starts(str(warc), step)) >= 3  # it was read in ranges
    assert found[0][1] and any("skipped to offset" in w for w in found[0][1])
    assert found[1] == found[0]
