"""The shipped questions unsignalled, conflicts, signal-needed and summary, answered by both
engines over small catalogs, and the `ccsig query` command that runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.answer.query import load_question
from ccsig.cli import main
from ccsig.lift.literals import statement_iri
from ccsig.reason.engine import ENGINES, Engine, open_engine
from tests.helpers.paths import EXAMPLES

CCSIG = "https://w3id.org/ccsig#"
EX = "https://e.org/"
DCAT_DATASET = ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")
SCHEMA_DATASET = ox.NamedNode("https://schema.org/Dataset")
ASSET = ox.NamedNode(CCSIG + "Asset")
SHIPPED = ("unsignalled", "conflicts", "signal-needed", "summary")

# Each asset exercises one case; the comment says what the questions should make of it.
CATALOG = """\
@prefix ccsig:      <https://w3id.org/ccsig#> .
@prefix dcat:       <http://www.w3.org/ns/dcat#> .
@prefix schema:     <https://schema.org/> .
@prefix schemahttp: <http://schema.org/> .
@prefix ex:         <https://e.org/> .

# conflict on train-ai and train-genai (all=y reaches them), not on all
ex:a a dcat:Dataset ; ccsig:contentUsage "all=y", "train-ai=n" .
# two signals needed for train-genai; disallows only, so no conflict
ex:b a dcat:Dataset ; ccsig:contentUsage "train-genai=n;exceptions=cc-cr-ec",
    "train-genai=n;exceptions=cc-cr", "train-genai=n;exceptions=cc-cr, search=y" .
# a plain disallow of train-genai: no signal helps there; train-ai needs cc-cr-op
ex:c a dcat:Dataset ; ccsig:contentUsage "train-genai=n", "train-ai=n;exceptions=cc-cr-op" .
# no statement at all, in several ways
ex:d a dcat:Dataset .
ex:e a schemahttp:Dataset .
ex:f a schema:Dataset, dcat:Dataset .
ex:g a ccsig:Asset .
ex:i a dcat:Distribution ; ccsig:contentUsage 42 .
# a statement that does not parse: signalled, but unparsed
ex:h a dcat:Dataset ; ccsig:contentUsage "search=" .
# search: allow against disallow-with-exception is a conflict; train-ai=maybe states nothing
ex:j a dcat:Dataset ; ccsig:contentUsage "train-ai=y, search=y",
    "search=n;exceptions=cc-cr, train-ai=maybe", "search=" .
# allowed by train-ai=y, disallowed (with exception) by train-genai=n: conflict on train-genai
ex:k a dcat:Dataset ; ccsig:contentUsage "train-ai=y", "train-genai=n;exceptions=cc-cr" .
# cc-cr asked twice for train-genai (all and train-genai): one row
ex:m a dcat:Dataset ;
    ccsig:contentUsage "all=n;exceptions=cc-cr", "train-genai=n;exceptions=cc-cr" .
