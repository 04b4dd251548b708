"""`ccsig check`: every decision rule, the output contracts and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.answer.compliance import COMMAND_LINE_REUSER, check, reuser_triples
from ccsig.cli import main
from ccsig.reason.engine import ENGINES, open_engine
from tests.helpers.paths import ROOT

EX = "https://e.org/"
PREFIXES = """@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix ex: <https://e.org/> .
"""


def decide(
    tmp_path: Path,
    turtle: str,
    category: str,
    commit: list[str] = (),
    engine: str = "fast",
    vocabulary: str = "aipref-02",
) -> dict[str, tuple[str, tuple[str, ...]]]:
    f = tmp_path / "data.ttl"
    f.write_text(PREFIXES + turtle)
    e = open_engine(
        [f], engine, vocabulary, extra=reuser_triples(list(commit), COMMAND_LINE_REUSER)
    )
    report = check(e, category, COMMAND_LINE_REUSER)
    return {d.asset.removeprefix(EX): (d.decision, d.conditions) for d in report.results}


def one(tmp_path: Path, expressions: list[str], category: str, **kw) -> tuple[str, tuple]:
    lines = " ; ".join(f"ccsig:contentUsage {json.dumps(e)}" for e in expressions)
    turtle = f"ex:d a dcat:Dataset {'; ' + lines if lines else ''} .\n"
    return decide(tmp_path, turtle, category, **kw)["d"]


# --- each statement on its own ---------------------------------------------------

CASES = [
    # (expressions, category, commitments, decision, conditions)
    (["train-genai=n"], "train-genai", [], "disallowed", ()),
    (["train-genai=y"], "train-genai", [], "allowed", ()),
    (["search=y"], "train-genai", [], "unknown", ()),
    # hierarchy fallback: nearest stated ancestor decides, with its exception
    (["all=n"], "train-genai", [], "disallowed", ()),
    (["train-ai=y"], "train-genai", [], "allowed", ()),
    (["all=n, train-ai=y"], "train-genai", [], "allowed", ()),
    (["all=y, train-ai=n"], "train-genai", [], "disallowed", ()),
    (["train-ai=n, train-genai=y"], "train-genai", [], "allowed", ()),
    (["train-ai=n, train-genai=y"], "train-ai", [], "disallowed", ()),
    (["all=n;exceptions=cc-cr"], "train-genai", ["credit"], "allowed", ("credit",)),
    (["all=n;exceptions=cc-cr, train-ai=n"], "train-genai", ["credit"], "disallowed", ()),
    # a value that is not y/n states nothing, so the ancestor decides
    (['all=n, train-genai="y"'], "train-genai", [], "disallowed", ()),
    # CC signal exceptions
    (["train-genai=n;exceptions=cc-cr-ec"], "train-genai", ["credit"], "disallowed", ()),
    (
        ["train-genai=n;exceptions=cc-cr-ec"],
        "train-genai",
        ["credit", "ecosystem-contribution"],
        "allowed",
        ("credit", "ecosystem-contribution"),
    ),
    (
        ["train-genai=n;exceptions=cc-cr-ec"],
        "train-genai",
        ["credit", "ecosystem-contribution", "open"],
        "allowed",
        ("credit", "ecosystem-contribution"),
    ),
    (["train-genai=n;exceptions=cc-cr-op"], "train-genai", ["open"], "disallowed", ()),
    (["ai-use=n;exceptions=cc-cr"], "ai-use", ["credit"], "allowed", ("credit",)),
    # exceptions that are not CC signals, or on an allow, do nothing
    (["train-genai=n;exceptions=cc-by"], "train-genai", ["credit"], "disallowed", ()),
    (['train-genai=n;exceptions="cc-cr"'], "train-genai", ["credit"], "disallowed", ()),
    (["train-genai=y;exceptions=cc-cr-op"], "train-genai", [], "allowed", ()),
    # an unparseable statement is unknown
    (["Train-genai=n"], "train-genai", [], "unknown", ()),
    (["train-genai=n,"], "train-genai", [], "unknown", ()),
    # no statement at all: still listed, unknown
    ([], "train-genai", [], "unknown", ()),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("expressions", "category", "commit", "decision", "conditions"),
    CASES,
    ids=[f"{'|'.join(c[0]) or 'none'}->{c[1]}+{','.join(c[2])}" for c in CASES],
)
def test_statement_rules(tmp_path, engine, expressions, category, commit, decision, conditions):
    got = one(tmp_path, expressions, category, commit=commit, engine=engine)
    assert got == (decision, conditions)


# --- across statements: most restrictive ------------------------------------------

COMBINING = [
    (["train-genai=y", "train-genai=n"], [], "disallowed", ()),
    (["train-genai=y", "search=y"], [], "allowed", ()),
    (["train-genai=y", "Train-genai=n"], [], "allowed", ()),  # unparseable counts as unknown
    (["search=y", "Train-genai=n"], [], "unknown", ()),
    (
        ["train-genai=n;exceptions=cc-cr", "all=n;exceptions=cc-cr-ec"],
        ["credit", "ecosystem-contribution"],
        "allowed",
        ("credit", "ecosystem-contribution"),  # conditions added up
    ),
    (
        ["train-genai=n;exceptions=cc-cr", "all=n;exceptions=cc-cr-ec"],
        ["credit"],
        "disallowed",
        (),
    ),
    (["train-genai=n;exceptions=cc-cr", "train-ai=y"], ["credit"], "allowed", ("credit",)),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("expressions", "commit", "decision", "conditions"), COMBINING)
def test_combining_statements(tmp_path, engine, expressions, commit, decision, conditions):
    assert one(tmp_path, expressions, "train-genai", commit=commit, engine=engine) == (
        decision,
        conditions,
    )


# --- vocabularies -------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_vocabulary_changes_the_answer(tmp_path, engine) -> None:
    # aipref-07 has no hierarchy and no train-genai; aipref-04 nests search under ai-output.
    assert one(tmp_path, ["train-ai=n"], "train-ai", engine=engine, vocabulary="aipref-07") == (
        "disallowed",
        (),
    )
    assert one(tmp_path, ["bots=n"], "search", engine=engine, vocabulary="aipref-04") == (
        "disallowed",
        (),
    )
    assert one(tmp_path, ["ai-output=y"], "search", engine=engine, vocabulary="aipref-04") == (
        "allowed",
        (),
    )
    assert one(tmp_path, ["all=n"], "train-ai", engine=engine, vocabulary="aipref-07") == (
        "unknown",
        (),
    )


def test_unknown_category_lists_the_valid_ones(tmp_path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(ROOT / "examples/catalog.ttl"),
            "--for",
            "train-genai",
            "--vocabulary",
            "aipref-07",
        ],
    )
    assert result.exit_code == 2
    assert "train-ai, search" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_commitment_is_exit_2() -> None:
    result = CliRunner().invoke(
        main, ["check", str(ROOT / "examples/catalog.ttl"), "--for", "all", "--commit", "money"]
    )
    assert result.exit_code == 2 and "credit" in result.stderr


# --- the catalog examples, formats, explanations ------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_contract_on_the_examples() -> None:
    code, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        "--for",
        "train-genai",
        "--commit",
        "credit",
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"category", "vocabulary", "commitments", "results", "summary"}
    assert report["category"] == "train-genai" and report["vocabulary"] == "aipref-02"
    assert report["commitments"] == ["credit"]
    by_asset = {r["asset"].rsplit("/", 1)[-1]: r for r in report["results"]}
    assert set(by_asset) == {
        "letters",
        "photographs",
        "recordings",
        "maps",
        "maps-tiles",
        "newspapers",
        "census",
        "oral-histories",
    }
    assert report["summary"] == {"allowed": 1, "disallowed": 5, "unknown": 2}
    maps = by_asset["maps"]
    assert maps["decision"] == "disallowed" and maps["conditions"] == []
    (statement,) = maps["statements"]
    assert statement["outcome"] == "disallowed" and statement["exception"] == "cc-cr-op"
    assert statement["why"] == (
        "disallowed: `train-ai=n;exceptions=cc-cr-op` needs open, which is not committed"
    )
    assert statement["source"].endswith("examples/catalog.ttl")
    assert statement["statement"].startswith("urn:uuid:")


def test_fast_json_writer_equals_the_report_data(tmp_path: Path) -> None:
    from ccsig.report.render import check_json, to_json_lines

    f = tmp_path / "mixed.ttl"
    f.write_text(
        PREFIXES
        + """ex:a a dcat:Dataset ; ccsig:contentUsage "train-genai=n;exceptions=cc-cr",
                                             "all=n, search=y", "caf\u00e9 \\"quoted\\"" .
