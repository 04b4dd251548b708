#!/usr/bin/env python3
"""Benchmark the streaming `ccsig check` against the bare parse of the same catalog.

Targets (issue 15; this script reports them, it does not gate on them):
    `ccsig check catalog.ttl --for train-genai --commit credit --format json -o OUT`
    on 100,000 datasets (about 1.2 million triples) within 2x of the floor
    `sum(1 for _ in pyoxigraph.parse(path=F, format=RdfFormat.TURTLE))` (nothing kept),
    with a peak RSS of at most 400 MB; a 10-million-triple catalog well under a minute.

At each size (catalogs from gen_catalog.py, seeded) the script runs in fresh processes,
interleaved so that drift on a shared machine affects all alike: the floor, the
streaming check (the command above), and, up to --loaded-max datasets, the check with
every triple loaded (`ccsig.check(..., stream=False)`, what `check` did before). Each
child's wall time, CPU time and peak RSS come from os.wait4() (the streaming check
reads a large file in two processes: its CPU time is both's, its RSS the larger's).
Where both checks ran, their JSON answers must be byte-identical (else MISMATCH,
exit 1). The report gives the
ratios to the floor measured in the same run and the log-log slope between sizes.

Usage:
    python benchmarks/bench_check_stream.py                  # 10k, 30k, 100k datasets
    python benchmarks/bench_check_stream.py --quick          # 10k, 30k; 1 run each
    python benchmarks/bench_check_stream.py --triples 10000000 --repeats 1   # 813,000 datasets
    python benchmarks/bench_check_stream.py --json
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog  # noqa: E402
from bench_check import Run, find_ccsig, run_child  # noqa: E402

FLOOR = (
    "import sys, pyoxigraph as ox\n"
    "print(sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.TURTLE)))\n"
)
LOADED = (
    "import sys, ccsig\n"
    "from ccsig.report import render\n"
    "r = ccsig.check([sys.argv[1]], 'train-genai', ['credit'], stream=False)\n"
    "open(sys.argv[2], 'w', encoding='utf-8').write(render.check_json(r))\n"
)


TRIPLES_PER_DATASET = 12.3  # gen_catalog's mix


def median(runs: list[Run], key: str = "wall") -> float:
    return statistics.median(getattr(r, key) for r in runs)


def measure(n: int, args: argparse.Namespace, ccsig: str, work: Path) -> dict[str, Any]:
    path = work / f"catalog-{n}.ttl"
    gen = gen_catalog.generate(path, n, gen_catalog.DEFAULT_SEED, "ttl")
    print(f"{n:,} datasets: {gen['triples']:,} triples", file=sys.stderr)
    streamed_out, loaded_out = work / f"s-{n}.json", work / f"l-{n}.json"
    cmd = [ccsig, "check", str(path), "--for", "train-genai", "--commit", "credit"]
    cmd += ["--format", "json", "-o", str(streamed_out)]
    runs: dict[str, list[Run]] = {"floor": [], "stream": [], "loaded": []}
    for _ in range(args.repeats):
        runs["floor"].append(run_child([sys.executable, "-c", FLOOR, str(path)], None, 3600))
        runs["stream"].append(run_child(cmd, None, 3600, (0, 1)))
        if n <= args.loaded_max:
            loaded = [sys.executable, "-c", LOADED, str(path), str(loaded_out)]
            runs["loaded"].append(run_child(loaded, None, 3600))
        print(
            "  " + ", ".join(f"{k} {v[-1].wall:.2f} s" for k, v in runs.items() if v),
            file=sys.stderr,
        )
    floor = median(runs["floor"])
    out: dict[str, Any] = {"datasets": n, "triples": gen["triples"], "floor_s": floor}
    for name, series in runs.items():
        if series:
            out[name] = {
                "median_s": median(series),
                "cpu_s": median(series, "cpu"),
                "ratio": median(series) / floor,
                "cpu_ratio": median(series, "cpu") / median(runs["floor"], "cpu"),
                "max_rss_mib": max(r.max_rss_mib for r in series),
            }
    if runs["loaded"]:
        out["identical"] = streamed_out.read_bytes() == loaded_out.read_bytes()
    return out


def slopes(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        dt = math.log(b["triples"] / a["triples"])
        row: dict[str, Any] = {"from": a["datasets"], "to": b["datasets"]}
        for name in ("floor", "stream", "loaded"):
            ta = a["floor_s"] if name == "floor" else a.get(name, {}).get("median_s")
            tb = b["floor_s"] if name == "floor" else b.get(name, {}).get("median_s")
            if ta and tb:
                row[name] = round(math.log(tb / ta) / dt, 2)
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument(
        "--triples",
        type=int,
        help="one size instead: the datasets that make about this many triples (12.3 each)",
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loaded-max", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ccsig")
    args = parser.parse_args()
    sizes = [10_000, 30_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    if args.triples:
        sizes = [int(round(args.triples / TRIPLES_PER_DATASET, -3))]
    if args.quick:
        args.repeats = 1
    ccsig = find_ccsig(args.ccsig)
    if ccsig is None:
        print("bench_check_stream: no `ccsig` command found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ccsig-bench-stream-") as tmp:
        results = [measure(n, args, ccsig, Path(tmp)) for n in sizes]
    summary = {"sizes": results, "slopes": slopes(results)}
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        print(
            f"{'datasets':>9} {'triples':>11} {'floor s':>8} {'stream s':>9} {'x floor':>8} "
            f"{'cpu x':>6} {'RSS MiB':>8} {'loaded s':>9} {'x floor':>8} {'RSS MiB':>8} same"
        )
        for r in results:
            s, lo = r["stream"], r.get("loaded")
            print(
                f"{r['datasets']:>9,} {r['triples']:>11,} {r['floor_s']:>8.2f} "
                f"{s['median_s']:>9.2f} {s['ratio']:>8.2f} {s['cpu_ratio']:>6.2f} "
                f"{s['max_rss_mib']:>8.0f} "
                + (
                    f"{lo['median_s']:>9.2f} {lo['ratio']:>8.2f} {lo['max_rss_mib']:>8.0f} "
                    f"{'yes' if r['identical'] else 'MISMATCH'}"
                    if lo
                    else f"{'-':>9} {'-':>8} {'-':>8} -"
                )
            )
        for row in summary["slopes"]:
            print(
                f"log-log slope {row['from']:,} -> {row['to']:,}: "
                + ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("from", "to"))
            )
    return 1 if any(r.get("identical") is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
