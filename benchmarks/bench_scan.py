#!/usr/bin/env python3
"""Benchmark `ccsig scan`: throughput against merely iterating the records, and memory.

Target (from the issue; reported, not gated): `ccsig scan` reaches >= 80% of the
throughput of iterating the same records with FastWARC alone, on a generated WARC.gz of
at least 200 MB, and its peak memory stays flat as the input grows.

The script generates, in a temporary folder (seeded): a pages file of HTTP responses
with HTML bodies of varied size (log-normal, median about 16 KB, random words, so
they compress about as real pages do), a quarter of them with Content-Usage,
X-Robots-Tag or tdm-reservation header fields, spread over 2,000 http and https hosts;
and a separate robots file with a robots.txt for most hosts (Common Crawl's layout).
It then times, each in a fresh process, best of --runs:
  (a) iterate: `for record in ArchiveIterator(path, parse_http=False): pass` over both
      files, the floor (FastWARC still decompresses every byte);
  (b) scan: `ccsig scan pages robots` with standard output to /dev/null (by default
      with one worker process per CPU: the local engine reads byte ranges of the
      files in parallel, see ccsig.scan.local.Scan);
and the peak memory of (b) on the full input and on its first half: the RSS of the
largest single process (wait4), and the proportional set size of the whole process
tree, workers included, sampled every 20 ms from /proc.

Usage:
    python benchmarks/bench_scan.py            # 220 MB input
    python benchmarks/bench_scan.py --quick    # 30 MB input
    python benchmarks/bench_scan.py --json     # machine-readable summary on stdout
    python benchmarks/bench_scan.py --scan-args '--jobs 1'   # one process

Exit status: 0 a report was made (target met or not); 1 a command failed or gave the
wrong number of records; 2 the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITERATE = """
import sys
from fastwarc.warc import ArchiveIterator
n = 0
for path in sys.argv[1:]:
    for record in ArchiveIterator(path, parse_http=False):
        n += 1
print(n)
"""

PREFERENCE_FIELDS = [
    "Content-Usage: train-ai=n",
    "Content-Usage: train-genai=n;exceptions=cc-cr-ec, search=y",
    "Content-Usage: all=n;exceptions=cc-cr",
    "X-Robots-Tag: noai, noimageai",
    "tdm-reservation: 1",
    "tdm-reservation: 1\r\ntdm-policy: https://example.org/policy.json",
]
ROBOTS = [
    b"User-agent: *\nDisallow: /private/\nContent-Usage: train-ai=n\n",
    b"User-agent: *\nAllow: /\nContent-Usage: /blog/ train-genai=n;exceptions=cc-cr\n",
    b"User-agent: ExampleBot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n",
    b"User-agent: *\nContent-Signal: search=yes, ai-train=no\nDisallow: /cgi-bin/\n",
]


def _words(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(20000)]


def generate(folder: Path, target_mb: float, seed: int) -> tuple[Path, Path, int]:
    from fastwarc.stream_io import GzipWriter
    from fastwarc.warc import WarcRecord, WarcRecordType

    rng = random.Random(seed)
    words = _words(rng)
    paragraphs = [
        "<p>" + " ".join(rng.choices(words, k=rng.randint(40, 160))) + "</p>\n" for _ in range(4000)
    ]
    hosts = [f"{rng.choice(['http', 'https'])}://host{i}.example" for i in range(2000)]

    def write(stream: object, url: str, payload: bytes) -> None:
        record = WarcRecord()
        record.init_headers(WarcRecordType.response)
        record.headers["WARC-Target-URI"] = url
        record.headers["Content-Type"] = "application/http; msgtype=response"
        record.set_bytes_content(payload)
        writer = GzipWriter(stream, compression_level=6)
        record.write(writer)
        writer.close()

    robots = folder / "robots.warc.gz"
    with robots.open("wb") as f:
        for host in hosts:
            if rng.random() < 0.8:
                body = rng.choice(ROBOTS)
                write(f, host + "/robots.txt", b"HTTP/1.1 200 OK\r\n\r\n" + body)
    pages = folder / "pages.warc.gz"
    count = 0
    with pages.open("wb") as f:
        while f.tell() < target_mb * 1e6:
            size = min(int(rng.lognormvariate(9.7, 0.9)), 400_000)
            body = ["<html><head><title>page</title></head><body>\n"]
            length = 0
            while length < size:
                paragraph = rng.choice(paragraphs)
                body.append(paragraph)
                length += len(paragraph)
            body.append("</body></html>\n")
            fields = [
                "Content-Type: text/html; charset=utf-8",
                "Server: bench",
                "Cache-Control: max-age=60",
            ]
            if rng.random() < 0.25:
                fields.append(rng.choice(PREFERENCE_FIELDS))
            head = "HTTP/1.1 200 OK\r\n" + "\r\n".join(fields) + "\r\n\r\n"
            path = rng.choice(["/", "/blog/", "/private/", "/news/", "/tmp/"]) + f"p{count}.html"
            write(f, rng.choice(hosts) + path, head.encode() + "".join(body).encode())
            count += 1
    return pages, robots, count


def first_half(pages: Path, folder: Path) -> Path:
    """The records of the first half of the pages file (cut at a record boundary)."""
    from fastwarc.warc import ArchiveIterator

    half = pages.stat().st_size // 2
    cut = 0
    for record in ArchiveIterator(str(pages), parse_http=False):
        if record.stream_pos >= half:
            cut = record.stream_pos
            break
    target = folder / "half.warc.gz"
    with pages.open("rb") as src, target.open("wb") as out:
        out.write(src.read(cut))
    return target


def _tree_pss_kib(root: int) -> int:
    """The proportional set size (KiB) of `root` and its descendants, from /proc (Linux):
    pages shared after a fork are counted once, split among the processes sharing them."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


