#!/usr/bin/env python3
"""Benchmark `ccsig audit`: URLs per second end to end, memory as URLs grow, Spark's ratio.

Targets (from issue 14; reported, not gated): the local engine audits >= 200,000 URLs/s
end to end on a 2-core machine; its peak memory is bounded by the number of hosts, not
of URLs (flat as URLs grow 10x); Spark local[2] is within 3x of the local engine.

The script generates, in a temporary folder (seeded): a WARC.gz of robots.txt captures
of --hosts hosts at two dates (2025-06-01 and 2026-06-01; most hosts change rules
between them, a few have no capture at all), four kinds of robots.txt with
Allow/Disallow and Content-Usage rules with and without paths, and text files of
--urls URLs (and a tenth of them) over those hosts, with varied paths. It then runs, each
in a fresh process, best of --runs:
  (a) floor: `wc -l`-like reading of the URL file in Python (for line in file: n += 1),
      the least any tool reading these URLs does;
  (b) local: `ccsig audit URLS --preferences robots.warc.gz --for train-genai -o out.jsonl`
      (with --jobs as given), at 1/10 and full size: URLs/s, peak RSS (the largest single
      process, from wait4), and the log-log slope of time against URLs;
  (c) spark: the same with --engine spark --master local[2], and its ratio to (b).

Usage:
    python benchmarks/bench_audit.py                 # 1,000,000 URLs, 20,000 hosts
    python benchmarks/bench_audit.py --quick         # 100,000 URLs, 2,000 hosts
    python benchmarks/bench_audit.py --json
    python benchmarks/bench_audit.py --no-spark --jobs 2

Exit status: 0 a report was made (target met or not); 1 a command failed or gave the
wrong number of records; 2 the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import sys
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        n += 1
print(n)
"""

ROBOTS = [
    "User-agent: *\nDisallow: /private/\nContent-Usage: train-ai=n\n",
    "User-agent: *\nAllow: /\nContent-Usage: /blog/ train-genai=n;exceptions=cc-cr\n"
    "Content-Usage: train-genai=y\n",
    "User-agent: ExampleBot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n"
    "Content-Usage: /news/ ai-use=n\n",
    "User-agent: *\nContent-Signal: search=yes, ai-train=no\n",
    "User-agent: *\nDisallow:\n",
]
PATHS = ["/", "/blog/", "/private/", "/news/", "/tmp/", "/img/", "/a/b/"]
DATES = ["2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z"]


def generate_robots(path: Path, hosts: int, seed: int) -> list[str]:
    """A robots WARC.gz with two captures of most hosts; the sites."""
    from fastwarc.stream_io import GzipWriter
    from fastwarc.warc import WarcRecord, WarcRecordType

    rng = random.Random(seed)
    sites = [f"{rng.choice(['http', 'https'])}://host{i}.example" for i in range(hosts)]
    with path.open("wb") as f:
        for date in DATES:
            for site in sites:
                if rng.random() < 0.03:
                    continue  # a host without this capture
                body = rng.choice(ROBOTS).encode()
                record = WarcRecord()
                record.init_headers(WarcRecordType.response)
                record.headers["WARC-Target-URI"] = site + "/robots.txt"
                record.headers["WARC-Date"] = date
                record.headers["Content-Type"] = "application/http; msgtype=response"
                record.set_bytes_content(b"HTTP/1.1 200 OK\r\n\r\n" + body)
                writer = GzipWriter(f)
                record.write(writer)
                writer.close()
    return sites


def generate_urls(path: Path, sites: list[str], count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w") as f:
        for i in range(count):
            page = f"{rng.choice(PATHS)}p{i}.html" + ("?q=1" if rng.random() < 0.1 else "")
            f.write(rng.choice(sites) + page + "\n")


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS KiB of the largest process, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    _, status, usage = os.wait4(process.pid, 0) if process.returncode is None else (0, 0, None)
    if process.returncode not in (0, 3):
        print(f"failed ({process.returncode}): {' '.join(command)}\n{err[-2000:]}", file=sys.stderr)
        sys.exit(1)
    rss = _peak_rss()
    return elapsed, rss, out


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def measured(command: list[str], runs: int) -> tuple[float, int]:
    """Best time of `runs`, and the peak RSS of one run in a fresh wrapper process (the
    children's maximum is per process that waits, so each measure gets its own)."""
    best = min(run(command)[0] for _ in range(runs))
    probe = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
        *command,
    ]
    out = subprocess.run(probe, capture_output=True, text=True).stdout.split()
    return best, int(out[-1]) if out else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--hosts", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="100,000 URLs over 2,000 hosts")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the local engine")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ccsig", default=shutil.which("ccsig") or "ccsig")
    args = parser.parse_args()
    if args.quick:
        args.urls, args.hosts = 100_000, 2_000
    folder = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    try:
        robots = folder / "robots.warc.gz"
        sites = generate_robots(robots, args.hosts, args.seed)
        small, large = folder / "small.txt", folder / "large.txt"
        generate_urls(small, sites, args.urls // 10, args.seed + 1)
        generate_urls(large, sites, args.urls, args.seed + 2)
        floor_s, _ = measured([sys.executable, "-c", FLOOR, str(large)], args.runs)

        def audit(urls: Path, *extra: str) -> tuple[float, int]:
            out = folder / "out.jsonl"
            command = [args.ccsig, "audit", str(urls), "--preferences", str(robots)]
            command += ["--for", "train-genai", "-o", str(out), "-q", *extra]
            result = measured(command, args.runs)
            lines = sum(1 for _ in out.open("rb"))
            expected = sum(1 for _ in urls.open("rb")) + 1  # + the summary
            if lines != expected:
                print(f"{lines} records, expected {expected}", file=sys.stderr)
                sys.exit(1)
            return result

        jobs = ["--jobs", str(args.jobs)]
        small_s, small_rss = audit(small, *jobs)
        large_s, large_rss = audit(large, *jobs)
        one_s, _ = audit(large, "--jobs", "1")
        slope = math.log(large_s / small_s) / math.log(10)
        report: dict[str, object] = {
            "urls": args.urls,
            "hosts": args.hosts,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
            "floor_s": round(floor_s, 3),
            "local_s": round(large_s, 3),
            "local_urls_per_s": round(args.urls / large_s),
            "local_jobs1_urls_per_s": round(args.urls / one_s),
            "local_ratio_to_floor": round(large_s / floor_s, 2),
            "peak_rss_kib_small": small_rss,
            "peak_rss_kib_large": large_rss,
            "loglog_slope": round(slope, 3),
        }
        if not args.no_spark:
            spark_s, _ = audit(large, "--engine", "spark", "--master", "local[2]")
            report["spark_s"] = round(spark_s, 3)
            report["spark_ratio_to_local"] = round(spark_s / large_s, 2)
        if args.json:
            print(json.dumps(report))
        else:
            for name, value in report.items():
                print(f"{name:<24} {value}")
            rate = report["local_urls_per_s"]
            print(f"target >= 200,000 URLs/s: {'PASS' if rate >= 200_000 else 'FAIL'}")  # type: ignore[operator]
        return 0
    finally:
        if args.keep:
            print(f"inputs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
