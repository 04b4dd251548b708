#!/usr/bin/env python3
"""Benchmark `ccsig check` on large DCAT catalogs against the cost of merely parsing them.

Target (from the issue; this script reports it, it does not gate on it):
    `ccsig check catalog.ttl --for train-genai --commit credit --format json`,
    end to end, on a catalog of 100,000 datasets (about 1.2 million triples),
    takes at most 5x the time pyoxigraph needs to parse the same file, with a
    peak memory (max RSS) of at most 2 GiB.

Catalogs come from gen_catalog.py (seeded, so every run uses the same inputs)
at several sizes. At each size the script runs, in fresh processes and
interleaved so that drift affects all alike:
- two floors: `python -c` that bulk-loads the file into an in-memory
  pyoxigraph Store, and one that does `list(pyoxigraph.parse(...))`; the
  faster of the two is *the floor*;
- the target command above (`--engine fast`, the default);
- at small sizes only (--reference-max), the same with `--engine reference`
  (owlrl + rdflib, exact and slow).
Each process is timed by wall clock, and its own peak RSS comes from
os.wait4(), so every figure belongs to that one child. Where the fast engine is
predicted (from the sizes already run) to take longer than --budget seconds, it
is not run and the prediction is reported instead; a run longer than --timeout
is killed.

Checks (cheap, on every answer): the JSON parses, it has a result for every
generated dataset, the summary counts add up and match the results, and a few
clear-cut cases come out as they must (e.g. a lone `all=n` is disallowed). Where
both engines ran, every asset must get the same decision from both; a
difference is reported as MISMATCH.

Usage:
    python benchmarks/bench_check.py            # 1k, 3k, 10k, 30k, 100k datasets
    python benchmarks/bench_check.py --quick    # 1k and 10k datasets
    python benchmarks/bench_check.py --json     # machine-readable summary on stdout
    python benchmarks/bench_check.py --profile  # cProfile the fast engine at the largest size

Exit status: 0 whether or not the target is met (it is a report); 1 when a
command failed or its output was wrong (including an engine MISMATCH); 2 when
the benchmark cannot run (no `ccsig` command, or it has no `check`).
Standard library plus pyoxigraph (a dependency of ccsig) for the floors.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog  # noqa: E402  (the generator beside this script)

RATIO_TARGET = 5.0
RSS_TARGET_MIB = 2048
TARGET_DATASETS = 100_000
DEFAULT_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
CATEGORY = "train-genai"
COMMITS = ("credit",)
DECISIONS = ("allowed", "disallowed", "unknown")
# A single run longer than this is not repeated: one sample is enough there.
LONG_RUN_S = 60.0

FLOOR_BULK_LOAD = (
    "import sys, pyoxigraph as ox\n"
    "fmt = ox.RdfFormat.TURTLE if sys.argv[2] == 'ttl' else ox.RdfFormat.N_TRIPLES\n"
    "s = ox.Store()\n"
    "s.bulk_load(path=sys.argv[1], format=fmt)\n"
    "print(len(s))\n"
)
FLOOR_PARSE = (
    "import sys, pyoxigraph as ox\n"
    "fmt = ox.RdfFormat.TURTLE if sys.argv[2] == 'ttl' else ox.RdfFormat.N_TRIPLES\n"
    "print(len(list(ox.parse(path=sys.argv[1], format=fmt))))\n"
)
FLOORS = {"bulk_load": FLOOR_BULK_LOAD, "parse": FLOOR_PARSE}

# Clear-cut answers for `--for train-genai --commit credit` under aipref-02: a dataset
# whose only ccsig:contentUsage values are these must get this decision.
SPOT_CHECKS: dict[tuple[str, ...], str] = {
    ("all=n",): "disallowed",
    ("train-ai=n",): "disallowed",
    ("train-genai=n",): "disallowed",
    ("train-genai=y",): "allowed",
    ("train-genai=n;exceptions=cc-cr",): "allowed",
    ("train-genai=n;exceptions=cc-cr-ec",): "disallowed",
    ("train-genai=n;exceptions=cc-cr-op",): "disallowed",
    (): "unknown",
}


class BenchError(Exception):
    """A measured command failed or gave wrong output."""


class TimedOut(BenchError):
    """A measured command ran longer than --timeout and was killed."""


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mib: float
    returncode: int
    stdout: bytes = b""


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.max_rss_mib for r in self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": len(self.runs),
            "median_s": self.median,
            "min_s": min(r.wall for r in self.runs),
            "max_s": max(r.wall for r in self.runs),
            "cpu_s": statistics.median(r.cpu for r in self.runs),
            "max_rss_mib": self.rss,
        }


def run_child(
    cmd: list[str], stdout: Path | None, timeout: float, ok_codes: tuple[int, ...] = (0,)
) -> Run:
    """Run `cmd` once; wall time, CPU time and peak RSS of that child alone.

    os.wait4() gives the child's own rusage; RUSAGE_CHILDREN could not, since its
    ru_maxrss is the maximum over every child this process has waited for.
    """
    with (
        open(stdout if stdout else os.devnull, "wb") as fout,
        tempfile.TemporaryFile() as ferr,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fout, stderr=ferr)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        ferr.seek(0)
        err = ferr.read().decode("utf-8", "replace").strip().splitlines()
    if wall >= timeout and code < 0:
        raise TimedOut(f"`{' '.join(cmd)}` was killed after {timeout:.0f} s")
    if code not in ok_codes:
        raise BenchError(f"`{' '.join(cmd)}` exited {code}: {err[-1] if err else '(no stderr)'}")
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, code)


# --------------------------------------------------------------------------- checks


def check_answer(
    answer: bytes,
    datasets: int,
    usages: list[tuple[str, ...]],
    category: str,
    commits: tuple[str, ...],
) -> dict[str, Any]:
    """Cheap checks of one `ccsig check --format json` answer."""
    problems: list[str] = []
    try:
        data = json.loads(answer)
        results = data["results"]
        summary = data["summary"]
        decisions = {normalise_iri(r["asset"]): r["decision"] for r in results}
        conditions = {normalise_iri(r["asset"]): r.get("conditions") for r in results}
    except (ValueError, KeyError, TypeError) as e:
        return {"ok": False, "problems": [f"not the JSON of the contract: {e!r}"], "results": 0}
    if data.get("category") != category:
        problems.append(f"category is {data.get('category')!r}, not {category!r}")
    if len(results) < datasets:
        problems.append(f"{len(results):,} results for {datasets:,} datasets")
    if len(decisions) != len(results):
        problems.append(f"{len(results) - len(decisions):,} assets answered more than once")
    missing = sum(1 for i in range(datasets) if gen_catalog.dataset_iri(i) not in decisions)
    if missing:
        problems.append(f"{missing:,} generated datasets have no result")
    counted = Counter(r["decision"] for r in results)
    if sum(summary.get(k, 0) for k in DECISIONS) != len(results):
        problems.append(f"summary {summary} does not add up to {len(results):,} results")
    for k in sorted(set(counted) | set(summary)):
        if counted.get(k, 0) != summary.get(k, 0):
            problems.append(f"summary says {k}={summary.get(k, 0)}, results have {counted[k]}")
    spot: Counter[str] = Counter()
    if category == CATEGORY and tuple(sorted(commits)) == COMMITS:
        for i, usage in enumerate(usages):
            want = SPOT_CHECKS.get(usage)
            if want is None:
                continue
            got = decisions.get(gen_catalog.dataset_iri(i))
            spot["checked"] += 1
            if got != want:
                spot["wrong"] += 1
                if spot["wrong"] <= 3:
                    problems.append(
                        f"{gen_catalog.dataset_iri(i)} with {list(usage)} is {got!r}, "
                        f"expected {want!r}"
                    )
        if spot["wrong"] > 3:
            problems.append(f"... {spot['wrong']:,} clear-cut cases wrong in all")
    return {
        "ok": not problems,
        "problems": problems[:8],
        "results": len(results),
        "summary": {k: summary.get(k, 0) for k in DECISIONS},
        "spot_checked": spot["checked"],
        "spot_wrong": spot["wrong"],
        "bytes": len(answer),
        "_decisions": decisions,
        "_conditions": conditions,
    }


def normalise_iri(value: Any) -> str:
    text = str(value)
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def canonical(value: Any) -> str:
    if isinstance(value, list):
        return json.dumps(sorted(canonical(v) for v in value))
    return json.dumps(value, sort_keys=True)


def compare_engines(
    fast: dict[str, Any], reference: dict[str, Any], usages: list[tuple[str, ...]]
) -> dict[str, Any]:
    """Per-asset agreement of the two engines' decisions (and conditions)."""
    fd, rd = fast["_decisions"], reference["_decisions"]
    assets = sorted(set(fd) | set(rd))
    index = {gen_catalog.dataset_iri(i): i for i in range(len(usages))}
    mismatches = []
    condition_diffs = 0
    for asset in assets:
        a, b = fd.get(asset), rd.get(asset)
        if a != b:
            i = index.get(asset)
            mismatches.append(
                {
                    "asset": asset,
                    "contentUsage": list(usages[i]) if i is not None else None,
                    "fast": a,
                    "reference": b,
                }
            )
        elif canonical(fast["_conditions"].get(asset)) != canonical(
            reference["_conditions"].get(asset)
        ):
            condition_diffs += 1
    kinds = Counter(f"{m['fast']} (fast) vs {m['reference']} (reference)" for m in mismatches)
    return {
        "assets": len(assets),
        "decision_mismatches": len(mismatches),
        "mismatch_kinds": dict(kinds.most_common()),
        "examples": mismatches[:10],
        "condition_differences": condition_diffs,
        "identical": not mismatches,
    }


