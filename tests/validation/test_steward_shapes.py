"""`shapes=`: a steward's shape files beside the shipped ones, run by both engines; what
the fast engine cannot evaluate exactly goes to pySHACL, and the report says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccsig.errors import InputError
from ccsig.validation.run import validate_files

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://steward.example/shapes#> .
"""
SIGNAL_REQUIRED = (
    PREFIXES
    + """
ex:EveryDatasetSignalled a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:property [
        sh:path ccsig:contentUsage ; sh:minCount 1 ;
        sh:severity sh:Warning ;
        sh:message "Every dataset of this portal states its AI-usage preferences." ] .
"""
)
TITLE_PATTERN = (
    PREFIXES
    + """
ex:TitleCapitalised a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:property [ sh:path dct:title ; sh:pattern "^[A-Z]" ; sh:message "Capitalise titles." ] .
"""
)
CATALOG = """@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://e.org/a> a dcat:Dataset ; dct:title "Signalled" ; ccsig:contentUsage "train-ai=n" .
<https://e.org/b> a dcat:Dataset ; dct:title "silent" .
<https://e.org/c> a dcat:Dataset ; dct:title "Broken" ; ccsig:contentUsage "Train-ai=n" .
[ a dcat:Dataset ; dct:title "anonymous" ] .
"""


def _unlabelled(report) -> list[tuple]:
    # separate reads give a blank node different ids (hex digits, 32 or fewer: pyoxigraph
    # drops leading zeros), with or without _:
    blot = re.compile(r"(_:)?\b[0-9a-f]{24,32}\b")
    return sorted(
        tuple(blot.sub("_:b", v) if isinstance(v, str) else v for v in r.to_json().values())
        for r in report.results
    )


@pytest.fixture
def catalog(tmp_path: Path) -> str:
    f = tmp_path / "catalog.ttl"
    f.write_text(CATALOG)
    return str(f)


def _shape_file(tmp_path: Path, text: str, name: str = "steward.ttl") -> str:
    f = tmp_path / name
    f.write_text(text)
    return str(f)


def test_every_dataset_must_carry_a_signal(tmp_path: Path, catalog: str) -> None:
    shapes = [_shape_file(tmp_path, SIGNAL_REQUIRED)]
    fast = validate_files([catalog], shapes=shapes)
    reference = validate_files([catalog], shapes=shapes, engine="reference")
    assert _unlabelled(fast) == _unlabelled(reference)
    unsignalled = {r.focus for r in fast.results if "AI-usage" in r.message}
    assert "https://e.org/b" in unsignalled and len(unsignalled) == 2  # b and the blank node
    assert all(r.severity == "warning" for r in fast.results if "AI-usage" in r.message)
    assert any("does not parse" in r.message for r in fast.results)  # the shipped shapes ran
    engines = {shape: engine for shape, engine, _ in fast.engines}
    assert engines["https://steward.example/shapes#EveryDatasetSignalled"] == "fast"
    assert set(engines.values()) == {"fast"}
    assert fast.to_json()["engines"][0] == {
        "shape": "https://w3id.org/ccsig/shapes#AnnotatedAssetShape",
        "engine": "fast",
        "reason": "",
    }


def test_what_the_fast_engine_cannot_evaluate_goes_to_pyshacl(tmp_path: Path, catalog: str) -> None:
    shapes = [_shape_file(tmp_path, TITLE_PATTERN)]
    fast = validate_files([catalog], shapes=shapes)
    reference = validate_files([catalog], shapes=shapes, engine="reference")
    assert _unlabelled(fast) == _unlabelled(reference)
    assert {r.focus for r in fast.results if r.message == "Capitalise titles."} >= {
        "https://e.org/b"
    }
    (why,) = [w for s, e, w in fast.engines if s.endswith("TitleCapitalised")]
    assert "sh:pattern" in why
    assert ("https://steward.example/shapes#TitleCapitalised", "reference") in {
        (s, e) for s, e, _ in fast.engines
    }


def test_a_steward_shape_may_extend_a_shipped_one(tmp_path: Path, catalog: str) -> None:
    extended = (
        PREFIXES
        + """@prefix ccsh: <https://w3id.org/ccsig/shapes#> .
ccsh:AnnotatedAssetShape sh:property [
    sh:path dct:title ; sh:maxCount 0 ; sh:message "No titles on signalled assets." ] .
"""
    )
    shapes = [_shape_file(tmp_path, extended)]
    fast = validate_files([catalog], shapes=shapes)
    reference = validate_files([catalog], shapes=shapes, engine="reference")
    assert _unlabelled(fast) == _unlabelled(reference)
    assert {r.focus for r in fast.results if r.message.startswith("No titles")} == {
        "https://e.org/a",
        "https://e.org/c",
    }


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            PREFIXES + "ex:S a sh:NodeShape ;\n  sh:targetClass dcat:Dataset ;\n  sh:minCount .\n",
            ":8:15:",
        ),
        ("@prefix sh: <http://www.w3.org/ns/shacl#> .\nex:S a sh:NodeShape .\n", ":2:"),
        ("", "no triples"),
    ],
)
def test_a_bad_shape_file_is_an_input_error(
    tmp_path: Path, catalog: str, text: str, where: str
) -> None:
    path = _shape_file(tmp_path, text, "bad.ttl")
    for engine in ("fast", "reference"):
        with pytest.raises(InputError) as e:
            validate_files([catalog], shapes=[path], engine=engine)
        assert str(e.value).startswith(path) and where in str(e.value)


