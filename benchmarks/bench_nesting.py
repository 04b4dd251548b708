#!/usr/bin/env python3
"""Benchmark the guards against super-linear inputs (issue 12) against their floors.

What it measures, each at several sizes, best of --repeats runs, in this process:
- RDF/XML: `ccsig.ingest.readers.read_quads` (the entity and depth checks, then
  pyoxigraph) over a file of flat descriptions, against the floor
  ``sum(1 for _ in pyoxigraph.parse(path=F, format=RdfFormat.RDF_XML))``; and over chains
  nested just under the depth bound (126 pairs, 255 elements deep), where the parser's
  per-element cost in the depth is greatest.
- Folded header lines: `ccsig.ingest.headers.parse_header_lines` over one field folded
  over n lines, against the floor ``text.split("\\n")``.
- SPARQL nesting: `ccsig.ingest.sparql_text.query_depth` over a query of many groups,
  against the floor ``text.split()`` (pyoxigraph cannot parse without planning, and
  planning a join of thousands of groups is itself super-linear).

For each it prints the ratio to the floor at every size and the log-log slope of the
measured time against the input size (1 is linear, 2 quadratic).

Usage:
    python benchmarks/bench_nesting.py            # the default sizes
    python benchmarks/bench_nesting.py --quick    # smaller sizes
    python benchmarks/bench_nesting.py --json     # machine-readable summary on stdout

Exit status: 0 (it reports; it does not gate).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ccsig.ingest.headers import parse_header_lines
from ccsig.ingest.readers import read_quads
from ccsig.ingest.sparql_text import query_depth

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://e.org/"'


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def slope(sizes: list[int], times: list[float]) -> float:
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-9)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def flat_rdf_xml(n: int) -> bytes:
    one = (
        '<rdf:Description rdf:about="https://e.org/d{i}"><e:p rdf:resource="https://e.org/x"/>'
        "<e:q>text</e:q><e:r><rdf:Description><e:p>1</e:p></rdf:Description></e:r>"
        "</rdf:Description>\n"
    )
    body = "".join(one.format(i=i) for i in range(n))
    return f'<?xml version="1.0"?>\n<rdf:RDF {RDF}>\n{body}</rdf:RDF>\n'.encode()


def nested_rdf_xml(chains: int, pairs: int = 126) -> bytes:
    chain = (
        '<rdf:Description rdf:about="https://e.org/d"><e:p>'
        + "<rdf:Description><e:p>" * pairs
        + "x"
        + "</e:p></rdf:Description>" * pairs
        + "</e:p></rdf:Description>\n"
    )
    return f'<?xml version="1.0"?>\n<rdf:RDF {RDF}>\n{chain * chains}</rdf:RDF>\n'.encode()


def case_rdf_xml(make: Callable[[int], bytes], sizes: list[int], repeats: int) -> dict:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            f = Path(tmp) / f"doc{n}.rdf"
            f.write_bytes(make(n))
            floor = best(
                lambda f=f: sum(1 for _ in ox.parse(path=str(f), format=ox.RdfFormat.RDF_XML)),
                repeats,
            )
            measured = best(lambda f=f: read_quads(str(f)), repeats)
            rows.append({"size": n, "bytes": f.stat().st_size, "floor": floor, "time": measured})
    return rows_summary(rows)


def case_headers(sizes: list[int], repeats: int) -> dict:
    rows = []
    for n in sizes:
        text = "Content-Usage: train-ai=n\r\n" + "".join(f" , x{i}=y\r\n" for i in range(n))
        floor = best(lambda text=text: text.split("\n"), repeats)
        measured = best(lambda text=text: parse_header_lines(text), repeats)
        rows.append({"size": n, "bytes": len(text), "floor": floor, "time": measured})
    return rows_summary(rows)


def case_sparql(sizes: list[int], repeats: int) -> dict:
    rows = []
    for n in sizes:
        text = "SELECT * WHERE { " + "{ ?s ?p ?o FILTER((?o > 1) && !(?o < 0)) } " * n + "}"
        floor = best(lambda text=text: text.split(), repeats)
        measured = best(lambda text=text: query_depth(text), repeats)
        rows.append({"size": n, "bytes": len(text), "floor": floor, "time": measured})
    return rows_summary(rows)


def rows_summary(rows: list[dict]) -> dict:
    for r in rows:
        r["ratio"] = r["time"] / max(r["floor"], 1e-9)
    return {
        "rows": rows,
        "slope": slope([r["bytes"] for r in rows], [r["time"] for r in rows]),
        "floor_slope": slope([r["bytes"] for r in rows], [r["floor"] for r in rows]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    k = 1 if args.quick else 4
    cases = {
        "rdf/xml flat (descriptions)": lambda: case_rdf_xml(
            flat_rdf_xml, [2_500 * k, 10_000 * k, 40_000 * k], args.repeats
        ),
        "rdf/xml nested 255 deep (chains)": lambda: case_rdf_xml(
            nested_rdf_xml, [25 * k, 100 * k, 400 * k], args.repeats
        ),
        "folded header (continuation lines)": lambda: case_headers(
            [10_000 * k, 40_000 * k, 160_000 * k], args.repeats
        ),
        "sparql nesting measure (groups)": lambda: case_sparql(
            [500 * k, 2_000 * k, 8_000 * k], args.repeats
        ),
    }
    summary = {}
    for name, run in cases.items():
        result = summary[name] = run()
        if not args.json:
            print(
                f"{name}: log-log slope {result['slope']:.2f} (floor {result['floor_slope']:.2f})"
            )
            for r in result["rows"]:
                print(
                    f"  size {r['size']:>8}  {r['bytes']:>10} B  floor {r['floor']:.4f} s  "
                    f"measured {r['time']:.4f} s  ratio {r['ratio']:.2f}"
                )
    if args.json:
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
