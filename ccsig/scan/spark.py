"""The Spark engine of ccsig scan: the same records as the local engine, from a cluster.

Takes: WARC paths every executor can read (a shared file system), scan options, a Spark
master URL (``local[*]`` by default; ``spark://...``, ``yarn``, ...).
Gives: the records of ccsig.scan.local, equal to the local engine's and in the same order,
and the number of input problems reported.

Two jobs, one task per input file. The first reads every file and returns its policy
documents (robots.txt, tdmrep.json) and input problems; the driver builds the policy
table from them in input order, exactly as the local engine does, and broadcasts it.
The second reads every file again and builds each page's record on the executors,
keyed by (input index, record offset); sorting by that key restores input order, and
the driver streams the result without collecting it.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccsig.errors import CcsigError
from ccsig.ingest.warc import Damage, Response, read_responses
from ccsig.scan.class_data import claimed_by_jvm, driver_options
from ccsig.scan.records import Page, Policies, RecordBuilder, ScanOptions, page_of, policy_path

if TYPE_CHECKING:
    from pyspark import RDD

Warn = Callable[[str, int, str], None]


def _first_pass(item: tuple[int, str]) -> list[tuple[int, int, Any]]:
    """A file's policy documents and problems, keyed by (input index, offset)."""
    index, path = item
    out: list[tuple[int, int, Any]] = []
    for found in read_responses(path):
        if isinstance(found, Damage):
            out.append((index, found.offset, found.message))
        elif policy_path(found) is not None:
            out.append((index, found.offset, found))
        else:
            problems: list[str] = []
            page_of(found, problems.append)
            out.extend((index, found.offset, problem) for problem in problems)
    return out


def _pages(path: str) -> Iterator[tuple[int, Page]]:
    for found in read_responses(path):
        if isinstance(found, Response) and policy_path(found) is None:
            page = page_of(found, lambda _message: None)  # reported by the first pass
            if page is not None:
                yield found.offset, page


def is_local(master: str) -> bool:
    """Whether a Spark master URL runs everything on this machine (``local``,
    ``local[N]``, ``local[*]``, ``local-cluster[...]``)."""
    return master.startswith("local")


def _java() -> str | None:
    """The java executable Spark's launcher would run, as it looks for one."""
    home = os.environ.get("JAVA_HOME")
    found = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return found if found and os.access(found, os.X_OK) else None


@contextmanager
def spark_session(master: str, name: str) -> Iterator[Any]:
    """A SparkSession on `master` for one ccsig job, stopped at the end (the one
    `start_session` began, if it did); one clear error when pyspark or Java is missing
    (ccsig scan and ccsig audit share it)."""
    started = _STARTED.pop((master, name), None)
    spark = started.result() if started is not None else None
    if spark is None:
        _check_runtime()
        _import_ahead()
        spark = _build(master, name)
    try:
        yield spark
    finally:
        stopping = _STOPPING.pop(id(spark), None)
        if stopping is not None:
            stopping.join()
        else:
            spark.stop()


def stop_soon(spark: Any) -> None:
    """Begin stopping a session of `spark_session` in a thread (it takes a second), when
    the caller needs no more of it but has work left; the end of `spark_session` waits
    for it."""
    if id(spark) not in _STOPPING:
        stopping = threading.Thread(target=spark.stop, name="ccsig-spark-stop", daemon=True)
        _STOPPING[id(spark)] = stopping
        stopping.start()


_STOPPING: dict[int, threading.Thread] = {}


def start_session(master: str, name: str) -> None:
    """Begin starting the SparkSession `spark_session(master, name)` will use, in a
    thread: its JVM takes seconds to start, which then overlap what the caller does
    meanwhile (ccsig audit: building the policy table). Nothing happens without pyspark
    or Java (`spark_session` says so); `discard_session` stops one never used."""
    try:
        _check_runtime()
        from pyspark.sql import SparkSession  # noqa: F401 (imported here, not in the thread)
    except CcsigError:
        return
    if (master, name) not in _STARTED:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # (as _build does)
        _STARTED[master, name] = _Starting(master, name)
        _import_ahead()


