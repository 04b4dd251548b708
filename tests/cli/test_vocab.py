"""`ccsig vocab`: the shipped ontology in every output format."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from ccsig.cli import main
from ccsig.resources import data_files, read_text


def _shipped() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in data_files("vocab", ".ttl"):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def test_text_lists_vocabularies_trees_and_signals() -> None:
    result = CliRunner().invoke(main, ["vocab"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index(next(x for x in lines if x.startswith("aipref-02")))
    tree = [x.rstrip() for x in lines[start + 1 : start + 6]]
    assert [x.split()[0] for x in tree] == ["all", "train-ai", "train-genai", "ai-use", "search"]
    indents = [len(x) - len(x.lstrip()) for x in tree]
    assert indents == [2, 4, 6, 4, 4]  # the draft-02 hierarchy, drawn by indentation
    assert any(x.split()[:3] == ["cc-cr-ec", "credit,", "ecosystem-contribution"] for x in lines)
    for name in ("aipref-01", "aipref-03", "aipref-04", "aipref-05", "aipref-06", "aipref-07"):
        assert any(x.startswith(name) for x in lines)


def test_turtle_is_the_whole_ontology(tmp_path: Path) -> None:
    out = tmp_path / "vocab.ttl"
    result = CliRunner().invoke(main, ["vocab", "--format", "turtle", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert isomorphic(rdflib.Graph().parse(out, format="turtle"), _shipped())
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_json_ld_uses_the_shipped_context_and_round_trips() -> None:
    result = CliRunner().invoke(main, ["vocab", "--format", "json-ld"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    context = json.loads(read_text("vocab", "context.jsonld"))["@context"]
    assert doc["@context"] == context
    assert isomorphic(rdflib.Graph().parse(data=result.stdout, format="json-ld"), _shipped())


def test_unwritable_output_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["vocab", "-o", str(tmp_path / "missing" / "v.ttl")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
