"""How a function's run time grows with its input, for tests that guard against
super-linear algorithms without asserting absolute times (the machine is shared)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_time(run: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def growth(small: Callable[[], object], large: Callable[[], object], repeats: int = 3) -> float:
    """How many times longer `large` takes than `small` (each the best of `repeats`).

    With inputs k times apart, a linear algorithm gives about k and a quadratic one
    about k squared; tests bound the ratio generously between the two.
    """
    return best_time(large, repeats) / max(best_time(small, repeats), 1e-6)
