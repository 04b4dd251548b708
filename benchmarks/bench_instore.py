#!/usr/bin/env python3
"""Copy mode against in-store mode: time and bytes on the wire for `ccsig check` and
`ccsig validate`.

A generated DCAT catalog (gen_catalog.py, seeded) is loaded into an in-memory
`oxigraph serve` on a free local port. ccsig talks to it through a counting TCP proxy
(also on 127.0.0.1), so the bytes are what crossed the network, both ways, headers
included. Each command runs in a fresh process, interleaved:

- copy mode: `ccsig check --endpoint URL --for train-genai --commit credit --format json`
  (the store's triples are copied into the process, then decided there);
- in-store mode: the same with `--update-endpoint URL --in-store` (lifting, reasoning and
  the decisions run inside the store, in a work graph; only answers come back).

With `--command validate`, the same for `ccsig validate --endpoint URL --format json`
against `... --update-endpoint URL --in-store` (the shapes run as SPARQL inside the
store; only the results come back); `--command both` runs the two.

The two JSON reports must be byte-identical (exit 1 otherwise). Ratios are in-store
over copy, measured in the same run.

Usage: python benchmarks/bench_instore.py [--datasets N] [--repeats R] [--quick] [--json]
       [--command check|validate|both]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_catalog  # noqa: E402
from bench_endpoint import post, start_server  # noqa: E402


class CountingProxy:
    """Forwards 127.0.0.1:port to the store, counting the bytes each way."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.up = self.down = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.up = self.down = 0

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, "down"), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, way: str) -> None:
        try:
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def run(cmd: list[str], out: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=3600)
    took = time.perf_counter() - started
    # validate exits 1 when it found a violation (the generated catalog holds some)
    if proc.returncode not in ((0, 1) if "validate" in cmd else (0,)):
        raise SystemExit(f"bench_instore: `{' '.join(cmd)}` failed: {proc.stderr.decode()[-300:]}")
    out.write_bytes(proc.stdout)
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="10,000 datasets, one run")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ccsig", default=shutil.which("ccsig") or "ccsig")
    parser.add_argument("--command", choices=["check", "validate", "both"], default="check")
    args = parser.parse_args()
    if args.quick:
        args.datasets, args.repeats = 10_000, 1
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    proc, base = start_server(oxigraph)
    try:
        with tempfile.TemporaryDirectory(prefix="ccsig-bench-instore-") as tmp:
            work = Path(tmp)
            path = work / "catalog.nt"
            gen = gen_catalog.generate(path, args.datasets, gen_catalog.DEFAULT_SEED, "nt")
            post(f"{base}/store?default", path.read_bytes(), "application/n-triples", "PUT")
            proxy = CountingProxy(int(base.rsplit(":", 1)[1]))
            url = f"http://127.0.0.1:{proxy.port}"
            wait = ["--timeout", "3600"]  # a busy machine: the figures, not a deadline
            flags = {
                "check": ["--for", "train-genai", "--commit", "credit", "--format", "json"],
                "validate": ["--format", "json"],
            }
            chosen = ["check", "validate"] if args.command == "both" else [args.command]
            commands: dict[str, list[str]] = {}
            for command in chosen:
                label = "" if command == "check" else "validate "
                commands[f"{label}copy"] = [
                    args.ccsig,
                    command,
                    "--endpoint",
                    f"{url}/query",
                    *flags[command],
                    *wait,
                ]
                commands[f"{label}in-store"] = [
                    args.ccsig, command, "--endpoint", f"{url}/query",
                    "--update-endpoint", f"{url}/update", "--in-store", *flags[command], *wait,
                ]  # fmt: skip
            figures: dict[str, dict[str, list[float]]] = {
                k: {"s": [], "up": [], "down": []} for k in commands
            }
            answers: dict[str, bytes] = {}
            for _ in range(args.repeats):
                for name, cmd in commands.items():
                    proxy.reset()
                    out = work / f"{name}.json"
                    figures[name]["s"].append(run(cmd, out))
                    time.sleep(0.2)  # the proxy's last bytes
                    figures[name]["up"].append(proxy.up)
                    figures[name]["down"].append(proxy.down)
                    answers[name] = out.read_bytes()
                    print(
                        f"  {name}: {figures[name]['s'][-1]:.2f} s, sent {proxy.up:,} B, "
                        f"received {proxy.down:,} B",
                        file=sys.stderr,
                    )
            graphs = post(
                f"{base}/query",
                b"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                "application/sparql-query",
            )
    finally:
        proc.terminate()
        proc.wait(10)
    pairs = [("", "check")] * ("copy" in answers) + [("validate ", "validate")] * (
        "validate copy" in answers
    )
    summary: dict[str, Any] = {
        "datasets": args.datasets,
        "triples": gen["triples"],
        "identical": all(answers[f"{p}copy"] == answers[f"{p}in-store"] for p, _ in pairs),
        "graphs_left": json.loads(graphs)["results"]["bindings"][0]["n"]["value"],
    }
    for name, f in figures.items():
        summary[name] = {
            "median_s": statistics.median(f["s"]),
            "sent_bytes": int(statistics.median(f["up"])),
            "received_bytes": int(statistics.median(f["down"])),
        }
    for prefix, command in pairs:
        copy, inside = summary[f"{prefix}copy"], summary[f"{prefix}in-store"]
        key = "" if command == "check" else "validate_"
        summary[f"{key}time_ratio"] = inside["median_s"] / copy["median_s"]
        summary[f"{key}bytes_ratio"] = (inside["sent_bytes"] + inside["received_bytes"]) / (
            copy["sent_bytes"] + copy["received_bytes"]
        )
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        print(f"{args.datasets:,} datasets, {gen['triples']:,} triples in the store")
        for name in commands:
            s = summary[name]
            print(
                f"  {name:18} {s['median_s']:8.2f} s   sent {s['sent_bytes']:>13,} B   "
                f"received {s['received_bytes']:>13,} B"
            )
        for _, command in pairs:
            key = "" if command == "check" else "validate_"
            print(
                f"  {command} in-store / copy: time {summary[f'{key}time_ratio']:.2f}, bytes "
                f"{summary[f'{key}bytes_ratio']:.4f}"
            )
        print(
            "  answers "
            + ("byte-identical" if summary["identical"] else "DIFFER")
            + f"; named graphs left in the store: {summary['graphs_left']}"
        )
    return 0 if summary["identical"] and summary["graphs_left"] == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
