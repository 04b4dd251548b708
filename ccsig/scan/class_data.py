"""A class-data archive (CDS) of the Spark driver's JVM on a local master: later starts
take about half as long.

Takes: the java executable and the Spark installation a local SparkSession will start.
Gives: the JVM options (`driver_options`) that record such an archive (the first run,
which starts slower: ~10 s more, once) or use it (every run after: ~5 s less of a
~10 s start); and, once the session is up, `claimed_by_jvm` says which JVM is recording.

Most of a local Spark job's time is its driver JVM starting, and most of that is loading
some 11,000 classes from Spark's jars. The JDK's dynamic archive
(``-XX:ArchiveClassesAtExit``, JDK 13 and later; Spark 4 needs 17) keeps them parsed and
verified in a file the next JVM maps. The archive lives in the user's cache folder
(``$XDG_CACHE_HOME/ccsig/spark``, ~120 MB), one per Java and Spark installation; the JVM
checks it against its own classes and class path, and starts without it (quietly) when
they differ. One run records at a time: a claim file holds the recording JVM's PID, and
its archive is put in place by the first run that finds that JVM gone (the archive is
written as the JVM exits). ``CCSIG_SPARK_CDS=0`` turns all this off; removing the folder
makes the next run record again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ccsig._files import alive, cache_dir

OFF = "CCSIG_SPARK_CDS"  # set to 0: neither record nor use an archive
_QUIET = "-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"


def driver_options(java: str, spark_home: str) -> tuple[str, Path | None]:
    """The JVM options for the driver's class-data archive, and the claim file when this
    run records it (to pass to `claimed_by_jvm` once the JVM runs); ("", None) when
    turned off, when another run is recording, or when the cache cannot be written."""
    if os.environ.get(OFF, "1").strip() == "0":
        return "", None
    folder = cache_dir() / "spark"
    key = _key(java, spark_home)
    archive = folder / f"driver-{key}.jsa"
    part = folder / f"driver-{key}.jsa.part"
    claim = folder / f"driver-{key}.claim"
    try:
        if archive.is_file():
            return f"-XX:SharedArchiveFile={archive} {_QUIET}", None
        holder = _holder(claim)
        if holder is not None:
            if holder > 0 and alive(holder):
                return "", None  # being recorded (or written) by another run's JVM
            claim.unlink(missing_ok=True)
            if part.is_file() and part.stat().st_size > 0:  # that JVM wrote it as it ended
                os.replace(part, archive)
                return f"-XX:SharedArchiveFile={archive} {_QUIET}", None
        folder.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except OSError:  # a read-only cache, or another run claimed it first: no archive
        return "", None
    try:
        os.write(fd, str(os.getpid()).encode())  # until the JVM's own PID is known
    finally:
        os.close(fd)
    return f"-XX:ArchiveClassesAtExit={part} {_QUIET}", claim


def claimed_by_jvm(claim: Path, spark: Any) -> None:
    """Put the PID of the session's JVM, which writes the archive as it exits (after this
    process, maybe), in the claim: until it is gone, no run takes the archive."""
    try:
        pid = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())
        temporary = claim.with_name(claim.name + f".{os.getpid()}")
        temporary.write_text(str(pid))
        os.replace(temporary, claim)
    except Exception:  # (py4j, the file system) the claim keeps this process's PID
        pass


def _holder(claim: Path) -> int | None:
    """The PID a claim file holds; None: no claim (an unreadable one counts as ended)."""
    try:
        text = claim.read_text().strip()
    except FileNotFoundError:
        return None
    except OSError:
        return 0
    return int(text) if text.isdigit() else 0


def _key(java: str, spark_home: str) -> str:
    """Names the archive of one Java and one Spark installation (the JVM checks the rest)."""
    parts = [os.path.realpath(java)]
    try:
        found = os.stat(parts[0])
        parts.append(f"{found.st_size}:{found.st_mtime_ns}")
    except OSError:
        pass
    jars = os.path.join(spark_home, "jars")
    try:
        parts.extend(sorted(os.listdir(jars)))
    except OSError:
        pass
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
