#!/usr/bin/env python3
"""Benchmark reading RSL documents against the cost of merely parsing their XML.

Measures, at several sizes (number of <content> elements, each with two licences, one of
them with payment type="attribution"), in this process and taking the best of --repeat
runs of each, turns alternating:
- floor: `xml.etree.ElementTree.fromstring(data)` (expat, nothing checked, nothing read);
- read: `ccsig.ingest.rsl.parse_rsl(data)` (defusedxml, element lines, values checked);
- lift: `parse_rsl` and then, for every content, `ccsig.lift.rsl.content_statement`
  (the aipref expression its licences amount to, parsed).
It reports each time's ratio to the floor and the log-log slope of time over size (1.0:
linear). Checks on every run: every content is read, and every statement disallows
train-ai with cc-cr as exception, as the generated licences say.

Usage:
    python benchmarks/bench_rsl.py                  # 100, 1k, 10k contents
    python benchmarks/bench_rsl.py --sizes 100,1000 --repeat 5
    python benchmarks/bench_rsl.py --json

Exit status: 0 when the checks hold (whatever the ratios); 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccsig.ingest.rsl import parse_rsl  # noqa: E402
from ccsig.lift.rsl import content_statement  # noqa: E402


def document(contents: int) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rsl xmlns="https://rslstandard.org/rsl">']
    for i in range(contents):
        parts.append(
            f'  <content url="/section-{i}/*">\n'
            '    <license><permits type="usage">search</permits>'
            '<prohibits type="usage">ai-input, ai-index</prohibits></license>\n'
            '    <license><permits type="usage">ai-train</permits>'
            '<payment type="attribution"><standard>https://example.com/l</standard></payment>'
            "</license>\n  </content>"
        )
    parts.append("</rsl>\n")
    return "\n".join(parts).encode()


def best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def lift(data: bytes) -> list[Any]:
    return [content_statement(c) for c in parse_rsl(data).contents]


def slope(sizes: list[int], times: list[float]) -> float:
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        data = document(size)
        statements = lift(data)  # warm the vocabulary, and check
        if len(statements) != size or any(
            s.parsed.effective_exceptions.get("train-ai") != "cc-cr" for s in statements
        ):
            print(f"check failed at {size} contents", file=sys.stderr)
            return 1
        floor = best(lambda data=data: ET.fromstring(data), args.repeat)
        read = best(lambda data=data: parse_rsl(data), args.repeat)
        lifted = best(lambda data=data: lift(data), args.repeat)
        rows.append(
            {"contents": size, "bytes": len(data), "floor_s": floor, "read_s": read,
             "lift_s": lifted, "read_ratio": read / floor, "lift_ratio": lifted / floor}
        )  # fmt: skip
    summary = {
        "rows": rows,
        "slope_read": slope(sizes, [r["read_s"] for r in rows]) if len(sizes) > 1 else None,
        "slope_lift": slope(sizes, [r["lift_s"] for r in rows]) if len(sizes) > 1 else None,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{'contents':>9} {'bytes':>10} {'floor':>9} {'read':>9} {'x':>6} {'lift':>9} {'x':>6}")
    for r in rows:
        print(
            f"{r['contents']:>9} {r['bytes']:>10} {r['floor_s']:>8.4f}s {r['read_s']:>8.4f}s "
            f"{r['read_ratio']:>6.1f} {r['lift_s']:>8.4f}s {r['lift_ratio']:>6.1f}"
        )
    if summary["slope_read"] is not None:
        print(f"log-log slope: read {summary['slope_read']:.2f}, lift {summary['slope_lift']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