def test_a_missing_shape_file(tmp_path: Path, catalog: str) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate_files([catalog], shapes=[str(tmp_path / "nope.ttl")])


SPARQL_SHAPES = (
    PREFIXES
    + """
ex:SignalledBySparql a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:severity sh:Warning ;
    sh:sparql [
        sh:message "{$this} ({?title}) carries no content-usage expression." ;
        sh:select \"\"\"
            SELECT $this ?title WHERE {
                $this <http://purl.org/dc/terms/title> ?title .
                FILTER NOT EXISTS { $this <https://w3id.org/ccsig#contentUsage> ?any }
            }\"\"\" ] .
ex:TitledOrSignalled a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:sparql [
        sh:message "Untitled." ;
        sh:select \"\"\"
            SELECT $this WHERE {
                OPTIONAL { $this <http://purl.org/dc/terms/title> ?t }
                FILTER (!BOUND(?t))
            }\"\"\" ] .
"""
)


def test_steward_sparql_constraints(tmp_path: Path, catalog: str) -> None:
    shapes = [_shape_file(tmp_path, SPARQL_SHAPES)]
    fast = validate_files([catalog], shapes=shapes)
    reference = validate_files([catalog], shapes=shapes, engine="reference")
    assert _unlabelled(fast) == _unlabelled(reference)
    messages = {r.message for r in fast.results if "carries no" in r.message}
    assert "https://e.org/b (silent) carries no content-usage expression." in messages
    assert len(messages) == 2  # b and the blank node, named by its label
    engines = {shape.rsplit("#", 1)[-1]: (e, why) for shape, e, why in fast.engines}
    assert engines["SignalledBySparql"] == ("fast", "")
    assert engines["TitledOrSignalled"][0] == "reference"
    assert "OPTIONAL" in engines["TitledOrSignalled"][1]


# ------------------------------------------------ malformed steward shapes (issue 11)

S = "ex:S a sh:NodeShape ; sh:targetClass dcat:Dataset ; "
NOT_SHACL = {
    # shape text -> what the one-line error names
    S + 'sh:property [ sh:path dct:title ; sh:minCount "-1" ; sh:message "m" ] .': "sh:minCount",
    S + 'sh:or "lit" ; sh:message "m" .': "sh:or",
    S + 'sh:or ex:notalist ; sh:message "m" .': "sh:or",
    S + 'sh:in "a" ; sh:message "m" .': "sh:in",
    S + 'sh:property "x" .': "sh:path",
    S + 'sh:property [ sh:minCount 1 ; sh:message "m" ] .': "must conform",  # no sh:path
    S + 'sh:property [ sh:path ( dct:title ) ; sh:minCount 1 ; sh:message "m" ] .': "conform",
    'ex:S sh:targetSubjectsOf "x" ; sh:message "m" ; sh:path dct:title ; sh:maxCount 0 .': "Kind",
    S + 'sh:node ex:T ; sh:message "m" . ex:T sh:property ex:S .': "sh:path",  # looped forever
    S + 'sh:node ex:T ; sh:message "m" . ex:T sh:node ex:S ; sh:message "t" .': "reaches itself",
    S + 'sh:sparql "lit" .': "sh:select",  # what pySHACL itself cannot load
    S + 'sh:sparql [ sh:select "NOT SPARQL" ; sh:message "m" ] .': "pySHACL",
    S
    + 'sh:sparql [ sh:select "SELECT $this {}" ; sh:message "m" ; sh:prefixes [ sh:declare "x" ] ] .': "sh:declare",  # noqa: E501
}


@pytest.mark.parametrize("shape", sorted(NOT_SHACL))
def test_a_shapes_file_that_is_not_valid_shacl_is_one_clear_line(
    tmp_path: Path, catalog: str, shape: str
) -> None:
    # regression: AssertionError, ShapeLoadError, ConstraintLoadError or ParseException
    # (with pySHACL's own log lines on stderr), or an endless loop in the fast engine
    from click.testing import CliRunner

    from ccsig.cli import main

    shapes = _shape_file(tmp_path, PREFIXES + shape)
    done = CliRunner().invoke(main, ["validate", catalog, "--shapes", shapes])
    assert done.exit_code == 2, done.output
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert shapes in done.stderr
    assert NOT_SHACL[shape] in done.stderr
    assert "Error:" not in done.stderr.split("error:", 1)[1]  # no internal exception name


ODD_BUT_VALID = [
    S + 'sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ; sh:message "m" ; '
    'sh:prefixes "x" ] .',
    S + 'sh:node "x" ; sh:message "m" .',
    S + 'sh:in ( "a" ) ; sh:message "m" .',
]


@pytest.mark.parametrize("shape", ODD_BUT_VALID)
def test_shapes_the_fast_engine_cannot_read_go_to_pyshacl(
    tmp_path: Path, catalog: str, shape: str
) -> None:
    # regression: each was an AssertionError in the fast engine's shape compiler
    shapes = [_shape_file(tmp_path, PREFIXES + shape)]
    report = validate_files([catalog], shapes=shapes)
    (why,) = [w for s, e, w in report.engines if s.endswith("#S") and e == "reference"]
    assert why
    reference = validate_files([catalog], shapes=shapes, engine="reference")
    assert report.results == reference.results
