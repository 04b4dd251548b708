"""Shared test helpers: where the reference specifications live, and skipping without them."""

from __future__ import annotations

from pathlib import Path

import pytest

# The specifications sit beside the repository (../shared/reference); they are
# never copied into it.
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE_DIR


def requires_reference(subfolder: str) -> Path:
    """The path of a reference subfolder; skips when it is absent.

    Works inside a test and at module level (a whole module is skipped then).
    """
    path = REFERENCE_DIR / subfolder
    if not path.is_dir():
        pytest.skip(
            f"reference material {subfolder!r} not found at {path}", allow_module_level=True
        )
    return path
