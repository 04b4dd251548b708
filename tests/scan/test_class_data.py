"""The Spark driver's class-data archive (ccsig.scan.class_data): the first run records
it, one run at a time; the run that finds the recording JVM gone puts it in place and
uses it, as do all after; it can be turned off, and a cache it cannot write is no error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccsig.scan import class_data
from ccsig.scan.class_data import OFF, claimed_by_jvm, driver_options


@pytest.fixture
def spark_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(OFF, raising=False)
    home = tmp_path / "spark"
    (home / "jars").mkdir(parents=True)
    (home / "jars" / "spark-core.jar").write_bytes(b"")
    return str(home)


def _folder(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "ccsig" / "spark"


def _gone_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_the_first_run_records_and_no_other_while_it_does(tmp_path: Path, spark_home: str) -> None:
    options, claim = driver_options(sys.executable, spark_home)
    assert claim is not None and claim.read_text() == str(os.getpid())
    (part,) = [p for p in options.split() if p.startswith("-XX:ArchiveClassesAtExit=")]
    assert part.endswith(".jsa.part") and Path(part.split("=", 1)[1]).parent == _folder(tmp_path)
    assert "-Xlog:cds=off" in options  # the JVM's archive messages are not the user's
    assert driver_options(sys.executable, spark_home) == ("", None)  # (this process: alive)


def test_a_finished_recording_is_put_in_place_and_used(tmp_path: Path, spark_home: str) -> None:
    _, claim = driver_options(sys.executable, spark_home)
    assert claim is not None
    part = claim.with_name(claim.name.replace(".claim", ".jsa.part"))
    part.write_bytes(b"archive")  # what the JVM wrote as it exited
    claim.write_text(str(_gone_pid()))
    options, again = driver_options(sys.executable, spark_home)
    archive = claim.with_name(claim.name.replace(".claim", ".jsa"))
    assert again is None and options.startswith(f"-XX:SharedArchiveFile={archive} ")
    assert archive.read_bytes() == b"archive" and not part.exists() and not claim.exists()
    assert driver_options(sys.executable, spark_home)[0] == options


def test_a_run_that_ended_without_an_archive_is_recorded_again(
    tmp_path: Path, spark_home: str
) -> None:
    _, claim = driver_options(sys.executable, spark_home)
    assert claim is not None
    claim.write_text(str(_gone_pid()))  # killed before it wrote anything
    options, again = driver_options(sys.executable, spark_home)
    assert again == claim and "-XX:ArchiveClassesAtExit=" in options


def test_another_spark_or_java_has_its_own_archive(tmp_path: Path, spark_home: str) -> None:
    first = class_data._key(sys.executable, spark_home)
    (Path(spark_home) / "jars" / "spark-sql.jar").write_bytes(b"")
    assert class_data._key(sys.executable, spark_home) != first


def test_turned_off_or_unwritable_no_archive(
    tmp_path: Path, spark_home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OFF, "0")
    assert driver_options(sys.executable, spark_home) == ("", None)
    monkeypatch.delenv(OFF)
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the folder would be
    assert driver_options(sys.executable, spark_home) == ("", None)


def test_the_claim_names_the_jvm_once_it_runs(tmp_path: Path, spark_home: str) -> None:
    _, claim = driver_options(sys.executable, spark_home)
    assert claim is not None

    class Handle:
        def pid(self) -> int:
            return 424242

    class Lang:
        class ProcessHandle:
            @staticmethod
            def current() -> Handle:
                return Handle()

    class Spark:
        class sparkContext:  # noqa: N801 (as pyspark names it)
            class _jvm:  # noqa: N801
                class java:  # noqa: N801
                    lang = Lang

    claimed_by_jvm(claim, Spark())
    assert claim.read_text() == "424242"
    claimed_by_jvm(claim, object())  # no JVM to ask: the claim stays as it is
    assert claim.read_text() == "424242"
    assert [p.name for p in claim.parent.iterdir()] == [claim.name]
