"""Real images with XMP packets, written by Pillow, for the XMP reader's tests."""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin, TiffImagePlugin

FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif", "WEBP": ".webp"}


def plus_packet(value: str, form: str = "resource") -> bytes:
    """An XMP packet as Photoshop / exiftool write one, stating plus:DataMining `value`
    (a name such as DMI-PROHIBITED) as an rdf:resource, an attribute or element text."""
    iri = f"http://ns.useplus.org/ldf/vocab/{value}"
    if form == "resource":
        body = f'<plus:DataMining rdf:resource="{iri}"/>'
        attribute = ""
    elif form == "attribute":
        body, attribute = "", f' plus:DataMining="{iri}"'
    else:
        body, attribute = f"<plus:DataMining>{iri}</plus:DataMining>", ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Image::ExifTool 13.10">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f'    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"{attribute}>\n'
        "   <dc:creator><rdf:Seq><rdf:li>Ana Photographer</rdf:li></rdf:Seq></dc:creator>\n"
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def image_with_xmp(fmt: str, packet: bytes | None) -> bytes:
    """A small image of `fmt` (JPEG, PNG, TIFF, WEBP) carrying `packet` where its format
    keeps XMP (APP1, iTXt XML:com.adobe.xmp, tag 700, the XMP chunk)."""
    image = Image.new("RGB", (16, 12), (200, 80, 40))
    out = io.BytesIO()
    if packet is None:
        image.save(out, fmt)
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode("utf-8"))
        image.save(out, fmt, pnginfo=info)
    elif fmt == "TIFF":
        ifd = TiffImagePlugin.ImageFileDirectory_v2()
        ifd[700] = packet
        ifd.tagtype[700] = 1  # BYTE, as XMP writers store it
        image.save(out, fmt, tiffinfo=ifd)
    else:
        image.save(out, fmt, xmp=packet)
    return out.getvalue()
