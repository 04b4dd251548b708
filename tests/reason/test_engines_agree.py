"""The fast engine (pyoxigraph + OWL RL rules as SPARQL) against the reference engine
(owlrl + rdflib) on generated catalogs: every decision and every inferred ccsig
triple must be equal."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from ccsig.answer.compliance import COMMAND_LINE_REUSER, check, reuser_triples
from ccsig.model.namespaces import NS
from ccsig.model.vocabulary import load_ontology
from ccsig.reason.engine import open_engine

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SIGNALS = ["cc-cr", "cc-cr-dc", "cc-cr-ec", "cc-cr-op"]
COMMITMENTS = [
    [],
    ["credit"],
    ["credit", "ecosystem-contribution"],
    ["credit", "open", "direct-contribution"],
]


def _member(rng: random.Random, labels: list[str]) -> str:
    label = rng.choice(labels + ["foo"])
    value = rng.choice(["y", "n", "n", "n", '"n"'])
    if value == "n" and rng.random() < 0.6:
        return f"{label}=n;exceptions={rng.choice(SIGNALS + ['cc-by'])}"
    return f"{label}={value}"


def _expression(rng: random.Random, labels: list[str]) -> str:
    if rng.random() < 0.08:
        return rng.choice(["Train-ai=n", "train-ai=n,", "all=n;exceptions=cc\u00e9"])
    return ", ".join(_member(rng, labels) for _ in range(rng.randint(1, 3)))


def generate(seed: int, datasets: int, vocabulary: str) -> str:
    """A small DCAT / schema.org catalog with 0-3 content-usage literals per asset."""
    rng = random.Random(seed)
    labels = load_ontology().vocabulary(vocabulary).labels
    lines = [
        "@prefix ccsig: <https://w3id.org/ccsig#> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix ex: <https://e.org/> .",
    ]
    for i in range(datasets):
        kind = rng.choice(
            ["dcat:Dataset"] * 6 + ["<https://schema.org/Dataset>", "<http://schema.org/Dataset>"]
        )
        lines.append(f'ex:d{i} a {kind} ; dct:title "Dataset {i}" .')
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            lines.append(f"ex:d{i} ccsig:contentUsage {json.dumps(_expression(rng, labels))} .")
        if rng.random() < 0.3:  # a distribution with its own signal
            lines.append(f"ex:d{i} dcat:distribution ex:d{i}-file .")
            lines.append(
                f"ex:d{i}-file a dcat:Distribution ; "
                f"ccsig:contentUsage {json.dumps(_expression(rng, labels))} ."
            )
    return "\n".join(lines) + "\n"


def ccsig_triples(triples) -> set[str]:
    """Inferred triples that say something in the ccsig vocabulary."""
    out = set()
    for t in triples:
        p, o = t.predicate.value, t.object
        if p.startswith(NS) or (
            p == RDF_TYPE and isinstance(o, ox.NamedNode) and o.value.startswith(NS)
        ):
            out.add(str(t))
    return out


CATALOGS = [
    (seed, vocabulary) for seed in (1, 2) for vocabulary in ("aipref-02", "aipref-04", "aipref-07")
]


@pytest.mark.parametrize(
    ("seed", "vocabulary"), CATALOGS, ids=[f"seed{s}-{v}" for s, v in CATALOGS]
)
def test_engines_agree(tmp_path: Path, seed: int, vocabulary: str) -> None:
    catalog = tmp_path / "catalog.ttl"
    catalog.write_text(generate(seed, 25, vocabulary))
    labels = load_ontology().vocabulary(vocabulary).labels
    # one reuser per commitment set, all in the same data: one closure per engine
    reusers = [ox.NamedNode(f"urn:test:reuser:{i}") for i in range(len(COMMITMENTS))]
    extra = [t for r, c in zip(reusers, COMMITMENTS, strict=True) for t in reuser_triples(c, r)]
    engines = {
        name: open_engine([catalog], name, vocabulary, extra=extra, keep_input=True)
        for name in ("fast", "reference")
    }
    fast, reference = (ccsig_triples(engines[n].closure(new_only=True)) for n in engines)
    assert fast == reference, (sorted(fast - reference)[:5], sorted(reference - fast)[:5])
    assert len(fast) > 100
    for reuser in reusers:
        for category in labels:
            answers = {name: check(e, category, reuser).to_json() for name, e in engines.items()}
            assert answers["fast"] == answers["reference"], (category, reuser)


def test_generated_catalogs_exercise_every_outcome(tmp_path: Path) -> None:
    """Guard: the differential test means little unless the catalogs cover the cases."""
    catalog = tmp_path / "catalog.ttl"
    catalog.write_text(generate(1, 25, "aipref-02"))
    e = open_engine(
        [catalog], "fast", "aipref-02", extra=reuser_triples(["credit"], COMMAND_LINE_REUSER)
    )
    report = check(e, "train-genai", COMMAND_LINE_REUSER)
    assert all(report.summary[k] > 0 for k in ("allowed", "disallowed", "unknown"))
    assert any(d.conditions for d in report.results)
    assert any(len(d.statements) > 1 for d in report.results)
    assert any(s.error for d in report.results for s in d.statements)


# --- odd inputs (issue 12: the engines disagreed on 38 of 88, directional strings first)

ODD = Path(__file__).resolve().parents[1] / "data" / "odd" / "odd-values.ttl"


def _by_asset(engine, report: dict) -> list:
    """Decisions keyed by asset; a blank-node asset (labelled anew by each read) by its
    schema:name, or as one of the unnamed."""
    named = {
        row["a"].value: row["n"].value
        for row in engine.select("SELECT ?a ?n WHERE { ?a <https://schema.org/name> ?n }")
        if isinstance(row["a"], ox.BlankNode)
    }
    out = []
    for result in report["results"]:
        asset = result["asset"]
        if asset.startswith("_:"):
            asset = named.get(asset[2:], "_:")
        out.append((asset, result["decision"], tuple(result["conditions"])))
    return sorted(out)


def test_engines_agree_on_odd_inputs() -> None:
    """Typed, language-tagged and directional literals, odd IRIs, blank nodes, several
    values on one node: every decision of both engines, for every commitment set."""
    reusers = [ox.NamedNode(f"urn:test:reuser:{i}") for i in range(len(COMMITMENTS))]
    extra = [t for r, c in zip(reusers, COMMITMENTS, strict=True) for t in reuser_triples(c, r)]
    engines = {
        name: open_engine([ODD], name, "aipref-02", extra=extra) for name in ("fast", "reference")
    }
    seen = set()
    for reuser in reusers:
        for category in ("all", "train-genai", "ai-use", "search"):
            answers = {
                name: _by_asset(e, check(e, category, reuser).to_json())
                for name, e in engines.items()
            }
            assert answers["fast"] == answers["reference"], (category, reuser)
            seen.update(answers["fast"])
    # the corpus is read, not skipped: directional strings decide like any other string
    assert ("https://odd.example/dir-ltr", "disallowed", ()) in seen
    assert ("https://odd.example/dir-allow", "allowed", ()) in seen
    assert ("blank, directional", "disallowed", ()) in seen
    assert ("https://odd.example/integer", "unknown", ()) in seen


# --- owl:sameAs (the fast engine followed none: a 50-node chain gave 1 disallowed asset)

SAME_AS_USAGE = """
ex:c0 ccsig:contentUsage "train-genai=n" .
ex:y1 ccsig:contentUsage "train-genai=n;exceptions=cc-cr" .
ex:f ccsig:contentUsage "train-genai=y" .
ex:g ccsig:contentUsage "all=n" .
ex:k2 ccsig:contentUsage "ai-use=n" .
ex:m3 ccsig:contentUsage "search=y" .
"""


def test_engines_agree_on_same_as(tmp_path: Path) -> None:
    """Chains, a cycle, a dataset the same as its distribution, properties, blank nodes,
    classes a rule joins (tests/reason/test_equality.py's cases, with signals): the same
    inferred triples (sameAs pairs included) and the same decisions and query answers."""
    from tests.reason.test_equality import CASES, PREFIXES

    catalog = tmp_path / "same-as.ttl"
    catalog.write_text(PREFIXES + "".join(CASES.values()) + SAME_AS_USAGE)
    reusers = [ox.NamedNode(f"urn:test:reuser:{i}") for i in range(2)]
    extra = [t for r, c in zip(reusers, COMMITMENTS[:2], strict=True) for t in reuser_triples(c, r)]
    engines = {
        name: open_engine([catalog], name, extra=extra, keep_input=True)
        for name in ("fast", "reference")
    }
    same_as = "http://www.w3.org/2002/07/owl#sameAs"

    def inferred(engine) -> set[str]:  # type: ignore[no-untyped-def]
        new = list(engine.closure(new_only=True))
        pairs = {str(t) for t in new if t.predicate.value == same_as and t.subject != t.object}
        return _unblank(ccsig_triples(new) | pairs)

    fast, reference = (inferred(e) for e in engines.values())
    assert fast == reference, (sorted(fast - reference)[:5], sorted(reference - fast)[:5])
    question = "SELECT ?a WHERE { ?a a <https://w3id.org/ccsig#Asset> } ORDER BY ?a"
    answers = {n: _unblank({str(r["a"]) for r in e.select(question)}) for n, e in engines.items()}
    assert answers["fast"] == answers["reference"]
    decided = {}
    for name, e in engines.items():
        decided[name] = [
            _unblank({f"{d['asset']} {d['decision']}" for d in check(e, c, r).to_json()["results"]})
            for r in reusers
            for c in ("train-genai", "all", "search")
        ]
    assert decided["fast"] == decided["reference"]
    assert {f"https://e.org/c{i} disallowed" for i in range(6)} <= decided["fast"][0]
    assert {"https://e.org/y0 disallowed", "https://e.org/d allowed"} <= decided["fast"][0]


def _unblank(lines: set[str]) -> set[str]:
    """Blank-node labels (each read labels afresh) and the statement IRIs minted from
    them, blurred."""
    import re

    return {re.sub(r"_:\S+|urn:uuid:[0-9a-f-]+", "_", line) for line in lines}