# an exception naming no known signal is a plain disallow; genai is not an aipref-02 label
ex:n a dcat:Dataset ; ccsig:contentUsage "search=n;exceptions=cc-nope, genai=y" .
"""


def iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def cat(label: str) -> ox.NamedNode:
    return ox.NamedNode(f"{CCSIG}aipref-02.{label}")


def stmt(asset: str, expression: str) -> ox.NamedNode:
    """The IRI lifting gives the statement of `expression` about ex:`asset`."""
    return statement_iri(iri(asset), ox.Literal(expression), "aipref-02")


def lit(value: str | int) -> ox.Literal:
    return ox.Literal(value)


def ask(engine: Engine, name: str, **bindings: ox.Term) -> list[dict]:
    return engine.select(load_question(name).text, bindings)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "catalog.ttl"
    path.write_text(CATALOG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def engines(catalog: Path) -> dict[str, Engine]:
    return {name: open_engine([catalog], name) for name in ENGINES}


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, engines: dict[str, Engine]) -> Engine:
    return engines[request.param]


# ------------------------------------------------------------------ unsignalled


def test_unsignalled_lists_assets_without_any_statement(engine: Engine) -> None:
    assert ask(engine, "unsignalled") == [
        {"asset": iri("d"), "type": DCAT_DATASET},
        {"asset": iri("e"), "type": SCHEMA_DATASET},  # http schema.org, by reasoning
        {"asset": iri("f"), "type": DCAT_DATASET},  # dcat first when both
        {"asset": iri("g"), "type": ASSET},
        {"asset": iri("i"), "type": ASSET},  # a contentUsage that is no string
    ]


def test_unsignalled_takes_a_bound_asset(engine: Engine) -> None:
    assert ask(engine, "unsignalled", asset=iri("e")) == [
        {"asset": iri("e"), "type": SCHEMA_DATASET}
    ]
    assert ask(engine, "unsignalled", asset=iri("a")) == []


@pytest.mark.parametrize("name", ENGINES)
def test_unsignalled_over_the_example_catalog_is_empty(name: str) -> None:
    e = open_engine([EXAMPLES / "catalog.ttl"], name)
    assert ask(e, "unsignalled") == []


@pytest.mark.parametrize("name", ENGINES)
def test_a_signal_in_another_file_makes_a_dataset_signalled(name: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first.ttl", tmp_path / "second.ttl"
    first.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "<https://e.org/x> a dcat:Dataset .\n<https://e.org/y> a dcat:Dataset .\n",
        encoding="utf-8",
    )
    second.write_text(
        '<https://e.org/x> <https://w3id.org/ccsig#contentUsage> "all=y" .\n', encoding="utf-8"
    )
    assert ask(open_engine([first], name), "unsignalled") == [
        {"asset": iri("x"), "type": DCAT_DATASET},
        {"asset": iri("y"), "type": DCAT_DATASET},
    ]
    assert ask(open_engine([first, second], name), "unsignalled") == [
        {"asset": iri("y"), "type": DCAT_DATASET}
    ]


# ------------------------------------------------------------------ conflicts


def conflict(asset: str, label: str, allowing: str, disallowing: str) -> dict:
    return {
        "category": cat(label),
        "asset": iri(asset),
        "label": lit(label),
        "allowing": stmt(asset, allowing),
        "disallowing": stmt(asset, disallowing),
        "allowingExpression": lit(allowing),
        "disallowingExpression": lit(disallowing),
    }


A_TRAIN_AI = conflict("a", "train-ai", "all=y", "train-ai=n")
A_TRAIN_GENAI = conflict("a", "train-genai", "all=y", "train-ai=n")
J_SEARCH = conflict(
    "j", "search", "train-ai=y, search=y", "search=n;exceptions=cc-cr, train-ai=maybe"
)
K_TRAIN_GENAI = conflict("k", "train-genai", "train-ai=y", "train-genai=n;exceptions=cc-cr")


def test_conflicts_over_every_category(engine: Engine) -> None:
    assert ask(engine, "conflicts") == [A_TRAIN_AI, A_TRAIN_GENAI, J_SEARCH, K_TRAIN_GENAI]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("train-ai", [A_TRAIN_AI]),
        ("train-genai", [A_TRAIN_GENAI, K_TRAIN_GENAI]),
        ("search", [J_SEARCH]),
        ("all", []),
        ("ai-use", []),
    ],
)
def test_conflicts_for_one_category(engine: Engine, label: str, expected: list[dict]) -> None:
    assert ask(engine, "conflicts", category=cat(label)) == expected


@pytest.mark.parametrize("name", ENGINES)
def test_conflicts_across_files(name: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first.ttl", tmp_path / "second.ttl"
    cu = "<https://w3id.org/ccsig#contentUsage>"
    first.write_text(f'<https://e.org/x> {cu} "train-genai=n" .\n', encoding="utf-8")
    second.write_text(
        f'<https://e.org/x> {cu} "all=y" .\n<https://e.org/y> {cu} "all=y" .\n', encoding="utf-8"
    )
    e = open_engine([first, second], name)
    assert ask(e, "conflicts") == [conflict("x", "train-genai", "all=y", "train-genai=n")]
    assert ask(open_engine([second], name), "conflicts") == []


@pytest.mark.parametrize("name", ENGINES)
def test_no_conflicts_in_the_example_catalog(name: str) -> None:
    assert ask(open_engine([EXAMPLES / "catalog.ttl"], name), "conflicts") == []


# ------------------------------------------------------------------ signal-needed


def needed(asset: str, label: str, signal: str, elements: str) -> dict:
    return {
        "category": cat(label),
        "asset": iri(asset),
        "signal": lit(signal),
        "elements": lit(elements),
    }


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (
            "train-genai",
            [
                needed("b", "train-genai", "cc-cr", "credit"),
                needed("b", "train-genai", "cc-cr-ec", "credit ecosystem-contribution"),
                needed("k", "train-genai", "cc-cr", "credit"),
                needed("m", "train-genai", "cc-cr", "credit"),
            ],
        ),
        (
            "train-ai",
            [
                needed("c", "train-ai", "cc-cr-op", "credit open"),
                needed("m", "train-ai", "cc-cr", "credit"),
            ],
        ),
        (
            "search",
            [needed("j", "search", "cc-cr", "credit"), needed("m", "search", "cc-cr", "credit")],
        ),
        ("all", [needed("m", "all", "cc-cr", "credit")]),
    ],
)
def test_signal_needed_for_a_category(engine: Engine, label: str, expected: list[dict]) -> None:
    # ex:a (plain train-ai=n), ex:c for train-genai and ex:n (cc-nope) are left out: no signal helps
    assert ask(engine, "signal-needed", category=cat(label)) == expected


def test_signal_needed_for_every_category(engine: Engine) -> None:
    assert ask(engine, "signal-needed") == [
        needed("b", "train-genai", "cc-cr", "credit"),
        needed("b", "train-genai", "cc-cr-ec", "credit ecosystem-contribution"),
        needed("c", "train-ai", "cc-cr-op", "credit open"),
        needed("j", "search", "cc-cr", "credit"),
        needed("k", "train-genai", "cc-cr", "credit"),
        needed("m", "all", "cc-cr", "credit"),
        needed("m", "train-ai", "cc-cr", "credit"),
        needed("m", "train-genai", "cc-cr", "credit"),
        needed("m", "ai-use", "cc-cr", "credit"),
        needed("m", "search", "cc-cr", "credit"),
    ]


@pytest.mark.parametrize("name", ENGINES)
def test_signal_needed_over_the_example_catalog(name: str) -> None:
    e = open_engine([EXAMPLES / "catalog.ttl"], name)
    ex = "https://data.example.org/"
    rows = ask(e, "signal-needed", category=cat("train-genai"))
    assert [(r["asset"].value, r["signal"].value, r["elements"].value) for r in rows] == [
        (ex + "letters", "cc-cr-ec", "credit ecosystem-contribution"),
        (ex + "maps", "cc-cr-op", "credit open"),
        (ex + "maps-tiles", "cc-cr-dc", "credit direct-contribution"),
        (ex + "oral-histories", "cc-cr-dc", "credit direct-contribution"),
    ]


@pytest.mark.parametrize("name", ENGINES)
def test_signal_needed_lists_elements_alphabetically(name: str, tmp_path: Path) -> None:
    # a hand-written statement whose signal's elements are stated out of order
    path = tmp_path / "custom.ttl"
    path.write_text(
        """\
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix ex:    <https://e.org/> .
ex:sig a ccsig:Signal ; skos:notation "x-sig" ;
    ccsig:hasElement ex:zeta, ccsig:Open, ex:alpha .