class _TreeMemory:
    """Samples the PSS of a process tree every 20 ms on a thread; `peak` in MiB."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak_kib = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.02):
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(self.pid))

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak_kib // 1024


TREE_PEAKS: list[int] = []  # the sampled peak of each `timed` run, MiB


def timed(command: list[str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, stdout's first line) of one run in a fresh process.
    The RSS is the largest of any one process (wait4); the sampled peak PSS of the
    whole process tree (worker processes included) goes to TREE_PEAKS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        memory = _TreeMemory(process.pid) if os.path.isdir("/proc") else None
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        TREE_PEAKS.append(memory.stop() if memory is not None else 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{error}")
        out.seek(0)
        lines = sum(1 for _ in out)
        out.seek(0)
        first = out.readline().decode().strip()
    return seconds, usage.ru_maxrss // 1024, first if command[1] == "-c" else str(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 MB instead of 220 MB")
    parser.add_argument("--size-mb", type=float, help="compressed size of the pages file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9309)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs")
    parser.add_argument("--ccsig", default=shutil.which("ccsig"), help="the ccsig command")
    parser.add_argument(
        "--scan-args", default="", help="more arguments for ccsig scan, e.g. '--jobs 1'"
    )
    args = parser.parse_args()
    if not args.ccsig:
        print("bench_scan: no `ccsig` command found", file=sys.stderr)
        return 2
    size = args.size_mb or (30 if args.quick else 220)
    folder = Path(tempfile.mkdtemp(prefix="ccsig-bench-scan-"))
    try:
        started = time.perf_counter()
        pages, robots, count = generate(folder, size, args.seed)
        half = first_half(pages, folder)
        generated = time.perf_counter() - started
        total = pages.stat().st_size + robots.stat().st_size
        iterate = [sys.executable, "-c", ITERATE, str(pages), str(robots)]
        extra = shlex.split(args.scan_args)
        scan = [args.ccsig, "scan", *extra, str(pages), str(robots)]
        floor = min(timed(iterate)[0] for _ in range(args.runs))
        runs = [timed(scan) for _ in range(args.runs)]
        best = min(seconds for seconds, _, _ in runs)
        if any(int(lines) != count for _, _, lines in runs):
            print(f"bench_scan: expected {count} records, got {runs[0][2]}", file=sys.stderr)
            return 1
        rss_full = max(rss for _, rss, _ in runs)
        tree_full = max(TREE_PEAKS[-args.runs :])
        rss_half = timed([args.ccsig, "scan", *extra, str(half), str(robots)])[1]
        tree_half = TREE_PEAKS[-1]
        rss_floor = timed(iterate)[1]
        summary = {
            "input_mb": round(total / 1e6, 1),
            "records": count,
            "generate_s": round(generated, 1),
            "iterate_s": round(floor, 2),
            "iterate_mb_s": round(total / 1e6 / floor, 1),
            "scan_s": round(best, 2),
            "scan_mb_s": round(total / 1e6 / best, 1),
            "scan_records_s": round(count / best),
            "ratio": round(floor / best, 3),
            "target_met": floor / best >= 0.8,
            "rss_mib_full": rss_full,
            "rss_mib_half": rss_half,
            "rss_mib_iterate": rss_floor,
            "tree_pss_mib_full": tree_full,
            "tree_pss_mib_half": tree_half,
            "cpus": os.cpu_count(),
        }
    finally:
        if args.keep:
            print(f"inputs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"input: {summary['input_mb']} MB gzip, {count} responses "
              f"(generated in {summary['generate_s']} s)")  # fmt: skip
        print(f"(a) iterate with FastWARC: {floor:.2f} s, {summary['iterate_mb_s']} MB/s")
        print(f"(b) ccsig scan:            {best:.2f} s, {summary['scan_mb_s']} MB/s, "
              f"{summary['scan_records_s']} records/s")  # fmt: skip
        verdict = "PASS" if summary["target_met"] else "FAIL"
        print(f"ratio (b)/(a) throughput: {summary['ratio']:.3f} (target >= 0.8): {verdict}")
        print(f"peak RSS: scan {rss_half} MiB on half the input, {rss_full} MiB on all of it; "
              f"iterate {rss_floor} MiB")  # fmt: skip
        print(f"peak PSS of scan with its workers ({os.cpu_count()} CPUs): {tree_half} MiB on "
              f"half the input, {tree_full} MiB on all of it")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
