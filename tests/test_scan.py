"""ccsig scan: records from WARC files, policies from anywhere in the inputs, bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

from ccsig.cli import main
from ccsig.headers import statements_from_headers
from ccsig.scan import ScanOptions, decide, scan, site_of
from ccsig.web import content_usage

ROBOTS = b"""User-agent: *
Content-Usage: train-ai=n
Content-Usage: /open/ train-ai=y
Disallow: /private/

User-agent: ExampleBot
Content-Usage: all=n;exceptions=cc-cr
"""


def http(status: str, fields: list[str], body: bytes = b"<html>hello</html>") -> bytes:
    head = "\r\n".join([f"HTTP/1.1 {status}", *fields]).encode("latin-1")
    return head + b"\r\n\r\n" + body


def member(url: str, payload: bytes) -> bytes:
    """One WARC response record as its own gzip member, written by FastWARC."""
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(payload)
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    record.write(writer)
    writer.close()
    return buffer.getvalue()


def make_inputs(folder: Path) -> list[Path]:
    """Robots files apart from the pages, several hosts, http and https."""
    robots = folder / "robots.warc.gz"
    robots.write_bytes(
        member("https://a.example/robots.txt", http("200 OK", ["Content-Type: text/plain"], ROBOTS))
        + member("http://b.example/robots.txt", http("404 Not Found", [], b"gone"))
        + member("https://c.example/robots.txt", http("503 Unavailable", [], b""))
        + member(
            "https://d.example/.well-known/tdmrep.json",
            http("200 OK", [], b'[{"location": "/books/*", "tdm-reservation": 1}]'),
        )
    )
    pages = folder / "pages.warc.gz"
    pages.write_bytes(
        member("https://a.example/", http("200 OK", ["Content-Type: text/html"]))
        + member("https://a.example/open/x", http("200 OK", ["Content-Usage: search=n"]))
        + member("https://a.example/private/y", http("200 OK", ["Content-Usage: search=n"]))
        + member("http://a.example/", http("200 OK", ["Content-Type: text/html"]))
        + member("http://b.example/z", http("200 OK", ["X-Robots-Tag: noai"]))
        + member("https://c.example/", http("200 OK", []))
        + member("https://d.example/books/1", http("200 OK", []))
        + member("https://d.example/news/1", http("200 OK", []))
        + member(
            "https://e.example/p",
            http("200 OK", ["Content-Usage: train-genai=n;exceptions=cc-cr-ec", "X: 1"]),
        )
    )
    return [pages, robots]


def records(paths: list[Path], **options: object) -> list[dict]:
    return list(scan([str(p) for p in paths], ScanOptions(**options)))  # type: ignore[arg-type]


def by_url(found: list[dict]) -> dict[str, dict]:
    return {r["url"]: r for r in found}


def test_robots_in_another_file_govern_the_same_scheme_and_host(tmp_path: Path) -> None:
    found = records(make_inputs(tmp_path))
    assert [r["url"] for r in found][:3] == [
        "https://a.example/",
        "https://a.example/open/x",
        "https://a.example/private/y",
    ]
    assert len(found) == 9  # policy documents give no record
    got = by_url(found)
    assert got["https://a.example/"]["crawl"] is True
    assert got["https://a.example/"]["preferences"]["train-ai"] == "disallow"
    assert got["https://a.example/open/x"]["preferences"]["train-ai"] == "allow"
    assert got["https://a.example/open/x"]["preferences"]["search"] == "disallow"
    private = got["https://a.example/private/y"]
    assert private["crawl"] is False
    assert [s["via"] for s in private["sources"]] == ["header"]
    assert private["preferences"]["train-ai"] == "unknown"
    # http://a.example is another site: no robots.txt seen for it
    assert got["http://a.example/"]["crawl"] is None
    assert set(got["http://a.example/"]["preferences"].values()) == {"unknown"}
    assert got["http://b.example/z"]["crawl"] is True  # 404: no robots.txt, crawl anything
    assert got["http://b.example/z"]["preferences"]["train-ai"] == "disallow"  # noai
    assert got["https://c.example/"]["crawl"] is False  # 503: everything disallowed
    assert got["https://d.example/books/1"]["preferences"]["all"] == "disallow"
    assert got["https://d.example/news/1"]["preferences"]["all"] == "unknown"


def test_agent_selects_its_group_and_default_only_star(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path)
    star = by_url(records(inputs))["https://a.example/"]
    bot = by_url(records(inputs, agent="ExampleBot"))["https://a.example/"]
    assert star["preferences"]["search"] == "unknown"
    assert bot["preferences"]["search"] == "disallow"
    assert bot["sources"][0]["as_written"] == "all=n;exceptions=cc-cr"
    assert by_url(records(inputs, agent="ExampleBot"))["https://a.example/private/y"]["crawl"]


def test_header_sources_are_statements_with_the_page_location(tmp_path: Path) -> None:
    got = by_url(records(make_inputs(tmp_path)))["https://e.example/p"]
    fields = [("content-usage", "train-genai=n;exceptions=cc-cr-ec")]
    expected, _ = statements_from_headers(fields, location="https://e.example/p")
    assert got["sources"] == [s.to_json() for s in expected]


def test_decisions_follow_check_semantics(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path)
    plain = by_url(records(inputs, category="train-genai"))
    assert plain["https://e.example/p"]["decision"] == "disallowed"
    assert plain["https://a.example/"]["decision"] == "disallowed"
    assert plain["https://a.example/open/x"]["decision"] == "allowed"
    assert plain["http://a.example/"]["decision"] == "unknown"
    committed = by_url(
        records(inputs, category="train-genai", commitments=("credit", "ecosystem-contribution"))
    )
    assert committed["https://e.example/p"]["decision"] == "allowed"
    assert committed["https://e.example/p"]["conditions"] == ["credit", "ecosystem-contribution"]
    a = content_usage("train-ai=n;exceptions=cc-cr", "header")
    b = content_usage("train-genai=y", "header")
    assert decide([a, b], "train-genai", ["credit"]) == ("allowed", ["credit"])
    assert decide([a, b], "train-genai", []) == ("disallowed", [])


def test_site_of() -> None:
    assert site_of("HTTPS://Example.ORG:443/a?b") == "https://example.org"
    assert site_of("http://example.org:8080/") == "http://example.org:8080"
    assert site_of("ftp://example.org/") is None
    assert site_of("http://[::1]:80/") == "http://[::1]"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_jsonl_is_stable_and_exit_0(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, out, err = run(*inputs)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == records([Path(p) for p in inputs])
    assert list(lines[0]) == ["url", "crawl", "preferences", "sources", "warnings"]


def test_cli_csv_and_parquet(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    out = tmp_path / "out.csv"
    code, _, err = run(*inputs, "--for", "train-genai", "-o", str(out))
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 9
    assert rows[0]["train-ai"] == "disallow" and rows[0]["decision"] == "disallowed"
    assert rows[2]["crawl"] == "false"
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "out.parquet"
    code, _, err = run(*inputs, "--for", "train-genai", "-o", str(target))
    assert code == 0, err
    table = pq.read_table(target).to_pylist()
    assert [r["url"] for r in table] == [r["url"] for r in rows]
    assert table[2]["crawl"] is False and table[0]["decision"] == "disallowed"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_unknown_category_is_exit_2(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, _, err = run(*inputs, "--for", "painting")
    assert code == 2
    assert "train-genai" in err and "painting" in err


def test_cli_fail_on(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, _, _ = run(*inputs, "--for", "train-genai", "--fail-on", "disallowed")
    assert code == 1


def test_bad_input_is_skipped_with_warnings_and_exit_3(tmp_path: Path) -> None:
    good = member("https://f.example/1", http("200 OK", ["Content-Usage: train-ai=n"]))
    truncated = member("https://f.example/2", http("200 OK", [], b"x" * 5000))[:60]
    control = member(
        "https://f.example/3", http("200 OK", ["Content-Usage: train-ai=n\x01", "X: y"])
    )
    big = b"User-agent: *\n" + b"Content-Usage: train-ai=n\n" * 30000  # > 500 KiB
    oversized = member("https://f.example/robots.txt", http("200 OK", [], big))
    last = member("https://f.example/4", http("200 OK", []))
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(good + truncated + b"\x00garbage\xff" * 50 + control + oversized + last)
    binary = tmp_path / "binary.warc"
    binary.write_bytes(bytes(range(256)) * 10)
    code, out, err = run(str(path), str(binary))
    assert code == 3
    got = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in got] == [
        "https://f.example/1",
        "https://f.example/3",
        "https://f.example/4",
    ]
    assert got[1]["preferences"]["train-ai"] == "disallow"  # from robots.txt, read in part
    assert got[1]["sources"][0]["via"] == "robots.txt"
    warnings = err.splitlines()
    assert all(w.startswith("ccsig: warning: ") for w in warnings)
    assert any(f"{path}: offset {len(good)}: " in w and "skipped to offset" in w for w in warnings)
    assert any("control characters" in w for w in warnings)
    assert any("500 KiB" in w for w in warnings)
    assert any(f"{binary}: offset 0:" in w for w in warnings)


def test_plain_warc_and_damage_inside_it(tmp_path: Path) -> None:
    first = gzip.decompress(member("https://g.example/1", http("200 OK", [])))
    second = gzip.decompress(member("https://g.example/2", http("200 OK", [])))
    path = tmp_path / "plain.warc"
    path.write_bytes(first + b"WARC/1.0\r\nnonsense\x00\r\n\r\n" + b"\xff" * 100 + second)
    code, out, err = run(str(path))
    assert [json.loads(line)["url"] for line in out.splitlines()] == [
        "https://g.example/1",
        "https://g.example/2",
    ]
    assert code == 3 and "offset" in err


def test_missing_input_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.warc.gz"))
    assert code == 2 and "no such file" in err


def test_options_are_frozen() -> None:
    options = ScanOptions()
    assert options.agent == "*"
    assert replace(options, agent="x").agent == "x"
