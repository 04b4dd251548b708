"""Moving terms between pyoxigraph and rdflib."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from ccsig.model.terms import rdflib_term
from tests.helpers.paths import ROOT

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_an_ill_typed_literal_converts_without_a_logged_traceback(caplog) -> None:
    term = rdflib_term(ox.Literal("all=n", datatype=ox.NamedNode(XSD_INTEGER)))
    assert str(term) == "all=n" and term.ill_typed
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]


def test_validate_reports_an_ill_typed_value_as_one_violation_only(tmp_path: Path) -> None:
    f = tmp_path / "int.ttl"
    f.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://e.org/d> a dcat:Dataset ; ccsig:contentUsage "all=n"^^xsd:integer .\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "ccsig.cli", "validate", str(f)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    violations = [line for line in done.stdout.splitlines() if "violation:" in line]
    assert len(violations) == 1 and "not a string" in violations[0]
