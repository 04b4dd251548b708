"""`ccsig scan` reads what HTML responses say in meta tags and licence links, and what
image responses say in XMP (IPTC PLUS Data Mining), as statements about that response,
beside its header fields and the site's robots.txt; damaged bodies are warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccsig.scan.local import Scan
from ccsig.scan.records import ScanOptions
from tests.helpers.images import image_with_xmp, plus_packet
from tests.helpers.warc import http, member

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>A news article</title>
  <meta name="content-signal" content="search=yes, ai-train=no">
  <meta name="tdm-reservation" content="1">
  <meta name="robots" content="max-image-preview:large, noai">
  <link rel="license" href="/terms.html">
</head><body><p>Article text.</p></body></html>
"""


def _scan(tmp_path: Path, records: bytes, jobs: int = 1, **options: object) -> dict[str, dict]:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(records)
    warnings: list[str] = []
    job = Scan(
        [str(path)],
        ScanOptions(**options),  # type: ignore[arg-type]
        warn=lambda _f, _o, message: warnings.append(message),
        jobs=jobs,
        range_size=1 << 10,
    )
    job.collect()
    out = {r["url"]: r for r in job.records()}
    out["warnings"] = {"messages": warnings}  # type: ignore[assignment]
    return out


@pytest.mark.parametrize("jobs", [1, 2])
def test_meta_tags_and_licence_links_are_statements_about_the_page(
    tmp_path: Path, jobs: int
) -> None:
    url = "https://news.example.com/2026/article.html"
    found = _scan(tmp_path, member(url, http("200 OK", ["Content-Type: text/html"], PAGE)), jobs)
    record = found[url]
    systems = [(s["system"], s["via"], s["location"]) for s in record["sources"]]
    assert systems == [
        ("tdmrep", "html meta", url),
        ("content-signal", "html meta", url),
        ("robots-meta", "html meta", url),
        ("license-link", "html link", url),
    ]
    assert record["sources"][3]["as_written"] == "https://news.example.com/terms.html"
    assert record["preferences"]["train-ai"] == "disallow"
    assert record["preferences"]["search"] == "disallow"  # tdm-reservation: all=n wins


def test_a_page_without_meta_statements_has_none(tmp_path: Path) -> None:
    url = "https://news.example.com/plain.html"
    page = b"<html><head><title>x</title></head><body>licensed? no word of it</body></html>"
    found = _scan(tmp_path, member(url, http("200 OK", ["Content-Type: text/html"], page)))
    assert found[url]["sources"] == []


@pytest.mark.parametrize(("fmt", "media_type"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_an_images_xmp_is_a_statement_about_the_image(
    tmp_path: Path, fmt: str, media_type: str
) -> None:
    url = "https://photos.example.com/p/1"
    body = image_with_xmp(fmt, plus_packet("DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"))
    found = _scan(tmp_path, member(url, http("200 OK", [f"Content-Type: {media_type}"], body)))
    (source,) = found[url]["sources"]
    assert (source["system"], source["via"], source["expression"]) == (
        "plus",
        "xmp",
        "all=n, search=y",
    )
    assert found[url]["preferences"]["search"] == "allow"
    assert found[url]["preferences"]["train-genai"] == "disallow"


def test_a_damaged_xmp_packet_is_a_warning_and_the_record_stays(tmp_path: Path) -> None:
    url = "https://photos.example.com/p/2"
    packet = plus_packet("DMI-PROHIBITED").replace(b"</rdf:RDF>", b"</rdf:RFD>")
    body = image_with_xmp("JPEG", packet)
    found = _scan(tmp_path, member(url, http("200 OK", ["Content-Type: image/jpeg"], body)))
    assert found[url]["sources"] == []
    (message,) = found["warnings"]["messages"]
    assert message.startswith(f"{url}: XMP packet at byte ") and "not well-formed XML" in message


def test_noimageai_applies_to_images_only(tmp_path: Path) -> None:
    url = "https://news.example.com/gallery.html"
    page = b'<html><head><meta name="robots" content="noimageai"></head></html>'
    found = _scan(tmp_path, member(url, http("200 OK", ["Content-Type: text/html"], page)))
    assert found[url]["preferences"]["train-ai"] == "unknown"
    assert "states nothing about the page itself" in found[url]["warnings"][0]


def test_a_meta_tag_for_one_crawler(tmp_path: Path) -> None:
    url = "https://news.example.com/a.html"
    page = b'<html><head><meta name="examplebot" content="noai"></head></html>'
    records = member(url, http("200 OK", ["Content-Type: text/html"], page))
    assert _scan(tmp_path, records)[url]["sources"] == []
    mine = _scan(tmp_path, records, agent="ExampleBot")[url]
    assert mine["preferences"]["train-ai"] == "disallow"
