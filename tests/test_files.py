"""ccsig._files.atomic_write: what -o and --in-place write through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig._files import atomic_write
from ccsig.cli import main
from ccsig.errors import CcsigError


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_bytes(b"old")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "made.ttl")
    atomic_write(link, b"new")
    assert link.is_symlink() and (tmp_path / "made.ttl").read_bytes() == b"new"


@pytest.mark.parametrize("kind", ["fifo", "chardev", "folder"])
def test_special_files_are_refused(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif kind == "chardev":
        # a node of its own, never /dev/null: were the check broken, the test would
        # replace the system's device by a regular file
        path = tmp_path / "null"
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a character device needs privileges")
    else:
        path = tmp_path
    before = sorted(tmp_path.iterdir())
    with pytest.raises(CcsigError, match="not a regular file"):
        atomic_write(path, b"x")
    assert sorted(tmp_path.iterdir()) == before  # no temporary file left


def test_setuid_and_setgid_are_dropped(tmp_path: Path) -> None:
    f = tmp_path / "tool"
    f.write_bytes(b"old")
    f.chmod(0o6755)
    atomic_write(f, b"new")
    assert stat.S_IMODE(f.stat().st_mode) == 0o755


def test_dash_o_on_a_device_is_one_line_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["declare", "train-genai=n", "-o", str(fifo)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "a FIFO, not a regular file" in result.stderr


def test_hard_links_keep_sharing_the_new_content(tmp_path: Path) -> None:
    # regression: the rename put a new inode at the path; the other link kept the old bytes
    first = tmp_path / "a.ttl"
    first.write_bytes(b"old content, longer than the new")
    second = tmp_path / "b.ttl"
    os.link(first, second)
    atomic_write(first, b"new")
    assert second.read_bytes() == b"new" and first.read_bytes() == b"new"
    assert os.stat(first).st_ino == os.stat(second).st_ino and os.stat(first).st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.ttl"]


def test_hard_linked_setuid_file_loses_the_bits(tmp_path: Path) -> None:
    first = tmp_path / "tool"
    first.write_bytes(b"old")
    first.chmod(0o6755)
    os.link(first, tmp_path / "other")
    atomic_write(first, b"new")
    assert stat.S_IMODE(first.stat().st_mode) == 0o755


def test_hard_links_through_a_scan_output(tmp_path: Path) -> None:
    from ccsig.report.records import write_records

    out = tmp_path / "out.jsonl"
    out.write_bytes(b"old\n")
    os.link(out, tmp_path / "copy.jsonl")
    write_records(iter([]), "jsonl", str(out), [], False)
    assert (tmp_path / "copy.jsonl").read_bytes() == b""


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_the_next_write_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    # regression: a writer killed by SIGKILL leaves .out.ttl.XXXX.tmp beside out.ttl forever
    dead, alive = _dead_pid(), os.getppid()
    stale = tmp_path / f".out.ttl.ccsig-{dead}.abcdefgh.tmp"
    live = tmp_path / f".out.ttl.ccsig-{alive}.abcdefgh.tmp"
    other = tmp_path / f".other.ttl.ccsig-{dead}.abcdefgh.tmp"
    foreign = tmp_path / ".out.ttl.abcdefgh.tmp"  # not named by ccsig: not ours to remove
    for path in (stale, live, other, foreign):
        path.write_bytes(b"x" * 10)
    atomic_write(tmp_path / "out.ttl", b"new")
    assert not stale.exists()
    assert live.exists() and other.exists() and foreign.exists()


def test_temporary_files_are_named_with_the_pid(tmp_path: Path) -> None:
    from ccsig._files import atomic_path

    with atomic_path(tmp_path / "out.ttl") as tmp:
        assert Path(tmp).name.startswith(f".out.ttl.ccsig-{os.getpid()}.")
        assert Path(tmp).parent == tmp_path


def test_annotate_in_place_reaches_every_hard_link(tmp_path: Path) -> None:
    from tests.helpers.paths import EXAMPLES

    catalog = tmp_path / "catalog.ttl"
    catalog.write_bytes((EXAMPLES / "unsigned-catalog.ttl").read_bytes())
    other = tmp_path / "snapshot.ttl"
    os.link(catalog, other)
    result = CliRunner().invoke(
        main,
        [
            "annotate",
            str(catalog),
            "--asset",
            "https://data.example.org/photos",
            "-e",
            "ai-use=n;exceptions=cc-cr",
            "--in-place",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert b"ai-use=n;exceptions=cc-cr" in other.read_bytes()
    assert os.stat(catalog).st_ino == os.stat(other).st_ino
