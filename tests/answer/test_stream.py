"""The streaming check against the full engine: the same report on every fixture and
example, on generated catalogs, and on catalogs whose own axioms make other triples
decide (the differential test of ccsig.answer.stream).

Blank nodes get fresh labels on each reading, so results about blank-node assets are
compared without their labels (and the statement IRIs minted from them).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccsig
from ccsig.answer import stream
from ccsig.ingest import stream as ingest_stream
from ccsig.model.namespaces import NS, ODRL, RDFS
from ccsig.model.vocabulary import load_ontology
from ccsig.resources import data_dir, read_text
from tests.helpers.paths import DATA, EXAMPLES

FIXTURES = sorted(
    p
    for folder in (DATA, EXAMPLES)
    for p in folder.rglob("*")
    if p.suffix in (".ttl", ".json", ".jsonld", ".nt", ".trig", ".rdf", ".html", ".jpg")
    and p.name != "invalid.json"
    and "hostile" not in p.parts
)

PREFIXES = """\
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://e.org/> .
"""


def _normal(data: dict[str, Any]) -> dict[str, Any]:
    results = []
    for r in data["results"]:
        if r["asset"].startswith("_:"):
            r = {**r, "asset": "_:"}
            r["statements"] = [{**s, "statement": ""} for s in r["statements"]]
        results.append(json.dumps(r, sort_keys=True))
    return {**data, "results": sorted(results)}


def both(
    paths: list[Path],
    category: str = "train-genai",
    commit: tuple[str, ...] = ("credit",),
    **options: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    streamed = ccsig.check(paths, category, commit, **options).to_json()
    loaded = ccsig.check(paths, category, commit, stream=False, **options).to_json()
    return _normal(streamed), _normal(loaded)


def readable(path: Path) -> bool:
    try:
        ccsig.check([path], "train-genai", stream=False)
    except ccsig.CcsigError:
        return False
    return True


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_fixture(path: Path) -> None:
    if not readable(path):
        with pytest.raises(ccsig.CcsigError) as streamed:
            ccsig.check([path], "train-genai")
        with pytest.raises(ccsig.CcsigError) as loaded:
            ccsig.check([path], "train-genai", stream=False)
        assert str(streamed.value) == str(loaded.value)
        return
    streamed, loaded = both([path])
    assert streamed == loaded


def test_all_examples_together_and_other_commitments() -> None:
    paths = sorted(p for p in EXAMPLES.glob("*") if p.suffix in (".ttl", ".json"))
    for category, commit in (
        ("train-ai", ()),
        ("search", ("credit", "open")),
        ("all", ("direct-contribution",)),
    ):
        streamed, loaded = both(paths, category, commit)
        assert streamed == loaded


# Catalogs whose own triples change what decides: each is appended to a small catalog.
TRICKS = {
    "sub-property of contentUsage, after its use (read twice)": """
ex:a ex:usage "train-genai=n" ; a dcat:Dataset .
ex:usage rdfs:subPropertyOf ccsig:contentUsage .
""",
    "own class under dcat:Dataset": """
ex:b a ex:Collection ; ccsig:contentUsage "all=n" .
ex:c a ex:Collection .
ex:Collection rdfs:subClassOf dcat:Dataset .
""",
    "equivalent class": "ex:d a ex:Set .\nex:Set owl:equivalentClass dcat:Dataset .\n",
    "a domain making assets": "ex:e ex:licensed ex:x .\nex:licensed rdfs:domain ccsig:Asset .\n",
    "inverse of about": """
ex:f ex:hasStatement ex:s .
ex:hasStatement owl:inverseOf ccsig:about .
ex:s ccsig:expression "train-genai=y" .
""",
    "structured statement": """
ex:g a dcat:Dataset .
ex:st a ccsig:Statement ; ccsig:about ex:g .
""",
    # (policy IRIs: a statement read from a blank-node policy is named after its label)
    "ODRL policy": """
ex:h a dcat:Dataset ; odrl:hasPolicy ex:policy .
ex:policy odrl:prohibition [ odrl:action odrl:use ] .
""",
    "typed as an asset directly": 'ex:i a ccsig:Asset ; ccsig:contentUsage "train-ai=y"@en .',
    "non-string and IRI values": "ex:j ccsig:contentUsage 7 .\nex:k ccsig:contentUsage ex:v .",
    "blank-node asset": (
        '[ a dcat:Dataset ; ccsig:contentUsage "train-genai=n;exceptions=cc-cr" ] .'
    ),
    "sameAs": 'ex:l owl:sameAs ex:a .\nex:l ccsig:contentUsage "all=y" .',
    "sameAs chain": 'ex:n0 ccsig:contentUsage "train-genai=n" .\n'
    + "".join(f"ex:n{i} owl:sameAs ex:n{i + 1} .\n" for i in range(9)),
    "sameAs cycle": "ex:o0 owl:sameAs ex:o1 . ex:o1 owl:sameAs ex:o2 . ex:o2 owl:sameAs ex:o0 .\n"
    'ex:o1 ccsig:contentUsage "train-genai=n;exceptions=cc-cr" .',
    "sameAs between a dataset and its distribution": "ex:p dcat:distribution ex:pf .\n"
    'ex:pf owl:sameAs ex:p ; ccsig:contentUsage "train-genai=y" .',
    "sameAs between properties": 'ex:q ex:usage "train-genai=n" .\n'
    "ex:usage owl:sameAs ccsig:contentUsage .",
    "a transitive sub-property of broader": """
