"""Files: the one atomic writer every command's `-o` goes through, and the one reader
of the files the user names as inputs (`read_file`).

A temporary file in the target's folder is renamed into place, so a failed run
leaves nothing half-written. Temporary files are named ``.NAME.ccsig-PID.XXXXXXXX.tmp``
(PID: the writing process): one left by a process that was killed (SIGKILL, a power
cut) is removed by the next write of NAME, once no process with that PID is alive.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ccsig.errors import CcsigError, InputError

__all__ = [
    "atomic_path",
    "atomic_write",
    "check_regular",
    "read_file",
    "remove_stale",
    "temporary_prefix",
]

_KINDS = {
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISFIFO: "a FIFO",
    stat.S_ISSOCK: "a socket",
    stat.S_ISDIR: "a folder",
}
# The PID in the name of a ccsig temporary file or folder.
_PID = re.compile(r"\.?(?:.+\.)?ccsig-(?:[a-z]+-)?(?P<pid>[0-9]+)[.-]")


_CHUNK = 1024 * 1024


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS.items() if test(mode)), "not a file")


def read_file(path: str, limit: int | None = None) -> tuple[bytes, int]:
    """The bytes of the input `path` names (``-``: standard input), at most `limit` of
    them, and the input's whole size in bytes; memory follows `limit`, not the input
    (standard input past `limit` is read and counted, not kept).

    Only a regular file is read by name: a FIFO, a device, a socket or a folder is
    refused (InputError naming it), since reading one can block forever (a FIFO with
    no writer) or never end (``/dev/zero``). Whatever is piped is read from ``-``.
    """
    try:
        if path == "-":
            stream = sys.stdin.buffer
            data = stream.read() if limit is None else stream.read(limit)
            size = len(data)
            if limit is not None and size == limit:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
            return data, size
        check_regular(path)  # (a socket cannot even be opened: tell it first)
        # O_NONBLOCK: swapped for a FIFO since, opening it must not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise InputError(path, _not_regular(st.st_mode))
            os.set_blocking(fd, True)
            data = f.read() if limit is None else f.read(limit)
            return data, max(st.st_size, len(data))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as e:
        raise InputError(path, e.strerror or str(e)) from None


def check_regular(path: str) -> None:
    """InputError unless `path` names a regular file (or a link to one)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as e:
        raise InputError(path, e.strerror or str(e)) from None
    if not stat.S_ISREG(mode):
        raise InputError(path, _not_regular(mode))


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    return f"is {_kind(mode)}, not a regular file; ccsig reads files, or - for standard input"


def temporary_prefix(kind: str = "") -> str:
    """The start of the name of a temporary file or folder this process makes in a
    shared place (TMPDIR): ``ccsig-KIND-PID-``, which `remove_stale` recognises."""
    return f"ccsig-{kind + '-' if kind else ''}{os.getpid()}-"


def cache_dir() -> Path:
    """The user's cache folder of ccsig: ``$XDG_CACHE_HOME/ccsig`` (``~/.cache/ccsig``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccsig"


def alive(pid: int) -> bool:
    """Whether a process `pid` runs (one of another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(folder: str | Path, pattern: str) -> list[str]:
    """Remove the temporary files and folders matching the glob `pattern` in `folder`
    that ccsig processes no longer alive left behind (killed before they could clean
    up): only those named with a PID (see `temporary_prefix`) and owned by this user.
    Gives the paths removed."""
    removed = []
    for path in glob.glob(os.path.join(glob.escape(str(folder)), pattern)):
        found = _PID.match(os.path.basename(path))
        if found is None or alive(int(found.group("pid"))):
            continue
        try:
            st = os.lstat(path)
            if st.st_uid != os.getuid():
                continue
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError:  # gone meanwhile, or not ours to remove: left as it is
            continue
        removed.append(path)
    return removed


def _target(path: str | Path) -> tuple[Path, os.stat_result | None]:
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise CcsigError(f"{path}: is {kind}, not a regular file; ccsig writes only files")
    return target, st


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary path beside `path` to write the file at; when the block ends
    normally it is put in place of `path`, as `atomic_write` says; when it raises
    (KeyboardInterrupt and SystemExit included) it is removed."""
    target, st = _target(path)
    remove_stale(target.parent, f".{glob.escape(target.name)}.ccsig-*.tmp")
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.ccsig-{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    try:
        if st is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        else:
            mode = stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID)
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:  # not ours to give away: the new file is the writer's
                pass
        os.fchmod(fd, mode)
        os.close(fd)
        fd = -1
        yield tmp
        if st is not None and st.st_nlink > 1:
            _copy_into(tmp, target, mode)
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_into(tmp: str, target: Path, mode: int) -> None:
    """The complete temporary file's bytes copied into the target's own inode, so the
    target's other hard links see the new content (a rename would leave them holding
    the old file). Not atomic for readers, unlike a rename: the data is complete on disk
    (in the temporary file) before the target is touched."""
    with open(tmp, "rb") as source:
        os.fsync(source.fileno())
        fd = os.open(target, os.O_WRONLY | os.O_NOFOLLOW)
        with open(fd, "wb") as out:
            if stat.S_IMODE(os.fstat(fd).st_mode) != mode:
                try:
                    os.fchmod(fd, mode)  # setuid and setgid dropped here too
                except PermissionError:  # another's file: the kernel drops them on write
                    pass
            shutil.copyfileobj(source, out)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())


def atomic_write(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into
    place; the file keeps its permissions (without setuid and setgid) and, where the
    process may, its owner; a new one gets the permissions `open` would give.

    A symbolic link is written through: its target is replaced, the link stays. A path
    naming anything but a regular file (a device, a FIFO, a folder) is refused.

    A file with other hard links (st_nlink > 1) is not replaced, which would cut it
    from them: the temporary file is written completely first, then its bytes are
    copied into the file itself, so every link sees the new content. That copy is not
    atomic for concurrent readers; the alternative, refusing, would make `--in-place`
    unusable on hard-linked trees (backup snapshots, package stores).
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        if isinstance(data, bytes):
            f.write(data)
        else:  # blocks, written as they come
            for block in data:
                f.write(block)
