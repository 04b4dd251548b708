#!/usr/bin/env python3
"""What reading a SPARQL endpoint costs, against reading the same catalog from a file.

For each size, a generated DCAT catalog (gen_catalog.py) is loaded into an in-memory
`oxigraph serve` on a free local port, then timed, each in a fresh process:

- `ccsig check FILE --for train-genai --format json` (the in-process answer);
- `ccsig check --endpoint URL ...` (the same, with the triples copied in over HTTP);
- `ccsig infer --endpoint URL --new-only --update-endpoint URL --update-graph G` (read,
  reason, and write the closure back with INSERT DATA).

The two check reports must agree but for their statements' sources (exit 1 otherwise).
The issue names no target for endpoints; the ratios say what the HTTP round trip adds.

Usage: python benchmarks/bench_endpoint.py [--quick] [--datasets N ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog  # noqa: E402  (the generator beside this script)

GRAPH = "urn:ccsig:bench:closure"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(oxigraph: str) -> tuple[subprocess.Popen, str]:
    base = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [oxigraph, "serve", "--bind", base.removeprefix("http://")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            post(base + "/query", b"ASK {}", "application/sparql-query")
            return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("bench_endpoint: oxigraph serve did not start")


def post(url: str, body: bytes, kind: str, method: str = "POST") -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": kind})
    with urllib.request.urlopen(request, timeout=3600) as response:
        return response.read()


def timed(cmd: list[str], out: Path | None = None) -> float:
    start = time.perf_counter()
    with open(out or "/dev/null", "wb") as f:
        done = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"bench_endpoint: `{' '.join(cmd)}` exited {done.returncode}: "
            f"{done.stderr.decode(errors='replace').strip()[-300:]}"
        )
    return wall


def without_sources(path: Path) -> dict:
    data = json.loads(path.read_text())
    for result in data["results"]:
        for statement in result["statements"]:
            statement.pop("source")
    return data


def measure(ccsig: str, oxigraph: str, datasets: int, work: Path) -> dict:
    catalog = work / f"catalog-{datasets}.nt"
    stats = gen_catalog.generate(catalog, datasets, fmt="nt")
    proc, base = start_server(oxigraph)
    try:
        start = time.perf_counter()
        post(base + "/store?default", catalog.read_bytes(), "application/n-triples", "PUT")
        upload = time.perf_counter() - start
        flags = ["--for", "train-genai", "--commit", "credit", "--format", "json"]
        local_out, remote_out = work / "local.json", work / "remote.json"
        local = timed([ccsig, "check", str(catalog), *flags], local_out)
        remote = timed([ccsig, "check", "--endpoint", base + "/query", *flags], remote_out)
        if without_sources(local_out) != without_sources(remote_out):
            raise SystemExit(f"bench_endpoint: answers differ at {datasets} datasets")
        push = timed(
            [
                ccsig,
                "infer",
                "--endpoint",
                base + "/query",
                "--new-only",
                "--update-endpoint",
                base + "/update",
                "--update-graph",
                GRAPH,
            ]
        )
    finally:
        proc.terminate()
        proc.wait(30)
    return {
        "datasets": datasets,
        "triples": stats["triples"],
        "upload_s": round(upload, 2),
        "check_file_s": round(local, 2),
        "check_endpoint_s": round(remote, 2),
        "ratio": round(remote / local, 2),
        "infer_push_s": round(push, 2),
        "push_ratio": round(push / local, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="10,000 datasets only")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")
    parser.add_argument("--ccsig", default=shutil.which("ccsig") or "ccsig")
    parser.add_argument(
        "--oxigraph",
        default=str(Path(sys.executable).with_name("oxigraph"))
        if Path(sys.executable).with_name("oxigraph").exists()
        else shutil.which("oxigraph"),
    )
    args = parser.parse_args(argv)
    if not args.oxigraph:
        print("bench_endpoint: the oxigraph server is not installed", file=sys.stderr)
        return 2
    sizes = [10_000] if args.quick else args.datasets
    with tempfile.TemporaryDirectory(prefix="ccsig-bench-endpoint-") as tmp:
        rows = [measure(args.ccsig, args.oxigraph, n, Path(tmp)) for n in sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        f"{'datasets':>9} {'triples':>10} {'check FILE':>11} {'--endpoint':>11} {'ratio':>6}"
        f" {'infer+push':>11} {'ratio':>6}"
    )
    for r in rows:
        print(
            f"{r['datasets']:>9,} {r['triples']:>10,} {r['check_file_s']:>10.2f}s"
            f" {r['check_endpoint_s']:>10.2f}s {r['ratio']:>5.2f}x"
            f" {r['infer_push_s']:>10.2f}s {r['push_ratio']:>5.2f}x"
        )
    print(
        "ratios: against `ccsig check FILE` on the same catalog, measured in this run; "
        "the answers agree but for their sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
