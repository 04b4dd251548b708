#!/usr/bin/env python3
"""Benchmark `ccsig scan`'s memory on crawls whose hosts each have a large robots.txt.

Each host has a 500 KiB robots.txt of short rules (parsed, some 25 times its size) and
one page; the pages come after all the robots.txt (Common Crawl's layout). The script
runs `ccsig scan -j 1` on 8, 16, 32, ... hosts, each in a fresh process, and reports
its peak RSS (wait4) beside the floor: the peak RSS of iterating the same records with
FastWARC alone. The figure that matters is the log-log slope of (scan RSS - floor)
over the number of hosts: ~1 when every host's parsed robots.txt is kept (it grew
~16 MB per host), ~0 once the parsed forms are bounded (ccsig.scan.records.Policies);
the bytes kept (500 KiB per host) still grow with the input, as they should.

Usage:
    python benchmarks/bench_scan_robots.py              # 8, 16, 32 hosts
    python benchmarks/bench_scan_robots.py --quick      # 4, 8, 16 hosts
    python benchmarks/bench_scan_robots.py --json       # machine-readable summary on stdout
    python benchmarks/bench_scan_robots.py --hosts 8 16 32 64

Exit status: 0 a report was made; 1 a command failed; 2 the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

ITERATE = (
    "import sys\n"
    "from fastwarc.warc import ArchiveIterator\n"
    "for record in ArchiveIterator(open(sys.argv[1], 'rb'), parse_http=False):\n"
    "    record.reader.read()\n"
)
LIMIT = 500 * 1024


def _robots() -> bytes:
    rules = b"".join(
        b"Disallow: /p%d/*x\nContent-Usage: /q%d/ train-ai=n\n" % (i, i) for i in range(12000)
    )
    return (b"User-agent: *\n" + rules)[:LIMIT]


def _record(url: str, body: bytes) -> bytes:
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body)
    buffer = io.BytesIO()
    writer = GzipWriter(buffer)
    record.write(writer)
    writer.close()
    return buffer.getvalue()


def generate(path: Path, hosts: int) -> None:
    robots = _robots()
    with path.open("wb") as f:
        for i in range(hosts):
            f.write(_record(f"https://h{i}.example/robots.txt", robots))
        for i in range(hosts):
            f.write(_record(f"https://h{i}.example/q7/page", b"hello"))


def peak(command: list[str]) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of a command run in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed ({status}): {' '.join(command)}\n{error}")
    return seconds, usage.ru_maxrss // 1024


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1.0)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum(
        (a - mx) ** 2 for a in lx
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, nargs="+", default=None)
    parser.add_argument("--quick", action="store_true", help="4, 8 and 16 hosts")
    parser.add_argument("--json", action="store_true", help="a JSON summary on stdout")
    parser.add_argument("--ccsig", default=shutil.which("ccsig"), help="the ccsig command")
    args = parser.parse_args()
    if args.ccsig is None:
        print("ccsig is not on PATH; give --ccsig", file=sys.stderr)
        return 2
    args.hosts = args.hosts or ([4, 8, 16] if args.quick else [8, 16, 32])
    over: list[float] = []
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-scan-robots-") as folder:
        for hosts in args.hosts:
            warc = Path(folder) / f"{hosts}.warc.gz"
            generate(warc, hosts)
            _, floor = peak([sys.executable, "-c", ITERATE, str(warc)])
            seconds, rss = peak([args.ccsig, "scan", str(warc), "-j", "1"])
            over.append(rss - floor)
            rows.append({"hosts": hosts, "scan_mib": rss, "iterate_mib": floor, "s": seconds})
            print(
                f"{hosts:4d} hosts ({warc.stat().st_size / 1e6:.1f} MB gzip): scan {rss} MiB "
                f"peak RSS in {seconds:.1f} s; iterate {floor} MiB; ratio {rss / floor:.2f}",
                file=sys.stderr if args.json else sys.stdout,
            )
    s = slope([float(h) for h in args.hosts], over) if len(args.hosts) > 1 else None
    if args.json:
        print(json.dumps({"runs": rows, "slope": s}))
    elif s is not None:
        print(f"log-log slope of (scan - iterate) RSS over hosts: {s:.2f} (bounded: ~0, was ~1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
