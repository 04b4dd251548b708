"""ccsig audit --engine spark gives exactly the local engine's bytes, from every kind of
URL input."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.audit import spark as audit_spark
from ccsig.cli import main
from tests.helpers.spool import watch_spool
from tests.helpers.warc import http, make_inputs, member

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'ccsig[spark]')")

JAVA = shutil.which("java") or (
    os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else None
)
needs_java = pytest.mark.skipif(
    JAVA is None or not os.access(JAVA, os.X_OK), reason="Spark needs Java, not found"
)


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["audit", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.slow
@needs_java
def test_spark_on_local_2_equals_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    monkeypatch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
    monkeypatch.setattr(audit_spark, "PIECE", 200)  # several text pieces
    spool = tmp_path / "spool"  # where standard output's pieces go (the executors', local[2])
    copied = watch_spool(monkeypatch, spool)
    pages, robots = make_inputs(tmp_path)
    later = tmp_path / "later.warc.gz"
    body = b"User-agent: *\nContent-Usage: train-ai=n\n"
    later.write_bytes(
        member("https://b.example/robots.txt", http("200 OK", [], body), "2099-01-01T00:00:00Z")
    )
    hosts = ["https://a.example", "http://b.example", "https://c.example", "https://d.example",
             "https://e.example", "https://f.example"]  # fmt: skip
    urls = [f"{h}/{p}/{i}" for i in range(40) for h in hosts for p in ("open", "books", "x")]
    urls.insert(5, "not a url")
    text = tmp_path / "urls.txt"
    text.write_text("\n".join(urls) + "\n\n")
    table = tmp_path / "urls.parquet"
    pq.write_table(pa.table({"url": urls}), table, row_group_size=100)
    common = [a for s in (robots, pages, later) for a in ("--preferences", str(s))]
    common += ["--for", "train-genai", "--commit", "credit", "--changed-since", "2026-01-01"]
    for given in ([str(text)], [str(table)]):
        local = run(*given, *common)
        spark = run(*given, *common, "--engine", "spark", "--master", "local[2]")
        assert local[0] == spark[0] == 3
        assert spark[1] == local[1] and local[1].count(b"\n") == len(urls) + 1
        out_local, out_spark = tmp_path / "l.parquet", tmp_path / "s.parquet"
        run(*given, *common, "-o", str(out_local))
        run(*given, *common, "-o", str(out_spark), "--engine", "spark", "--master", "local[2]")
        assert pq.read_table(out_local).equals(pq.read_table(out_spark))
    assert copied and list(spool.iterdir()) == []


@needs_java
def test_the_session_started_with_the_table_is_used_once_or_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Spark's session starts in a thread while the table is built; the audit takes
    that one (stopping it at the end), a table that cannot be built stops it, and a
    start that failed is tried again in the open, so that its error is told."""
    import time

    from ccsig.audit.run import build_table, options_of
    from ccsig.errors import CcsigError
    from ccsig.scan import spark as scan_spark

    built: list[_FakeSession] = []

    def build(master: str, name: str) -> _FakeSession:
        time.sleep(0.1)  # (the JVM starting)
        built.append(_FakeSession())
        return built[-1]

    monkeypatch.setattr(scan_spark, "_build", build)
    scan_spark.start_session("local[1]", "test")
    with scan_spark.spark_session("local[1]", "test") as spark:
        assert spark is built[0] and spark.stopped == 0
    assert len(built) == 1 and built[0].stopped == 1
    scan_spark.start_session("local[1]", "test")
    with scan_spark.spark_session("local[1]", "test") as spark:
        scan_spark.stop_soon(spark)  # (the last job ended: stopped while the rest is done)
        scan_spark.stop_soon(spark)
    assert len(built) == 2 and built[1].stopped == 1 and scan_spark._STOPPING == {}
    with pytest.raises(CcsigError, match="no such file"):
        build_table(["/no/such/file"], options_of("train-genai"), print, engine="spark")
    assert len(built) == 3 and built[2].stopped == 1  # started, then stopped

    def broken(master: str, name: str) -> _FakeSession:
        raise RuntimeError("the JVM did not start")

    monkeypatch.setattr(scan_spark, "_build", broken)
    scan_spark.start_session("local[1]", "test")
    with pytest.raises(RuntimeError, match="did not start"):
        with scan_spark.spark_session("local[1]", "test"):
            pass
    assert scan_spark._STARTED == {}


class _FakeSession:
    def __init__(self) -> None:
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1


def test_waves_keep_the_order_and_leaving_early_cancels() -> None:
    """The pieces of a local master run as jobs submitted ahead of the driver (here two
    at a time, three partitions each): in partition order; a reader that stops early (an
    interrupted write) cancels what runs."""

    class Context:
        def __init__(self) -> None:
            self.jobs: list[list[int]] = []
            self.cancelled = 0

        def runJob(self, rdd: list[list[str]], function: object, wave: list[int]) -> list[str]:  # noqa: N802
            self.jobs.append(wave)
            return [item for part in wave for item in rdd[part]]

        def cancelAllJobs(self) -> None:  # noqa: N802
            self.cancelled += 1

    parts = [[f"{p}.{i}" for i in range(p % 3)] for p in range(8)]
    context = Context()
    ended: list[int] = []
    got = []
    for item in audit_spark._in_waves(context, parts, len(parts), 3, lambda: ended.append(1), 2):
        got.append(item)
        assert ended == ([1] if item[0] in "67" else [])  # before the last job's
    assert got == [item for part in parts for item in part]
    assert sorted(context.jobs) == [[0, 1, 2], [3, 4, 5], [6, 7]] and context.cancelled == 0
    early = audit_spark._in_waves(context, parts, len(parts), 3, lambda: None, 2)
    assert next(early) == "1.0"
    early.close()
    assert context.cancelled == 1
    # stopped while the last job's pieces are copied in: Spark may be stopping, and
    # there is nothing left to cancel
    late = audit_spark._in_waves(context, parts, len(parts), 3, lambda: None, 2)
    assert [next(late) for _ in range(7)][-1] == "7.0"
    late.close()
    assert context.cancelled == 1
