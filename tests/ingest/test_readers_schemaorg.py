"""schema.org JSON-LD is read offline: the context schema.org documents is shipped in
the package (vocab/contexts/schemaorg.jsonld) under every URL documents use for it."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.cli import main
from ccsig.ingest.readers import read_quads
from ccsig.resources import read_text
from tests.helpers.network import no_network  # noqa: F401  (a fixture)

URLS = [
    "https://schema.org/",
    "http://schema.org/",
    "https://schema.org",
    "http://schema.org",
    "https://schema.org/docs/jsonldcontext.jsonld",
    "https://schema.org/docs/jsonldcontext.json",
    "http://schema.org/docs/jsonldcontext.json",
]
SCHEMA = "http://schema.org/"


def _dataset(context: object) -> dict[str, object]:
    return {
        "@context": context,
        "@type": "Dataset",
        "@id": "https://data.example.org/dataset/rivers",
        "name": "River gauges",
        "url": "https://data.example.org/dataset/rivers",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "distribution": {"@type": "DataDownload", "contentUrl": "https://data.example.org/r.csv"},
    }


@pytest.mark.parametrize("url", URLS)
@pytest.mark.usefixtures("no_network")
def test_schema_org_context_resolves_offline(url: str, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonld"
    path.write_text(json.dumps(_dataset(url)))
    triples = {(q.subject, q.predicate, q.object) for q in read_quads(str(path))}
    subject = ox.NamedNode("https://data.example.org/dataset/rivers")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (subject, rdf_type, ox.NamedNode(SCHEMA + "Dataset")) in triples
    # the context makes license and url IRIs, not strings (its point, beyond @vocab)
    licence = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
    assert (subject, ox.NamedNode(SCHEMA + "license"), licence) in triples


@pytest.mark.usefixtures("no_network")
def test_schema_org_context_inside_a_context_list(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonld"
    doc = _dataset(["https://schema.org/", {"ex": "https://example.org/"}])
    doc["ex:extra"] = "1"
    path.write_text(json.dumps(doc))
    predicates = {q.predicate.value for q in read_quads(str(path))}
    assert {SCHEMA + "name", "https://example.org/extra"} <= predicates


@pytest.mark.parametrize("command", [["validate"], ["check", "--for", "train-genai"]])
@pytest.mark.usefixtures("no_network")
def test_schema_org_dataset_validates_and_checks_with_no_flag(
    command: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "d.jsonld"
    path.write_text(json.dumps(_dataset("https://schema.org/")))
    result = CliRunner().invoke(main, [*command, str(path)])
    assert "remote JSON-LD context" not in result.output + result.stderr
    assert result.exit_code in (0, 1), result.output + result.stderr


def test_other_remote_contexts_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonld"
    path.write_text(json.dumps(_dataset("https://www.schema.org/other-context")))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "remote JSON-LD context https://www.schema.org/other-context" in result.stderr


def test_shipped_context_is_the_release_file_with_its_licence_noted() -> None:
    context = json.loads(read_text("vocab", "contexts/schemaorg.jsonld"))["@context"]
    assert context["@vocab"] == SCHEMA and len(context) > 1000
    notice = read_text("vocab", "contexts/README.md")
    assert "CC BY-SA 3.0" in notice and "data/releases/30.0/schemaorgcontext.jsonld" in notice