def _import_ahead() -> None:
    """What a session's start imports once its JVM is up, imported ahead (by
    start_session while its thread waits for the JVM) without its warning: pyspark's
    Java converters import pyspark.testing.utils, which imports pandas when it is
    installed and, with pandas 3, warns that pandas on Spark may not work; ccsig does not
    use pandas on Spark, and the warning is not its users' to read."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "PySpark does not yet fully support pandas", FutureWarning
        )
        try:
            import pyspark.testing.utils  # noqa: F401
        except Exception:  # (what it cannot import, the session start will say)
            pass


def discard_session(master: str, name: str) -> None:
    """Stop the session `start_session` began, when it is not to be used after all."""
    started = _STARTED.pop((master, name), None)
    spark = started.result() if started is not None else None
    if spark is not None:
        spark.stop()


class _Starting:
    """A SparkSession being built in a thread; `result` waits for it (None: building it
    failed, and `spark_session` builds it again, in the open, to report why)."""

    def __init__(self, master: str, name: str) -> None:
        self._spark: Any = None
        self._thread = threading.Thread(
            target=self._run, args=(master, name), name="ccsig-spark-start", daemon=True
        )
        self._thread.start()

    def _run(self, master: str, name: str) -> None:
        try:
            self._spark = _build(master, name)
        except Exception:  # (told when built again)
            self._spark = None

    def result(self) -> Any:
        self._thread.join()
        return self._spark


_STARTED: dict[tuple[str, str], _Starting] = {}


def _check_runtime() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise CcsigError("--engine spark needs pyspark: pip install 'ccsig[spark]'") from None
    if _java() is None:
        raise CcsigError(
            "--engine spark needs Java (Spark runs on a JVM): none found as $JAVA_HOME/bin/java "
            "or java on PATH; install Java 17 or later, or set JAVA_HOME"
        )


def _build(master: str, name: str) -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python
    claim: Path | None = None
    builder = (
        SparkSession.builder.master(master)
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if is_local(master):
        # one machine: the driver's block manager on loopback, where its tasks fetch large
        # results from (the host name may resolve to an address nothing listens on)
        builder = builder.config("spark.driver.host", "127.0.0.1")
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1")
        # and the JVM's quick compiler only: the work is in Python workers, the JVM
        # moves their results; its start, most of a local job's time, takes half as long;
        # and half again with its classes from an archive (ccsig.scan.class_data)
        archive, claim = _class_data()
        options = f"-XX:TieredStopAtLevel=1 {archive}".strip()
        builder = builder.config("spark.driver.extraJavaOptions", options)
    spark = builder.getOrCreate()
    if claim is not None:
        claimed_by_jvm(claim, spark)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _class_data() -> tuple[str, Path | None]:
    import pyspark

    java = _java()
    if java is None:
        return "", None
    home = os.environ.get("SPARK_HOME") or os.path.dirname(pyspark.__file__)
    return driver_options(java, home)


@contextmanager
def spark_scan(
    paths: list[str], options: ScanOptions, master: str, warn: Warn
) -> Iterator[tuple[Iterator[dict[str, Any]], Callable[[], int]]]:
    """(records in input order, a function giving the number of problems reported)."""
    absolute = [os.path.abspath(path) for path in paths]
    with spark_session(master, "ccsig scan") as spark:
        context = spark.sparkContext
        inputs = context.parallelize(list(enumerate(absolute)), max(1, len(absolute)))
        found = sorted(inputs.flatMap(_first_pass).collect(), key=lambda item: item[:2])
        policies = Policies()
        problems = 0
        for index, offset, item in found:
            path = paths[index]

            def report(message: str, path: str = path, offset: int = offset) -> None:
                nonlocal problems
                problems += 1
                warn(path, offset, message)

            if isinstance(item, str):
                report(item)
            else:
                site, url_path = policy_path(item) or ("", "")
                policies.add(item, site, url_path, report)
        RecordBuilder(options, policies)  # bad options fail here, on the driver
        shared = context.broadcast((options, policies))

        def build(item: tuple[int, str]) -> Iterator[tuple[tuple[int, int], dict[str, Any]]]:
            index, path = item
            builder = RecordBuilder(*shared.value)
            for offset, page in _pages(path):
                yield (index, offset), builder.record(page)

        ordered: RDD[tuple[tuple[int, int], dict[str, Any]]] = inputs.flatMap(build).sortByKey(
            numPartitions=max(1, len(absolute))
        )
        records = (record for _key, record in ordered.toLocalIterator())
        yield records, lambda: problems
