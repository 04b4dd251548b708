"""Where things are, for every test module the same way, wherever it sits under tests/."""

from __future__ import annotations

from pathlib import Path

import pytest

# The checkout: tests/helpers/paths.py is two folders below it.
ROOT = Path(__file__).resolve().parents[2]
# Input files written for the tests, one folder per subject (tests/data/annotate, ...).
DATA = ROOT / "tests" / "data"
# The shipped examples (examples/catalog.ttl, examples/croissant.json, examples/broken/).
EXAMPLES = ROOT / "examples"
# The specifications sit beside the repository (../shared/reference); they are
# never copied into it.
REFERENCE_DIR = ROOT.parent / "shared" / "reference"


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
