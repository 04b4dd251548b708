"""annotate on an HTML page: the dataset's JSON-LD script block gets the member, as a
JSON-LD file would, and every other byte of the page stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from ccsig.errors import InputError
from ccsig.ingest.readers import read_quads
from ccsig.model.namespaces import CONTENT_USAGE
from ccsig.publish.annotate import annotate
from tests.helpers.paths import DATA

PAGES = DATA / "html"
EXPRESSION = "train-genai=n;exceptions=cc-cr"


@pytest.mark.parametrize("name", ["datagov.html", "zenodo.html", "huggingface.html"])
def test_the_block_is_edited_and_the_rest_of_the_page_kept(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    original = (PAGES / name).read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    result = annotate(str(path), EXPRESSION)
    assert result.changed
    new = result.text
    # only the block changed: what precedes and follows it is untouched
    start = original.index('<script type="application/ld+json">')
    end = original.index("</script>", start)
    assert new[:start] == original[:start]
    assert new.endswith(original[end:])
    path.write_text(new, encoding="utf-8")
    usage = [q.object.value for q in read_quads(str(path)) if q.predicate == CONTENT_USAGE]
    assert usage == [EXPRESSION]


def test_the_cli_writes_the_page_and_check_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "landing.html"
    path.write_bytes((PAGES / "zenodo.html").read_bytes())
    runner = CliRunner()
    result = runner.invoke(main, ["annotate", str(path), "-e", EXPRESSION, "--in-place"])
    assert result.exit_code == 0, result.stderr
    check = runner.invoke(main, ["check", "--for", "train-genai", "--commit", "credit", str(path)])
    assert check.exit_code == 0 and "allowed" in check.stdout


def test_a_page_with_two_dataset_blocks_needs_an_asset(tmp_path: Path) -> None:
    block = (
        '<script type="application/ld+json">{{"@context": "https://schema.org/", '
        '"@type": "Dataset", "@id": "https://e.org/{0}", "name": "{0}"}}</script>\n'
    )
    path = tmp_path / "two.html"
    path.write_text(f"<html><head>\n{block.format('a')}{block.format('b')}</head></html>")
    with pytest.raises(InputError, match="the script blocks at lines 2, 3 each describe"):
        annotate(str(path), EXPRESSION)
    result = annotate(str(path), EXPRESSION, asset="https://e.org/b")
    lines = result.text.splitlines()
    assert "contentUsage" not in lines[1] and "contentUsage" in lines[2]


def test_a_page_without_a_dataset_block_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text("<html><body><p>No markup here.</p></body></html>")
    result = CliRunner().invoke(main, ["annotate", str(path), "-e", EXPRESSION])
    assert result.exit_code == 2
    assert "no application/ld+json script block in the page describes" in result.stderr


def test_a_blank_node_label_on_a_page_is_refused_clearly(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><script type="application/ld+json">'
        '{"@context": "https://schema.org/", "@type": "Dataset", "name": "Roads"}'
        "</script></head></html>"
    )
    with pytest.raises(InputError, match="by its IRI, not _:LABEL"):
        annotate(str(page), "train-genai=n", asset="_:Roads")
