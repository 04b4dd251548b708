#!/usr/bin/env python3
"""Benchmark reading HTML landing pages as RDF against merely parsing their JSON-LD.

What it measures (reported, not gated): `ccsig.ingest.readers.read_quads(page.html)` —
lxml over the page, the JSON-LD script block found and located, its schema.org context
resolved from the package, pyoxigraph parsing it, the quads re-serialised and read back —
against the floor, pyoxigraph alone on the block's JSON-LD saved as a file with the
context inlined (`sum(1 for _ in pyoxigraph.parse(path=F, format=RdfFormat.JSON_LD))`),
and, to tell what the page adds, `read_quads` of the block saved as a .jsonld file.

Pages are generated (seeded): a portal's page of about 30 KB of markup (navigation,
paragraphs, scripts) around one `<script type="application/ld+json">` block whose
`@graph` holds N schema:Dataset nodes with `"@context": "https://schema.org/"`. Floor and
reader take turns, best of --runs each, in this process. The log-log slope of time on N
says how each grows (1 = linear).

Usage:
    python benchmarks/bench_html.py              # N = 100, 1,000, 10,000
    python benchmarks/bench_html.py --quick      # N = 100, 1,000
    python benchmarks/bench_html.py --json

Exit status: 0 a report was made; 1 the reader gave a different number of quads than
the floor; 2 the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph

from ccsig.ingest.readers import read_quads
from ccsig.resources import read_text

SIZES = (100, 1_000, 10_000)
QUICK = (100, 1_000)


def dataset(i: int, rng: random.Random) -> dict[str, object]:
    return {
        "@type": "Dataset",
        "@id": f"https://portal.example.org/dataset/{i}",
        "name": f"Dataset {i}",
        "description": " ".join(rng.choice(["river", "gauge", "daily", "city"]) for _ in range(12)),
        "url": f"https://portal.example.org/dataset/{i}",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "keywords": ["open data", f"topic {i % 17}"],
        "distribution": {
            "@type": "DataDownload",
            "encodingFormat": "text/csv",
            "contentUrl": f"https://portal.example.org/files/{i}.csv",
        },
    }


def make(folder: Path, n: int, seed: int) -> tuple[Path, Path, Path]:
    """(page.html, floor.jsonld, block.jsonld): the same JSON-LD, in a page, alone with
    the context inlined, and alone as written."""
    rng = random.Random(seed)
    graph = [dataset(i, rng) for i in range(n)]
    block = json.dumps({"@context": "https://schema.org/", "@graph": graph}, indent=1)
    words = ["lorem", "ipsum", "data", "portal"]
    markup = "".join(
        f"<p class='lead'>{' '.join(rng.choice(words) for _ in range(60))}</p>\n" for _ in range(60)
    )
    page = folder / f"page-{n}.html"
    page.write_text(
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Portal</title>\n"
        "<script>window.config = {'a': 1};</script>\n"
        f'<script type="application/ld+json">\n{block}\n</script>\n</head>\n'
        f"<body><nav><a href='/'>Home</a></nav><main>{markup}</main></body></html>\n",
        encoding="utf-8",
    )
    context = json.loads(read_text("vocab", "contexts/schemaorg.jsonld"))["@context"]
    floor = folder / f"floor-{n}.jsonld"
    floor.write_text(json.dumps({"@context": context, "@graph": graph}), encoding="utf-8")
    alone = folder / f"block-{n}.jsonld"
    alone.write_text(block, encoding="utf-8")
    return page, floor, alone


def best(runs: int, page: Path, floor: Path, alone: Path) -> tuple[float, float, float, int, int]:
    floor_times, read_times, alone_times = [], [], []
    floor_count = read_count = 0
    for _ in range(runs):
        started = time.perf_counter()
        floor_count = sum(
            1 for _ in pyoxigraph.parse(path=str(floor), format=pyoxigraph.RdfFormat.JSON_LD)
        )
        floor_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        read_count = len(read_quads(str(page)))
        read_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        read_quads(str(alone))
        alone_times.append(time.perf_counter() - started)
    return min(floor_times), min(read_times), min(alone_times), floor_count, read_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ccsig-bench-html-") as tmp:
        for n in QUICK if args.quick else SIZES:
            page, floor, alone = make(Path(tmp), n, args.seed)
            floor_s, read_s, alone_s, floor_count, read_count = best(args.runs, page, floor, alone)
            if floor_count != read_count:
                print(f"N={n}: the reader gave {read_count} quads, the floor {floor_count}")
                return 1
            rows.append(
                {
                    "datasets": n,
                    "quads": read_count,
                    "page_kb": round(page.stat().st_size / 1024),
                    "floor_s": round(floor_s, 4),
                    "read_s": round(read_s, 4),
                    "ratio": round(read_s / floor_s, 2),
                    "jsonld_s": round(alone_s, 4),
                    "jsonld_ratio": round(alone_s / floor_s, 2),
                }
            )
    for a, b in zip(rows, rows[1:], strict=False):
        step = math.log(b["datasets"] / a["datasets"])
        b["slope_read"] = round(math.log(b["read_s"] / a["read_s"]) / step, 2)
        b["slope_floor"] = round(math.log(b["floor_s"] / a["floor_s"]) / step, 2)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(
        "datasets   quads   page KB   floor s   read s   ratio   "
        "as .jsonld s (ratio)   slope read/floor"
    )
    for r in rows:
        slopes = f"{r['slope_read']:.2f} / {r['slope_floor']:.2f}" if "slope_read" in r else "-"
        print(
            f"{r['datasets']:>8,} {r['quads']:>7,} {r['page_kb']:>9,} {r['floor_s']:>9.4f}"
            f" {r['read_s']:>8.4f} {r['ratio']:>7.2f}   {r['jsonld_s']:>10.4f} "
            f"({r['jsonld_ratio']:.2f})   {slopes}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
