"""`ccsig infer`: what it writes, with and without the input."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.cli import main
from ccsig.reason.engine import ENGINES
from tests.helpers.paths import EXAMPLES

CROISSANT = EXAMPLES / "croissant.json"
SCHEMA_NAME = ox.NamedNode("https://schema.org/name")
CCSIG_ABOUT = ox.NamedNode("https://w3id.org/ccsig#about")


def _infer(*args: str) -> list[ox.Triple]:
    result = CliRunner().invoke(main, ["infer", str(CROISSANT), "--format", "nt", *args])
    assert result.exit_code == 0, result.output
    return [q.triple for q in ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_TRIPLES)]


@pytest.mark.parametrize("engine", ENGINES)
def test_new_only_leaves_out_input_about_blank_nodes(engine: str) -> None:
    # regression: the fast engine parsed each input twice (the data, and its record for
    # --new-only) and the two parses named blank nodes differently, so every input
    # triple about a blank-node dataset was taken for a new one
    everything = _infer("--engine", engine)
    new = _infer("--engine", engine, "--new-only")
    assert any(t.predicate == SCHEMA_NAME for t in everything)
    assert not any(t.predicate == SCHEMA_NAME for t in new)
    about_blank = [t for t in new if t.predicate == CCSIG_ABOUT]
    assert any(isinstance(t.object, ox.BlankNode) for t in about_blank)
    assert len(new) < len(everything)


def test_output_files_get_ordinary_permissions(tmp_path: Path) -> None:
    # regression: -o wrote through mkstemp, so every output was readable by its owner only
    import os

    umask = os.umask(0o022)
    try:
        new = tmp_path / "closure.ttl"
        assert CliRunner().invoke(main, ["infer", str(CROISSANT), "-o", str(new)]).exit_code == 0
        assert new.stat().st_mode & 0o777 == 0o644
        new.chmod(0o600)
        assert CliRunner().invoke(main, ["infer", str(CROISSANT), "-o", str(new)]).exit_code == 0
        assert new.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


COMMAND_LINE_REUSER = "urn:ccsig:reuser:command-line"


@pytest.mark.parametrize("new_only", [(), ("--new-only",)])
def test_the_closure_holds_no_reuser_of_ccsig_s_own(new_only: tuple[str, ...]) -> None:
    # regression: every closure said `<urn:ccsig:reuser:command-line> a prov:Agent` (and,
    # without --new-only, `a ccsig:Reuser`), though the data names no reuser
    triples = _infer(*new_only)
    assert triples
    assert not [t for t in triples if COMMAND_LINE_REUSER in (t.subject.value, t.object.value)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("closure.ttl", ox.RdfFormat.TURTLE),
        ("closure.nt", ox.RdfFormat.N_TRIPLES),
        ("closure.jsonld", ox.RdfFormat.JSON_LD),
        ("closure.rdf", ox.RdfFormat.RDF_XML),
        ("closure.owl", ox.RdfFormat.RDF_XML),
        ("closure.xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_output_is_in_the_format_its_extension_names(
    tmp_path: Path, name: str, fmt: ox.RdfFormat
) -> None:
    # regression: `-o x.rdf` wrote Turtle into the .rdf file
    target = tmp_path / name
    done = CliRunner().invoke(main, ["infer", str(CROISSANT), "-o", str(target)])
    assert done.exit_code == 0, done.output
    expected = set(_infer())
    assert len({q.triple for q in ox.parse(path=str(target), format=fmt)}) == len(expected)


@pytest.mark.parametrize(
    ("name", "args"),
    [("closure.xlsx", ()), ("closure.csv", ()), ("closure.rdf", ("--format", "turtle"))],
)
def test_an_extension_naming_another_format_is_refused(
    tmp_path: Path, name: str, args: tuple[str, ...]
) -> None:
    target = tmp_path / name
    done = CliRunner().invoke(main, ["infer", str(CROISSANT), "-o", str(target), *args])
    assert done.exit_code == 2 and not target.exists()
    assert name.rsplit(".", 1)[1] in done.stderr and "--format" in done.stderr


def test_explicit_format_goes_to_any_other_file_name(tmp_path: Path) -> None:
    target = tmp_path / "closure.txt"
    done = CliRunner().invoke(main, ["infer", str(CROISSANT), "-o", str(target), "--format", "nt"])
    assert done.exit_code == 0 and target.read_bytes().startswith((b"<", b"_:"))
