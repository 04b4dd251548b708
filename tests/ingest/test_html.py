"""HTML pages as inputs: dataset landing pages as portals publish them (data.gov-like,
Zenodo-like, Hugging Face-like, RDFa) are catalogs; what a page says of itself in meta
tags and licence links is a statement about it; bad markup or JSON is one line with the
page's line and column, never a crash or a fetch."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.cli import main
from ccsig.errors import InputError
from ccsig.ingest.html import page_nquads, page_statements, read_page
from ccsig.ingest.readers import read_quads
from tests.helpers.network import no_network  # noqa: F401  (a fixture)
from tests.helpers.paths import DATA
from tests.helpers.server import recording_server

PAGES = DATA / "html"
SCHEMA = "http://schema.org/"
LANDING = {
    "datagov.html": "https://catalog.example.gov/dataset/daily-river-gauge-readings",
    "zenodo.html": "https://doi.org/10.5281/zenodo.1234567",
    "huggingface.html": "https://hub.example.co/datasets/example-org/city-letters",
    "rdfa.html": "https://open.example.net/dataset/street-trees",
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _page(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(LANDING))
@pytest.mark.usefixtures("no_network")
def test_a_landing_page_is_a_catalog_of_its_dataset(name: str) -> None:
    quads = read_quads(str(PAGES / name))
    types = {q.object.value for q in quads if q.subject.value == LANDING[name]}
    assert types & {SCHEMA + "Dataset", "https://schema.org/Dataset"}, types
    code, out, err = run("check", "--for", "train-genai", "--format", "json", str(PAGES / name))
    assert code in (0, 1), err
    assets = [d["asset"] for d in json.loads(out)["results"]]
    assert LANDING[name] in assets


@pytest.mark.usefixtures("no_network")
def test_rdfa_statements_are_read_and_decided() -> None:
    code, out, err = run("check", "--for", "train-genai", "--format", "json",
                         str(PAGES / "rdfa.html"))  # fmt: skip
    decision = json.loads(out)["results"][0]
    assert (decision["asset"], decision["decision"]) == (LANDING["rdfa.html"], "disallowed")
    assert run("validate", str(PAGES / "rdfa.html"))[0] == 0


@pytest.mark.parametrize("command", [["validate"], ["infer"], ["query", "summary"]])
@pytest.mark.usefixtures("no_network")
def test_every_reading_command_takes_a_page(command: list[str]) -> None:
    code, out, err = run(*command, str(PAGES / "zenodo.html"))
    assert code == 0, err
    assert out


def test_input_format_html_reads_a_page_of_any_name(tmp_path: Path) -> None:
    path = tmp_path / "landing"
    path.write_bytes((PAGES / "datagov.html").read_bytes())
    quads = read_quads(str(path), "html")
    assert any(q.subject.value == LANDING["datagov.html"] for q in quads)


def test_each_block_is_its_own_document_with_the_pages_base(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<html><head>\n"
        '<script type="application/ld+json">{"@context": {"@vocab": "https://e.org/"},'
        ' "@id": "#one", "name": "first", "knows": {"name": "b"}}</script>\n'
        '<script type="application/ld+json; charset=utf-8">[{"@context": "https://schema.org/",'
        ' "@id": "#two", "@type": "Dataset", "author": {"name": "c"}}]</script>\n'
        '<script type="text/javascript">{"@id": "#not-json-ld"}</script>\n'
        "</head></html>",
    )
    quads = read_quads(str(path))
    base = path.resolve().as_uri()
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert subjects == {base + "#one", base + "#two"}
    blanks = {q.subject for q in quads if isinstance(q.subject, ox.BlankNode)}
    assert len(blanks) == 2  # one per block, never merged


def test_a_json_error_in_a_block_names_the_pages_line_and_column(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '  <script type="application/ld+json">\n'
        '  {"@context": "https://schema.org/",\n'
        '   "@type": "Dataset" "name": "x"}\n'
        "  </script>\n</head></html>\n",
    )
    with pytest.raises(InputError) as caught:
        read_quads(str(path))
    assert str(caught.value).startswith(f"{path}:6:23: invalid JSON")
    code, _out, err = run("validate", str(path))
    assert code == 2 and err.startswith(f"ccsig: error: {path}:6:23: ") and err.count("\n") == 1


def test_a_remote_context_in_a_block_is_refused_with_the_blocks_position(
    tmp_path: Path,
) -> None:
    with recording_server() as (base, requested):
        path = _page(
            tmp_path,
            '<html><head>\n\n<script type="application/ld+json">'
            f'{{"@context": "{base}/ctx.jsonld", "@id": "https://e.org/d"}}</script></head></html>',
        )
        code, _out, err = run("validate", str(path))
    assert requested == []
    assert code == 2 and f"{path}:3:36: refers to the remote JSON-LD context" in err


def test_entities_in_a_pages_doctype_are_never_fetched(tmp_path: Path) -> None:
    with recording_server() as (base, requested):
        path = _page(
            tmp_path,
            f'<!DOCTYPE html [<!ENTITY leak SYSTEM "{base}/xxe">]>\n'
            '<html><head><meta name="robots" content="noai">'
            '<script type="application/ld+json">{"@context": "https://schema.org/",'
            ' "@id": "https://e.org/d", "@type": "Dataset", "name": "&leak;"}</script>'
            '</head><body vocab="https://schema.org/"><p property="name">&leak;</p></body></html>',
        )
        read_quads(str(path))
        read_page(path.read_bytes(), path.as_uri())
    assert requested == []


def test_a_block_the_parser_changed_has_no_span_and_the_next_is_still_found() -> None:
    page = read_page(
        b'<script type="application/ld+json">{"a": "\x00"}</script>\n'
        b'<script type="application/ld+json">{"b": 1}</script>',
        "https://e.org/",
    )
    first, second = page.blocks
    assert (first.start, first.end) == (-1, -1)
    assert page.text[second.start : second.end] == '{"b": 1}' and second.line == 2


def test_a_page_with_no_markup_is_an_empty_catalog(tmp_path: Path) -> None:
    assert read_quads(str(_page(tmp_path, ""))) == []
    assert read_quads(str(_page(tmp_path, "\x00\x00 <<<>>>", "b.html"))) == []


def test_a_page_in_another_encoding_is_decoded_as_it_declares(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    path.write_bytes(
        '<html><head><meta charset="iso-8859-1"><script type="application/ld+json">'
        '{"@id": "https://e.org/d", "https://e.org/name": "Gew\u00e4sser"}</script>'
        "</head></html>".encode("iso-8859-1")
    )
    (quad,) = read_quads(str(path))
    assert quad.object.value == "Gew\u00e4sser"


# ------------------------------------------------------------------ meta statements

META_PAGE = """<!DOCTYPE html>
<html><head>
<meta name="content-usage" content="train-ai=n">
<meta name="Content-Signal" content="search=yes, ai-train=no">
<meta name="tdm-reservation" content="1">
<meta name="tdm-policy" content="https://pub.example.com/policies/tdm.json">
<meta name="robots" content="index, noai, noimageai">
<meta name="otherbot" content="noai">
<link rel="license" href="/licence.html">
<link rel="stylesheet" href="/s.css">
</head><body></body></html>
"""


def test_meta_tags_and_licence_links_are_statements_about_the_page() -> None:
    page = read_page(META_PAGE.encode(), "https://pub.example.com/a/article.html")
    statements, warnings = page_statements(page, location=page.base)
    found = {(s.system, s.via, s.as_written, s.expression) for s in statements}
    assert found == {
        ("content-usage", "html meta", "train-ai=n", "train-ai=n"),
        ("content-signal", "html meta", "search=yes, ai-train=no", "search=y, train-ai=n"),
        ("tdmrep", "html meta", "1", "all=n"),
        ("robots-meta", "html meta", "index, noai, noimageai", "train-ai=n"),
        ("license-link", "html link", "https://pub.example.com/licence.html", ""),
    }
    tdm = next(s for s in statements if s.system == "tdmrep")
    assert tdm.note == "https://pub.example.com/policies/tdm.json"
    assert warnings == []


def test_a_robots_meta_tag_for_the_crawler_applies_only_to_it() -> None:
    page = read_page(META_PAGE.encode(), "https://pub.example.com/")
    mine, _ = page_statements(page, agent="OtherBot")
    theirs, _ = page_statements(page, agent="thirdbot")
    assert sum(s.system == "robots-meta" for s in mine) == 2
    assert sum(s.system == "robots-meta" for s in theirs) == 1


def test_noimageai_alone_states_nothing_about_a_page_and_says_so() -> None:
    page = read_page(b'<html><head>\n<meta name="robots" content="noimageai"></head></html>', "x:")
    statements, warnings = page_statements(page)
    assert [s.expression for s in statements] == [""]
    assert warnings == [
        "line 2: meta robots: noimageai states nothing about the page itself "
        "(noimageai is about images)"
    ]


def test_a_bad_tdm_reservation_is_a_warning() -> None:
    page = read_page(b'<meta name="tdm-reservation" content="yes">', "x:")
    statements, warnings = page_statements(page)
    assert [s.expression for s in statements] == [""]
    assert warnings and warnings[0].startswith("line 1: meta tdm-reservation: ")


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=0, max_value=len(META_PAGE)))
def test_fuzzed_pages_never_raise(noise: str, cut: int) -> None:
    text = META_PAGE[:cut] + noise + META_PAGE[cut:]
    page = read_page(text.encode("utf-8", "surrogatepass"), "https://e.org/")
    page_statements(page, agent="bot")
    for block in page.blocks:
        assert block.start < 0 or page.text[block.start : block.end] == block.text


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_fuzzed_script_blocks_are_data_or_one_input_error(noise: str) -> None:
    html = f'<html><head><script type="application/ld+json">{noise}</script></head></html>'
    page = read_page(html.encode("utf-8", "surrogatepass"), "https://e.org/")
    try:
        page_nquads("p.html", page, lambda where, data: data)
    except InputError as e:
        assert "\n" not in str(e)
