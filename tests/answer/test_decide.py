"""`ccsig.answer.decide` restates check's decision rules in Python (scan uses it); it
must decide exactly as check's SPARQL does on the same statements."""

from __future__ import annotations

import random
from pathlib import Path

from ccsig.answer.compliance import COMMAND_LINE_REUSER, check, reuser_triples
from ccsig.answer.decide import decide
from ccsig.lift.web_rdf import statements_rdf
from ccsig.model import web
from ccsig.model.terms import serialise
from ccsig.reason.engine import open_engine

URL = "https://example.org/page.html"


def test_scan_decides_as_check_does(tmp_path: Path) -> None:
    """On random statements, commitments and categories."""
    rng = random.Random(7)
    members = ["train-ai=n", "train-genai=y", "all=n;exceptions=cc-cr", "search=y",
               "train-genai=n;exceptions=cc-cr-ec", "ai-use=n;exceptions=cc-cr-op", "all=y",
               "train-ai=n;exceptions=cc-cr-dc", "nonsense=", "train-ai=y"]  # fmt: skip
    elements = ["credit", "direct-contribution", "ecosystem-contribution", "open"]
    for case in range(24):
        statements = [
            web.content_usage(
                ", ".join(rng.sample(members, rng.randint(1, 3))),
                "header",
                location=f"https://e.org/{case}/{i}",
            )  # fmt: skip
            for i in range(rng.randint(1, 3))
        ]
        if rng.random() < 0.3:
            statements.append(web.mapped("x-robots-tag", [("noai", None)], "noai", "header"))
        commitments = rng.sample(elements, rng.randint(0, 4))
        f = tmp_path / f"case{case}.ttl"
        f.write_bytes(serialise(statements_rdf(URL, statements), "turtle"))
        e = open_engine([f], extra=reuser_triples(commitments, COMMAND_LINE_REUSER))
        for category in ("train-genai", "ai-use", "search"):
            (result,) = check(e, category, COMMAND_LINE_REUSER).results
            expected = (result.decision, list(result.conditions))
            assert decide(statements, category, commitments) == expected, (case, category)


def test_scan_decides_as_check_does_on_odd_expressions(tmp_path: Path) -> None:
    """Every string value of the odd-input corpus (whitespace, newlines, NUL, escapes,
    empty, huge, quoted, unicode), alone and after another, as a header would state it."""
    from ccsig.ingest.readers import read_quads
    from ccsig.lift.literals import is_string_literal
    from ccsig.model.namespaces import CONTENT_USAGE
    from tests.helpers.paths import DATA

    values = sorted(
        {
            q.object.value
            for q in read_quads(str(DATA / "odd" / "odd-values.ttl"))
            if q.predicate == CONTENT_USAGE and is_string_literal(q.object)
        }
    )
    assert len(values) >= 30
    cases = [[v] for v in values] + [["train-genai=n;exceptions=cc-cr", v] for v in values]
    urls = [f"https://e.org/case/{i}" for i in range(len(cases))]
    triples = []
    statements = []
    for url, case in zip(urls, cases, strict=True):
        made = [web.content_usage(v, "header", location=f"{url}#{j}") for j, v in enumerate(case)]
        statements.append(made)
        triples.extend(statements_rdf(url, made))
    f = tmp_path / "odd.ttl"
    f.write_bytes(serialise(triples, "turtle"))
    for commitments in ([], ["credit"]):
        e = open_engine([f], extra=reuser_triples(commitments, COMMAND_LINE_REUSER))
        for category in ("all", "train-genai", "ai-use"):
            results = {r.asset: r for r in check(e, category, COMMAND_LINE_REUSER).results}
            for url, made, case in zip(urls, statements, cases, strict=True):
                got = decide(made, category, commitments)
                result = results.get(url)
                expected = (result.decision, list(result.conditions)) if result else ("unknown", [])
                assert got == expected, (case, category, commitments)
