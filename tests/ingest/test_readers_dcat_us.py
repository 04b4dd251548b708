"""DCAT-US 1.1 `data.json` catalogs (every US federal agency's, data.gov's) read offline:
the Project Open Data context they name is shipped (vocab/contexts/dcat-us-1.1.jsonld)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.cli import main
from ccsig.ingest.readers import read_quads
from ccsig.validation.run import validate_files
from tests.helpers.network import no_network  # noqa: F401  (a fixture)
from tests.helpers.paths import EXAMPLES

POD = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DCAT, DCT = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"


def _catalog(context: object) -> dict[str, object]:
    return {
        "@context": context,
        "@type": "dcat:Catalog",
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "@id": "https://data.example.gov/dataset/rain",
                "title": "Rain gauges",
                "keyword": ["water"],
                "contentUsage": "train-genai=n",
                "distribution": [{"downloadURL": "https://data.example.gov/rain.csv"}],
            }
        ],
    }


@pytest.mark.parametrize("url", [POD, POD.replace("https:", "http:")])
@pytest.mark.usefixtures("no_network")
def test_dcat_us_context_resolves_offline(url: str, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(_catalog(url)))
    triples = {(q.subject, q.predicate, q.object) for q in read_quads(str(path))}
    rain = ox.NamedNode("https://data.example.gov/dataset/rain")
    assert (rain, ox.NamedNode(DCT + "title"), ox.Literal("Rain gauges")) in triples
    assert (rain, ox.NamedNode(DCAT + "keyword"), ox.Literal("water")) in triples  # @vocab
    downloads = {o for _, p, o in triples if p == ox.NamedNode(DCAT + "downloadURL")}
    assert downloads == {ox.NamedNode("https://data.example.gov/rain.csv")}  # an IRI


@pytest.mark.usefixtures("no_network")
def test_content_usage_under_dcat_us_alone_is_a_stray_warning(tmp_path: Path) -> None:
    # DCAT-US's @vocab is dcat:, so the key becomes dcat:contentUsage, which nothing reads
    path = tmp_path / "data.json"
    path.write_text(json.dumps(_catalog(POD)))
    report = validate_files([str(path)])
    [stray] = [r for r in report.results if r.path == DCAT + "contentUsage"]
    assert stray.severity == "warning" and "is not ccsig:contentUsage" in stray.message


@pytest.mark.usefixtures("no_network")
def test_dcat_us_with_the_ccsig_context_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(_catalog([POD, "https://w3id.org/ccsig/context.jsonld"])))
    done = CliRunner().invoke(main, ["check", str(path), "--for", "train-genai",
                                     "--format", "json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    [row] = json.loads(done.stdout)["results"]
    assert (row["asset"], row["decision"]) == ("https://data.example.gov/dataset/rain",
                                               "disallowed")  # fmt: skip


def test_the_dcat_us_example_conforms() -> None:
    report = validate_files([str(EXAMPLES / "data.json")])
    assert report.conforms and not report.results
