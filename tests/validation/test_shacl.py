"""`ccsig validate`: lifting plus SHACL over every input syntax, the shipped
examples, and the one-line, exit-2 handling of inputs that cannot be read."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsig.cli import main
from ccsig.validation.run import validate_files
from tests.helpers.paths import EXAMPLES

EX = "https://data.example.org/"


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def validate_json(*args: str) -> tuple[int, dict]:
    code, out, err = run("validate", "--format", "json", *args)
    assert code in (0, 1), err
    return code, json.loads(out)


# --- the shipped examples --------------------------------------------------------


def test_examples_conform_with_the_intended_warnings() -> None:
    code, report = validate_json(str(EXAMPLES / "catalog.ttl"), str(EXAMPLES / "croissant.json"))
    assert code == 0 and report["conforms"] is True
    warned = {(Path(r["file"]).name, r["focus"].rsplit("/", 1)[-1]) for r in report["results"]}
    assert warned == {
        ("catalog.ttl", "newspapers"),
        ("catalog.ttl", "census"),
        ("croissant.json", "transcripts.csv"),
    }
    assert {r["severity"] for r in report["results"]} == {"warning"}
    census = next(r for r in report["results"] if r["focus"].endswith("census"))
    assert "genai" in census["message"] and "aipref-02" in census["message"]
    assert census["path"] == "https://w3id.org/ccsig#contentUsage"


def test_broken_examples_fail_with_one_violation_per_dataset() -> None:
    code, report = validate_json(str(EXAMPLES / "broken" / "catalog.ttl"))
    assert code == 1 and report["conforms"] is False
    by_focus = {r["focus"].removeprefix(EX + "broken/"): r for r in report["results"]}
    assert set(by_focus) == {
        "uppercase",
        "trailing-comma",
        "licence-as-signal",
        "quoted-signal",
        "number",
        "link",
    }
    assert all(r["severity"] == "violation" for r in report["results"])
    assert "does not parse" in by_focus["uppercase"]["message"]
    assert "trailing comma" in by_focus["trailing-comma"]["message"]
    assert "cc-by" in by_focus["licence-as-signal"]["message"]
    assert "not a string" in by_focus["number"]["message"]


def test_json_report_shape() -> None:
    _, report = validate_json(str(EXAMPLES / "broken" / "croissant.json"))
    assert set(report) == {"conforms", "results"}
    (result,) = report["results"]
    assert {"severity", "focus", "path", "message", "file"} <= set(result)
    assert result["focus"].startswith("_:")  # the Croissant dataset is a blank node
    assert result["file"].endswith("croissant.json")


def test_text_report_ends_with_a_summary() -> None:
    code, out, _ = run("validate", str(EXAMPLES / "broken" / "catalog.ttl"))
    assert code == 1
    assert out.splitlines()[-1] == "does not conform: 6 violations, 0 warnings in 1 file"


# --- every RDF syntax gives the same answer --------------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("nt", ".nt"), ("xml", ".rdf"), ("json-ld", ".jsonld"), ("trig", ".trig")]
)
def test_same_results_in_every_syntax(tmp_path: Path, fmt: str, suffix: str) -> None:
    source = EXAMPLES / "broken" / "catalog.ttl"
    g = rdflib.Graph().parse(source)
    converted = tmp_path / f"catalog{suffix}"
    converted.write_text(g.serialize(format=fmt))
    expected = validate_files([str(source)]).results
    got = validate_files([str(converted)]).results
    assert [(r.severity, r.focus, r.message) for r in got] == [
        (r.severity, r.focus, r.message) for r in expected
    ]


def test_stdin_with_input_format() -> None:
    data = (EXAMPLES / "broken" / "catalog.ttl").read_bytes()
    code, out, _ = run("validate", "-", "--format", "json", input=data)
    assert code == 1 and len(json.loads(out)["results"]) == 6


def test_vocabulary_option_changes_what_is_known(tmp_path: Path) -> None:
    f = tmp_path / "d.ttl"
    f.write_text('<https://e.org/d> <https://w3id.org/ccsig#contentUsage> "genai=n" .\n')
    _, under_02 = validate_json(str(f))
    _, under_01 = validate_json(str(f), "--vocabulary", "aipref-01")
    assert len(under_02["results"]) == 1 and under_01["results"] == []


def test_structured_statements_are_checked(tmp_path: Path) -> None:
    f = tmp_path / "structured.ttl"
    f.write_text(
        """@prefix ccsig: <https://w3id.org/ccsig#> .
        <https://e.org/good> a ccsig:Statement ; ccsig:about <https://e.org/d> ;
            ccsig:vocabulary ccsig:aipref-02 ;
            ccsig:preference [ a ccsig:Preference ; ccsig:category ccsig:aipref-02.train-genai ;
                               ccsig:value ccsig:disallow ; ccsig:exception ccsig:cc-cr ] .
        <https://e.org/bad> a ccsig:Statement ;
            ccsig:preference <https://e.org/bad#p> .
        <https://e.org/bad#p> a ccsig:Preference ; ccsig:value ccsig:unknown ;
            ccsig:exception ccsig:Credit .
        """
    )
    code, report = validate_json(str(f))
    assert code == 1
    focuses = {r["focus"] for r in report["results"] if r["severity"] == "violation"}
    assert focuses == {"https://e.org/bad", "https://e.org/bad#p"}
    paths = {r["path"] for r in report["results"] if r["focus"] == "https://e.org/bad#p"}
    assert {"https://w3id.org/ccsig#value", "https://w3id.org/ccsig#exception"} <= paths


# --- inputs that cannot be read: one line, exit 2, nothing else ------------------


def test_language_tagged_and_directional_strings_are_read_as_strings(tmp_path: Path) -> None:
    # regression: "all=n"@en--ltr was lifted by neither validate engine (so "All=n"@en--ltr
    # passed), and every language-tagged value gave its lifted statement the violation
    # "A statement is read from at most one expression, and it is a string."
    f = tmp_path / "tagged.ttl"
    f.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        '<https://e.org/lang> ccsig:contentUsage "all=n"@en .\n'
        '<https://e.org/dir> ccsig:contentUsage "all=n"@ar--rtl .\n'
        '<https://e.org/broken> ccsig:contentUsage "All=n"@en--ltr .\n'
        '<https://e.org/typed> ccsig:contentUsage "all=n"^^<https://e.org/expression> .\n'
    )
    for engine in ("fast", "reference"):
        report = validate_files([str(f)], engine=engine)
        found = sorted((r.focus, r.message.split(" (")[0][:40]) for r in report.results)
        assert found == [
            ("https://e.org/broken", "The expression All=n does not parse"),
            ("https://e.org/typed", "A contentUsage value must be a string ho"),
        ], engine


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.ttl", b'@prefix ex: <http://e/> .\nex:a ex:b "x" .\nex:c ex:d "open\n', "bad.ttl:3:"),
        ("bad.nt", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> x .\n", "bad.nt:2:"),
        ("bad.jsonld", b'{"@id": "http://a",\n "http://b": [1, 2,]}', "bad.jsonld:2:"),
        (
            "bad.rdf",
            b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
            b"<rdf:Description rdf:about='http://a'>\n</rdf:RDF>",
            "bad.rdf",
        ),
        ("garbage.ttl", bytes(range(256)) * 4, "garbage.ttl"),
        # pyoxigraph's "at line N between columns A and B" form (regression)
        (
            "subject.ttl",
            b'@prefix ex: <http://e/> .\nex:a ex:p "x" .\n"lit" ex:p ex:o .\n',
            "subject.ttl:3:",
        ),
        ("latin1.jsonld", '{"name": "caf\xe9"}'.encode("latin-1"), "latin1.jsonld"),
        ("data.csv", b"a,b\n1,2\n", "--input-format"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    code, out, err = run("validate", str(f))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("ccsig: error: ") and expected in err
    assert "Traceback" not in err


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for target, words in ((tmp_path / "nope.ttl", "no such file"), (tmp_path, "directory")):
        code, _, err = run("validate", str(target))
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1


def test_empty_file_conforms(tmp_path: Path) -> None:
    f = tmp_path / "empty.ttl"
    f.write_bytes(b"")
    assert run("validate", str(f))[0] == 0


# --- JSON-LD contexts: nothing fetched unless asked -----------------------------


@pytest.fixture
def context_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 serving one JSON-LD context; records requests."""
    (tmp_path / "ctx.jsonld").write_text(
        json.dumps({"@context": {"cu": {"@id": "https://w3id.org/ccsig#contentUsage"}}})
    )
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path), **kw)

        def log_message(self, *args):
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/ctx.jsonld", requests
    finally:
        server.shutdown()
        server.server_close()


