#!/usr/bin/env python3
"""Benchmark `ccsig validate` on large DCAT catalogs against the cost of merely iterating them.

Target (issue 11; this script reports it, it does not gate on it):
    `python -m ccsig.cli validate catalog.ttl --format json` on a catalog of 100,000
    datasets (about 1.2 million triples) takes at most 3x the time pyoxigraph needs to
    iterate the file (`sum(1 for _ in pyoxigraph.parse(path=F, format=TURTLE))`, nothing
    kept), with a peak memory (max RSS) of at most 1 GiB, and its cost grows linearly.

Catalogs come from gen_catalog.py (seeded) at several sizes. At each size the script
runs, in fresh processes and taking turns so that drift affects both alike, the floor
and the command (the default engine, "fast"). At small sizes only (--reference-max) it
also runs the reference engine (pySHACL over rdflib) once: `ccsig validate F --engine
reference --format json`. Wall time covers the whole process; peak RSS is each child's own
(os.wait4).

Checks on every answer: the JSON has the report's keys; every dataset whose values
include one that cannot be applied as written (an uppercase key, a trailing comma, the
unknown signal cc-by) has a violation, and no other dataset has one. Where both engines
ran, their results must be identical; a difference is a MISMATCH.

Usage:
    python benchmarks/bench_validate.py                 # 1k, 3k, 10k, 30k, 100k; reference at 1k
    python benchmarks/bench_validate.py --quick         # 1k and 10k, no reference
    python benchmarks/bench_validate.py --sizes 1000,5000 --reference-max 1000
    python benchmarks/bench_validate.py --json          # machine-readable summary on stdout
    python benchmarks/bench_validate.py --blank-nodes --quick   # datasets as blank nodes

With --blank-nodes every dataset and distribution is a blank node (the generator's text
with ``ds:``/``dist:`` names written ``_:ds-``/``_:dist-``), so every reader relabels
them (ccsig.ingest.blank_nodes: a label from the title, else a hash); the check then
counts violations instead of naming their datasets.

Exit status: 0 whether or not the target is met; 1 when a command failed or its output
was wrong (including a MISMATCH); 2 when the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
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

RATIO_TARGET = 3.0
RSS_TARGET_MIB = 1024
TARGET_DATASETS = 100_000
DEFAULT_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
LONG_RUN_S = 60.0
# Values of the generator's pool that cannot be applied as written: violations.
VIOLATING = {"TRAIN-AI=n", "train-ai=n,", "Train-GenAI=N", "train-genai=n;exceptions=cc-by"}

FLOOR = (
    "import sys, pyoxigraph as ox\n"
    "print(sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.TURTLE)))\n"
)
QUIET = False


class BenchError(Exception):
    """A measured command failed or gave wrong output."""


def progress(message: str) -> None:
    if not QUIET:
        print(message, file=sys.stderr, flush=True)


def run_child(cmd: list[str], stdout: Path | None, timeout: float) -> dict[str, float]:
    """Run `cmd` once: wall time, CPU time and the child's own peak RSS (os.wait4)."""
    with open(stdout or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
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
    if code not in (0, 1):  # validate exits 1 when there is a violation
        raise BenchError(f"`{' '.join(cmd)}` exited {code}: {lines[-1] if lines else ''}")
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": rss}


def blank_node_catalog(path: Path) -> None:
    """Rewrite a generated catalog so that datasets and distributions are blank nodes."""
    import re

    head, sep, body = path.read_text(encoding="utf-8").rpartition("@prefix")
    line, nl, rest = body.partition("\n")
    rest = re.sub(r"(?<![\w:/.#-])(ds|dist):", r"_:\1-", rest)
    path.write_text(head + sep + line + nl + rest, encoding="utf-8")


def check_answer(
    answer: bytes, usages: list[tuple[str, ...]], blank: bool = False
) -> dict[str, Any]:
    problems: list[str] = []
    try:
        report = json.loads(answer)
        results = report["results"]
        violations = {r["focus"] for r in results if r["severity"] == "violation"}
    except (ValueError, KeyError, TypeError) as e:
        return {"ok": False, "problems": [f"not a validate report: {e!r}"], "results": 0}
    if set(report) != {"conforms", "results"}:
        problems.append(f"report keys {sorted(report)}")
    expected = {gen_catalog.dataset_iri(i) for i, u in enumerate(usages) if VIOLATING & set(u)}
    if blank:  # labels are the datasets' titles: count them, and they must be blank
        if any(not v.startswith("_:") for v in violations) or len(violations) != len(expected):
            problems.append(
                f"{len(violations):,} blank datasets with a violation, not {len(expected):,}"
            )
    elif violations != expected:
        problems.append(
            f"{len(expected - violations):,} datasets lack their violation, "
            f"{len(violations - expected):,} have one they should not"
        )
    return {
        "ok": not problems,
        "problems": problems,
        "results": len(results),
        "violations": sum(r["severity"] == "violation" for r in results),
        "warnings": sum(r["severity"] == "warning" for r in results),
        "_results": results,
    }


def measure(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    path = workdir / f"catalog-{n}.ttl"
    usages: list[tuple[str, ...]] = []
    gen = gen_catalog.generate(path, n, args.seed, "ttl", usages=usages)
    if args.blank_nodes:
        blank_node_catalog(path)
    triples = gen["triples"]
    progress(f"{n:,} datasets: {triples:,} triples, {gen['bytes'] / 1e6:.1f} MB")
    python = sys.executable
    out = workdir / f"validate-{n}.json"
    command = [python, "-m", "ccsig.cli", "validate", str(path), "--format", "json"]
    floors, fast = [], []
    for r in range(args.repeats):
        floor_out = workdir / "floor.txt"
        floors.append(run_child([python, "-c", FLOOR, str(path)], floor_out, args.timeout))
        if int(floor_out.read_text().strip() or -1) != triples:
            raise BenchError(
                f"the floor read {floor_out.read_text().strip()} triples, not {triples}"
            )
        if r and fast[0]["wall"] > LONG_RUN_S:
            continue
        fast.append(run_child(command, out, args.timeout))
        progress(
            f"  run {r + 1}: floor {floors[-1]['wall']:.2f} s, validate {fast[-1]['wall']:.2f} s"
        )
    floor_s = statistics.median(f["wall"] for f in floors)
    fast_s = statistics.median(f["wall"] for f in fast)
    check = check_answer(out.read_bytes(), usages, args.blank_nodes)
    result: dict[str, Any] = {
        "datasets": n,
        "triples": triples,
        "bytes": gen["bytes"],
        "floor_s": floor_s,
        "floor_rss_mib": max(f["rss"] for f in floors),
        "fast_s": fast_s,
        "fast_runs": [f["wall"] for f in fast],
        "fast_rss_mib": max(f["rss"] for f in fast),
        "ratio": fast_s / floor_s,
        "us_per_triple": fast_s / triples * 1e6,
        "check": check,
        "reference": None,
    }
    if n <= args.reference_max:
        progress(f"  reference engine on {triples:,} triples (slow) ...")
        ref_out = workdir / f"validate-{n}-reference.json"
        ref = run_child(
            [python, "-m", "ccsig.cli", "validate", str(path), "--engine", "reference",
             "--format", "json"],
            ref_out,
            args.timeout,
        )  # fmt: skip
        ref_check = check_answer(ref_out.read_bytes(), usages, args.blank_nodes)
        same = ref_out.read_bytes() == out.read_bytes()
        result["reference"] = {
            "s": ref["wall"],
            "rss_mib": ref["rss"],
            "ratio": ref["wall"] / floor_s,
            "check": ref_check,
            "identical": same,
        }
        if not same:
            fast_set = {json.dumps(r, sort_keys=True) for r in check["_results"]}
            ref_set = {json.dumps(r, sort_keys=True) for r in ref_check["_results"]}
            result["reference"]["only_fast"] = sorted(fast_set - ref_set)[:5]
            result["reference"]["only_reference"] = sorted(ref_set - fast_set)[:5]
    return result


def growth(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """log-log slope of time on triples, and marginal µs per added triple, per step."""
    rows = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        dt = math.log(b["triples"] / a["triples"])
        row: dict[str, Any] = {"from": a["datasets"], "to": b["datasets"]}
        for name in ("floor_s", "fast_s"):
            ta, tb = a[name], b[name]
            row[name[:-2]] = {
                "slope": math.log(tb / ta) / dt,
                "marginal_us_per_triple": (tb - ta) / (b["triples"] - a["triples"]) * 1e6,
            }
        rows.append(row)
    return rows


def print_report(s: dict[str, Any]) -> None:
    w = sys.stdout.write
    m = s["machine"]
    w(f"bench_validate: {m['python']}, {m['platform']}, {m['cpus']} CPUs, ")
    w(f"pyoxigraph {m['pyoxigraph']}, ccsig source {m['source']}\n")
    w(f"command: {s['command']}\n")
    w("floor:   sum(1 for _ in pyoxigraph.parse(path=F, format=TURTLE))\n\n")
    w(f"  {'datasets':>9}{'triples':>11}{'floor':>9}{'validate':>10}{'÷floor':>8}{'µs/tr':>7}")
    w(f"{'RSS MiB':>9}{'results':>9}{'viol.':>7}  checks  reference\n")
    for r in s["sizes"]:
        ref = r["reference"]
        ref_cell = "-"
        if ref:
            ref_cell = f"{ref['s']:.1f} s ({ref['ratio']:.0f}x), " + (
                "identical" if ref["identical"] else "!!! MISMATCH !!!"
            )
        c = r["check"]
        w(
            f"  {r['datasets']:>9,}{r['triples']:>11,}{r['floor_s']:>8.2f}s{r['fast_s']:>9.2f}s"
            f"{r['ratio']:>7.2f}x{r['us_per_triple']:>7.1f}{r['fast_rss_mib']:>9.0f}"
            f"{c['results']:>9,}{c.get('violations', 0):>7,}  {'ok' if c['ok'] else 'WRONG':<6}  "
            f"{ref_cell}\n"
        )
        for p in c["problems"]:
            w(f"      {p}\n")
        if ref and not ref["identical"]:
            for line in ref.get("only_fast", []):
                w(f"      fast only: {line}\n")
            for line in ref.get("only_reference", []):
                w(f"      reference only: {line}\n")
    if s["growth"]:
        w("\nGROWTH  slope of log(time) on log(triples) (1 = linear) / marginal µs per triple\n")
        for g in s["growth"]:
            f, v = g["floor"], g["fast"]
            w(
                f"  {g['from']:>8,} → {g['to']:>8,}   floor {f['slope']:.2f} / "
                f"{f['marginal_us_per_triple']:.2f}   validate {v['slope']:.2f} / "
                f"{v['marginal_us_per_triple']:.2f}\n"
            )
    t = s["target"]
    w(f"\nTARGET at {TARGET_DATASETS:,} datasets: ≤ {RATIO_TARGET:g}x the floor, ")
    w(f"peak RSS ≤ {RSS_TARGET_MIB} MiB: ")
    if t is None:
        w("not run at this size\n")
    else:
        w(
            f"ratio {t['ratio']:.2f}x {'PASS' if t['ratio'] <= RATIO_TARGET else 'FAIL'}, "
            f"peak RSS {t['rss_mib']:.0f} MiB "
            f"{'PASS' if t['rss_mib'] <= RSS_TARGET_MIB else 'FAIL'}\n"
        )


def source_state() -> str:
    try:
        root = Path(__file__).resolve().parents[1]
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "ccsig", "shapes", "vocab"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        return (head or "?") + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def strip_private(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_private(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [strip_private(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    global QUIET
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k datasets, 2 runs")
    parser.add_argument("--json", action="store_true", help="print a JSON summary only")
    parser.add_argument("--sizes", help="comma-separated dataset counts (default 1k…100k)")
    parser.add_argument(
        "--reference-max",
        type=int,
        help="run the reference engine up to this many datasets (default 1000; --quick 0)",
    )
    parser.add_argument("--repeats", type=int, help="runs per command and size (default 3)")
    parser.add_argument("--seed", type=int, default=gen_catalog.DEFAULT_SEED)
    parser.add_argument("--timeout", type=float, default=1800, help="kill a run after (s)")
    parser.add_argument("--keep", metavar="DIR", help="write the catalogs and answers to DIR")
    parser.add_argument(
        "--blank-nodes", action="store_true", help="datasets and distributions as blank nodes"
    )
    args = parser.parse_args(argv)
    QUIET = args.json
    if args.sizes:
        sizes = sorted({int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()})
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive dataset counts")
    args.repeats = args.repeats or (2 if args.quick else 3)
    if args.reference_max is None:
        args.reference_max = 0 if args.quick else 1000
    probe = subprocess.run(
        [sys.executable, "-m", "ccsig.cli", "validate", "--help"], capture_output=True
    )
    if probe.returncode != 0:
        print("bench_validate: `python -m ccsig.cli validate` is not available", file=sys.stderr)
        return 2
    import pyoxigraph

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ccsig-bench-v-"))
    workdir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {
        "machine": {
            "python": f"Python {platform.python_version()}",
            "platform": platform.platform(terse=True),
            "cpus": os.cpu_count(),
            "pyoxigraph": pyoxigraph.__version__,
            "source": source_state(),
        },
        "command": "python -m ccsig.cli validate CATALOG --format json",
        "settings": {
            "sizes": sizes,
            "repeats": args.repeats,
            "reference_max": args.reference_max,
            "blank_nodes": args.blank_nodes,
        },
    }
    try:
        warm = workdir / "warm-up.ttl"  # bytecode caches, page cache
        gen_catalog.generate(warm, 10, args.seed, "ttl")
        run_child([sys.executable, "-m", "ccsig.cli", "validate", str(warm)], None, args.timeout)
        results = [measure(n, args, workdir) for n in sizes]
    except (BenchError, OSError, ValueError) as e:
        print(f"bench_validate: error: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    summary["sizes"] = results
    summary["growth"] = growth(results)
    at = next((r for r in results if r["datasets"] == TARGET_DATASETS), None)
    summary["target"] = at and {"ratio": at["ratio"], "rss_mib": at["fast_rss_mib"]}
    ok = all(r["check"]["ok"] for r in results) and all(
        r["reference"] is None or (r["reference"]["identical"] and r["reference"]["check"]["ok"])
        for r in results
    )
    summary["checks_ok"] = ok
    summary = strip_private(summary)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
