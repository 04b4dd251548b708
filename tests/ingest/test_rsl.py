"""ccsig.ingest.rsl: reading RSL 1.0 documents, safely."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.ingest.rsl import governing, parse_rsl
from tests.helpers.paths import EXAMPLES

NS = 'xmlns="https://rslstandard.org/rsl"'

# RSL's own "Allow AI training with collective licensing" template (rslcollective.org),
# with its train-ai spelling
COLLECTIVE = f"""<rsl {NS}>
  <content url="/" server="https://rslcollective.org/api">
    <license>
      <permits type="usage">train-ai</permits>
      <payment type="attribution">
          <standard>https://rslcollective.org/license</standard>
      </payment>
    </license>
  </content>
</rsl>"""


def test_the_example_document_is_read_with_lines_and_terms() -> None:
    document = parse_rsl((EXAMPLES / "web" / "license.rsl").read_bytes(), "license.rsl")
    assert document.warnings == ()
    site, photos = document.contents
    assert (site.url, site.line, site.server) == ("/", 4, None)
    assert [item.line for item in site.licenses] == [5, 9]
    assert site.licenses[0].permits == {"usage": ("search",)}
    assert site.licenses[0].prohibits == {"usage": ("ai-input",)}
    assert site.licenses[1].payments[0].type == "attribution"
    assert site.copyright == ("Example Press",)
    assert photos.server == "https://rsl.example.com/api"
    assert photos.licenses[0].payments[0].custom == ("https://example.com/licensing",)


def test_a_template_spelling_is_read_with_a_warning() -> None:
    document = parse_rsl(COLLECTIVE, "license.xml")
    (content,) = document.contents
    assert content.licenses[0].permits == {"usage": ("train-ai",)}
    (warning,) = document.warnings
    assert "license.xml: line 3" in warning and "'ai-train'" in warning


def test_values_split_on_commas_and_spaces_and_unknown_ones_are_dropped() -> None:
    document = parse_rsl(
        f'<rsl {NS}><content url="/"><license>'
        '<permits type="usage">search, AI-Input ai-index,telepathy</permits>'
        '<permits type="geo">US,CA</permits></license></content></rsl>'
    )
    (licence,) = document.contents[0].licenses
    assert licence.permits == {"usage": ("search", "ai-input", "ai-index"), "geo": ("US", "CA")}
    assert any("'telepathy'" in w and "dropped" in w for w in document.warnings)


def test_longest_matching_content_governs_and_full_urls_keep_to_their_host() -> None:
    document = parse_rsl(
        f'<rsl {NS}><content url="/"><license/></content>'
        '<content url="/photos/*.jpg$"><license/></content>'
        '<content url="https://other.example/"><license/></content></rsl>'
    )
    site, photos, other = document.contents
    assert governing(document, "/photos/a.jpg") is photos
    assert governing(document, "https://example.com/photos/a.jpg?x=1") is site
    assert governing(document, "/text") is site
    assert other.covers("https://other.example/a") and not other.covers("https://example.com/a")


def test_a_root_without_the_namespace_is_read_with_a_warning() -> None:
    document = parse_rsl('<rsl><content url="/"><license/></content></rsl>', "x.xml")
    assert len(document.contents) == 1
    assert "has no xmlns" in document.warnings[0]


def test_other_xml_is_not_an_rsl_document() -> None:
    document = parse_rsl("<rss><channel/></rss>", "feed.xml")
    assert document.contents == ()
    assert "not an RSL document" in document.warnings[0]


def test_malformed_xml_names_file_line_and_column() -> None:
    document = parse_rsl(f'<rsl {NS}>\n<content url="/">\n<license></content></rsl>', "bad.rsl")
    assert document.contents == ()
    (warning,) = document.warnings
    assert warning.startswith("bad.rsl: line 3, column ") and "not well-formed XML" in warning


def test_content_without_url_is_skipped_and_the_rest_read() -> None:
    document = parse_rsl(
        f'<rsl {NS}>\n<content><license/></content>\n<content url="/a"><license/></content></rsl>',
        "d.rsl",
    )
    assert [c.url for c in document.contents] == ["/a"]
    assert document.warnings == ("d.rsl: line 2: <content> has no url; skipped",)


BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rsl [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rsl {NS}><content url="/"><license><terms>&lol9;</terms></license></content></rsl>"""


