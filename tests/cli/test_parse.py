"""The `ccsig parse` command-line contract, through click's CliRunner and the
installed `ccsig` executable."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from ccsig.cli import main

JSON_KEYS = {
    "expression",
    "vocabulary",
    "parsed",
    "preferences",
    "exceptions",
    "effective",
    "effective_exceptions",
    "canonical",
    "warnings",
}
CCSIG = "https://w3id.org/ccsig#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ALL_VOCABULARIES = [f"aipref-0{n}" for n in range(1, 8)]


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def ccsig_executable() -> str:
    found = shutil.which("ccsig", path=str(Path(sys.executable).parent)) or shutil.which("ccsig")
    if found is None:
        pytest.skip("the ccsig console script is not installed")
    return found


def test_json_has_exactly_the_documented_keys() -> None:
    result = run("parse", "train-genai=n;exceptions=cc-cr-ec", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert data["expression"] == "train-genai=n;exceptions=cc-cr-ec"
    assert data["vocabulary"] == "aipref-02"
    assert data["parsed"] is True
    assert data["preferences"]["train-genai"] == "disallow"
    assert data["exceptions"] == {"train-genai": "cc-cr-ec"}
    assert data["effective_exceptions"] == {"train-genai": "cc-cr-ec"}
    assert data["canonical"] == "train-genai=n;exceptions=cc-cr-ec"
    assert data["warnings"] == []


@pytest.mark.parametrize("expression", ["Train-ai=n", "train-ai=n,", "", "nonsense=("])
def test_exit_zero_when_nothing_parses_or_nothing_is_stated(expression: str) -> None:
    result = run("parse", expression, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["preferences"].values()) == {"unknown"}
    assert data["parsed"] is (expression == "")


@pytest.mark.parametrize("vocabulary", ALL_VOCABULARIES)
def test_vocabulary_option_selects_the_labels(vocabulary: str) -> None:
    result = run("parse", "train-ai=n", "--vocabulary", vocabulary, "--format", "json")
    data = json.loads(result.stdout)
    assert data["vocabulary"] == vocabulary
    expected = "unknown" if vocabulary == "aipref-01" else "disallow"  # -01 says `ai`
    assert data["preferences"].get("train-ai", "unknown") == expected


@pytest.mark.parametrize("expression", ["train-ai=n", "-"])
def test_unknown_vocabulary_is_one_line_and_exit_2(expression: str) -> None:
    result = run("parse", expression, "--vocabulary", "nope", stdin=b"train-ai=n\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "nope" in lines[0]
    assert all(name in lines[0] for name in ALL_VOCABULARIES)
    assert "Traceback" not in result.stderr


def test_unknown_vocabulary_in_a_real_process() -> None:
    done = subprocess.run(
        [ccsig_executable(), "parse", "train-ai=n", "--vocabulary", "nope"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert len(done.stderr.splitlines()) == 1
    assert b"aipref-02" in done.stderr and b"Traceback" not in done.stderr


# stdin: raw bytes, only "\n" or "\r\n" removed; everything else stays in the expression.
STDIN_LINES = [
    (b"train-ai=n\r\n", "train-ai=n", True, "disallow"),
    # RFC 9651 §4.2.2 step 6 discards OWS (SP / HTAB) after a member: parses.
    (b"train-ai=n\t\n", "train-ai=n\t", True, "disallow"),
    (b"train-ai=n \n", "train-ai=n ", True, "disallow"),
    (b"\xff\n", "\\xff", False, "unknown"),
    # Only one "\r\n" is a line ending: the other "\r" stays and the dictionary fails.
    (b"train-ai=n\r\r\n", "train-ai=n\r", False, "unknown"),
    (b"\n", "", True, "unknown"),  # empty field value: empty dictionary (RFC 9651 §4.2)
    (b" \n", " ", True, "unknown"),  # RFC 9651 §4.2 discards leading SP
    (b"\t\n", "\t", False, "unknown"),  # ...but not HTAB: a tab alone does not parse
    (b"train-ai=n\r\n", "train-ai=n", True, "disallow"),  # repeated line, same answer
    (b"train-ai=y", "train-ai=y", True, "allow"),  # last line without a line ending
]


def check_jsonl(output: bytes) -> None:
    lines = output.split(b"\n")
    assert lines[-1] == b""  # every object ends with a newline
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == len(STDIN_LINES)
    for obj, (_raw, expression, parsed, train_ai) in zip(objects, STDIN_LINES, strict=True):
        assert set(obj) == JSON_KEYS
        assert obj["expression"] == expression
        assert obj["parsed"] is parsed, obj
        assert obj["preferences"]["train-ai"] == train_ai
        if not parsed:
            assert set(obj["effective"].values()) == {"unknown"}
            assert any("does not parse" in w for w in obj["warnings"])


def test_stdin_jsonl_one_object_per_line_in_order() -> None:
    result = run("parse", "-", "--format", "jsonl", stdin=b"".join(r for r, *_ in STDIN_LINES))
    assert result.exit_code == 0, result.output
    check_jsonl(result.stdout_bytes)


def test_stdin_jsonl_in_a_real_process() -> None:
    done = subprocess.run(
        [ccsig_executable(), "parse", "-"],  # jsonl is the default for `-`
        input=b"".join(r for r, *_ in STDIN_LINES),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    check_jsonl(done.stdout)


def test_turtle_output_parses_and_holds_a_statement() -> None:
    result = run("parse", "all=n;exceptions=cc-cr", "--format", "turtle")
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE))
    statements = [
        t.subject
        for t in triples
        if t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(CCSIG + "Statement")
    ]
    assert len(statements) == 1
    expressions = [
        t.object.value
        for t in triples
        if t.subject == statements[0] and t.predicate == ox.NamedNode(CCSIG + "expression")
    ]
    assert expressions == ["all=n;exceptions=cc-cr"]
    assert any(t.object == ox.NamedNode(CCSIG + "disallow") for t in triples)


def test_json_ld_output_parses_to_the_same_graph_as_turtle() -> None:
    expression = "train-ai=n, train-genai=y"
    turtle = run("parse", expression, "--format", "turtle")
    json_ld = run("parse", expression, "--format", "json-ld")
    assert json_ld.exit_code == 0, json_ld.output
    assert "@context" in json.loads(json_ld.stdout)
    from_ld = rdflib.Graph().parse(data=json_ld.stdout, format="json-ld")
    from_ttl = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    statement = rdflib.URIRef(CCSIG + "Statement")
    assert len(list(from_ld.subjects(rdflib.RDF.type, statement))) == 1
    # The annotated asset (`_:asset ccsig:contentUsage "..."`) is part of both outputs.
    content_usage = rdflib.URIRef(CCSIG + "contentUsage")
    assert list(from_ttl.objects(None, content_usage)) == [rdflib.Literal(expression)]
    assert list(from_ld.objects(None, content_usage)) == [rdflib.Literal(expression)]
    assert isomorphic(from_ld, from_ttl)


def _table(text: str) -> dict[str, tuple[int, list[str]]]:
    """Rows of the category table: label -> (indent, [explicit, effective, exception...])."""
    rows = {}
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("category"))
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[0]] = (len(line) - len(line.lstrip(" ")), cells[1:])
    return rows


def test_text_shows_the_category_tree() -> None:
    result = run("parse", "all=n;exceptions=cc-cr, train-ai=y")
    assert result.exit_code == 0, result.output
    rows = _table(result.stdout)
    assert list(rows) == ["all", "train-ai", "train-genai", "ai-use", "search"]
    assert [rows[label][0] for label in rows] == [0, 2, 4, 2, 2]
    assert rows["all"][1] == ["disallow", "disallow", "cc-cr"]
    assert rows["train-genai"][1] == ["unknown", "allow"]
    assert rows["search"][1] == ["unknown", "disallow", "cc-cr", "(inherited)"]


def test_text_tree_follows_the_vocabulary() -> None:
    rows = _table(run("parse", "ai-output=n", "--vocabulary", "aipref-04").stdout)
    assert {label: indent for label, (indent, _) in rows.items()} == {
        "bots": 0,
        "train-ai": 2,
        "ai-output": 2,
        "search": 4,
    }
    assert rows["search"][1] == ["unknown", "disallow"]


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_group_help(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    for command in ("parse", "validate", "vocab"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M)


def test_parse_help_explains_the_default_vocabulary() -> None:
    result = run("parse", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "EXPRESSION" in text and "--vocabulary" in text and "--format" in text
    assert re.search(r"default is aipref-02 because CC signals 0\.1 .*\(ai-use, train-", text)
