"""Watching the spool of ccsig audit's workers (ccsig.audit.local, ccsig.audit.spark):
the folder standard output's pieces go to, and the pieces the parent copies in."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO

import pytest

from ccsig.report import audit as report_audit


def watch_spool(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[int]:
    """Make `folder` the temporary folder (where standard output's pieces are spooled)
    and give the list that gets the size of every spooled piece copied into an output."""
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    copied: list[int] = []
    copy_in = report_audit._copy_in

    def counted(piece: report_audit.Spooled, out: IO[bytes]) -> None:
        copied.append(piece.size)
        copy_in(piece, out)

    monkeypatch.setattr(report_audit, "_copy_in", counted)
    return copied
