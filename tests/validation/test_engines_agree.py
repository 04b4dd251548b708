"""The fast validation engine against pySHACL: the same (severity, focus, path, value,
message) results on generated catalogs and on every fixture and example.

Both engines get the same quads, so blank nodes carry the same labels in both reports.
The fast engine has two paths, and both are held to the reference: the store path
(every constraint once over a pyoxigraph store) and the broadcast path (each distinct set
of contentUsage values validated once); the guards below make sure each test exercises
the path it means to.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ccsig.ingest.readers import read_quads
from ccsig.model.vocabulary import load_ontology
from ccsig.validation import broadcast, run
from ccsig.validation.run import validate_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(
    p
    for folder in (ROOT / "tests" / "data", ROOT / "examples")
    for p in folder.rglob("*")
    if p.suffix in (".ttl", ".json", ".jsonld", ".nt", ".trig", ".rdf") and p.name != "invalid.json"
)
SIGNALS = ["cc-cr", "cc-cr-dc", "cc-cr-ec", "cc-cr-op"]
NOT_SIGNALS = ["cc-by", '"cc-cr"']
BROKEN = ["Train-ai=n", "train-ai=n,", "all=n;exceptions=cc\u00e9", 'train-ai="n"', ""]


def _member(rng: random.Random, labels: list[str]) -> str:
    label = rng.choice(labels + ["foo", "genai", "tdm"])
    value = rng.choice(["y", "n", "n", "n", '"n"', "?1"])
    if rng.random() < 0.5:
        return f"{label}={value};exceptions={rng.choice(SIGNALS + NOT_SIGNALS)}"
    return f"{label}={value}"


def _expression(rng: random.Random, labels: list[str]) -> str:
    if rng.random() < 0.1:
        return rng.choice(BROKEN)
    members = [_member(rng, labels) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.1:
        members.append(members[0])  # a duplicate label
    return ", ".join(members)


def catalog(seed: int, datasets: int, vocabulary: str, odrl: bool = False) -> str:
    """DCAT and schema.org datasets, some blank nodes, with 0-3 contentUsage values each:
    the vocabulary's labels and others, broken values, language-tagged and typed
    literals, and (with `odrl`) ODRL policies."""
    rng = random.Random(seed)
    labels = load_ontology().vocabulary(vocabulary).labels
    lines = [
        "@prefix ccsig: <https://w3id.org/ccsig#> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix odrl: <http://www.w3.org/ns/odrl/2/> .",
        "@prefix ex: <https://e.org/> .",
    ]
    for i in range(datasets):
        values = []
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            value = json.dumps(_expression(rng, labels))
            value += rng.choice(
                ["", "", "", "", "@en", "^^<http://www.w3.org/2001/XMLSchema#token>"]
            )
            values.append(f"ccsig:contentUsage {value}")
        if rng.random() < 0.05:
            values.append("ccsig:contentUsage 7")
        kind = rng.choice(["dcat:Dataset"] * 5 + ["<https://schema.org/Dataset>"])
        body = " ; ".join([f"a {kind}", f'dct:title "Dataset {i}"', *values])
        if odrl and rng.random() < 0.4:
            action = rng.choice(labels)
            rule = rng.choice(["permission", "prohibition"])
            body += f" ; odrl:hasPolicy [ odrl:{rule} [ odrl:action ccsig:{vocabulary}.{action} ] ]"
        if rng.random() < 0.25:
            lines.append(f"[ {body} ] .")  # a blank-node dataset, as in Croissant
        else:
            lines.append(f"ex:d{i} {body} .")
    return "\n".join(lines) + "\n"


def reference(quads: list[ox.Quad], vocabulary: str, file: str) -> set:
    return set(run.validate_quads(quads, vocabulary, file, "reference", run.shapes_for(())))


def store_path(quads: list[ox.Quad], vocabulary: str, file: str) -> set:
    return set(run.validate_quads(quads, vocabulary, file, "fast", run.shapes_for(())))


def broadcast_path(quads: list[ox.Quad], vocabulary: str, file: str) -> set | None:
    graph = run.shapes_for(())
    values = broadcast.collect(quads, graph)
    raws = None if values is None else broadcast.results(values, vocabulary, graph.shipped)
    return None if raws is None else {run.result(r, file) for r in raws}


def _diff(a: set, b: set) -> tuple:
    return sorted(map(str, a - b))[:3], sorted(map(str, b - a))[:3]


CATALOGS = [(s, v) for s in (1, 2) for v in ("aipref-02", "aipref-04", "aipref-07")]


@pytest.mark.parametrize(("seed", "vocabulary"), CATALOGS, ids=[f"{s}-{v}" for s, v in CATALOGS])
def test_generated_catalogs(tmp_path: Path, seed: int, vocabulary: str) -> None:
    f = tmp_path / "catalog.ttl"
    f.write_text(catalog(seed, 24, vocabulary))
    quads = read_quads(str(f))
    want = reference(quads, vocabulary, str(f))
    assert len(want) > 20  # the catalog gives the shapes something to say
    assert {r.severity for r in want} == {"violation", "warning"}
    assert any(r.focus.startswith("_:") for r in want)  # blank-node datasets
    fast = broadcast_path(quads, vocabulary, str(f))
    assert fast is not None, "this catalog should take the broadcast path"
    assert fast == want, _diff(fast, want)
    stored = store_path(quads, vocabulary, str(f))
    assert stored == want, _diff(stored, want)


@pytest.mark.parametrize("vocabulary", ["aipref-02", "aipref-07"])
def test_odrl_policies_take_the_store_path(tmp_path: Path, vocabulary: str) -> None:
    f = tmp_path / "catalog.ttl"
    f.write_text(catalog(5, 25, vocabulary, odrl=True))
    quads = read_quads(str(f))
    assert broadcast_path(quads, vocabulary, str(f)) is None  # policies add statements
    want = reference(quads, vocabulary, str(f))
    got = store_path(quads, vocabulary, str(f))
    assert got == want, _diff(got, want)
    assert len(want) > 10


def test_json_ld_input(tmp_path: Path) -> None:
    import rdflib

    source = tmp_path / "catalog.ttl"
    source.write_text(catalog(3, 25, "aipref-02"))
    f = tmp_path / "catalog.jsonld"
    f.write_text(rdflib.Graph().parse(source).serialize(format="json-ld"))
    quads = read_quads(str(f))
    want = reference(quads, "aipref-02", str(f))
    assert len(want) > 10
    assert broadcast_path(quads, "aipref-02", str(f)) == want
    assert store_path(quads, "aipref-02", str(f)) == want


@pytest.mark.parametrize("path", FIXTURES, ids=[str(p.relative_to(ROOT)) for p in FIXTURES])
def test_every_fixture_and_example(path: Path) -> None:
    quads = read_quads(str(path))
    want = reference(quads, "aipref-02", str(path))
    assert store_path(quads, "aipref-02", str(path)) == want
    fast = broadcast_path(quads, "aipref-02", str(path))
    assert fast is None or fast == want


def test_hand_written_statements_take_the_store_path(tmp_path: Path) -> None:
    f = tmp_path / "structured.ttl"
    f.write_text(
        """@prefix ccsig: <https://w3id.org/ccsig#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://e.org/s> a ccsig:Statement ; ccsig:about <https://e.org/d>, <https://e.org/e> ;
            ccsig:vocabulary ccsig:aipref-07, ccsig:aipref-02 ; ccsig:expression "x"@en ;
            ccsig:declaringParty "me" ;
            ccsig:preference [ ccsig:category ccsig:aipref-07.train-ai ;
                               ccsig:exception ccsig:cc-cr ; ccsig:value ccsig:allow ] ,
                             [ ccsig:value ccsig:unknown, ccsig:allow ; ccsig:exception "cc-cr" ] .
        <https://e.org/d> ccsig:contentUsage "train-ai=n;exceptions=cc-zz" .
        ccsig:cc-zz a ccsig:Signal ; skos:notation "cc-zz" .
        """
    )
    quads = read_quads(str(f))
    assert broadcast_path(quads, "aipref-02", str(f)) is None
    want = reference(quads, "aipref-02", str(f))
    assert len(want) >= 8
    got = store_path(quads, "aipref-02", str(f))
    assert got == want, _diff(got, want)


def test_an_asset_the_vocabulary_describes_takes_the_store_path(tmp_path: Path) -> None:
    f = tmp_path / "odd.ttl"
    f.write_text(
        """@prefix ccsig: <https://w3id.org/ccsig#> .
        ccsig:cc-cr ccsig:contentUsage "all=n;exceptions=cc-cr" , 3 , "search=y"@en .
        ccsig:aipref-02.train-ai ccsig:contentUsage "train-ai=q" .
        <https://e.org/d> ccsig:contentUsage "all=n;exceptions=cc-cr" , 3 , "search=y"@en .
        """
    )
    quads = read_quads(str(f))
    assert broadcast_path(quads, "aipref-02", str(f)) is None
    want = reference(quads, "aipref-02", str(f))
    assert {r.focus for r in want} >= {"https://w3id.org/ccsig#cc-cr", "https://e.org/d"}
    assert store_path(quads, "aipref-02", str(f)) == want


def _unlabelled(report) -> list[tuple]:
    """Results with blank-node labels blotted out: separate reads name them differently."""
    blot = re.compile(r"_:[A-Za-z0-9]+")
    return sorted(
        tuple(blot.sub("_:b", v) if isinstance(v, str) else v for v in r.to_json().values())
        for r in report.results
    )


def test_validate_files_default_is_the_fast_engine(tmp_path: Path) -> None:
    f = tmp_path / "catalog.ttl"
    f.write_text(catalog(4, 20, "aipref-02"))
    fast = validate_files([str(f)])
    slow = validate_files([str(f)], engine="reference")
    assert _unlabelled(fast) == _unlabelled(slow)
    assert {e for _, e, _ in fast.engines} == {"fast"}
    assert {e for _, e, _ in slow.engines} == {"reference"}
    assert "engines" not in fast.to_json()  # the JSON report is today's
    with pytest.raises(ValueError, match="unknown engine"):
        validate_files([str(f)], engine="turbo")
