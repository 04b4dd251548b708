"""Every command that writes: -o writes what its extension names (or is refused), and
the format names are the same everywhere."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.warc import make_inputs


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.stdout, done.stderr


def test_scan_refuses_an_extension_it_does_not_write(tmp_path: Path) -> None:
    # regression: `scan -o out.xlsx` wrote JSON Lines into the .xlsx file, exit 0
    warcs = [str(p) for p in make_inputs(tmp_path)]
    target = tmp_path / "out.xlsx"
    code, _, err = _run("scan", *warcs, "-o", str(target))
    assert code == 2 and not target.exists()
    assert err.count("\n") == 1 and ".xlsx" in err and "--format" in err


@pytest.mark.parametrize("name", ["out.jsonl", "out.ndjson", "out.csv"])
def test_scan_writes_what_the_extension_names(tmp_path: Path, name: str) -> None:
    warcs = [str(p) for p in make_inputs(tmp_path)]
    target = tmp_path / name
    code, _, _ = _run("scan", *warcs, "-o", str(target), "-j", "1")
    assert code == 0
    text = target.read_text()
    if name.endswith(".csv"):
        assert next(csv.reader(text.splitlines()))[0] == "url"
    else:
        assert all(json.loads(line)["url"] for line in text.splitlines())
