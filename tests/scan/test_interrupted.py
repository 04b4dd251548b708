"""`ccsig scan` stopped mid-run (SIGTERM, SIGINT) leaves no temporary files, and a scan
killed outright (SIGKILL) has its leftovers removed by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT
from tests.helpers.warc import http, member

_RECORDS = 60_000


def _big_warc(folder: Path) -> Path:
    one = member(
        "https://a.example/page",
        http("200 OK", ["Content-Usage: train-ai=n", "Content-Type: text/html"], b"x" * 500),
    )
    path = folder / "big.warc.gz"
    path.write_bytes(
        member("https://a.example/robots.txt", http("200 OK", [], b"User-agent: *\nDisallow: /p\n"))
        + one * _RECORDS
    )
    return path


def _leftovers(*folders: Path) -> list[str]:
    return sorted(p.name for folder in folders for p in folder.iterdir() if "ccsig" in p.name)


def _start(tmp_path: Path, jobs: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    out.mkdir()
    warc = _big_warc(tmp_path)
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ccsig.cli",
            "scan",
            str(warc),
            "-j",
            jobs,
            "-o",
            str(out / "r.jsonl"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return process, temp, out


def _wait_for_temporary_files(process: subprocess.Popen[bytes], *folders: Path) -> None:
    deadline = time.monotonic() + 60
    while not _leftovers(*folders):
        assert process.poll() is None, "the scan ended before it made a temporary file"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("signum", "status", "jobs"),
    [
        (signal.SIGTERM, 143, "2"),
        (signal.SIGINT, 130, "2"),
        (signal.SIGTERM, 143, "1"),
        (signal.SIGINT, 130, "1"),
    ],
)
def test_a_stopped_scan_leaves_no_temporary_files(
    tmp_path: Path, signum: int, status: int, jobs: str
) -> None:
    # regression: a scan killed mid-run left its spill files in TMPDIR (-j 2) and the
    # output's temporary file beside the target (SIGTERM's default action skips cleanup)
    process, temp, out = _start(tmp_path, jobs)
    # -j 2 spills into TMPDIR while reading; -j 1 spills into an unnamed file, so wait
    # for the output's temporary file
    _wait_for_temporary_files(process, temp if jobs == "2" else out)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert b"Traceback" not in err
    assert _leftovers(temp, out) == []
    assert not (out / "r.jsonl").exists()  # nothing half-written either


def test_the_next_scan_removes_what_a_killed_scan_left(tmp_path: Path) -> None:
    process, temp, out = _start(tmp_path, "2")
    _wait_for_temporary_files(process, temp)
    while not _leftovers(out) and process.poll() is None:  # the output's turn, too
        time.sleep(0.02)
    process.kill()  # SIGKILL: nothing can clean up
    process.communicate(timeout=60)
    for child in _children_of(process.pid):
        os.kill(child, signal.SIGKILL)
    assert _leftovers(temp)  # left behind
    small = tmp_path / "small.warc.gz"
    small.write_bytes(member("https://a.example/p", http("200 OK", [])) * 3)
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ccsig.cli",
            "scan",
            str(small),
            "-j",
            "2",
            "-o",
            str(out / "r.jsonl"),
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert _leftovers(temp) == [] and _leftovers(out) == []
    assert (out / "r.jsonl").read_bytes().count(b"\n") == 3


def _children_of(pid: int) -> list[int]:
    """Forked workers of a killed scan that are still running (they would hold a pid)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_write_stopped_inside_the_second_pass_removes_the_spill_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: Ctrl-C while the parent wrote a worker's chunk (the generator of
    chunks suspended, not closed before the CLI's os._exit) left the scan's folder and
    its workers behind; the writer now closes it."""
    import tempfile

    from ccsig.scan import local
    from ccsig.scan.records import ScanOptions

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    path = tmp_path / "pages.warc.gz"
    path.write_bytes(
        b"".join(member(f"https://a.example/p{n}", http("200 OK", [])) for n in range(200))
    )

    def interrupted(chunks, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        next(iter(chunks))
        assert _leftovers(temp)  # the workers' folder, while they work
        raise KeyboardInterrupt

    monkeypatch.setattr(local, "write_chunks", interrupted)
    job = local.Scan([str(path)], ScanOptions(), lambda *w: None, jobs=2, range_size=2000)
    job.collect()
    with pytest.raises(KeyboardInterrupt) as caught:
        job.write("jsonl", str(tmp_path / "out.jsonl"))
    # while the exception lives (the CLI leaves inside its handler), so do its frames
    assert caught.value is not None and _leftovers(temp) == []
