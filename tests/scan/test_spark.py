"""ccsig scan --engine spark gives exactly the local engine's records, in the same order."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.warc import http, make_inputs, member

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'ccsig[spark]')")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_spark_on_local_2_equals_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    monkeypatch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
    inputs = [str(p) for p in make_inputs(tmp_path)]
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(
        member("https://h.example/1", http("200 OK", ["Content-Usage: train-ai=n\x01"]))
        + b"garbage" * 10
        + member("https://h.example/2", http("200 OK", ["X-Robots-Tag: otherbot: noai"]))
    )
    inputs.append(str(damaged))
    options = ["--for", "train-genai", "--commit", "credit", "--agent", "ExampleBot"]
    local = run(*inputs, *options)
    spark = run(*inputs, *options, "--engine", "spark", "--master", "local[2]")
    assert local[0] == spark[0] == 3
    assert spark[1] == local[1]
    assert len([json.loads(line) for line in spark[1].splitlines()]) == 11
    assert sorted(spark[2].splitlines()) == sorted(local[2].splitlines())
