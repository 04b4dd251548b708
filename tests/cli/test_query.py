"""`ccsig query`: labels as the rest of the CLI takes them, every query form, and why a
question answered nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES

CATALOG = str(EXAMPLES / "catalog.ttl")
CCSIG = "https://w3id.org/ccsig#"


def _query(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["query", *args])
    return done.exit_code, done.stdout, done.stderr


def test_a_category_label_binds_the_category_of_the_vocabulary() -> None:
    # regression: `--bind category=train-genai` bound the plain string, 0 rows, exit 0
    code, by_label, _ = _query("signal-needed", CATALOG, "--bind", "category=train-genai")
    assert code == 0
    code, by_iri, _ = _query(
        "signal-needed", CATALOG, "--bind", "category=ccsig:aipref-02.train-genai"
    )
    assert code == 0 and by_label == by_iri and "(0 rows)" not in by_label


def test_a_label_the_vocabulary_does_not_have_is_exit_2() -> None:
    code, out, err = _query(
        "signal-needed", CATALOG, "--bind", "category=train-ai", "--vocabulary", "aipref-07"
    )
    assert code == 0
    code, out, err = _query("signal-needed", CATALOG, "--bind", "category=no-such")
    assert code == 2 and out == "" and err.count("\n") <= 1
    assert "no-such" in err and "train-genai" in err


def test_binding_a_variable_the_question_does_not_have_is_exit_2() -> None:
    code, _, err = _query("signal-needed", CATALOG, "--bind", "categry=train-genai")
    assert code == 2 and "categry" in err and "?category" in err


def test_no_rows_with_a_plain_string_bound_says_why(tmp_path: Path) -> None:
    user = tmp_path / "mine.rq"
    user.write_text("SELECT ?s ?category WHERE { ?s a ?category }\n")
    code, out, err = _query(str(user), CATALOG, "--bind", "category=train-ai")
    assert code == 0 and "(0 rows)" in out
    assert "?category" in err and "plain string" in err and "<" in err


# ------------------------------------------------------------------ item 10: every query form


def _rq(tmp_path: Path, text: str) -> str:
    path = tmp_path / "q.rq"
    path.write_text(text)
    return str(path)


ASK_TRUE = "PREFIX ccsig: <https://w3id.org/ccsig#>\nASK { ?s ccsig:contentUsage ?o }\n"
ASK_FALSE = "ASK { <urn:nothing> ?p ?o }\n"


@pytest.mark.parametrize(
    ("text", "args", "printed", "code"),
    [
        (ASK_TRUE, (), "true\n", 0),
        (ASK_FALSE, (), "false\n", 1),
        (ASK_TRUE, ("--fail-on", "true"), "true\n", 1),
        (ASK_FALSE, ("--fail-on", "true"), "false\n", 0),
        (ASK_FALSE, ("--fail-on", "false"), "false\n", 1),
    ],
)
def test_ask_prints_its_answer_and_exits_by_it(
    tmp_path: Path, text: str, args: tuple[str, ...], printed: str, code: int
) -> None:
    # regression: AttributeError: 'pyoxigraph.QueryBoolean' object has no attribute 'variables'
    got, out, err = _query(_rq(tmp_path, text), CATALOG, *args)
    assert (got, out) == (code, printed), err


def test_ask_as_json_is_the_sparql_results_boolean(tmp_path: Path) -> None:
    code, out, _ = _query(_rq(tmp_path, ASK_TRUE), CATALOG, "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("fmt", "syntax"),
    [
        ("text", ox.RdfFormat.TURTLE),
        ("turtle", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("json-ld", ox.RdfFormat.JSON_LD),
        ("xml", ox.RdfFormat.RDF_XML),
    ],
)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_construct_and_describe_write_rdf(
    tmp_path: Path, fmt: str, syntax: ox.RdfFormat, form: str
) -> None:
    text = "PREFIX ccsig: <https://w3id.org/ccsig#>\n" + (
        "CONSTRUCT { ?s ccsig:contentUsage ?o } WHERE { ?s ccsig:contentUsage ?o }\n"
        if form == "CONSTRUCT"
        else "DESCRIBE ?s WHERE { ?s ccsig:contentUsage ?o }\n"
    )
    code, out, err = _query(_rq(tmp_path, text), CATALOG, "--format", fmt)
    assert code == 0, err
    triples = list(ox.parse(out.encode(), format=syntax))
    assert any(q.predicate.value == CCSIG + "contentUsage" for q in triples)


def test_rdf_formats_are_for_graph_answers_only() -> None:
    code, _, err = _query("summary", CATALOG, "--format", "turtle")
    assert code == 2 and "SELECT" in err and err.count("\n") == 1


def test_list_as_json() -> None:
    # regression: --format json was ignored by --list
    code, out, _ = _query("--list", "--format", "json")
    listed = {item["name"]: item for item in json.loads(out)}
    assert code == 0 and listed["conflicts"]["parameters"] == ["category"]
    assert listed["summary"]["question"].endswith("?")


# --- deeply nested queries (issue 12: pyoxigraph's parser overflowed its stack, exit 139)


@pytest.mark.parametrize(
    "body",
    [
        "{" * 100_000 + " ?s ?p ?o " + "}" * 100_000,
        "{ FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
        "{ ?s ?p ?o FILTER(" + "!" * 100_000 + "true) }",
        # pyoxigraph reads this < as less-than, not as an IRI
        "{ BIND(1<" + "(" * 100_000 + "1" + ")" * 100_000 + ">0 AS ?x) }",
    ],
    ids=["braces", "parentheses", "negations", "less-than"],
)
@pytest.mark.parametrize("service", [[], ["--allow-service"]], ids=["", "allow-service"])
def test_a_deeply_nested_query_is_one_line_not_a_crash(
    tmp_path: Path, body: str, service: list[str]
) -> None:
    import subprocess
    import sys

    f = tmp_path / "deep.rq"
    f.write_text("SELECT * WHERE " + body)
    # a subprocess: before the fix the parser's stack overflow killed the process
    done = subprocess.run(
        [sys.executable, "-m", "ccsig.cli", "query", *service, str(f), CATALOG],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"{f}:1:" in done.stderr
    assert "nests more than 256 deep" in done.stderr and "Error" not in done.stderr


def test_a_query_nested_as_deep_as_allowed_runs(tmp_path: Path) -> None:
    f = tmp_path / "deep.rq"
    # the group, the FILTER's parenthesis and 254 more: 256 levels
    f.write_text("ASK { FILTER(" + "(" * 254 + "true" + ")" * 254 + ") }")
    code, out, err = _query("--allow-service", str(f), CATALOG)
    assert (code, out) == (0, "true\n"), err


@pytest.mark.parametrize("name", ["nested-less-than.rq.hostile", "nested-braces.rq.hostile"])
def test_the_nested_queries_of_the_hostile_corpus_are_one_line(name: str) -> None:
    from tests.helpers.paths import DATA

    for service in ([], ["--allow-service"]):
        code, out, err = _query(*service, str(DATA / "hostile" / name), CATALOG)
        assert code == 2 and out == "" and "nests more than 256 deep" in err
