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