ex:narrower rdfs:subPropertyOf <http://www.w3.org/2004/02/skos/core#broader> .
""",
    "a reuser in the data": """
<urn:ccsig:reuser:command-line> ccsig:commitsTo ccsig:EcosystemContribution .
ex:m ccsig:contentUsage "train-genai=n;exceptions=cc-cr-ec" .
""",
}


def _catalog(seed: int, datasets: int) -> str:
    rng = random.Random(seed)
    labels = load_ontology().vocabulary("aipref-02").labels + ["foo"]
    lines = [PREFIXES]
    for i in range(datasets):
        parts = [
            rng.choice(["a dcat:Dataset", "a <https://schema.org/Dataset>", "a dcat:Distribution"])
        ]
        parts.append(f'dct:title "Dataset {i}"')
        for _ in range(rng.choice([0, 1, 1, 2])):
            label, value = rng.choice(labels), rng.choice(["y", "n", "n", "x"])
            signal = rng.choice(
                ["", ";exceptions=cc-cr", ";exceptions=cc-cr-ec", ";exceptions=cc-by"]
            )
            text = rng.choice([f"{label}={value}{signal}", "all=n, train-genai=y", "Broken=,"])
            parts.append(f"ccsig:contentUsage {json.dumps(text)}{rng.choice(['', '', '@en'])}")
        lines.append(f"ex:d{i} " + " ; ".join(parts) + " .")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_catalogs_with_their_own_axioms(trick: str, tmp_path: Path) -> None:
    path = tmp_path / "catalog.ttl"
    path.write_text(_catalog(7, 20) + TRICKS[trick])
    streamed, loaded = both([path])
    assert streamed == loaded


def test_an_axiom_read_after_its_use_reads_the_file_again(tmp_path: Path) -> None:
    path = tmp_path / "catalog.ttl"
    path.write_text(PREFIXES + TRICKS["sub-property of contentUsage, after its use (read twice)"])
    steps: list[str] = []
    report = ccsig.check([path], "train-genai", progress=steps.append)
    assert any(s.startswith("reading again") for s in steps)
    # the same answer as loading every triple (which, lifting before reasoning, does not
    # lift the literal the sub-property gives: the asset is unknown on both paths)
    loaded = ccsig.check([path], "train-genai", stream=False)
    assert report.to_json() == loaded.to_json()
    assert [r.asset for r in report.results] == ["https://e.org/a"]


def test_an_axiom_in_another_file_and_a_profile(tmp_path: Path) -> None:
    data, schema, profile = tmp_path / "d.ttl", tmp_path / "s.ttl", tmp_path / "p.ttl"
    data.write_text(
        PREFIXES + 'ex:a ex:usage "train-genai=n;exceptions=cc-cr" .\n' + _catalog(3, 10)
    )
    schema.write_text(PREFIXES + "ex:usage rdfs:subPropertyOf ccsig:contentUsage .\n")
    profile.write_text(PREFIXES + "ex:me a ccsig:Reuser ; ccsig:commitsTo ccsig:Credit .\n")
    streamed, loaded = both([data, schema], commit=(), profile=profile)
    assert streamed == loaded
    streamed, loaded = both([schema, data, EXAMPLES / "catalog.ttl"])
    assert streamed == loaded


def test_named_graphs(tmp_path: Path) -> None:
    path = tmp_path / "catalog.trig"
    path.write_text(
        PREFIXES + 'ex:g { ex:a a dcat:Dataset ; ccsig:contentUsage "all=n" . }\n'
        'ex:b a dcat:Dataset ; ccsig:contentUsage "all=y" .\n'
    )
    streamed, loaded = both([path])
    assert streamed == loaded


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    tricks=st.lists(st.sampled_from(sorted(TRICKS)), max_size=3, unique=True),
    split=st.booleans(),
)
def test_generated_catalogs(seed: int, tricks: list[str], split: bool, tmp_path: Path) -> None:
    first = tmp_path / f"a{seed}.ttl"
    second = tmp_path / f"b{seed}.ttl"
    body = _catalog(seed, 30)
    extra = PREFIXES + "".join(TRICKS[t] for t in tricks)
    if split:  # an asset's values and its axioms may come from different files
        first.write_text(body)
        second.write_text(extra + _catalog(seed, 5))
        paths = [first, second]
    else:
        first.write_text(body + "".join(TRICKS[t] for t in tricks))
        paths = [first]
    commit = random.Random(seed).choice([(), ("credit",), ("credit", "ecosystem-contribution")])
    streamed, loaded = both(paths, commit=commit)
    assert streamed == loaded


@pytest.mark.parametrize(
    "trick",
    [
        "",
        "sub-property of contentUsage, after its use (read twice)",
        "structured statement",
        "own class under dcat:Dataset",
        "non-string and IRI values",
    ],
)
def test_a_catalog_read_in_two_halves_is_decided_as_loaded(
    trick: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-process reading (ccsig.ingest.stream, forced on small files here) and
    the text summaries each half makes give the answers of the loaded check."""
    monkeypatch.setattr(ingest_stream, "SPLIT_AT_LEAST", 0)
    # a thread another test left behind (a hanging stub server's) must not make this
    # reading the whole-file one: forking here is safe, nothing of theirs is touched
    monkeypatch.setattr(ingest_stream, "_alone", lambda: True)
    halves: list[object] = []
    in_two = ingest_stream._in_two
    monkeypatch.setattr(
        ingest_stream, "_in_two", lambda *a: halves.append(in_two(*a)) or halves[-1]
    )
    path = tmp_path / "catalog.ttl"
    path.write_text(_catalog(3, 60) + TRICKS.get(trick, ""))
    streamed, loaded = both([path], commit=("credit", "ecosystem-contribution"))
    assert streamed == loaded and len(streamed["results"]) > 30
    assert halves and halves[0] is not None  # it was read in two


