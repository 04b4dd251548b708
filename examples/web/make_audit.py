"""Writes robotstxt.warc.gz and urls.parquet beside this file: robots.txt captures of
three sites at two dates (as in Common Crawl's robotstxt WARCs) and the URLs of a small
training set, the inputs of the README's `ccsig audit` example.
Run: python examples/web/make_audit.py (needs pyarrow: pip install 'ccsig[parquet]')"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

HERE = Path(__file__).resolve().parent
PORTAL = (HERE / "robots.txt").read_bytes()
NEWS_2025 = b"User-agent: *\nDisallow: /admin/\n"
NEWS_2026 = b"User-agent: *\nDisallow: /admin/\nContent-Usage: train-genai=n\n"
PHOTOS = b"User-agent: *\nContent-Signal: search=yes, ai-train=no\n"

CAPTURES = [  # (robots.txt URL, WARC-Date, body)
    ("https://data.example.org/robots.txt", "2025-09-01T08:00:00Z", PORTAL),
    ("https://news.example.com/robots.txt", "2025-09-01T08:00:00Z", NEWS_2025),
    ("https://news.example.com/robots.txt", "2026-09-01T08:00:00Z", NEWS_2026),
    ("https://photos.example.net/robots.txt", "2026-09-01T08:00:00Z", PHOTOS),
]
URLS = [
    "https://data.example.org/maps/index.html",
    "https://data.example.org/open/tiles.csv",
    "https://news.example.com/2025/elections.html",
    "https://news.example.com/2026/budget.html",
    "https://news.example.com/2026/weather.html",
    "https://photos.example.net/cats/1.jpg",
    "https://photos.example.net/cats/2.jpg",
    "https://blog.example.io/hello.html",
]


def main() -> None:
    with open(HERE / "robotstxt.warc.gz", "wb") as out:
        for url, date, body in CAPTURES:  # one gzip member per record, as crawlers write
            record = WarcRecord()
            record.init_headers(WarcRecordType.response)
            record.headers["WARC-Target-URI"] = url
            record.headers["WARC-Date"] = date
            record.headers["WARC-Record-ID"] = f"<urn:ccsig:example:{len(body)}:{date}>"
            record.headers["Content-Type"] = "application/http; msgtype=response"
            record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body)
            writer = GzipWriter(out)
            record.write(writer)
            writer.close()
    captions = [f"item {n}" for n in range(len(URLS))]
    pq.write_table(pa.table({"url": URLS, "caption": captions}), HERE / "urls.parquet")


if __name__ == "__main__":
    main()