def test_remote_context_refused_and_not_fetched(tmp_path: Path, context_server) -> None:
    url, requests = context_server
    f = tmp_path / "doc.jsonld"
    f.write_text(json.dumps({"@context": url, "@id": "https://e.org/d", "cu": "Train-ai=n"}))
    code, out, err = run("validate", str(f))
    assert code == 2 and url in err and "--allow-remote-contexts" in err
    assert requests == []


def test_remote_context_loaded_when_allowed(tmp_path: Path, context_server) -> None:
    url, requests = context_server
    f = tmp_path / "doc.jsonld"
    f.write_text(json.dumps({"@context": url, "@id": "https://e.org/d", "cu": "Train-ai=n"}))
    code, report = validate_json(str(f), "--allow-remote-contexts")
    assert requests == ["/ctx.jsonld"]
    assert code == 1 and "does not parse" in report["results"][0]["message"]


def test_ccsig_context_resolves_offline(tmp_path: Path) -> None:
    f = tmp_path / "doc.jsonld"
    f.write_text(
        json.dumps(
            {
                "@context": "https://w3id.org/ccsig/context.jsonld",
                "@id": "https://e.org/d",
                "contentUsage": "train-genai=n;exceptions=cc-xx",
            }
        )
    )
    code, report = validate_json(str(f))
    assert code == 1 and "cc-xx" in report["results"][0]["message"]


