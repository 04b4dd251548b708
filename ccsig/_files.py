"""Writing files: the one atomic writer every command's `-o` goes through.

A temporary file in the target's folder is renamed into place, so a failed run
leaves nothing half-written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ccsig.errors import CcsigError

__all__ = ["atomic_write"]

_KINDS = {
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISFIFO: "a FIFO",
    stat.S_ISSOCK: "a socket",
    stat.S_ISDIR: "a folder",
}


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed into
    place; the file keeps its permissions (without setuid and setgid) and, where the
    process may, its owner; a new one gets the permissions `open` would give.

    A symbolic link is written through: its target is replaced, the link stays. A path
    naming anything but a regular file (a device, a FIFO, a folder) is refused.
    """
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS.items() if test(st.st_mode)), "not a file")
        raise CcsigError(f"{path}: is {kind}, not a regular file; ccsig writes only files")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
