"""Where the workers of an audit leave their chunks' bytes for the parent to copy in.

Takes: chunks whose payload is UTF-8 bytes (jsonl, csv), and the folder of the output.
Gives: the same chunks, their bytes in files of a spool folder beside the output
(ccsig.report.audit.Spooled), which the parent copies in with os.copy_file_range: the
workers' records then reach the output without being pickled through pipes (ccsig.audit.
local) or through Spark (ccsig.audit.spark, on a local master). A spooled file is removed
once the chunk after it is asked for, the folder when the chunks end or stop.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ccsig._files import remove_stale, temporary_prefix
from ccsig.audit.judge import Chunk
from ccsig.report.audit import Spooled


@contextmanager
def spool_folder(beside: str | None) -> Iterator[str | None]:
    """A new spool folder in `beside`, removed with what is left in it at the end (None:
    no spooling); named with this process's PID, so that the next audit there removes one
    a killed process left behind (ccsig._files.remove_stale)."""
    if beside is None:
        yield None
        return
    remove_stale(beside, ".ccsig-audit-*")
    folder = tempfile.mkdtemp(prefix="." + temporary_prefix("audit"), dir=beside)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def spooled(chunk: Chunk, folder: str | None) -> Chunk:
    """The chunk with its bytes left in a file of `folder` (None, or no bytes: as it is)."""
    if folder is None or not isinstance(chunk.payload, bytes) or not chunk.payload:
        return chunk
    fd, name = tempfile.mkstemp(suffix=".part", dir=folder)
    with open(fd, "wb") as f:
        f.write(chunk.payload)
    return chunk._replace(payload=Spooled(name, len(chunk.payload)))


def handed_on(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks, each spooled file removed once the next chunk is asked for (by then
    the parent has copied it in)."""
    for chunk in chunks:
        yield chunk
        if isinstance(chunk.payload, Spooled):
            os.unlink(chunk.payload.path)
