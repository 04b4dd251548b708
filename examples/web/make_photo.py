"""Writes photo.jpg beside this file: a small JPEG whose XMP packet carries the IPTC PLUS
Data Mining value "prohibited except for search engine indexing", the input of the
README's image example. Run: python examples/web/make_photo.py (needs Pillow)."""

from __future__ import annotations

from pathlib import Path

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


def main() -> None:
    image = Image.new("RGB", (32, 24), (90, 120, 160))
    image.save(HERE / "photo.jpg", "JPEG", quality=80, xmp=XMP.encode("utf-8"))


if __name__ == "__main__":
    main()
