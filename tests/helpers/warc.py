"""WARC inputs for the scan tests (tests/scan/), written with FastWARC."""

from __future__ import annotations

import io
from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

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


def member(url: str, payload: bytes, date: str | None = None) -> bytes:
    """One WARC response record as its own gzip member, written by FastWARC (dated now,
    or `date`, its WARC-Date)."""
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    if date is not None:
        record.headers["WARC-Date"] = date
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(payload)
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    record.write(writer)
    writer.close()
    return buffer.getvalue()


# the hosts of `robots_captures`: four with a robots.txt of generated rules, one that failed
ROBOTS_SITES = ["https://h0.example", "https://h1.example", "http://h2.example",
                "http://h3.example:8080"]  # fmt: skip


def robots_captures(path: Path, bodies: list[list[str]]) -> Path:
    """A WARC of robots.txt captures: ROBOTS_SITES with the rule lines of `bodies` in
    turn (under `User-agent: *`), and https://h4.example's answered 503."""
    data = b""
    for number, site in enumerate(ROBOTS_SITES):
        body = ("User-agent: *\n" + "\n".join(bodies[number % len(bodies)])).encode()
        data += member(f"{site}/robots.txt", http("200 OK", [], body), "2026-01-01T00:00:00Z")
    data += member("https://h4.example/robots.txt", http("503 Unavailable", [], b""))
    path.write_bytes(data)
    return path


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
