"""Shared fixtures. Paths are defined once, in tests/helpers/paths.py; import them from there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import REFERENCE_DIR
from tests.helpers.sparql_servers import Server


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """../shared/reference (it may be absent: see requires_reference)."""
    return REFERENCE_DIR


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """An in-memory `oxigraph serve` on 127.0.0.1, one per test module (skipped where the
    oxigraph server is not installed)."""
    s = Server()
    try:
        yield s
    finally:
        s.stop()