# --------------------------------------------------------------------------- measuring


def check_command(
    ccsig: str, path: Path, category: str, commits: tuple[str, ...], engine: str | None
) -> list[str]:
    cmd = [ccsig, "check", str(path), "--for", category]
    for c in commits:
        cmd += ["--commit", c]
    if engine:
        cmd += ["--engine", engine]
    return cmd + ["--format", "json"]


def measure_size(
    datasets: int,
    args: argparse.Namespace,
    ccsig: str,
    workdir: Path,
    reference: bool,
    predict: Any,
) -> dict[str, Any]:
    """Generate a catalog of `datasets` datasets and measure floors, fast and reference.

    `predict(triples)` estimates the fast engine's time from the sizes already run;
    above --budget seconds the fast engine is not run at this size (floors still are).
    """
    fmt = args.input_format
    path = workdir / f"catalog-{datasets}.{fmt}"
    usages: list[tuple[str, ...]] = []
    gen = gen_catalog.generate(path, datasets, args.seed, fmt, usages=usages)
    triples = gen["triples"]
    progress(f"{datasets:,} datasets: {triples:,} triples, {gen['bytes'] / 1e6:.1f} MB")
    python = sys.executable
    out = workdir / f"check-{datasets}.json"
    fast_cmd = check_command(ccsig, path, args.category, args.commit, None)
    predicted = predict(triples)
    run_fast = predicted is None or predicted <= args.budget
    floors = {name: Series() for name in FLOORS}
    fast = Series()
    timed_out = False
    # ccsig check may use its exit status to say something about the answer; a
    # JSON answer on stdout is what counts.
    codes = (0, 1)
    for r in range(args.repeats):  # interleaved, so drift affects all alike
        for name, code in FLOORS.items():
            floor_out = workdir / f"floor-{name}.txt"
            run = run_child([python, "-c", code, str(path), fmt], floor_out, args.timeout)
            floors[name].runs.append(run)
            n = int(floor_out.read_text().strip() or -1)
            if n != triples:
                raise BenchError(
                    f"floor {name} read {n:,} triples; the generator wrote {triples:,}"
                )
        if not run_fast or timed_out or (r and fast.runs[0].wall > LONG_RUN_S):
            continue
        try:
            fast.runs.append(run_child(fast_cmd, out, args.timeout, codes))
        except TimedOut:
            timed_out = True
        progress(
            f"  run {r + 1}: floor {min(s.runs[-1].wall for s in floors.values()):.2f} s, "
            + (f"check {fast.runs[-1].wall:.2f} s" if fast.runs else "check not run")
            + (f" (timed out after {args.timeout:.0f} s)" if timed_out else "")
        )
    floor_name = min(floors, key=lambda k: floors[k].median)
    floor_s = floors[floor_name].median
    result: dict[str, Any] = {
        "datasets": datasets,
        "triples": triples,
        "bytes": gen["bytes"],
        "generate_s": gen["seconds"],
        "floors": {k: v.to_json() for k, v in floors.items()},
        "floor": floor_name,
        "floor_s": floor_s,
        "floor_max_rss_mib": floors[floor_name].rss,
        "reference": None,
    }
    if fast.runs:
        fast_check = check_answer(out.read_bytes(), datasets, usages, args.category, args.commit)
        result["fast"] = {
            **fast.to_json(),
            "ratio": fast.median / floor_s,
            "us_per_triple": fast.median / triples * 1e6,
            "exit_status": fast.runs[-1].returncode,
            "check": fast_check,
        }
    elif timed_out:
        result["fast"] = {
            "timed_out": True,
            "lower_bound_s": args.timeout,
            "ratio_lower_bound": args.timeout / floor_s,
        }
    else:
        result["fast"] = {
            "skipped": True,
            "predicted_s": predicted,
            "predicted_ratio": predicted / floor_s,
            "reason": f"predicted {predicted:.0f} s > --budget {args.budget:.0f} s",
        }
        progress(f"  fast engine skipped: {result['fast']['reason']}")
    if reference:
        ref_cmd = check_command(ccsig, path, args.category, args.commit, "reference")
        ref_out = workdir / f"check-{datasets}-reference.json"
        progress(f"  reference engine on {triples:,} triples (slow) ...")
        ref = Series([run_child(ref_cmd, ref_out, args.timeout, codes)])
        ref_check = check_answer(ref_out.read_bytes(), datasets, usages, args.category, args.commit)
        result["reference"] = {
            **ref.to_json(),
            "ratio": ref.median / floor_s,
            "us_per_triple": ref.median / triples * 1e6,
            "exit_status": ref.runs[-1].returncode,
            "check": ref_check,
        }
        fast_check = result["fast"].get("check")
        if fast_check and "_decisions" in fast_check and "_decisions" in ref_check:
            result["agreement"] = compare_engines(fast_check, ref_check, usages)
    return result


