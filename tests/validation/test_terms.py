"""A ccsig: predicate or class the vocabulary does not define is a warning naming the
nearest term it does define (issue 11, item 4); before, such a file "conformed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccsig.validation.run import validate_files
from tests.helpers.paths import EXAMPLES

MISSPELT = """@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://e.org/d> a dcat:Dataset ; ccsig:contentusage "train-ai=n" .
<https://e.org/e> a dcat:Dataset ; ccsig:ContentUsage "all=n" .
<https://e.org/s> a ccsig:statement .
<https://e.org/t> ccsig:zzzqqq 1 .
"""


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_misspelt_terms_are_warnings_naming_the_nearest(tmp_path: Path, engine: str) -> None:
    f = tmp_path / "misspelt.ttl"
    f.write_text(MISSPELT)
    report = validate_files([str(f)], engine=engine)
    found = {(r.focus, r.path, r.severity): r.message for r in report.results}
    d = found["https://e.org/d", "https://w3id.org/ccsig#contentusage", "warning"]
    assert "did you mean ccsig:contentUsage?" in d
    e = found["https://e.org/e", "https://w3id.org/ccsig#ContentUsage", "warning"]
    assert "did you mean ccsig:contentUsage?" in e
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert "did you mean ccsig:Statement?" in found["https://e.org/s", rdf_type, "warning"]
    assert "ccsig vocab" in found["https://e.org/t", "https://w3id.org/ccsig#zzzqqq", "warning"]
    assert report.conforms  # warnings: the file is readable, the signal just isn't there


def test_both_engines_agree_on_misspellings(tmp_path: Path) -> None:
    f = tmp_path / "misspelt.ttl"
    f.write_text(MISSPELT)
    fast = validate_files([str(f)]).to_json()
    assert fast == validate_files([str(f)], engine="reference").to_json()


def test_real_terms_give_no_such_warning() -> None:
    report = validate_files([str(EXAMPLES / "catalog.ttl"), str(EXAMPLES / "croissant.json")])
    assert not [r for r in report.results if "of the ccsig vocabulary" in r.message]


STRAY = {
    "@context": {"@vocab": "http://schema.org/"},
    "@id": "https://e.org/d",
    "@type": "Dataset",
    "contentUsage": "train-genai=n",
}


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_content_usage_in_another_namespace_is_a_warning(tmp_path: Path, engine: str) -> None:
    # a JSON-LD key `contentUsage` under schema.org's @vocab becomes schema:contentUsage,
    # which nothing reads: the file "conformed" and check said "unknown", silently
    f = tmp_path / "stray.jsonld"
    f.write_text(json.dumps(STRAY))
    report = validate_files([str(f)], engine=engine)
    [result] = [r for r in report.results if r.path == "http://schema.org/contentUsage"]
    assert result.severity == "warning"
    assert result.focus == "https://e.org/d"
    assert "is not ccsig:contentUsage" in result.message
    assert "https://w3id.org/ccsig/context.jsonld" in result.message


def test_content_usage_in_the_ccsig_namespace_is_no_stray(tmp_path: Path) -> None:
    f = tmp_path / "right.jsonld"
    context = ["https://w3id.org/ccsig/context.jsonld", {"@vocab": "http://schema.org/"}]
    f.write_text(json.dumps({**STRAY, "@context": context}))
    report = validate_files([str(f)])
    assert not [r for r in report.results if "nothing reads it" in r.message]


STRAY_TURTLE = """@prefix schema: <https://schema.org/> .
<https://e.org/u> schema:contentUsage "train-ai=n" ; <https://e.org/v#contentUsage> "x" .
_:b <http://www.w3.org/ns/dcat#contentUsage> "all=n" ; a <https://w3id.org/ccsig#Nope> .
<https://e.org/w> <https://e.org/contentUsages> "not stray" ; a <https://e.org/Class> .
"""


def test_the_in_store_query_notes_what_watch_notes(tmp_path: Path) -> None:
    """Misspellings.query (in-store mode's) restates `watch` in SPARQL: held to it on
    misspelt and stray terms and on every example."""
    import pyoxigraph as ox

    from ccsig.ingest.readers import read_quads
    from ccsig.validation.terms import Misspellings

    (tmp_path / "misspelt.ttl").write_text(MISSPELT)
    (tmp_path / "stray.ttl").write_text(STRAY_TURTLE)
    files = [tmp_path / "misspelt.ttl", tmp_path / "stray.ttl", *sorted(EXAMPLES.glob("*.*"))]
    noted = 0
    for f in files:
        if f.suffix not in (".ttl", ".json", ".jsonld"):
            continue
        quads = list(read_quads(str(f)))
        watched, asked = Misspellings(), Misspellings()
        list(watched.watch(quads))
        store = ox.Store()
        store.extend(quads)
        solutions = store.query(asked.query())
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        asked.note(tuple(row[n] for n in names) for row in solutions)
        assert sorted(map(repr, asked.results("f"))) == sorted(map(repr, watched.results("f")))
        noted += len(watched.results("f"))
    assert noted >= 7
