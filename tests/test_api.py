"""The public API: each report's to_json() is what the command prints as JSON, and the
sources may be paths, rdflib graphs or pyoxigraph stores."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import ccsig
from ccsig.cli import main
from tests.helpers.paths import EXAMPLES  # noqa: E402

CATALOG = str(EXAMPLES / "catalog.ttl")
CROISSANT = str(EXAMPLES / "croissant.json")


def _cli_json(*args: str) -> object:
    done = CliRunner().invoke(main, list(args))
    assert done.exit_code in (0, 1), done.output
    return json.loads(done.stdout)


def test_parse() -> None:
    expr = "train-genai=n;exceptions=cc-cr-ec"
    assert ccsig.parse(expr).to_json() == _cli_json("parse", expr, "--format", "json")


def test_validate() -> None:
    report = ccsig.validate([CATALOG, CROISSANT])
    assert report.to_json() == _cli_json("validate", CATALOG, CROISSANT, "--format", "json")


@pytest.mark.parametrize("commitments", [(), ("credit", "ecosystem-contribution")])
def test_check(commitments: tuple[str, ...]) -> None:
    report = ccsig.check([CATALOG], "train-genai", commitments)
    flags = [a for c in commitments for a in ("--commit", c)]
    expected = _cli_json("check", CATALOG, "--for", "train-genai", *flags, "--format", "json")
    assert report.to_json() == expected


def test_query() -> None:
    result = ccsig.query("summary", [CATALOG])
    assert result.to_json() == _cli_json("query", "summary", CATALOG, "--format", "json")


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX ccsig: <https://w3id.org/ccsig#>\nASK { ?s ccsig:contentUsage ?o }\n",
        "PREFIX ccsig: <https://w3id.org/ccsig#>\n"
        "CONSTRUCT { ?s ccsig:contentUsage ?o } WHERE { ?s ccsig:contentUsage ?o }\n",
    ],
)
def test_query_of_every_form(tmp_path: Path, text: str) -> None:
    question = tmp_path / "q.rq"
    question.write_text(text)
    result = ccsig.query(str(question), [CATALOG])
    assert result.to_json() == _cli_json("query", str(question), CATALOG, "--format", "json")


def test_infer() -> None:
    closure = ccsig.infer([CATALOG], new_only=True)
    expected = _cli_json("infer", CATALOG, "--new-only", "--format", "json-ld")
    assert closure.to_json() == expected


def test_declare() -> None:
    expr = "train-genai=n;exceptions=cc-cr"
    assert ccsig.declare(expr).to_json() == _cli_json("declare", expr, "--format", "json-ld")


def test_migrate() -> None:
    expr = "train-genai=n;exceptions=cc-cr-ec, ai-use=n"
    expected = _cli_json("migrate", expr, "--to", "aipref-07", "--format", "json")
    assert ccsig.migrate(expr, "aipref-07").to_json() == expected
    expected = _cli_json("migrate", CATALOG, "--to", "aipref-07", "--format", "json")
    assert ccsig.migrate_catalog(CATALOG, "aipref-07").to_json() == expected


def test_declare_says_what_it_would_leave_out() -> None:
    # regression: a declaration silently dropped what aipref processing ignores
    assert ccsig.declare("train-genai=n;exceptions=cc-cr-ec").dropped == []
    with pytest.raises(ccsig.IncompleteDeclarationError, match="names no CC signal") as raised:
        ccsig.declare("train-genai=n;exceptions=cc-by")
    assert raised.value.canonical == "train-genai=n"
    forced = ccsig.declare("train-genai=n;exceptions=cc-by", force=True)
    assert forced.render("header") == "Content-Usage: train-genai=n\n"
    assert [r for r in forced.dropped if "names no CC signal" in r] == forced.dropped


def test_robots(tmp_path: Path) -> None:
    robots = tmp_path / "robots.txt"
    robots.write_text("User-agent: *\nContent-Usage: train-ai=n\nDisallow: /private\n")
    report = ccsig.robots(str(robots), "mybot", ["/", "/private/x"])
    expected = CliRunner().invoke(
        main,
        ["robots", str(robots), "--agent", "mybot", "--path", "/", "--path", "/private/x",
         "--format", "jsonl"],
    )  # fmt: skip
    assert report.to_json() == [json.loads(line) for line in expected.stdout.splitlines()]


def test_header() -> None:
    lines = ["Content-Usage: train-ai=n", "X-Robots-Tag: noai"]
    assert ccsig.header(lines).to_json() == _cli_json("header", *lines, "--format", "json")


def test_rsl() -> None:
    path = str(EXAMPLES / "web" / "license.rsl")
    report = ccsig.rsl(path, ["/a", "/photos/b"])
    assert report.to_json() == _cli_json("rsl", path, "--url", "/a", "--url", "/photos/b",
                                         "--format", "json")  # fmt: skip
    from_bytes = ccsig.rsl((EXAMPLES / "web" / "license.rsl").read_bytes())
    assert from_bytes.statement(from_bytes.document.contents[0]).expression


def test_sources_may_be_graphs_and_stores() -> None:
    """A pyoxigraph store or an rdflib graph of the catalog decides as the file does,
    apart from the source each statement names."""
    import rdflib

    store = ox.Store()
    store.load(path=CATALOG, format=ox.RdfFormat.TURTLE)
    graph = rdflib.Graph().parse(CATALOG, format="turtle")

    def decisions(report: ccsig.CheckReport) -> list[tuple[str, str, tuple[str, ...]]]:
        return [(d.asset, d.decision, d.conditions) for d in report.results]

    from_file = decisions(ccsig.check([CATALOG], "train-genai", ["credit"]))
    assert decisions(ccsig.check([store], "train-genai", ["credit"])) == from_file
    assert decisions(ccsig.check([graph], "train-genai", ["credit"])) == from_file


def test_one_source_given_alone_is_a_list_of_one() -> None:
    """Regression: a str is iterable, so ``check("catalog.ttl", ...)`` read the files "c",
    "a", ... ("e: no such file"), a Path raised TypeError, and ``commitments="credit"``
    was the elements "c", "r", ...; a store or graph alone was read by its triples."""
    import rdflib

    def decisions(report: ccsig.CheckReport) -> list[tuple[str, str, tuple[str, ...]]]:
        return [(d.asset, d.decision, d.conditions) for d in report.results]

    expected = decisions(ccsig.check([CATALOG], "train-genai", ["credit"]))
    assert decisions(ccsig.check(CATALOG, "train-genai", "credit")) == expected
    assert decisions(ccsig.check(Path(CATALOG), "train-genai", ("credit",))) == expected
    graph = rdflib.Graph().parse(CATALOG, format="turtle")
    assert decisions(ccsig.check(graph, "train-genai", "credit")) == expected
    store = ox.Store()
    store.load(path=CATALOG, format=ox.RdfFormat.TURTLE)
    assert decisions(ccsig.check(store, "train-genai", "credit")) == expected
    assert ccsig.validate(CATALOG).to_json() == ccsig.validate([CATALOG]).to_json()
    assert ccsig.infer(Path(CATALOG)).serialise("nt") == ccsig.infer([CATALOG]).serialise("nt")
    rows = ccsig.query("unsignalled", CATALOG).to_json()
    assert rows == ccsig.query("unsignalled", [CATALOG]).to_json()


def test_unknown_category_fails_before_reading() -> None:
    with pytest.raises(ccsig.CcsigError, match="not a usage category"):
        ccsig.check(["no-such-file.ttl"], "train-everything")


def test_standard_input_twice_is_one_clear_error() -> None:
    """Regression: the API's own checks raised TypeError (InputError needs a location)."""
    with pytest.raises(ccsig.CcsigError, match="standard input"):
        ccsig.validate(["-", "-"])
    with pytest.raises(ccsig.CcsigError, match="at least one source"):
        ccsig.check([], "train-genai")


def test_audit(tmp_path: Path) -> None:
    from tests.helpers.warc import make_inputs

    sources = [str(p) for p in make_inputs(tmp_path)]
    urls = tmp_path / "urls.txt"
    urls.write_text("https://a.example/\nhttps://a.example/open/x\nhttps://d.example/books/1\n")
    out = tmp_path / "out.jsonl"
    report = ccsig.audit(urls, sources, "train-genai", ["credit"], output=out)
    flags = [a for s in sources for a in ("--preferences", s)]
    done = CliRunner().invoke(main, ["audit", str(urls), *flags, "--for", "train-genai",
                                     "--commit", "credit"])  # fmt: skip
    assert done.exit_code == 0 and done.stdout == out.read_text()
    *records, last = [json.loads(line) for line in done.stdout.splitlines()]
    assert report.to_json() == {"summary": last["summary"], "skipped": 0}
    lines = urls.read_text().splitlines()
    assert list(ccsig.audit_urls(lines, sources, "train-genai", ["credit"])) == records
