"""ccsig scan --engine spark gives exactly the local engine's records, in the same order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.warc import http, make_inputs, member

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'ccsig[spark]')")

# Spark runs on a Java virtual machine: found as $JAVA_HOME/bin/java, or java on PATH.
JAVA = shutil.which("java") or (
    os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else None
)
needs_java = pytest.mark.skipif(
    JAVA is None or not os.access(JAVA, os.X_OK), reason="Spark needs Java, not found"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
@needs_java
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


def test_without_java_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # regression: shell errors from Spark's launcher and PySparkRuntimeError:
    # [JAVA_GATEWAY_EXITED], instead of one line saying what is missing
    inputs = [str(p) for p in make_inputs(tmp_path)]
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    code, out, err = run(*inputs, "--engine", "spark")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Java" in err and "JAVA_HOME" in err
    assert "PySpark" not in err and "Error:" not in err.split("error:", 1)[1]


def test_pysparks_pandas_warning_is_not_shown_to_users() -> None:
    """pyspark imports pyspark.testing.utils as a session starts, which warns (FutureWarning)
    about pandas 3 on Spark, which ccsig does not use: it is imported ahead, quietly. (With
    warnings as errors, the import succeeds only if the warning is left out.)"""
    script = (
        "import sys, warnings\n"
        "warnings.simplefilter('error', FutureWarning)\n"
        "from ccsig.scan import spark\n"
        "spark._import_ahead()\n"
        "print('pyspark.testing.utils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "True" and "FutureWarning" not in done.stderr
