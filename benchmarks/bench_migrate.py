#!/usr/bin/env python3
"""Benchmark `ccsig migrate FILE --to aipref-07` on large DCAT catalogs against the cost of
merely iterating them.

What it reports (no target is set by the issue; this script does not gate): the wall time
of `python -m ccsig.cli migrate catalog.ttl --to aipref-07 -q -o OUT` over the floor
`sum(1 for _ in pyoxigraph.parse(path=F, format=TURTLE))` measured in the same run, taking
turns, in fresh processes (the median of --repeats runs); and the log-log slope of time
on triples between sizes (of CPU time: os.wait4, steadier than wall time on a shared
machine). migrate parses the file twice (before and after the edit) and
compares the two quad lists pairwise, so a ratio near 2-3 and a slope near 1 are expected.

Checks on every answer: OUT has as many triples as the input, and every contentUsage
literal equals what `ccsig.migrate` gives its original value (or the original, where
that states nothing in -07 or does not parse).

Usage:
    python benchmarks/bench_migrate.py              # 1k, 3k, 10k, 30k datasets
    python benchmarks/bench_migrate.py --quick      # 1k and 10k
    python benchmarks/bench_migrate.py --json       # machine-readable summary on stdout

Exit status: 0 whether or not the figures are good; 1 when a command failed or its output
was wrong; 2 when the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog  # noqa: E402  (the generator beside this script)

DEFAULT_SIZES = (1_000, 3_000, 10_000, 30_000)
QUICK_SIZES = (1_000, 10_000)
CONTENT_USAGE = "https://w3id.org/ccsig#contentUsage"
FLOOR = (
    "import sys, pyoxigraph as ox\n"
    "print(sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.TURTLE)))\n"
)


class BenchError(Exception):
    """A measured command failed or gave wrong output."""


def run_child(cmd: list[str], stdout: Path, timeout: float) -> dict[str, float]:
    """Run `cmd` once: wall time and the child's own CPU time (os.wait4), which a
    machine shared with other jobs disturbs less than wall time."""
    with open(stdout, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    if code != 0:
        raise BenchError(f"`{' '.join(cmd)}` exited {code}: {lines[-1:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def check_output(source: Path, migrated: Path) -> dict[str, Any]:
    import pyoxigraph as ox

    import ccsig

    before = list(ox.parse(path=str(source), format=ox.RdfFormat.TURTLE))
    after = list(ox.parse(path=str(migrated), format=ox.RdfFormat.TURTLE))
    problems = []
    if len(before) != len(after):
        problems.append(f"{len(after):,} triples, not {len(before):,}")
    expected: dict[str, str] = {}
    changed = 0
    for q, r in zip(before, after, strict=False):
        if q.predicate.value != CONTENT_USAGE:
            continue
        value = q.object.value
        if value not in expected:
            try:
                expected[value] = ccsig.migrate(value, "aipref-07").migrated or value
            except ccsig.CcsigError:
                expected[value] = value
        if r.object.value != expected[value]:
            problems.append(f"{value!r} became {r.object.value!r}, not {expected[value]!r}")
        changed += r.object.value != value
    return {"ok": not problems, "problems": problems[:5], "literals_changed": changed}


def measure(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    path = workdir / f"catalog-{n}.ttl"
    gen = gen_catalog.generate(path, n, args.seed, "ttl")
    out = workdir / f"migrated-{n}.ttl"
    python = sys.executable
    command = [python, "-m", "ccsig.cli", "migrate", str(path), "--to", "aipref-07", "-q",
               "-o", str(out)]  # fmt: skip
    floors, runs = [], []
    for _ in range(args.repeats):
        floors.append(run_child([python, "-c", FLOOR, str(path)], workdir / "floor.txt", 600))
        runs.append(run_child(command, workdir / "stdout.txt", 1800))
    floor_s = statistics.median(f["wall"] for f in floors)
    migrate_s = statistics.median(r["wall"] for r in runs)
    floor_cpu = statistics.median(f["cpu"] for f in floors)
    migrate_cpu = statistics.median(r["cpu"] for r in runs)
    result = {
        "datasets": n,
        "triples": gen["triples"],
        "floor_s": floor_s,
        "migrate_s": migrate_s,
        "ratio": migrate_s / floor_s,
        "floor_cpu_s": floor_cpu,
        "migrate_cpu_s": migrate_cpu,
        "cpu_ratio": migrate_cpu / floor_cpu,
        "check": check_output(path, out),
    }
    print(
        f"{n:>7,} datasets {gen['triples']:>9,} triples: wall floor {floor_s:6.2f} s, "
        f"migrate {migrate_s:6.2f} s, ratio {result['ratio']:.1f}; CPU floor "
        f"{floor_cpu:5.2f} s, migrate {migrate_cpu:5.2f} s, ratio {result['cpu_ratio']:.1f}",
        file=sys.stderr,
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", help="comma-separated numbers of datasets")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=gen_catalog.DEFAULT_SEED)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    )
    with tempfile.TemporaryDirectory() as folder:
        try:
            results = [measure(n, args, Path(folder)) for n in sizes]
        except BenchError as e:
            print(f"bench_migrate: {e}", file=sys.stderr)
            return 1
    slopes = [
        math.log(b["migrate_cpu_s"] / a["migrate_cpu_s"]) / math.log(b["triples"] / a["triples"])
        for a, b in zip(results, results[1:], strict=False)
    ]
    summary = {"sizes": results, "slopes": slopes}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            "log-log slope of migrate CPU time on triples:", ", ".join(f"{s:.2f}" for s in slopes)
        )
        for r in results:
            if not r["check"]["ok"]:
                print(f"WRONG at {r['datasets']:,}: {r['check']['problems']}")
    return 0 if all(r["check"]["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
