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
