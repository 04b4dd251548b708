"""Statements found on the web, written as RDF, answer `ccsig check` like catalogs do."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ccsig.answer.compliance import COMMAND_LINE_REUSER, check, reuser_triples
from ccsig.lift.web_rdf import statements_rdf
from ccsig.model import web
from ccsig.model.terms import serialise
from ccsig.reason.engine import ENGINES, open_engine
from ccsig.validation.run import validate_files

URL = "https://example.org/page.html"


def _turtle(tmp_path: Path) -> Path:
    statements = [
        web.content_usage("train-ai=n;exceptions=cc-cr", "header", location=URL),
        web.mapped("x-robots-tag", [("noai", None)], "noai", "header", location=URL),
        web.content_usage("search=y", "robots.txt", location="https://example.org/robots.txt"),
    ]
    f = tmp_path / "web.ttl"
    f.write_bytes(serialise(statements_rdf(URL, statements), "turtle"))
    return f


def test_each_web_statement_is_its_own_statement_with_its_system(tmp_path: Path) -> None:
    store = ox.Store()
    store.load(path=str(_turtle(tmp_path)), format=ox.RdfFormat.TURTLE)
    rows = store.query(
        "PREFIX ccsig: <https://w3id.org/ccsig#> SELECT ?system ?written ?source WHERE {"
        " ?s ccsig:about <" + URL + "> ; ccsig:preferenceSystem ?system ;"
        " ccsig:asWritten ?written ; ccsig:source ?source }"
    )
    found = sorted((r["system"].value.rsplit("#")[-1], r["written"].value) for r in rows)
    assert found == [
        ("content-usage", "search=y"),
        ("content-usage", "train-ai=n;exceptions=cc-cr"),
        ("x-robots-tag", "noai"),
    ]


def test_check_and_validate_read_web_statements(tmp_path: Path) -> None:
    f = _turtle(tmp_path)
    assert validate_files([str(f)]).conforms
    for engine in ENGINES:
        extra = reuser_triples(["credit"], COMMAND_LINE_REUSER)
        e = open_engine([f], engine, extra=extra)
        genai = check(e, "train-genai", COMMAND_LINE_REUSER)
        (result,) = genai.results
        # credit meets cc-cr in the header, but noai disallows with no exception
        assert result.asset == URL and result.decision == "disallowed"
        assert check(e, "search", COMMAND_LINE_REUSER).results[0].decision == "allowed"
