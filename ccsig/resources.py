"""Locate the data folders (vocab/, shapes/, queries/) that carry ccsig's semantics.

In a wheel they are package data under ``ccsig/_data/``; in a source checkout or
an editable install they are the top-level folders beside the package.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ccsig.errors import CcsigError

KINDS = ("vocab", "shapes", "queries")


@cache
def data_dir(kind: str) -> Traversable:
    if kind not in KINDS:
        raise ValueError(f"no data folder {kind!r}")
    packaged = files("ccsig") / "_data" / kind
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / kind
    if checkout.is_dir():
        return checkout
    raise CcsigError(f"ccsig is installed without its {kind}/ folder; reinstall the package")


def data_files(kind: str, suffix: str) -> list[Traversable]:
    """Every file of one kind with the given suffix, sorted by name."""
    return sorted(
        (f for f in data_dir(kind).iterdir() if f.name.endswith(suffix)), key=lambda f: f.name
    )


def read_text(kind: str, name: str) -> str:
    return (data_dir(kind) / name).read_text(encoding="utf-8")