def test_billion_laughs_is_refused_without_expanding() -> None:
    document = parse_rsl(BILLION_LAUGHS, "laughs.rsl")
    assert document.contents == ()
    (warning,) = document.warnings
    assert warning.startswith("laughs.rsl: line ") and "never expanded" in warning


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every path asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            body = b'<!ENTITY x "gotcha">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rsl [<!ENTITY ext SYSTEM "{base}/secret">]>',
        '<!DOCTYPE rsl SYSTEM "{base}/rsl.dtd">',
        '<!DOCTYPE rsl [<!ENTITY % p SYSTEM "{base}/param"> %p;]>',
    ],
)
def test_external_entities_and_dtds_are_never_fetched(
    local_server: tuple[str, list[str]], doctype: str
) -> None:
    base, asked = local_server
    text = (
        doctype.format(base=base) + f'\n<rsl {NS}><content url="/"><license>'
        "<terms>&ext;</terms></license></content></rsl>"
    )
    document = parse_rsl(text, "ext.rsl")
    assert document.contents == ()
    assert "never expanded or fetched" in document.warnings[0]
    assert asked == []


def test_an_oversized_document_is_not_read() -> None:
    document = parse_rsl(b" " * (4 * 1024 * 1024 + 1), "big.rsl")
    assert document.contents == () and "not read" in document.warnings[0]


_XMLISH = st.text(alphabet=st.sampled_from(list('<>/="& \n;rslcontenturlicpmhbayg-!?[]DOCTYPE')),
                  max_size=200)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        _XMLISH,
        st.binary(max_size=200),
        _XMLISH.map(lambda t: f'<rsl {NS}><content url="/"><license>{t}</license></content></rsl>'),
    )
)
def test_any_input_gives_a_document_and_never_raises(data: str | bytes) -> None:
    document = parse_rsl(data, "fuzz.rsl")
    for warning in document.warnings:
        assert warning.startswith("fuzz.rsl") and "\n" not in warning


def test_html_links_and_inline_scripts() -> None:
    from ccsig.ingest.rsl import inline_documents, link_targets

    assert link_targets(
        [("https://e.org/l.xml", "application/rsl+xml"),
         ("https://creativecommons.org/licenses/by/4.0/", None),
         ("https://e.org/l.xml", "Application/RSL+XML")]
    ) == ["https://e.org/l.xml"]  # fmt: skip
    inline = f'\n  <rsl {NS}><content url="/"><license/></content></rsl>\n'
    (document,) = inline_documents(
        [("application/ld+json", "{}", 3), ("application/rsl+xml", inline, 7)], "page.html"
    )
    assert [c.url for c in document.contents] == ["/"]
    (broken,) = inline_documents([("application/rsl+xml", "<rsl", 9)], "page.html")
    assert broken.warnings[0].startswith('page.html: <script type="application/rsl+xml"> at line 9')


@pytest.mark.parametrize(
    ("start", "candidate"),
    [
        (
            b'<?xml version="1.0"?>\n<!-- licence -->\n<rsl xmlns="https://rslstandard.org/rsl">',
            True,
        ),
        (b"\xef\xbb\xbf<r:rsl xmlns:r='https://rslstandard.org/rsl'>", True),
        (b"<rsl>", True),
        (b'<html><head><script type="application/rsl+xml"><rsl>', False),
        (b"<rss><channel/>", False),
        (b"<rslx/>", False),
        # regression: a regular expression over the prolog backtracked for minutes on this
        (b"<?a?>" * 800 + b"<?", False),
        (b"<!---->" * 500 + b"<rsl/>", True),
    ],
)
def test_looks_like_rsl_sniffs_the_root_element(start: bytes, candidate: bool) -> None:
    from ccsig.ingest.rsl import looks_like_rsl

    assert looks_like_rsl(start) is candidate
