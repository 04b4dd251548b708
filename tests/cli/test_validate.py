"""`ccsig validate --engine` and `--shapes`: the command over ccsig.validate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES

STEWARD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix ccsig: <https://w3id.org/ccsig#> .
<urn:example:must-signal> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path ccsig:contentUsage ; sh:minCount 1 ;
                sh:message "every dataset must carry a CC signal" ] .
"""


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["validate", *args])
    return done.exit_code, done.stdout


def test_steward_shapes_are_added_and_the_output_says_which_engine_ran(tmp_path: Path) -> None:
    shapes = tmp_path / "steward.ttl"
    shapes.write_text(STEWARD)
    code, out = _run(str(EXAMPLES / "unsigned-catalog.ttl"), "--shapes", str(shapes))
    assert code == 1
    assert out.count("every dataset must carry a CC signal") == 2
    assert "by the fast engine" in out


def test_both_engines_report_the_same_results(tmp_path: Path) -> None:
    shapes = tmp_path / "steward.ttl"
    shapes.write_text(STEWARD)
    files = [str(EXAMPLES / "broken" / "catalog.ttl"), str(EXAMPLES / "unsigned-catalog.ttl")]
    reports = {}
    for engine in ("fast", "reference"):
        code, out = _run(*files, "--shapes", str(shapes), "--engine", engine, "--format", "json")
        assert code == 1
        reports[engine] = json.loads(out)
    assert reports["fast"]["results"] == reports["reference"]["results"]
    assert {e["engine"] for e in reports["reference"]["engines"]} == {"reference"}


def test_default_output_names_no_engine() -> None:
    code, out = _run(str(EXAMPLES / "catalog.ttl"), "--format", "json")
    assert code == 0 and "engines" not in json.loads(out)


def test_an_unreadable_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """Issue 11 item 6: the readable files are validated and reported, the unreadable one
    gets one line on standard error, and the exit status is 2."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <a> .\n<a> <b> .\n")
    done = CliRunner().invoke(main, ["validate", str(EXAMPLES / "catalog.ttl"), str(bad)])
    assert done.exit_code == 2
    assert "conforms: 0 violations, 2 warnings in 1 file" in done.stdout
    assert done.stderr.strip() == f"ccsig: error: {bad}:2:9: . is not a valid RDF object"


def test_fail_on_warning_gates_a_file_with_warnings() -> None:
    catalog = str(EXAMPLES / "catalog.ttl")
    assert _run(catalog)[0] == 0
    assert _run(catalog, "--fail-on", "warning")[0] == 1
    assert _run(str(EXAMPLES / "unsigned-catalog.ttl"), "--fail-on", "warning")[0] == 0
