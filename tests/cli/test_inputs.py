"""What every command reads by name: a regular file only (a FIFO, a device, a socket
or a folder is refused in one line, exit 2), and never more of it than it needs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import ccsig
from ccsig._files import read_file
from ccsig.errors import InputError
from tests.helpers.paths import ROOT

COMMANDS = {
    "validate": ["validate", "{}"],
    "check": ["check", "{}", "--for", "train-ai"],
    "robots": ["robots", "{}", "--agent", "x", "--path", "/"],
    "header": ["header", "--file", "{}"],
    "scan": ["scan", "{}"],
    "query": ["query", "{}", "{ok}"],
}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    # in a process of its own: were the check broken, the FIFO would block it forever
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ccsig.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_named_as_input_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    # regression: `ccsig validate FIFO` (and robots, header --file, scan...) blocked forever
    fifo = tmp_path / ("q.rq" if command == "query" else "in.ttl")
    os.mkfifo(fifo)
    ok = tmp_path / "ok.ttl"
    ok.write_text("")
    args = [a.format(fifo, ok=ok) for a in COMMANDS[command]]
    done = _run(args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert f"{fifo}: is a FIFO, not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["folder", "socket"])
def test_other_special_files_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "special"
    if kind == "folder":
        path.mkdir()
        expected = "is a directory, not a file"
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        expected = "is a socket, not a regular file"
    with pytest.raises(InputError, match=expected):
        read_file(str(path))


def test_a_character_device_is_refused(tmp_path: Path) -> None:
    import stat

    node = tmp_path / "zero"  # a node of its own, never the system's /dev/zero
    try:
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a character device needs privileges")
    with pytest.raises(InputError, match="a character device, not a regular file"):
        read_file(str(node))
    with pytest.raises(InputError, match="a character device"):
        ccsig.robots(node, "x", ["/"])


def test_a_huge_robots_txt_is_not_read_whole(tmp_path: Path) -> None:
    # regression: a 2 GB robots.txt was read whole before the 500 KiB cut
    big = tmp_path / "robots.txt"
    with big.open("wb") as f:
        f.write(b"User-agent: *\nDisallow: /private/\n")
        f.truncate(200_000_000)  # sparse: takes no room on disk
    tracemalloc.start()
    try:
        report = ccsig.robots(big, "x", ["/private/a", "/open"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    assert [a.crawl for a in report.answers] == [False, True]
    assert any("is 200000000 bytes: only the first 512000 bytes" in w for w in report.warnings)


def test_a_huge_robots_txt_on_standard_input_is_counted_not_kept(tmp_path: Path) -> None:
    big = tmp_path / "robots.txt"
    with big.open("wb") as f:
        f.write(b"User-agent: *\nDisallow: /private/\n")
        f.truncate(3_000_000)
    with big.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "ccsig.cli", "robots", "-", "--agent", "x", "--path", "/p"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert "robots.txt is 3000000 bytes: only the first 512000 bytes" in done.stderr


def test_a_huge_response_file_is_read_to_its_header_section(tmp_path: Path) -> None:
    response = tmp_path / "response.txt"
    with response.open("wb") as f:
        f.write(b"HTTP/1.1 200 OK\r\nContent-Usage: train-ai=n\r\n\r\n")
        f.truncate(200_000_000)
    tracemalloc.start()
    try:
        report = ccsig.header(file=response)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    assert report.preferences["train-ai"] == "disallow" and report.warnings == []


def test_a_header_section_past_the_limit_is_a_warning(tmp_path: Path) -> None:
    from ccsig.ingest.warc import HEAD_LIMIT

    response = tmp_path / "response.txt"
    response.write_bytes(
        b"Content-Usage: train-ai=n\r\n" + b"X-Filler: aaaaaaaaaaaaaaaaaaaa\r\n" * HEAD_LIMIT
    )
    report = ccsig.header(file=response)
    assert report.preferences["train-ai"] == "disallow"
    assert any(f"longer than {HEAD_LIMIT} bytes" in w for w in report.warnings)