ex:b a dcat:Dataset ; ccsig:contentUsage "train-genai=n;exceptions=cc-cr" .
[] a dcat:Dataset ; ccsig:contentUsage "all=y" .
ex:c a dcat:Dataset .
"""
    )
    for path in (f, ROOT / "examples/catalog.ttl", ROOT / "examples/croissant.json"):
        for commit in ([], ["credit"]):
            e = open_engine([path], extra=reuser_triples(commit, COMMAND_LINE_REUSER))
            report = check(e, "train-genai", COMMAND_LINE_REUSER)
            assert check_json(report) == to_json_lines(report.to_json(), "results")


def test_an_unknown_category_fails_before_any_input_is_read(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "missing.ttl"), "--for", "no-such-category")
    assert code == 2 and "no-such-category" in err and "missing.ttl" not in err


def test_reuser_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "me.ttl"
    profile.write_text(
        PREFIXES + "ex:lab a ccsig:Reuser ; ccsig:commitsTo ccsig:Credit, ccsig:Open .\n"
    )
    code, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        "--for",
        "train-genai",
        "--reuser",
        str(profile),
        "--format",
        "json",
    )
    report = json.loads(out)
    assert code == 0 and report["commitments"] == ["credit", "open"]
    maps = next(r for r in report["results"] if r["asset"].endswith("/maps"))
    assert maps["decision"] == "allowed" and maps["conditions"] == ["credit", "open"]
    # --commit adds to the profile's commitments
    _, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        "--for",
        "train-genai",
        "--reuser",
        str(profile),
        "--commit",
        "direct-contribution",
        "--format",
        "json",
    )
    assert json.loads(out)["commitments"] == ["credit", "direct-contribution", "open"]


def test_profile_without_a_reuser_is_exit_2(tmp_path: Path) -> None:
    profile = tmp_path / "empty.ttl"
    profile.write_text(PREFIXES)
    code, _, err = run(
        "check", str(ROOT / "examples/catalog.ttl"), "--for", "all", "--reuser", str(profile)
    )
    assert code == 2 and "exactly one ccsig:Reuser" in err


@pytest.mark.parametrize("engine", ENGINES)
def test_json_ld_input(engine: str) -> None:
    code, out, _ = run(
        "check",
        str(ROOT / "examples/croissant.json"),
        "--for",
        "train-genai",
        "--commit",
        "credit",
        "--commit",
        "ecosystem-contribution",
        "--format",
        "json",
        "--engine",
        engine,
    )
    report = json.loads(out)
    assert code == 0
    decisions = sorted((r["decision"], r["conditions"]) for r in report["results"])
    # the dataset (a blank node) is allowed on cc-cr-ec; its file states nothing on train-genai
    assert decisions == [
        ("allowed", ["credit", "ecosystem-contribution"]),
        ("unknown", []),
    ]


def test_several_files_are_merged(tmp_path: Path) -> None:
    second = tmp_path / "second.ttl"
    second.write_text(
        PREFIXES + '<https://data.example.org/newspapers> ccsig:contentUsage "train-genai=n" .\n'
    )
    code, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        str(second),
        "--for",
        "train-genai",
        "--format",
        "json",
    )
    news = next(r for r in json.loads(out)["results"] if r["asset"].endswith("/newspapers"))
    assert news["decision"] == "disallowed" and len(news["statements"]) == 2
    sources = sorted(Path(s["source"]).name for s in news["statements"])
    assert sources == ["catalog.ttl", "second.ttl"]
    assert "1 of 2 statements decides it" in news["explanation"]


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [([], 0), (["disallowed"], 1), (["unknown"], 1), (["disallowed", "unknown"], 1)],
)
def test_fail_on_gates_ci(fail_on: list[str], code: int) -> None:
    args = ["check", str(ROOT / "examples/catalog.ttl"), "--for", "train-genai"]
    for f in fail_on:
        args += ["--fail-on", f]
    assert run(*args)[0] == code


def test_fail_on_passes_when_nothing_matches(tmp_path: Path) -> None:
    f = tmp_path / "ok.ttl"
    f.write_text(PREFIXES + 'ex:d a dcat:Dataset ; ccsig:contentUsage "all=y" .\n')
    assert (
        run(
            "check",
            str(f),
            "--for",
            "train-genai",
            "--fail-on",
            "disallowed",
            "--fail-on",
            "unknown",
        )[0]
        == 0
    )


def test_text_table_and_summary() -> None:
    code, out, _ = run("check", str(ROOT / "examples/catalog.ttl"), "--for", "train-genai")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["asset", "decision", "conditions", "why"]
    assert lines[-1] == (
        "8 assets for train-genai (aipref-02), committing to nothing: "
        "1 allowed, 5 disallowed, 2 unknown"
    )


def test_csv_output() -> None:
    import csv
    import io

    code, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        "--for",
        "ai-use",
        "--commit",
        "credit",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 8
    photographs = next(r for r in rows if r["asset"].endswith("/photographs"))
    assert photographs["decision"] == "allowed" and photographs["conditions"] == "credit"


def test_turtle_decisions_link_to_statements() -> None:
    code, out, _ = run(
        "check",
        str(ROOT / "examples/catalog.ttl"),
        "--for",
        "train-genai",
        "--commit",
        "credit",
        "--format",
        "turtle",
    )
    assert code == 0
    store = ox.Store()
    store.load(out.encode(), format=ox.RdfFormat.TURTLE)
    rows = list(
        store.query(
            """PREFIX ccsig: <https://w3id.org/ccsig#> PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?asset ?outcome ?statement WHERE {
              ?d a ccsig:Decision ; ccsig:asset ?asset ; ccsig:outcome ?outcome ;
                 ccsig:usage ccsig:aipref-02.train-genai ; ccsig:explanation ?why .
              OPTIONAL { ?d prov:wasDerivedFrom ?statement } }"""
        )
    )
    outcomes = {
        r["asset"].value.rsplit("/", 1)[-1]: r["outcome"].value.rsplit("#", 1)[-1] for r in rows
    }
    assert outcomes["letters"] == "disallow" and outcomes["newspapers"] == "allow"
    assert all(
        r["statement"] is not None and r["statement"].value.startswith("urn:uuid:")
        for r in rows
        if r["asset"].value.endswith("/letters")
    )


def test_unreadable_data_is_one_line_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "bad.ttl"
    f.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    code, out, err = run("check", str(f), "--for", "all")
    assert code == 2 and out == "" and "bad.ttl:2:" in err and "Traceback" not in err


def test_the_console_command_keeps_exit_codes_and_complete_output(tmp_path: Path) -> None:
    # `python -m ccsig.cli` goes through cli.entry, which leaves with os._exit
    import subprocess
    import sys

    def ccsig(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ccsig.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    done = ccsig(
        "check", "examples/catalog.ttl", "--for", "train-genai", "--format", "json",
        "--fail-on", "disallowed",
    )  # fmt: skip
    assert done.returncode == 1
    assert json.loads(done.stdout)["summary"] == {"allowed": 1, "disallowed": 5, "unknown": 2}
    done = ccsig("check", str(tmp_path / "missing.ttl"), "--for", "train-genai")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("ccsig: error:") and done.stderr.count("\n") == 1
    done = ccsig("--version")
    assert done.returncode == 0 and "ccsig" in done.stdout