ex:zeta skos:notation "zeta" .
ex:alpha skos:notation "alpha" .
ex:s ccsig:about ex:x ; ccsig:preference ex:p .
ex:p ccsig:category ccsig:aipref-02.train-ai ; ccsig:value ccsig:disallow ;
    ccsig:exception ex:sig .
""",
        encoding="utf-8",
    )
    e = open_engine([path], name)
    assert ask(e, "signal-needed", category=cat("train-genai")) == [
        needed("x", "train-genai", "x-sig", "alpha open zeta")
    ]


# ------------------------------------------------------------------ summary


def row(kind: str, assets: int, statements: int, label=None, value=None, signal=None) -> dict:
    return {
        "kind": lit(kind),
        "label": None if label is None else lit(label),
        "value": None if value is None else lit(value),
        "signal": None if signal is None else lit(signal),
        "assets": lit(assets),
        "statements": lit(statements),
    }


def pref(label: str, value: str, signal: str, assets: int, statements: int) -> dict:
    return row("preference", assets, statements, label, value, signal)


def test_summary_counts_the_catalog(engine: Engine) -> None:
    assert ask(engine, "summary") == [
        row("all", 13, 16),
        pref("all", "allow", "", 1, 1),
        pref("all", "disallow", "cc-cr", 1, 1),
        pref("genai", "allow", "", 1, 1),
        pref("search", "allow", "", 2, 2),
        pref("search", "disallow", "", 1, 1),  # cc-nope is no signal
        pref("search", "disallow", "cc-cr", 1, 1),
        pref("train-ai", "allow", "", 2, 2),
        pref("train-ai", "disallow", "", 1, 1),
        pref("train-ai", "disallow", "cc-cr-op", 1, 1),
        pref("train-ai", "none", "", 1, 1),
        pref("train-genai", "disallow", "", 1, 1),
        pref("train-genai", "disallow", "cc-cr", 3, 4),
        pref("train-genai", "disallow", "cc-cr-ec", 1, 1),
        row("unparsed", 2, 2),
        row("unsignalled", 5, 0),
    ]


@pytest.mark.parametrize("name", ENGINES)
def test_summary_of_a_catalog_without_assets(name: str, tmp_path: Path) -> None:
    # rdflib makes one empty group of a GROUP BY over nothing; the question drops it
    path = tmp_path / "empty.ttl"
    path.write_text("<https://e.org/x> a <https://e.org/Thing> .\n", encoding="utf-8")
    assert ask(open_engine([path], name), "summary") == [
        row("all", 0, 0),
        row("unparsed", 0, 0),
        row("unsignalled", 0, 0),
    ]


@pytest.mark.parametrize("name", ENGINES)
def test_summary_of_the_example_catalog(name: str) -> None:
    rows = ask(open_engine([EXAMPLES / "catalog.ttl"], name), "summary")
    plain = [tuple(None if v is None else v.value for v in r.values()) for r in rows]
    assert plain == [
        ("all", None, None, None, "8", "8"),
        ("preference", "ai-use", "disallow", "cc-cr", "2", "2"),
        ("preference", "all", "disallow", "", "1", "1"),
        ("preference", "genai", "disallow", "", "1", "1"),
        ("preference", "search", "allow", "", "2", "2"),
        ("preference", "train-ai", "allow", "", "1", "1"),
        ("preference", "train-ai", "disallow", "cc-cr-op", "1", "1"),
        ("preference", "train-genai", "disallow", "cc-cr-dc", "2", "2"),
        ("preference", "train-genai", "disallow", "cc-cr-ec", "1", "1"),
        ("unparsed", None, None, None, "0", "0"),
        ("unsignalled", None, None, None, "0", "0"),
    ]


# ------------------------------------------------------------------ both engines


@pytest.mark.parametrize(
    ("name", "bindings"),
    [
        ("unsignalled", {}),
        ("conflicts", {}),
        ("conflicts", {"category": cat("train-genai")}),
        ("signal-needed", {}),
        ("signal-needed", {"category": cat("train-genai")}),
        ("signal-needed", {"category": cat("search")}),
        ("summary", {}),
    ],
)
def test_engines_agree(engines: dict[str, Engine], name: str, bindings: dict) -> None:
    fast = ask(engines["fast"], name, **bindings)
    reference = ask(engines["reference"], name, **bindings)
    assert fast, "an empty answer would agree trivially"
    assert fast == reference


@pytest.mark.parametrize("name", SHIPPED)
def test_each_question_has_the_documented_header(name: str) -> None:
    text = load_question(name).text
    for key in ("# Question:", "# Parameters:", "# Binds:", "# How:"):
        assert key in text, f"{name}.rq lacks {key}"
    assert "ORDER BY" in text and "SELECT" in text
    assert not any(w in text for w in ("INSERT", "DELETE", "SERVICE", "CONSTRUCT"))


# ------------------------------------------------------------------ the command


def run(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_list_shows_every_shipped_question_with_its_question_line() -> None:
    result = run("--list")
    assert result.exit_code == 0, result.output
    listed = {line.split(":", 1)[0]: line for line in result.stdout.splitlines()}
    for name in SHIPPED:
        question = load_question(name).question
        assert question.endswith("?")
        assert name in listed and question in listed[name]
    assert "[parameters: ?category]" in listed["conflicts"]
    assert "[parameters: ?category]" in listed["signal-needed"]
    assert "parameters" not in listed["summary"] and "parameters" not in listed["unsignalled"]


def test_json_is_sparql_results_with_head_vars(catalog: Path) -> None:
    result = run("unsignalled", str(catalog), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["asset", "type"]
    assert data["results"]["bindings"][0] == {
        "asset": {"type": "uri", "value": EX + "d"},
        "type": {"type": "uri", "value": DCAT_DATASET.value},
    }
    assert len(data["results"]["bindings"]) == 5


def test_json_of_no_rows_still_names_the_variables() -> None:
    result = run("unsignalled", str(EXAMPLES / "catalog.ttl"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "head": {"vars": ["asset", "type"]},
        "results": {"bindings": []},
    }


def test_csv_has_a_header_row(catalog: Path) -> None:
    result = run("summary", str(catalog), "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout_bytes.decode("utf-8").split("\r\n")  # CRLF, as the W3C format has
    assert lines[0] == "kind,label,value,signal,assets,statements"
    assert lines[1] == "all,,,,13,16"
    assert "unsignalled,,,,5,0" in lines


def test_bind_prefixed_name_is_an_iri(catalog: Path) -> None:
    result = run(
        "conflicts", str(catalog), "--bind", "category=ccsig:aipref-02.train-ai", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [(b["asset"]["value"], b["category"]) for b in bindings] == [
        (EX + "a", {"type": "uri", "value": CCSIG + "aipref-02.train-ai"})
    ]
    # regression: the label alone, as every other command takes a category, gave 0 rows
    result = run("conflicts", str(catalog), "--bind", "category=train-ai", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]["bindings"] == bindings


@pytest.mark.parametrize("engine_name", ENGINES)
def test_bind_angle_bracket_iri(catalog: Path, engine_name: str) -> None:
    result = run(
        "unsignalled",
        str(catalog),
        "--engine",
        engine_name,
        "--bind",
        f"asset=<{EX}g>",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == f"asset,type\r\n{EX}g,{CCSIG}Asset\r\n"


def test_bind_without_equals_is_one_line_exit_2(catalog: Path) -> None:
    line = one_line_error(run("unsignalled", str(catalog), "--bind", "category"))
    assert "--bind" in line and "var=value" in line


def test_unknown_question_lists_the_shipped_ones(catalog: Path) -> None:
    line = one_line_error(run("no-such-question", str(catalog)))
    assert "no-such-question" in line
    for name in SHIPPED:
        assert name in line


SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"


def test_service_is_refused_without_allow_service(catalog: Path, tmp_path: Path) -> None:
    user = tmp_path / "federated.rq"
    user.write_text(SERVICE_QUERY, encoding="utf-8")
    line = one_line_error(run(str(user), str(catalog)))
    assert "SERVICE" in line and "--allow-service" in line


def test_allow_service_lifts_the_refusal(catalog: Path, tmp_path: Path) -> None:
    # port 9 (discard) is closed, and pyoxigraph refuses it outright: nothing leaves the host
    user = tmp_path / "federated.rq"
    user.write_text(SERVICE_QUERY, encoding="utf-8")
    result = run(str(user), str(catalog), "--allow-service")
    assert "--allow-service" not in result.stderr
    assert "uses SERVICE" not in result.stderr


def test_commit_works_with_questions_that_have_no_reuser(catalog: Path) -> None:
    # regression: --commit bound ?reuser even where a question does not use it, and
    # pyoxigraph refuses a substitution for a variable the query does not project
    plain = run("summary", str(catalog), "--format", "json")
    committed = run("summary", str(catalog), "--format", "json", "--commit", "credit")
    assert committed.exit_code == 0, committed.output
    assert json.loads(committed.stdout) == json.loads(plain.stdout)
    commitments = run("commitments", str(catalog), "--format", "json", "--commit", "credit")
    assert commitments.exit_code == 0, commitments.output
    assert "credit" in commitments.stdout


def test_query_list_shows_questions_not_internal_loaders() -> None:
    """queries/internal/ holds what ccsig reads its vocabulary and docs through; `query
    --list` offers only the questions."""
    from click.testing import CliRunner

    from ccsig.cli import main

    listed = CliRunner().invoke(main, ["query", "--list"]).output
    names = [line.split(":", 1)[0] for line in listed.splitlines()]
    assert "summary" in names and "decisions" in names
    assert not [n for n in names if n.startswith(("vocabulary-", "docs-"))]
