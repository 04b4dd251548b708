"""Shared fixtures. Paths are defined once, in tests/helpers/paths.py; import them from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.paths import REFERENCE_DIR


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """../shared/reference (it may be absent: see requires_reference)."""
    return REFERENCE_DIR