def measured(r: dict[str, Any]) -> bool:
    return "median_s" in r["fast"]


def predictor(done: list[dict[str, Any]]) -> Any:
    """Estimate the fast engine's time at `triples` from the two largest sizes run:
    the log-log slope between them (at least 1), or linear from a single size, or
    linear from the time a run had reached when it was killed."""
    killed = [r for r in done if r["fast"].get("timed_out")]
    if killed:  # at least linear from the time it had reached when killed
        k = killed[0]
        return lambda triples: k["fast"]["lower_bound_s"] * triples / k["triples"]
    runs = [r for r in done if measured(r)]
    if not runs:
        return lambda triples: None
    b = runs[-1]
    slope = 1.0
    if len(runs) >= 2:
        a = runs[-2]
        slope = max(
            1.0,
            math.log(b["fast"]["median_s"] / a["fast"]["median_s"])
            / math.log(b["triples"] / a["triples"]),
        )
    return lambda triples: b["fast"]["median_s"] * (triples / b["triples"]) ** slope


def growth(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How cost grows between consecutive sizes: log-log slope and marginal µs/triple."""
    rows = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        dt = math.log(b["triples"] / a["triples"])
        row: dict[str, Any] = {"from": a["datasets"], "to": b["datasets"]}
        pairs = {"floor": (a["floor_s"], b["floor_s"])}
        if measured(a) and measured(b):
            pairs["fast"] = (a["fast"]["median_s"], b["fast"]["median_s"])
        if a["reference"] and b["reference"]:
            pairs["reference"] = (a["reference"]["median_s"], b["reference"]["median_s"])
        for name, (ta, tb) in pairs.items():
            row[name] = {
                "slope": math.log(tb / ta) / dt,
                "marginal_us_per_triple": (tb - ta) / (b["triples"] - a["triples"]) * 1e6,
            }
        rows.append(row)
    return rows


def profile_check(
    args: argparse.Namespace, ccsig_python: str, path: Path, workdir: Path, top: int = 25
) -> dict[str, list[str]]:
    """cProfile of the fast engine: top functions by cumulative and by own time."""
    prof = workdir / "check.prof"
    cmd = [ccsig_python, "-m", "cProfile", "-o", str(prof), "-m", "ccsig.cli"]
    cmd += check_command("", path, args.category, args.commit, None)[1:]
    run_child(cmd, None, args.timeout, (0, 1))
    report: dict[str, list[str]] = {}
    for key in ("cumulative", "tottime"):
        text = io.StringIO()
        stats = pstats.Stats(str(prof), stream=text)
        stats.strip_dirs().sort_stats(key).print_stats(top * 3)
        lines = text.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        # Leave out the interpreter's own frames (runpy, importlib, exec): they only
        # say that everything happens inside the module run.
        rows = [line for line in lines[start + 1 :] if line.strip() and not is_noise(line)]
        report[key] = [lines[start]] + rows[:top]
    return report


def is_noise(line: str) -> bool:
    return any(m in line for m in ("<frozen ", "builtins.exec}", "<string>:1(<module>)"))


# --------------------------------------------------------------------------- report


def progress(message: str) -> None:
    if not QUIET:
        print(f"bench_check: {message}", file=sys.stderr, flush=True)


QUIET = False


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def fast_cells(r: dict[str, Any]) -> tuple[str, str, str]:
    """(time, ratio, µs/triple) of the fast engine, for measured, timed-out and skipped sizes."""
    f = r["fast"]
    if "median_s" in f:
        return f"{f['median_s']:.2f}s", f"{f['ratio']:.1f}x", f"{f['us_per_triple']:.1f}"
    if f.get("timed_out"):
        return f">{f['lower_bound_s']:.0f}s", f">{f['ratio_lower_bound']:.0f}x", "-"
    return f"~{f['predicted_s']:.0f}s*", f"~{f['predicted_ratio']:.0f}x*", "-"


def print_report(s: dict[str, Any]) -> None:
    w = sys.stdout.write
    m = s["machine"]
    w(f"ccsig check benchmark  ({m['python']}, {m['cpus']} CPUs, {m['platform']})\n")
    w(f"ccsig: {m['ccsig']} ({m['ccsig_version']}, source {m['ccsig_source']}); ")
    w(f"pyoxigraph {m['pyoxigraph']}\n")
    w(f"command: {s['command']}\n")
    st = s["settings"]
    w(
        f"catalogs: gen_catalog.py --seed {st['seed']} --format {st['input_format']}; "
        f"runs per command: {st['repeats']}, interleaved (one above {LONG_RUN_S:.0f} s), "
        "median wall time of the whole process; reference engine: 1 run\n"
    )
    w("floor = the faster of `Store().bulk_load(path=...)` and `list(parse(path=...))`\n\n")

    w("TIME\n")
    w(
        f"  {'datasets':>9}{'triples':>11}{'MB':>7}{'bulk_load':>11}{'parse':>9}"
        f"{'fast':>11}{'÷floor':>9}{'µs/tr':>8}{'reference':>11}{'÷floor':>8}\n"
    )
    notes = set()
    for r in s["sizes"]:
        ref = r["reference"]
        t, ratio, per = fast_cells(r)
        if t.startswith("~"):
            notes.add("predict")
        if t.startswith(">"):
            notes.add("timeout")
        w(
            f"  {r['datasets']:>9,}{r['triples']:>11,}{r['bytes'] / 1e6:>7.1f}"
            f"{r['floors']['bulk_load']['median_s']:>10.2f}s{r['floors']['parse']['median_s']:>8.2f}s"
            f"{t:>11}{ratio:>9}{per:>8}"
        )
        if ref:
            w(f"{ref['median_s']:>10.1f}s{ref['ratio']:>7.0f}x")
        w("\n")
    if "predict" in notes:
        w(
            "  * not run: predicted from the two largest sizes run (log-log slope, at least "
            f"linear) above --budget {st['budget']:.0f} s\n"
        )
    if "timeout" in notes:
        w(f"  > killed after --timeout {st['timeout']:.0f} s\n")

    w("\nMEMORY AND ANSWERS  (peak RSS of the child, MiB)\n")
    w(
        f"  {'datasets':>9}{'floor RSS':>11}{'fast RSS':>10}{'ref RSS':>9}{'results':>9}"
        f"{'allowed':>9}{'disallow':>9}{'unknown':>9}{'spot':>7}  checks\n"
    )
    for r in s["sizes"]:
        ref = r["reference"]
        ref_rss = format(ref["max_rss_mib"], ".0f") if ref else "-"
        c = r["fast"].get("check")
        w(f"  {r['datasets']:>9,}{r['floor_max_rss_mib']:>11.0f}")
        if c is None:
            w(f"{'-':>10}{ref_rss:>9}  (fast engine not run)\n")
            continue
        summary = c.get("summary", {})
        w(
            f"{r['fast']['max_rss_mib']:>10.0f}{ref_rss:>9}{c['results']:>9,}"
            f"{summary.get('allowed', 0):>9,}{summary.get('disallowed', 0):>9,}"
            f"{summary.get('unknown', 0):>9,}{c.get('spot_checked', 0):>7,}  "
            f"{'ok' if c['ok'] else 'WRONG'}\n"
        )
        for label, check in (("fast", c), ("reference", ref["check"] if ref else None)):
            if check and not check["ok"]:
                for p in check["problems"]:
                    w(f"      {label}: {p}\n")

    if s["growth"]:
        w("\nGROWTH  between consecutive sizes: slope of log(time) on log(triples)")
        w(" (1 = linear) / marginal µs per added triple\n")
        w(f"  {'datasets':>19}{'floor':>16}{'fast':>18}{'reference':>18}\n")
        for g in s["growth"]:
            cells = []
            for name in ("floor", "fast", "reference"):
                v = g.get(name)
                cells.append(f"{v['slope']:.2f} / {v['marginal_us_per_triple']:.1f}" if v else "-")
            w(f"  {g['from']:>8,} → {g['to']:>8,}{cells[0]:>16}{cells[1]:>18}{cells[2]:>18}\n")

    for r in s["sizes"]:
        a = r.get("agreement")
        if not a:
            continue
        w(f"\nENGINES AGREE?  {r['datasets']:,} datasets, {a['assets']:,} assets: ")
        if a["identical"]:
            w("decisions identical")
            if a["condition_differences"]:
                w(f", but conditions differ for {a['condition_differences']:,} assets")
            w("\n")
        else:
            w(f"!!! MISMATCH: {a['decision_mismatches']:,} assets get different decisions !!!\n")
            for kind, n in a["mismatch_kinds"].items():
                w(f"    {n:>6,}  {kind}\n")
            for e in a["examples"][:5]:
                w(
                    f"    {e['asset']}  {e['contentUsage']}: fast {e['fast']!r}, "
                    f"reference {e['reference']!r}\n"
                )

    t = s["target"]
    w(
        f"\nTARGET at {t['datasets']:,} datasets: ratio <= {RATIO_TARGET:g}x the parse floor, "
        f"peak RSS <= {RSS_TARGET_MIB:,} MiB\n"
    )
    if t["how"] == "measured":
        w(
            f"  ratio {t['ratio']:.2f}x: {verdict(t['ratio_pass'])}; "
            f"peak RSS {t['max_rss_mib']:.0f} MiB: {verdict(t['rss_pass'])}\n"
        )
    elif t["how"] == "timed out":
        w(f"  killed after {st['timeout']:.0f} s, ratio > {t['ratio_at_least']:.0f}x: ")
        w(f"{verdict(t['ratio_pass'])}; peak RSS not measured\n")
    elif t["how"] == "predicted":
        w(
            f"  not run; predicted ~{t['predicted_s']:.0f} s, ratio ~{t['predicted_ratio']:.0f}x: "
            f"{verdict(t['ratio_pass'])} (predicted); peak RSS not measured\n"
        )
    else:
        w("  not run at this size\n")
    lm = t.get("largest_measured")
    if lm and lm["datasets"] != t["datasets"]:
        w(
            f"  largest size measured: {lm['datasets']:,} datasets, ratio {lm['ratio']:.1f}x, "
            f"peak RSS {lm['max_rss_mib']:.0f} MiB\n"
        )

    if s.get("profile"):
        p = s["profile"]
        w(f"\nPROFILE  fast engine, {p['datasets']:,} datasets, cProfile\n")
        if p.get("error"):
            w(f"  failed: {p['error']}\n")
        for key in ("cumulative", "tottime") if not p.get("error") else ():
            w(f"  by {key}:\n")
            for line in p[key]:
                w(f"    {line}\n")

    how = f" ({t['how']})" if t["how"] not in ("measured", "not run") else ""
    w(
        f"\nsummary: target {verdict(t['pass'])}{how}; "
        f"output checks {'ok' if s['checks_ok'] else 'FAILED'}; engines {s['engines_agree']}\n"
    )


def target_verdict(results: list[dict[str, Any]]) -> dict[str, Any]:
    """PASS/FAIL at TARGET_DATASETS: measured, or failed by a timeout or a prediction."""
    at = next((r for r in results if r["datasets"] == TARGET_DATASETS), None)
    runs = [r for r in results if measured(r)]
    target: dict[str, Any] = {"datasets": TARGET_DATASETS, "how": "not run", "pass": None}
    if runs:
        largest = runs[-1]
        target["largest_measured"] = {
            "datasets": largest["datasets"],
            "ratio": largest["fast"]["ratio"],
            "max_rss_mib": largest["fast"]["max_rss_mib"],
        }
    if at is None:
        return target
    fast = at["fast"]
    if measured(at):
        target["how"] = "measured"
        target["ratio"] = fast["ratio"]
        target["max_rss_mib"] = fast["max_rss_mib"]
        target["ratio_pass"] = fast["ratio"] <= RATIO_TARGET
        target["rss_pass"] = fast["max_rss_mib"] <= RSS_TARGET_MIB
        target["pass"] = target["ratio_pass"] and target["rss_pass"]
    elif fast.get("timed_out"):
        target["how"] = "timed out"
        target["ratio_at_least"] = fast["ratio_lower_bound"]
        target["ratio_pass"] = False if fast["ratio_lower_bound"] > RATIO_TARGET else None
        target["pass"] = target["ratio_pass"]
    else:
        target["how"] = "predicted"
        target["predicted_s"] = fast["predicted_s"]
        target["predicted_ratio"] = fast["predicted_ratio"]
        # The prediction assumes growth no worse than between the last two sizes run,
        # and at least linear: a lower estimate.
        target["ratio_pass"] = False if fast["predicted_ratio"] > RATIO_TARGET else None
        target["pass"] = target["ratio_pass"]
    return target


def source_state(ccsig: str) -> str:
    """The git commit of the ccsig source the command runs, and whether it has local edits."""
    try:
        python = Path(ccsig).resolve().parent / "python"
        proc = subprocess.run(
            [
                str(python) if python.exists() else sys.executable,
                "-c",
                "import ccsig, os; print(os.path.dirname(os.path.dirname(ccsig.__file__)))",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        root = proc.stdout.strip()
        head = subprocess.run(
            ["git", "-C", root, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if head.returncode != 0:
            return "?"
        dirty = subprocess.run(
            ["git", "-C", root, "status", "--porcelain", "--", "ccsig", "queries", "vocab"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        return head.stdout.strip() + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def find_ccsig(explicit: str | None) -> str | None:
    if explicit:
        return shutil.which(explicit)
    beside = Path(sys.executable).parent / "ccsig"
    if beside.exists():
        return str(beside)
    return shutil.which("ccsig")


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
    parser.add_argument(
        "--sizes", help="comma-separated dataset counts (default 1000,3000,10000,30000,100000)"
    )
    parser.add_argument(
        "--reference-max",
        type=int,
        default=3_000,
        help="run --engine reference only up to this many datasets (default 3000; 0: never)",
    )
    parser.add_argument("--repeats", type=int, help="runs per command and size (default 3)")
    parser.add_argument("--for", dest="category", default=CATEGORY, help="default train-genai")
    parser.add_argument(
        "--commit", action="append", help="commitment element, repeatable (default credit)"
    )
    parser.add_argument("--input-format", choices=("ttl", "nt"), default="ttl")
    parser.add_argument("--seed", type=int, default=gen_catalog.DEFAULT_SEED)
    parser.add_argument(
        "--timeout", type=float, default=1800, help="kill a run after this many seconds (1800)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=600,
        help="skip the fast engine at a size where it is predicted to take longer (600 s)",
    )
    parser.add_argument(
        "--profile-max",
        type=float,
        default=120,
        help="profile only sizes whose fast run took at most this many seconds (120)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the fast engine at the largest size (done anyway when the target fails)",
    )
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument("--ccsig", help="the ccsig command (default: beside this Python)")
    parser.add_argument("--keep", metavar="DIR", help="write the catalogs and answers to DIR")
    args = parser.parse_args(argv)
    QUIET = args.json

    if args.sizes:
        sizes = sorted({int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()})
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive dataset counts")
    args.repeats = args.repeats or (2 if args.quick else 3)
    args.commit = tuple(args.commit or COMMITS)

    ccsig = find_ccsig(args.ccsig)
    if ccsig is None:
        print(
            "bench_check: no `ccsig` command found; install the project or pass --ccsig",
            file=sys.stderr,
        )
        return 2
    probe = subprocess.run([ccsig, "check", "--help"], capture_output=True)
    if probe.returncode != 0:
        print(
            f"bench_check: `{ccsig} check` is not available: "
            f"{probe.stderr.decode(errors='replace').strip().splitlines()[-1:]}",
            file=sys.stderr,
        )
        return 2
    version = subprocess.run([ccsig, "--version"], capture_output=True, text=True)
    import pyoxigraph

    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="ccsig-bench-check-"))
    summary: dict[str, Any] = {
        "machine": {
            "python": f"Python {platform.python_version()}",
            "platform": platform.platform(terse=True),
            "cpus": os.cpu_count(),
            "ccsig": ccsig,
            "ccsig_version": version.stdout.strip() or "?",
            "ccsig_source": source_state(ccsig),
            "pyoxigraph": pyoxigraph.__version__,
        },
        "command": " ".join(
            ["ccsig"] + check_command("", Path("CATALOG"), args.category, args.commit, None)[1:]
        ),
        "settings": {
            "sizes": sizes,
            "repeats": args.repeats,
            "reference_max": args.reference_max,
            "budget": args.budget,
            "timeout": args.timeout,
            "seed": args.seed,
            "input_format": args.input_format,
            "category": args.category,
            "commitments": list(args.commit),
        },
    }
    try:
        # Warm-up: bytecode caches of a freshly edited ccsig, page cache.
        warm = workdir / "warm-up.ttl"
        gen_catalog.generate(warm, 10, args.seed, "ttl")
        run_child(
            check_command(ccsig, warm, args.category, args.commit, None), None, args.timeout, (0, 1)
        )
        results: list[dict[str, Any]] = []
        for n in sizes:
            results.append(
                measure_size(n, args, ccsig, workdir, n <= args.reference_max, predictor(results))
            )
        summary["sizes"] = results
        summary["growth"] = growth(results)
        summary["target"] = target = target_verdict(results)
        agreements = [r["agreement"] for r in results if r.get("agreement")]
        if not agreements:
            summary["engines_agree"] = "not compared"
        elif all(a["identical"] for a in agreements):
            summary["engines_agree"] = "agree"
        else:
            summary["engines_agree"] = "MISMATCH"
        summary["checks_ok"] = (
            all(
                r["fast"].get("check", {"ok": True})["ok"]
                and (not r["reference"] or r["reference"]["check"]["ok"])
                for r in results
            )
            and summary["engines_agree"] != "MISMATCH"
        )
        want_profile = args.profile or (target["pass"] is False)
        # Profile the largest size whose run was short enough to repeat under cProfile.
        profilable = [
            r for r in results if measured(r) and r["fast"]["median_s"] <= args.profile_max
        ]
        if want_profile and not args.no_profile and profilable:
            largest = profilable[-1]
            progress(f"profiling the fast engine at {largest['datasets']:,} datasets ...")
            path = workdir / f"catalog-{largest['datasets']}.{args.input_format}"
            python = str(Path(ccsig).resolve().parent / "python")
            if not Path(python).exists():
                python = sys.executable
            try:
                summary["profile"] = {
                    "datasets": largest["datasets"],
                    **profile_check(args, python, path, workdir),
                }
            except (BenchError, OSError) as e:  # the figures above still stand
                summary["profile"] = {"datasets": largest["datasets"], "error": str(e)}
    except (BenchError, OSError, ValueError, subprocess.SubprocessError) as e:
        print(f"bench_check: error: {e}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"bench_check: catalogs and answers kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    summary = strip_private(summary)
    if summary["engines_agree"] == "MISMATCH":
        print("bench_check: MISMATCH: the fast and reference engines disagree", file=sys.stderr)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(summary)
    return 0 if summary["checks_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