def test_relative_local_context_is_read_from_disk(tmp_path: Path) -> None:
    (tmp_path / "local.jsonld").write_text(
        json.dumps({"@context": {"cu": "https://w3id.org/ccsig#contentUsage"}})
    )
    f = tmp_path / "doc.jsonld"
    f.write_text(json.dumps({"@context": "local.jsonld", "@id": "https://e.org/d", "cu": "all=n"}))
    assert run("validate", str(f))[0] == 0


# --- any bytes, any syntax: never a traceback -------------------------------------


_RDFISH = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet='<>"@{}[]:,.;_ \n\\#-=abcxyz01ccsig/', max_size=300).map(str.encode),
    st.builds(
        lambda v: (
            '@prefix ccsig: <https://w3id.org/ccsig#> .\n<https://e.org/d> ccsig:contentUsage "'
            + v
            + '" .\n'
        ).encode("utf-8", "surrogatepass"),
        st.text(max_size=60).map(lambda s: s.replace("\\", "").replace('"', "")),
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_RDFISH, suffix=st.sampled_from([".ttl", ".nt", ".jsonld", ".rdf", ".trig", ".nq"]))
def test_any_bytes_in_any_syntax(tmp_path: Path, data: bytes, suffix: str) -> None:
    f = tmp_path / f"fuzz{suffix}"
    f.write_bytes(data)
    code, out, err = run("validate", "--format", "json", str(f))
    assert "Traceback" not in err
    if code == 2:
        assert out == "" and len(err.strip().splitlines()) == 1
    else:
        assert code in (0, 1) and json.loads(out)["conforms"] is (code == 0)
