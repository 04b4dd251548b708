#!/usr/bin/env python3
"""Benchmark `ccsig parse`: start-up time and batch throughput, each against its floor.

Targets (from the issue; this script reports them, it does not gate on them):
1. `ccsig parse EXPR` answers within 0.3 s of process start;
2. `ccsig parse - --format jsonl` handles >= 100,000 lines/s on a realistic mix
   (a few dozen distinct Content-Usage values, some malformed, repeated many times).

Every figure comes from running the installed `ccsig` console script in a
subprocess, exactly as a user would, and is set beside a floor measured in the
same run on the same machine: a bare `python -c pass` and an import of ccsig's
run-time dependencies for start-up; a Python loop that merely copies the same
lines from stdin to stdout for throughput. A ratio near 1 means ccsig adds
little on top of what Python itself costs.

Usage:
    python benchmarks/bench_parse.py            # full run (1,000,000 lines), about a minute
    python benchmarks/bench_parse.py --quick    # smaller run, a few seconds
    python benchmarks/bench_parse.py --json     # machine-readable summary on stdout
    python benchmarks/bench_parse.py --profile  # also cProfile the uncached parse path

Exit status: 0 whether or not the targets are met (it is a report); 1 when a
command failed or its output was wrong (line count, JSON, line alignment);
2 when the benchmark cannot run (no `ccsig` found). Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STARTUP_TARGET_S = 0.3
BATCH_TARGET_LINES_PER_S = 100_000
EXPRESSION = "train-genai=n;exceptions=cc-cr-ec"
HEAVY_MODULES = ("rdflib", "pyshacl", "owlrl")
DEPENDENCY_IMPORTS = "import click, http_sf, pyoxigraph"

# The realistic mix: Content-Usage header values as a crawl would harvest them.
# (weight, kind, expression bytes). A handful of values carry most of the lines;
# the long tail holds other drafts' labels, odd values and malformed headers.
REALISTIC_MIX: list[tuple[int, str, bytes]] = [
    # aipref-02 labels (the default vocabulary, as CC signals 0.1 uses them)
    (2200, "aipref-02", b"train-ai=n"),
    (1300, "aipref-02", b"train-genai=n"),
    (600, "aipref-02", b"all=n"),
    (500, "aipref-02", b"search=y, train-ai=n"),
    (300, "aipref-02", b"train-genai=n, ai-use=y"),
    (150, "aipref-02", b"all=y"),
    (120, "aipref-02", b"ai-use=n, search=y"),
    (80, "aipref-02", b"train-ai=y, train-genai=n"),
    (40, "aipref-02", b"  train-ai=n ,search=y  "),
    # aipref-02 labels with a CC signal as exception
    (1500, "aipref-02 + CC signal", b"train-genai=n;exceptions=cc-cr-ec"),
    (700, "aipref-02 + CC signal", b"train-genai=n;exceptions=cc-cr"),
    (350, "aipref-02 + CC signal", b"train-genai=n;exceptions=cc-cr-dc"),
    (250, "aipref-02 + CC signal", b"train-genai=n;exceptions=cc-cr-op"),
    (200, "aipref-02 + CC signal", b"ai-use=n;exceptions=cc-cr"),
    (120, "aipref-02 + CC signal", b"train-ai=n;exceptions=cc-cr-dc, search=y"),
    (90, "aipref-02 + CC signal", b"all=n;exceptions=cc-cr-op"),
    (80, "aipref-02 + CC signal", b"train-genai=n;exceptions=cc-cr-ec, ai-use=n;exceptions=cc-cr"),
    (30, "aipref-02 + CC signal", b"train-genai=n; exceptions=cc-cr-ec"),
    # aipref-07 style (train-ai and search only)
    (600, "aipref-07", b"train-ai=n, search=y"),
    (250, "aipref-07", b"search=y"),
    (100, "aipref-07", b"train-ai=y"),
    (90, "aipref-07", b"train-ai=n;exceptions=cc-cr, search=y"),
    # labels this vocabulary does not define, and values that state nothing
    (60, "unknown label", b"tdm=n"),
    (40, "unknown label", b"ai=n, genai=n"),
    (40, "unknown label", b"bots=n, search=y"),
    (30, "unknown label", b"train-ai=n, x-custom=y"),
    (25, "odd value", b"train-genai=n;exceptions=cc-by"),
    (20, "odd value", b"train-genai=y;exceptions=cc-cr"),
    (20, "odd value", b'train-ai="n"'),
    (15, "odd value", b"train-ai=?1"),
    (15, "odd value", b"train-ai=n, train-ai=y"),
    (60, "odd value", b""),
    # malformed: none of these parse as an RFC 9651 dictionary
    (120, "malformed", b"TRAIN-AI=n"),
    (50, "malformed", b"Train-GenAI=N"),
    (90, "malformed", b"train-ai=n,"),
    (40, "malformed", b"train-ai=n, search=y,"),
    (30, "malformed", b"train-ai = n"),
    (20, "malformed", b"train-ai:n"),
    (20, "malformed", b"train-ai=n;;exceptions=cc-cr"),
    (25, "malformed", "train-genai=n;exceptions=cc-cr-éc".encode()),
    (15, "malformed", 'train-ai=n, recherche=oui; note="données"'.encode()),
    (10, "malformed", b"train-genai=n;exceptions=cc-cr\xff\xfe"),
]
CRLF_SHARE = 0.03  # header dumps sometimes keep the CR of CRLF

# Templates for the all-distinct input: every line differs (a unique number or
# label), so the batch cache never hits and each line is parsed and serialised.
DISTINCT_TEMPLATES: list[tuple[int, str]] = [
    (30, "train-genai=n;exceptions={signal}, search=y;v={i}"),
    (20, "train-ai={yn};ts={i}"),
    (15, "train-ai=n, x-{i:x}=y"),
    (10, 'search=y, train-ai=n;exceptions={signal};ref="{i}"'),
    (10, "all={yn}, ai-use=n;exceptions={signal};n={i}"),
    (8, "TRAIN-AI=n;v={i}"),
    (7, "train-ai=n, search=y;v={i},"),
]
SIGNALS = ("cc-cr", "cc-cr-dc", "cc-cr-ec", "cc-cr-op")

COPY_FLOOR = (
    "import sys\nout = sys.stdout.buffer\nfor line in sys.stdin.buffer:\n    out.write(line)\n"
)
# Copy floor that writes as many bytes per line as ccsig does: the best a cached
# implementation could do in Python.
SIZED_FLOOR = (
    "import sys\n"
    "payload = b'x' * (int(sys.argv[1]) - 1) + b'\\n'\n"
    "write = sys.stdout.buffer.write\n"
    "for _line in sys.stdin.buffer:\n"
    "    write(payload)\n"
)
PARSE_MAIN = (
    "import sys\n"
    "from ccsig.cli import main\n"
    "sys.argv = ['ccsig', 'parse', sys.argv[1], '--format', 'json']\n"
    "main()\n"
)
PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
import ccsig.cli
t1 = time.perf_counter()
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
ontology = load_ontology()
t2 = time.perf_counter()
import ccsig.report.render
from ccsig.model.expression import parse_expression
parsed = parse_expression(sys.argv[1].encode(), DEFAULT_VOCABULARY, ontology)
json.dumps(parsed.to_json(), indent=2)
t3 = time.perf_counter()
print(json.dumps({
    "import ccsig.cli": t1 - t0,
    "load_ontology()": t2 - t1,
    "import render, parse, to JSON": t3 - t2,
}))
"""


