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
