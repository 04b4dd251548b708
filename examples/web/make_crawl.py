"""Writes crawl.warc.gz beside this file: a tiny crawl of one example site, the input of
the README's `ccsig scan` example. Run: python examples/web/make_crawl.py"""

from __future__ import annotations

from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

HERE = Path(__file__).resolve().parent
SITE = "https://data.example.org"


def response(url: str, fields: list[str], body: bytes) -> WarcRecord:
    head = "\r\n".join(["HTTP/1.1 200 OK", *fields]).encode("latin-1")
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = "2026-11-01T12:00:00Z"
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(head + b"\r\n\r\n" + body)
    return record


def main() -> None:
    records = [
        response(
            f"{SITE}/robots.txt", ["Content-Type: text/plain"], (HERE / "robots.txt").read_bytes()
        ),
        response(f"{SITE}/maps/index.html", ["Content-Type: text/html"], b"<html>maps</html>"),
        response(f"{SITE}/open/tiles.csv", ["Content-Type: text/csv"], b"x,y\n1,2\n"),
        response(
            f"{SITE}/letters/1.html",
            ["Content-Type: text/html", "Content-Usage: ai-use=n;exceptions=cc-cr"],
            b"<html>a letter</html>",
        ),
    ]
    with open(HERE / "crawl.warc.gz", "wb") as out:
        for record in records:  # one gzip member per record, as crawlers write them
            writer = GzipWriter(out)
            record.write(writer)
            writer.close()


if __name__ == "__main__":
    main()