class BenchError(Exception):
    """A measured command failed or gave wrong output."""


@dataclass
class Timing:
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def best(self) -> float:
        return min(self.walls)

    @property
    def worst(self) -> float:
        return max(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def run_timed(
    cmd: list[str],
    timing: Timing,
    stdin: Path | None = None,
    stdout: Path | None = None,
) -> bytes:
    """Run `cmd` once, add its wall and CPU time to `timing`; returns captured stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with contextlib.ExitStack() as stack:
        fin = stack.enter_context(open(stdin, "rb")) if stdin else subprocess.DEVNULL
        fout = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.PIPE
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BenchError(
            f"{' '.join(cmd)!r} exited {proc.returncode}: {err[-1] if err else '(no stderr)'}"
        )
    timing.walls.append(wall)
    timing.cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return proc.stdout or b""


# --------------------------------------------------------------------------- inputs


def write_realistic(path: Path, lines: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    weights = [w for w, _, _ in REALISTIC_MIX]
    picks = rng.choices(range(len(REALISTIC_MIX)), weights=weights, k=lines)
    kinds: Counter[str] = Counter()
    distinct: set[bytes] = set()
    with open(path, "wb") as f:
        buf: list[bytes] = []
        for n, idx in enumerate(picks):
            _, kind, expr = REALISTIC_MIX[idx]
            line = expr + (b"\r\n" if rng.random() < CRLF_SHARE else b"\n")
            kinds[kind] += 1
            distinct.add(line)
            buf.append(line)
            if n % 65536 == 65535:
                f.write(b"".join(buf))
                buf.clear()
        f.write(b"".join(buf))
    return {
        "lines": lines,
        "distinct_lines": len(distinct),
        "distinct_expressions": len({e for _, _, e in REALISTIC_MIX}),
        "kinds": {k: kinds[k] / lines for k in sorted(kinds, key=lambda k: -kinds[k])},
        "bytes": path.stat().st_size,
    }


def write_distinct(path: Path, lines: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    weights = [w for w, _ in DISTINCT_TEMPLATES]
    out = []
    for i in range(lines):
        template = rng.choices(DISTINCT_TEMPLATES, weights=weights)[0][1]
        line = template.format(i=i, signal=rng.choice(SIGNALS), yn=rng.choice("yn"))
        out.append(line.encode("ascii") + b"\n")
    assert len(set(out)) == lines
    path.write_bytes(b"".join(out))
    return {"lines": lines, "distinct_lines": lines, "bytes": path.stat().st_size}


# --------------------------------------------------------------------------- checks


def strip_line_ending(line: bytes) -> bytes:
    # Written again on purpose: the output check must not trust the code it checks
    # (ccsig.report.batch.strip_line_ending).
    if line.endswith(b"\n"):
        line = line[:-1]
        if line.endswith(b"\r"):
            line = line[:-1]
    return line


def check_output(source: Path, output: Path, expected: int, samples: int) -> dict[str, Any]:
    """Same number of lines; sampled lines are JSON objects that echo their input line."""
    stride = max(1, expected // samples)
    problems: list[str] = []
    sampled = unparsed = out_lines = 0
    with open(source, "rb") as fin, open(output, "rb") as fout:
        for n, (inp, outp) in enumerate(itertools.zip_longest(fin, fout)):
            if outp is not None:
                out_lines += 1
            if n % stride or inp is None or outp is None:
                continue
            sampled += 1
            try:
                answer = json.loads(outp)
            except ValueError as e:
                problems.append(f"output line {n + 1} is not JSON: {e}")
                continue
            want = strip_line_ending(inp).decode("utf-8", "backslashreplace")
            if not isinstance(answer, dict) or answer.get("expression") != want:
                problems.append(f"output line {n + 1} does not answer input line {n + 1}")
            elif answer.get("parsed") is False:
                unparsed += 1
    if out_lines != expected:
        problems.insert(0, f"{out_lines} output lines for {expected} input lines")
    return {
        "output_lines": out_lines,
        "sampled": sampled,
        "sampled_unparsed_share": unparsed / sampled if sampled else None,
        "bytes_per_output_line": output.stat().st_size / out_lines if out_lines else None,
        "problems": problems[:5],
        "ok": not problems,
    }


# --------------------------------------------------------------------------- start-up


def parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, module) for every `-X importtime` line."""
    rows = []
    for m in re.finditer(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$", stderr, re.M):
        rows.append((int(m[1]), int(m[2]), (len(m[3]) - 1) // 2, m[4]))
    return rows


def measure_startup(ccsig: str, python: str, runs: int) -> dict[str, Any]:
    commands = {
        "ccsig": [ccsig, "parse", EXPRESSION, "--format", "json"],
        "python -c pass": [python, "-c", "pass"],
        f'python -c "{DEPENDENCY_IMPORTS}"': [python, "-c", DEPENDENCY_IMPORTS],
    }
    timings = {name: Timing() for name in commands}
    for cmd in commands.values():  # warm-up: page cache, bytecode caches
        run_timed(cmd, Timing())
    answer = b""
    for _ in range(runs):  # interleaved, so drift affects all alike
        for name, cmd in commands.items():
            out = run_timed(cmd, timings[name])
            if name == "ccsig":
                answer = out
    try:
        parsed = json.loads(answer)
        assert parsed["effective"]["train-genai"] == "disallow"
    except (ValueError, KeyError, TypeError, AssertionError) as e:
        raise BenchError(f"`ccsig parse {EXPRESSION}` gave an unexpected answer: {e!r}") from e

    ccsig_t = timings["ccsig"]
    floors = {
        name: {"median_s": t.median, "max_s": t.worst, "ratio": ccsig_t.median / t.median}
        for name, t in timings.items()
        if name != "ccsig"
    }
    result: dict[str, Any] = {
        "command": " ".join(commands["ccsig"][1:]),
        "runs": runs,
        "median_s": ccsig_t.median,
        "min_s": ccsig_t.best,
        "max_s": ccsig_t.worst,
        "cpu_s": ccsig_t.cpu,
        "floors": floors,
        "target_s": STARTUP_TARGET_S,
        "pass": ccsig_t.median <= STARTUP_TARGET_S,
    }

    # Where the time goes inside the process: phases, then imports.
    phase_runs: list[dict[str, float]] = []
    for _ in range(max(3, runs // 2)):
        proc = subprocess.run([python, "-c", PHASES, EXPRESSION], capture_output=True)
        if proc.returncode != 0:
            break
        phase_runs.append(json.loads(proc.stdout))
    if phase_runs:
        result["phases_s"] = {k: statistics.median(r[k] for r in phase_runs) for k in phase_runs[0]}

    proc = subprocess.run(
        [python, "-X", "importtime", "-c", PARSE_MAIN, EXPRESSION], capture_output=True
    )
    rows = parse_importtime(proc.stderr.decode("utf-8", "replace"))
    if rows:
        top_level = sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])
        result["importtime"] = {
            "total_ms": sum(r[0] for r in rows) / 1000,
            "modules": len(rows),
            "top_cumulative": [{"module": r[3], "ms": r[1] / 1000} for r in top_level[:8]],
            "top_self": [
                {"module": r[3], "ms": r[0] / 1000} for r in sorted(rows, key=lambda r: -r[0])[:8]
            ],
            "heavy_modules_loaded": sorted(
                {r[3].split(".")[0] for r in rows if r[3].split(".")[0] in HEAVY_MODULES}
            ),
        }
    return result


# --------------------------------------------------------------------------- batch


def measure_batch(
    ccsig: str,
    python: str,
    source: Path,
    lines: int,
    repeats: int,
    workdir: Path,
    samples: int,
) -> dict[str, Any]:
    out = workdir / f"{source.stem}.out.jsonl"
    devnull = Path(os.devnull)
    ccsig_cmd = [ccsig, "parse", "-", "--format", "jsonl"]
    copy_cmd = [python, "-c", COPY_FLOOR]
    # One run with stdout to a file, for the output checks; it also warms caches.
    # The timed runs write to /dev/null: on a disk-backed temp dir, writeback of
    # hundreds of MB is noisier than anything ccsig itself does.
    file_t, ccsig_t, copy_t, sized_t = Timing(), Timing(), Timing(), Timing()
    run_timed(ccsig_cmd, file_t, stdin=source, stdout=out)
    check = check_output(source, out, lines, samples)
    out.unlink(missing_ok=True)
    size = round(check["bytes_per_output_line"] or 1)
    sized_cmd = [python, "-c", SIZED_FLOOR, str(max(1, size))]
    for _ in range(repeats):  # interleaved, so drift affects all alike
        run_timed(copy_cmd, copy_t, stdin=source, stdout=devnull)
        run_timed(ccsig_cmd, ccsig_t, stdin=source, stdout=devnull)
        run_timed(sized_cmd, sized_t, stdin=source, stdout=devnull)
    rate = lines / ccsig_t.median
    return {
        "lines": lines,
        "repeats": repeats,
        "median_s": ccsig_t.median,
        "best_s": ccsig_t.best,
        "cpu_s": ccsig_t.cpu,
        "lines_per_s": rate,
        "to_file_lines_per_s": lines / file_t.median,
        "us_per_line": 1e6 / rate,
        "floors": {
            "copy lines": {
                "median_s": copy_t.median,
                "lines_per_s": lines / copy_t.median,
                "ratio": ccsig_t.median / copy_t.median,
            },
            "write ccsig-sized lines": {
                "median_s": sized_t.median,
                "lines_per_s": lines / sized_t.median,
                "ratio": ccsig_t.median / sized_t.median,
            },
        },
        "check": check,
    }


def profile_batch(ccsig_python: str, source: Path, workdir: Path, top: int = 15) -> list[str]:
    """cProfile of `ccsig parse - --format jsonl` on `source`, top functions by own time."""
    prof = workdir / "batch.prof"
    with open(source, "rb") as fin, open(os.devnull, "wb") as fout:
        subprocess.run(
            [ccsig_python, "-m", "cProfile", "-o", str(prof), "-m", "ccsig.cli", "parse", "-"],
            stdin=fin,
            stdout=fout,
            check=True,
        )
    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    lines = text.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return [line for line in lines[start:] if line.strip()]


# --------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_report(s: dict[str, Any]) -> None:
    w = sys.stdout.write
    m = s["machine"]
    w(f"ccsig parse benchmark  ({m['python']}, {m['cpus']} CPUs, {m['platform']})\n")
    w(f"ccsig: {m['ccsig']}\n\n")

    st = s["startup"]
    w(f"START-UP  `ccsig {st['command']}`, {st['runs']} runs\n")
    w(f"  {'command':<54}{'median':>10}{'max':>10}{'ccsig ÷':>10}\n")
    w(f"  {'ccsig parse EXPR':<54}{st['median_s'] * 1e3:>8.0f}ms{st['max_s'] * 1e3:>8.0f}ms\n")
    for name, f in st["floors"].items():
        w(f"  {'floor: ' + name:<54}{f['median_s'] * 1e3:>8.0f}ms{f['max_s'] * 1e3:>8.0f}ms")
        w(f"{f['ratio']:>9.1f}x\n")
    if "phases_s" in st:
        w("  in-process phases (median, after interpreter start):\n")
        for name, secs in st["phases_s"].items():
            w(f"    {name:<52}{secs * 1e3:>8.1f}ms\n")
    it = st.get("importtime")
    if it:
        w(f"  -X importtime of the parse command: {it['total_ms']:.0f}ms in ")
        w(f"{it['modules']} modules; heavy modules loaded: ")
        w(f"{', '.join(it['heavy_modules_loaded']) or 'none'}\n")
        w("    top-level imports by cumulative time:\n")
        for e in it["top_cumulative"]:
            w(f"      {e['module']:<50}{e['ms']:>8.1f}ms\n")
        w("    modules by own time:\n")
        for e in it["top_self"]:
            w(f"      {e['module']:<50}{e['ms']:>8.1f}ms\n")
    w(f"  target <= {st['target_s']} s (median): {verdict(st['pass'])}\n\n")

    b = s["batch"]
    inp = s["inputs"]["realistic"]
    w("BATCH  `ccsig parse - --format jsonl`, stdout to /dev/null, whole process timed\n")
    w(
        f"  realistic mix: {inp['lines']:,} lines, {inp['distinct_expressions']} distinct "
        f"expressions ({inp['distinct_lines']} distinct lines with CR/LF variants)\n"
    )
    w("    " + ", ".join(f"{k} {v:.1%}" for k, v in inp["kinds"].items()) + "\n")
    w(f"  {'input':<34}{'lines':>11}{'median':>10}{'lines/s':>13}{'µs/line':>9}{'ccsig ÷':>9}\n")
    for key, label in (("realistic", "realistic mix"), ("distinct", "all distinct")):
        r = b[key]
        w(
            f"  {'ccsig: ' + label:<34}{r['lines']:>11,}{r['median_s']:>9.2f}s"
            f"{r['lines_per_s']:>13,.0f}{r['us_per_line']:>9.2f}\n"
        )
        for name, f in r["floors"].items():
            w(
                f"  {'  floor: ' + name:<34}{r['lines']:>11,}{f['median_s']:>9.2f}s"
                f"{f['lines_per_s']:>13,.0f}{'':>9}{f['ratio']:>8.1f}x\n"
            )
    cache = b["realistic"]["lines_per_s"] / b["distinct"]["lines_per_s"]
    w(f"  cache effect: realistic mix runs {cache:.1f}x faster per line than all-distinct\n")
    for key in ("realistic", "distinct"):
        c = b[key]["check"]
        state = "ok" if c["ok"] else "WRONG: " + "; ".join(c["problems"])
        w(
            f"  check {key}: {c['output_lines']:,} output lines, {c['sampled']} sampled "
            f"as JSON ({(c['sampled_unparsed_share'] or 0):.1%} unparsed): {state}\n"
            f"    (that run wrote to a file: {b[key]['to_file_lines_per_s']:,.0f} lines/s)\n"
        )
    w(f"  target >= {b['target_lines_per_s']:,} lines/s (realistic mix, median): ")
    w(f"{verdict(b['pass'])}\n")

    if s.get("profile"):
        w("\nPROFILE  all-distinct input, top functions by own time\n")
        for line in s["profile"]:
            w(f"  {line}\n")
    w(f"\nsummary: start-up {verdict(st['pass'])}, batch {verdict(b['pass'])}")
    w(f"; output checks {'ok' if s['checks_ok'] else 'FAILED'}\n")


def find_ccsig(explicit: str | None) -> str | None:
    if explicit:
        return shutil.which(explicit)
    beside = Path(sys.executable).parent / "ccsig"
    if beside.exists():
        return str(beside)
    return shutil.which("ccsig")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer runs")
    parser.add_argument("--json", action="store_true", help="print a JSON summary only")
    parser.add_argument("--profile", action="store_true", help="cProfile the uncached path")
    parser.add_argument("--lines", type=int, help="realistic-mix lines (default 1,000,000)")
    parser.add_argument("--distinct-lines", type=int, help="all-distinct lines (default 50,000)")
    parser.add_argument("--startup-runs", type=int, help="start-up runs (default 10)")
    parser.add_argument("--repeats", type=int, help="batch runs per input (default 3)")
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--ccsig", help="the ccsig command (default: beside this Python)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)

    lines = args.lines or (100_000 if args.quick else 1_000_000)
    distinct_lines = args.distinct_lines or (10_000 if args.quick else 50_000)
    startup_runs = args.startup_runs or (5 if args.quick else 10)
    repeats = args.repeats or (1 if args.quick else 3)
    ccsig = find_ccsig(args.ccsig)
    if ccsig is None:
        print(
            "bench_parse: no `ccsig` command found; install the project or pass --ccsig",
            file=sys.stderr,
        )
        return 2
    python = sys.executable

    workdir = Path(tempfile.mkdtemp(prefix="ccsig-bench-"))
    try:
        realistic = workdir / "realistic.txt"
        distinct = workdir / "distinct.txt"
        summary: dict[str, Any] = {
            "machine": {
                "python": f"Python {platform.python_version()}",
                "platform": platform.platform(terse=True),
                "cpus": os.cpu_count(),
                "ccsig": ccsig,
            },
            "inputs": {
                "seed": args.seed,
                "realistic": write_realistic(realistic, lines, args.seed),
                "distinct": write_distinct(distinct, distinct_lines, args.seed),
            },
        }
        summary["startup"] = measure_startup(ccsig, python, startup_runs)
        samples = 1000
        batch: dict[str, Any] = {
            "realistic": measure_batch(ccsig, python, realistic, lines, repeats, workdir, samples),
            "distinct": measure_batch(
                ccsig, python, distinct, distinct_lines, repeats, workdir, samples
            ),
            "target_lines_per_s": BATCH_TARGET_LINES_PER_S,
        }
        batch["pass"] = batch["realistic"]["lines_per_s"] >= BATCH_TARGET_LINES_PER_S
        realistic_rate = batch["realistic"]["lines_per_s"]
        batch["cache_speedup"] = realistic_rate / batch["distinct"]["lines_per_s"]
        summary["batch"] = batch
        summary["checks_ok"] = all(batch[k]["check"]["ok"] for k in ("realistic", "distinct"))
        if args.profile:
            summary["profile"] = profile_batch(python, distinct, workdir)
    except (BenchError, OSError, subprocess.CalledProcessError) as e:
        print(f"bench_parse: error: {e}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"bench_parse: inputs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(summary)
    return 0 if summary["checks_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
