"""ccsig scan applies RSL licence documents and Content-Signal found in the archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccsig.scan.local import Scan
from ccsig.scan.records import ScanOptions
from tests.helpers.paths import EXAMPLES
from tests.helpers.warc import http, member

LICENSE = (EXAMPLES / "web" / "license.rsl").read_bytes()
COLLECTIVE = b"""<rsl xmlns="https://rslstandard.org/rsl">
  <content url="/"><license><prohibits type="usage">ai-all</prohibits></license></content>
</rsl>"""


def _inputs(folder: Path) -> list[Path]:
    policies = folder / "policies.warc.gz"
    policies.write_bytes(
        # served by the site itself as application/rsl+xml
        member("https://a.example/license.rsl",
               http("200 OK", ["Content-Type: application/rsl+xml"], LICENSE))
        # named by b.example's robots.txt, served elsewhere as plain XML
        + member("https://collective.example/ai.xml",
                 http("200 OK", ["Content-Type: application/xml"], COLLECTIVE))
        + member("https://b.example/robots.txt", http("200 OK", ["Content-Type: text/plain"],
                 b"User-agent: *\nAllow: /\nLicense: https://collective.example/ai.xml\n"))
        # an XML page that is no RSL document stays a page
        + member("https://a.example/feed.xml",
                 http("200 OK", ["Content-Type: application/rss+xml"], b"<rss/>"))
    )  # fmt: skip
    pages = folder / "pages.warc.gz"
    pages.write_bytes(
        member("https://a.example/articles/1", http("200 OK", ["Content-Type: text/html"]))
        + member("https://a.example/photos/x.jpg", http("200 OK", ["Content-Type: image/jpeg"]))
        + member("https://b.example/post", http("200 OK", []))
        + member("https://c.example/page", http("200 OK", [
            'Link: <https://collective.example/ai.xml>; rel="license"; '
            'type="application/rsl+xml"',
            "Content-Signal: search=yes, ai-train=disallow",
        ]))
        + member("https://d.example/page", http("200 OK", []))
        # an HTML page is a page whatever its body starts with
        + member("https://d.example/odd", http("200 OK", ["Content-Type: text/html"], b"<rsl>"))
    )  # fmt: skip
    return [policies, pages]


def _records(folder: Path, jobs: int = 1) -> dict[str, dict]:
    warnings: list[str] = []
    scan = Scan([str(p) for p in _inputs(folder)], ScanOptions(), lambda *w: warnings.append(w[2]),
                jobs=jobs, range_size=400 if jobs > 1 else None)  # fmt: skip
    scan.collect()
    return {r["url"]: r for r in scan.records()} | {"warnings": {"all": warnings}}


@pytest.mark.parametrize("jobs", [1, 2])
def test_rsl_documents_govern_the_pages_they_cover(tmp_path: Path, jobs: int) -> None:
    got = _records(tmp_path, jobs)
    assert "https://a.example/license.rsl" not in got  # a policy document, not a page
    assert "https://a.example/feed.xml" in got
    article = got["https://a.example/articles/1"]
    assert article["preferences"]["search"] == "allow"
    assert article["exceptions"]["train-ai"] == "cc-cr"
    (source,) = article["sources"]
    assert source["system"] == "rsl" and source["location"] == "https://a.example/license.rsl"
    photo = got["https://a.example/photos/x.jpg"]
    assert photo["preferences"]["train-ai"] == "disallow" and "train-ai" not in photo["exceptions"]
    assert got["https://b.example/post"]["preferences"]["ai-use"] == "disallow"
    assert set(got["https://d.example/page"]["preferences"].values()) == {"unknown"}
    assert "https://d.example/odd" in got


def test_link_headers_and_content_signal_headers_apply(tmp_path: Path) -> None:
    got = _records(tmp_path)
    page = got["https://c.example/page"]
    assert [s["system"] for s in page["sources"]] == ["rsl", "content-signal"]
    assert page["preferences"]["search"] == "allow"
    assert page["preferences"]["train-ai"] == page["preferences"]["ai-use"] == "disallow"
    assert any("'disallow' (read as 'no')" in w for w in page["warnings"])