def test_the_decisive_predicates_cover_what_the_questions_read() -> None:
    """Every predicate the check's questions, every lifting query (a new one included)
    and the rules name is decisive (or a ccsig: one, kept anyway), read from their
    SPARQL algebra."""
    from rdflib import URIRef
    from rdflib.plugins.sparql import prepareQuery, prepareUpdate

    lifting = data_dir("queries") / "lifting"
    names = ["decisions.rq", "commitments.rq", "reusers.rq"]
    names += [f"lifting/{f.name}" for f in lifting.iterdir() if f.name.endswith(".rq")]
    updates = ["consult.ru"]
    updates += [f"lifting/{f.name}" for f in lifting.iterdir() if f.name.endswith(".ru")]
    updates += [
        f"rules/{f.name}"
        for f in (data_dir("queries") / "rules").iterdir()
        if f.name.endswith(".ru")
    ]
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, URIRef):
            found.add(str(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple | set):
            for v in node:
                walk(v)
        elif hasattr(node, "__dict__"):
            walk(vars(node))
        elif hasattr(node, "args"):
            walk(node.args)

    def predicates(algebra: Any) -> None:
        # triple patterns: (s, p, o); a path's IRIs; VALUES tables
        if isinstance(algebra, dict):
            for key, value in algebra.items():
                if key == "triples":
                    for triple in value:
                        walk(triple[1])
                elif key == "res" and isinstance(value, list):  # VALUES rows
                    walk(value)
                else:
                    predicates(value)
        elif isinstance(algebra, list | tuple):
            for v in algebra:
                predicates(v)
        elif hasattr(algebra, "items"):
            predicates(dict(algebra.items()))

    for name in names:
        predicates(prepareQuery(read_text("queries", name)).algebra)
    for name in updates:
        for part in prepareUpdate(read_text("queries", name)).algebra:
            predicates(part)
    assert {NS + "contentUsage", NS + "about", ODRL + "permission", RDFS + "subClassOf"} <= found
    decisive = {p.value for p in stream.decisive_predicates()}
    assert sorted(p for p in found if p not in decisive and not p.startswith(NS)) == []


def test_an_ordinary_catalog_is_decided_without_an_engine_over_its_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.ttl"
    path.write_text(_catalog(11, 40))
    loaded = ccsig.check([path], "train-genai", ("credit",), stream=False).to_json()

    def refused(*args: Any) -> None:
        raise AssertionError("an ordinary catalog went to the engine")

    monkeypatch.setattr(stream, "_engine_report", refused)
    assert ccsig.check([path], "train-genai", ("credit",)).to_json() == loaded


def test_a_structured_statement_goes_to_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.ttl"
    path.write_text(_catalog(11, 5) + TRICKS["structured statement"])
    monkeypatch.setattr(stream, "_decisions", None)  # the ordinary path would call it
    assert ccsig.check([path], "train-genai").summary["unknown"] >= 1


def test_summarised_halves_read_again_when_an_engine_must_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary catalog's second half sends only its summary; when the small engines
    cannot decide after all (here: forced), the input is read again, quads and all, and
    the one engine's answers are the loaded check's."""
    monkeypatch.setattr(ingest_stream, "SPLIT_AT_LEAST", 0)
    monkeypatch.setattr(ingest_stream, "_alone", lambda: True)
    monkeypatch.setattr(stream, "_assets", lambda catalog: None)
    steps: list[str] = []
    path = tmp_path / "catalog.ttl"
    path.write_text(_catalog(4, 60))
    streamed = ccsig.check([path], "train-genai", ["credit"], progress=steps.append).to_json()
    loaded = ccsig.check([path], "train-genai", ["credit"], stream=False).to_json()
    assert streamed == loaded and len(streamed["results"]) > 30
    assert "reading again: the catalog needs an engine" in steps
