"""Writes, beside this file, photo.jpg: a small JPEG whose XMP packet carries the IPTC PLUS
Data Mining value "prohibited except for search engine indexing", and media.warc.gz: a
crawl of a news site's article page (whose head has a robots meta tag, a Content-Signal
meta tag and a licence link) and of that photo. The inputs of the README's image and
scan examples. Run: python examples/web/make_media.py (needs Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType
from PIL import Image

HERE = Path(__file__).resolve().parent
XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/">
   <dc:creator><rdf:Seq><rdf:li>Example City Archive</rdf:li></rdf:Seq></dc:creator>
   <plus:DataMining rdf:resource="http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"/>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


SITE = "https://news.example.com"
ARTICLE = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>River levels fall for the third week</title>
  <meta name="robots" content="index, follow, noai, noimageai">
  <meta name="content-signal" content="search=yes, ai-train=no">
  <link rel="license" href="/terms/reuse.html">
</head>
<body><article><h1>River levels fall for the third week</h1>
<img src="/media/photo.jpg" alt="The river at the old bridge"></article></body>
</html>
"""


def response(url: str, media_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\n\r\n".encode("latin-1")
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = "2026-11-01T12:00:00Z"
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(head + body)
    out = io.BytesIO()
    writer = GzipWriter(out)  # one gzip member per record, as crawlers write them
    record.write(writer)
    writer.close()
    return out.getvalue()


def main() -> None:
    image = Image.new("RGB", (32, 24), (90, 120, 160))
    image.save(HERE / "photo.jpg", "JPEG", quality=80, xmp=XMP.encode("utf-8"))
    (HERE / "media.warc.gz").write_bytes(
        response(f"{SITE}/2026/11/river-levels.html", "text/html; charset=utf-8", ARTICLE)
        + response(f"{SITE}/media/photo.jpg", "image/jpeg", (HERE / "photo.jpg").read_bytes())
    )


if __name__ == "__main__":
    main()
