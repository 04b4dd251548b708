"""Writes, beside this file, signed-photo.jpg: a small JPEG with a C2PA manifest whose CAWG
training and data mining assertion says generative AI training is not allowed, AI
inference only under a licence (constrained), and data mining allowed. It is signed with
a throwaway self-signed certificate (so no one vouches for it, and ccsig says so), made
by tests/helpers/c2pa.py. The input of the README's C2PA example.
Run from the repository root: python examples/web/make_c2pa.py (needs c2pa-python,
cryptography, Pillow)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.helpers.c2pa import signed_image, training_mining  # noqa: E402

ENTRIES = {
    "cawg.ai_generative_training": "notAllowed",
    "cawg.ai_inference": ("constrained", "licence: https://archive.example.org/ai-terms"),
    "cawg.data_mining": "allowed",
}

if __name__ == "__main__":
    data = signed_image([training_mining(ENTRIES)], days=36500)
    (HERE / "signed-photo.jpg").write_bytes(data)
    print(f"signed-photo.jpg: {len(data)} bytes")
