#!/usr/bin/env python3
"""Generate a large, realistic DCAT catalog whose datasets carry CC signals.

The catalog looks like an open-data portal's export: every dataset has ordinary
DCAT / Dublin Core metadata (title, description, publisher, dates, keywords,
licence, identifier, theme, a distribution with download URL, media type and
format), and most carry one or two `ccsig:contentUsage` literals drawn from a
small pool of aipref content-usage expressions with Zipf-like weights. About
12 triples per dataset, so 100,000 datasets give about 1.2 million triples.

The mix, per dataset (shares are targets; the exact figures go to stderr):
- `ccsig:contentUsage`: none 20%, one 65%, two (different) 15%. The pool holds
  plain opt-outs (`all=n`, `train-ai=n`), CC signals on disallows
  (`train-genai=n;exceptions=cc-cr-ec`, `all=n;exceptions=cc-cr-op`, ...),
  allows (`train-genai=y`, `search=y`), mixed hierarchies
  (`train-ai=n, train-genai=y;...`) and a few broken values (uppercase key,
  trailing comma, the unknown signal `cc-by`, unknown labels);
- type: 95% `dcat:Dataset`; 5% `schema:Dataset` described with schema.org terms,
  half in the http://schema.org/ namespace and half in https://schema.org/;
- a `dcat:Catalog` lists every dataset with `dcat:dataset`; a few dozen
  publishers are described once (foaf:Organization, name, homepage).

Output is deterministic: the same --seed, --datasets and --format give the same
bytes. Dataset IRIs are `dataset_iri(i)` for i in 0..N-1, so a benchmark can
predict them.

Usage:
    python benchmarks/gen_catalog.py --datasets 100000 -o catalog.ttl
    python benchmarks/gen_catalog.py --datasets 1000 --format nt -o catalog.nt
    python benchmarks/gen_catalog.py --datasets 1000 --verify -o c.ttl   # re-parse, count

The triple count (counted while writing; no triple is written twice) and the
mix go to stderr. Standard library only (--verify uses pyoxigraph).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

DEFAULT_SEED = 20250701
BASE = "https://data.example.org/"
DATASET_NS = BASE + "dataset/"
DIST_NS = BASE + "distribution/"
ORG_NS = BASE + "org/"
CATALOG_IRI = BASE + "catalog"

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "ccsig": "https://w3id.org/ccsig#",
    "schema": "http://schema.org/",
    "schemas": "https://schema.org/",
    "ds": DATASET_NS,
    "dist": DIST_NS,
    "org": ORG_NS,
    "theme": "http://publications.europa.eu/resource/authority/data-theme/",
    "ftype": "http://publications.europa.eu/resource/authority/file-type/",
    "iana": "https://www.iana.org/assignments/media-types/",
}

# Share of datasets with 0, 1 and 2 ccsig:contentUsage literals.
USAGE_COUNT_WEIGHTS = (20, 65, 15)
SCHEMA_SHARE = 0.05

# The pool of content-usage expressions, most common first; weight = 1 / rank**ZIPF_S.
# (expression, kind) -- kind only feeds the statistics printed to stderr.
EXPRESSION_POOL: list[tuple[str, str]] = [
    ("train-genai=n;exceptions=cc-cr-ec", "signal"),
    ("train-ai=n", "opt-out"),
    ("all=n", "opt-out"),
    ("train-genai=n;exceptions=cc-cr", "signal"),
    ("search=y", "allow"),
    ("train-genai=n", "opt-out"),
    ("ai-use=n;exceptions=cc-cr", "signal"),
    ("train-ai=n;exceptions=cc-cr-dc, search=y", "signal"),
    ("all=n;exceptions=cc-cr-op", "signal"),
    ("train-genai=y", "allow"),
    ("train-ai=n, search=y", "opt-out"),
    ("train-genai=n;exceptions=cc-cr-op", "signal"),
    ("train-genai=n;exceptions=cc-cr-dc", "signal"),
    ("ai-use=n;exceptions=cc-cr, search=y", "signal"),
    ("train-ai=n, train-genai=y;exceptions=cc-cr", "mixed"),
    ("all=n, search=y", "mixed"),
    ("train-ai=n;exceptions=cc-cr-ec, ai-use=n;exceptions=cc-cr", "signal"),
    ("all=y", "allow"),
    ("train-ai=n, train-genai=y", "mixed"),
    ("all=n;exceptions=cc-cr, search=y", "signal"),
    ("train-ai=y, train-genai=n;exceptions=cc-cr-ec", "mixed"),
    ("TRAIN-AI=n", "broken"),
    ("ai-use=n", "opt-out"),
    ("train-genai=n;exceptions=cc-by", "broken"),
    ("train-ai=n,", "broken"),
    ("all=n, train-genai=y;exceptions=cc-cr-op", "mixed"),
    ("genai=n;exceptions=cc-cr", "broken"),
    ("train-ai=y;exceptions=cc-cr", "odd"),
    ("tdm=n, search=y", "broken"),
    ("Train-GenAI=N", "broken"),
]
ZIPF_S = 1.1

PUBLISHERS = [
    "City Archive",
    "National Library",
    "Statistics Office",
    "Environment Agency",
    "Transport Authority",
    "Health Institute",
    "Meteorological Service",
    "Geological Survey",
    "Land Registry",
    "Energy Regulator",
    "University Library",
    "Natural History Museum",
    "Film Institute",
    "Broadcasting Archive",
    "Parliament Records Office",
    "Ministry of Agriculture",
    "Ministry of Education",
    "Water Board",
    "Port Authority",
    "Heritage Agency",
    "Botanic Garden",
    "Astronomical Observatory",
    "Public Works Department",
    "Census Bureau",
    "Cadastral Office",
    "Chamber of Commerce",
    "Research Council",
    "Open Science Foundation",
    "Regional Planning Office",
    "Forest Service",
    "Marine Institute",
    "Police Data Unit",
    "Courts Service",
    "Museum of Photography",
    "Music Conservatory Library",
    "Institut für Landeskunde",
    "Bibliothèque municipale",
    "Stadtarchiv Köln",
]
PLACES = [
    "Amsterdam",
    "Berlin",
    "Lyon",
    "Münster",
    "Łódź",
    "Porto",
    "Graz",
    "Turku",
    "Bologna",
    "Ghent",
    "Cork",
    "Brno",
    "Aarhus",
    "Zaragoza",
    "Tartu",
    "the region",
    "the county",
    "the coast",
]
SUBJECTS = [
    ("street trees", "urban greenery inventory"),
    ("air quality", "hourly pollutant measurements"),
    ("bus stops", "public transport stop locations"),
    ("bicycle counts", "automatic counter readings"),
    ("parish registers", "digitised baptism and burial records"),
    ("building permits", "applications and decisions"),
    ("historic maps", "scanned and georeferenced map sheets"),
    ("newspapers", "OCR text of local newspapers"),
    ("photographs", "press and street photography"),
    ("council minutes", "minutes and agendas of council meetings"),
    ("river levels", "gauge station water levels"),
    ("school results", "aggregated examination results"),
    ("energy use", "metered consumption of public buildings"),
    ("noise levels", "road and rail noise measurements"),
    ("library loans", "anonymised loan statistics"),
    ("oral histories", "recorded interviews and transcripts"),
    ("bird sightings", "citizen-science observations"),
    ("traffic accidents", "police-recorded collisions"),
    ("land use", "parcel-level land use classification"),
    ("budget", "planned and actual expenditure"),
    ("election results", "results by polling station"),
    ("herbarium specimens", "specimen images and labels"),
    ("weather", "daily station observations"),
    ("museum collection", "object records and images"),
    ("speech corpus", "transcribed radio broadcasts"),
    ("letters", "digitised correspondence"),
]
QUALIFIERS = ["", "open ", "annual ", "monthly ", "historical ", "provisional ", "archived "]
KEYWORDS = sorted(
    {
        word
        for subject, description in SUBJECTS
        for word in (subject + " " + description).replace("-", " ").split()
        if len(word) > 3
    }
    | {
        "open data",
        "statistics",
        "heritage",
        "geospatial",
        "time series",
        "machine learning",
        "OCR",
        "linked data",
        "sensors",
        "mobility",
        "climate",
        "culture",
    }
)
LICENSES = [
    ("https://creativecommons.org/licenses/by/4.0/", 40),
    ("https://creativecommons.org/publicdomain/zero/1.0/", 25),
    ("https://creativecommons.org/licenses/by-sa/4.0/", 12),
    ("https://creativecommons.org/licenses/by-nc/4.0/", 6),
    ("https://opendatacommons.org/licenses/odbl/1-0/", 6),
    ("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", 5),
    ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", 3),
    ("https://www.govdata.de/dl-de/by-2-0", 3),
]
THEMES = ["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI"]
THEMES += ["TECH", "TRAN"]
# (file extension, IANA media type, EU file-type code, weight)
FORMATS = [
    ("csv", "text/csv", "CSV", 40),
    ("json", "application/json", "JSON", 15),
    ("zip", "application/zip", "ZIP", 12),
    ("geojson", "application/geo+json", "GEOJSON", 8),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", 8),
    ("xml", "application/xml", "XML", 6),
    ("pdf", "application/pdf", "PDF", 5),
    ("jpg", "image/jpeg", "JPEG", 4),
    ("txt", "text/plain", "TXT", 2),
]
LANGS = [("en", 70), ("de", 12), ("fr", 10), (None, 8)]

# Optional fields: share of datasets that have them (tuned for ~12 triples per dataset).
P_LICENSE = 0.85
P_DESCRIPTION = 0.45
P_MODIFIED = 0.35
P_THEME = 0.35
P_DISTRIBUTION = 0.55
P_FORMAT = 0.35  # of distributions
KEYWORD_COUNT_WEIGHTS = (60, 30, 10)  # 1, 2 or 3 keywords

DATE0 = dt.date(2010, 1, 1)
DATE_SPAN = (dt.date(2025, 6, 30) - DATE0).days

# Property names per vocabulary: (DCAT/DCT term, schema.org local name).
PROPS = {
    "type": ("rdf:type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    "title": ("dct:title", "name"),
    "description": ("dct:description", "description"),
    "publisher": ("dct:publisher", "publisher"),
    "issued": ("dct:issued", "datePublished"),
    "modified": ("dct:modified", "dateModified"),
    "keyword": ("dcat:keyword", "keywords"),
    "license": ("dct:license", "license"),
    "identifier": ("dct:identifier", "identifier"),
    "theme": ("dcat:theme", "about"),
    "distribution": ("dcat:distribution", "distribution"),
    "downloadURL": ("dcat:downloadURL", "contentUrl"),
    "mediaType": ("dcat:mediaType", "encodingFormat"),
    "format": ("dct:format", "fileFormat"),
}


def dataset_iri(i: int) -> str:
    """The IRI of dataset number i (0-based) in every generated catalog."""
    return f"{DATASET_NS}d{i:07d}"


def slugify(name: str) -> str:
    """ASCII slug of a name: `Stadtarchiv Köln` -> `stadtarchiv-koln`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(folded.lower().split())


def zipf_weights(n: int, s: float = ZIPF_S) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def escape(text: str) -> str:
    """Escape a string for a Turtle / N-Triples double-quoted literal."""
    if any(c in text for c in '"\\\n\r'):
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
    return text


def expand(term: str) -> str:
    """`prefix:local` to `<full IRI>`."""
    prefix, _, local = term.partition(":")
    return f"<{PREFIXES[prefix]}{local}>"


class Serializer:
    """Writes subject blocks in Turtle or N-Triples and counts triples.

    Terms are handed over already in the right syntax for the format (see
    `iri`, `lit`), so the per-triple cost is one string join.
    """

    def __init__(self, out: Any, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.turtle = fmt == "ttl"
        self.triples = 0
        self.buf: list[str] = []
        if self.turtle:
            self.buf.extend(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
            self.buf.append("\n")

    # -- terms: prefixed names in Turtle, full IRIs in N-Triples
    def name(self, term: str) -> str:
        return term if self.turtle else expand(term)

    def iri(self, full: str) -> str:
        return f"<{full}>"

    def lit(self, text: str, lang: str | None = None, datatype: str | None = None) -> str:
        body = f'"{escape(text)}"'
        if lang:
            return f"{body}@{lang}"
        if datatype:
            return f"{body}^^{self.name(datatype)}"
        return body

    def subject(self, s: str, pairs: list[tuple[str, str]]) -> None:
        """One subject with its (predicate, object) pairs, predicates already formatted."""
        self.triples += len(pairs)
        if self.turtle:
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            self.buf.append(f"{s}\n    {body} .\n\n")
        else:
            self.buf.append("".join(f"{s} {p} {o} .\n" for p, o in pairs))
        if len(self.buf) >= 4096:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.buf))
        self.buf.clear()


def generate(
    path: Path | str,
    datasets: int,
    seed: int = DEFAULT_SEED,
    fmt: str = "ttl",
    usages: list[tuple[str, ...]] | None = None,
) -> dict:
    """Write the catalog to `path`; returns statistics (triples, shares, bytes, seconds).

    With `usages`, appends each dataset's ccsig:contentUsage values (a tuple, maybe
    empty), in dataset order: `usages[i]` belongs to `dataset_iri(i)`.
    """
    if fmt not in ("ttl", "nt"):
        raise ValueError(f"unknown format {fmt!r} (ttl or nt)")
    start = time.perf_counter()
    rng = random.Random(seed)
    pool = [e for e, _ in EXPRESSION_POOL]
    pool_kind = dict(EXPRESSION_POOL)
    pool_weights = zipf_weights(len(pool))
    license_iris = [iri for iri, _ in LICENSES]
    license_weights = [w for _, w in LICENSES]
    format_weights = [f[3] for f in FORMATS]
    langs = [lang for lang, _ in LANGS]
    lang_weights = [w for _, w in LANGS]
    stats: Counter[str] = Counter()
    usage_counts: Counter[int] = Counter()
    expression_counts: Counter[str] = Counter()

    with open(path, "w", encoding="utf-8", newline="\n") as out:
        w = Serializer(out, fmt)
        turtle = w.turtle
        n = w.name
        a = "a" if turtle else expand("rdf:type")
        dcat_props = {k: n(v[0]) for k, v in PROPS.items()}
        dcat_props["type"] = a
        schema_props = {}
        for ns in ("schema", "schemas"):
            props = {k: n(f"{ns}:{v[1]}") for k, v in PROPS.items() if k != "type"}
            props["type"] = a
            props["dataset_class"] = n(f"{ns}:Dataset")
            schema_props[ns] = props
        dcat_dataset = n("dcat:Dataset")
        content_usage = n("ccsig:contentUsage")
        xsd_date = "xsd:date"
        # Pre-formatted objects for the small pools.
        pool_lits = [w.lit(e) for e in pool]
        license_objs = [w.iri(i) for i in license_iris]
        theme_objs = [n(f"theme:{t}") for t in THEMES]
        media_objs = [w.iri(PREFIXES["iana"] + f[1]) for f in FORMATS]
        ftype_objs = [n(f"ftype:{f[2]}") for f in FORMATS]
        org_slugs = [slugify(p) for p in PUBLISHERS]
        org_objs = [f"org:{s}" if turtle else w.iri(ORG_NS + s) for s in org_slugs]
        org_weights = zipf_weights(len(PUBLISHERS), 0.8)

        # The catalog and its publishers.
        w.subject(
            w.iri(CATALOG_IRI),
            [
                (a, n("dcat:Catalog")),
                (dcat_props["title"], w.lit("Example open data portal", "en")),
                (dcat_props["publisher"], org_objs[0]),
                (
                    dcat_props["description"],
                    w.lit("A generated catalog for ccsig benchmarks; seed " + str(seed), "en"),
                ),
            ],
        )
        for org, name, slug in zip(org_objs, PUBLISHERS, org_slugs, strict=True):
            w.subject(
                org,
                [
                    (a, n("foaf:Organization")),
                    (n("foaf:name"), w.lit(name)),
                    (n("foaf:homepage"), w.iri(f"https://{slug}.example.org/")),
                ],
            )

        # The catalog's dcat:dataset links, in runs so the Turtle stays readable.
        dataset_link = n("dcat:dataset")
        catalog = w.iri(CATALOG_IRI)
        for lo in range(0, datasets, 1000):
            hi = min(datasets, lo + 1000)
            if turtle:
                rows = (
                    ", ".join(f"ds:d{i:07d}" for i in range(r, min(hi, r + 8)))
                    for r in range(lo, hi, 8)
                )
                w.buf.append(f"{catalog} {dataset_link}\n    " + ",\n    ".join(rows) + " .\n")
                w.triples += hi - lo
            else:
                w.subject(catalog, [(dataset_link, w.iri(dataset_iri(i))) for i in range(lo, hi)])
        w.buf.append("\n" if turtle else "")

        for i in range(datasets):
            s = f"ds:d{i:07d}" if turtle else w.iri(dataset_iri(i))
            schema_ns = None
            if rng.random() < SCHEMA_SHARE:
                schema_ns = "schema" if rng.random() < 0.5 else "schemas"
                props = schema_props[schema_ns]
                pairs = [(a, props["dataset_class"])]
                stats["schema:Dataset " + PREFIXES[schema_ns]] += 1
            else:
                props = dcat_props
                pairs = [(a, dcat_dataset)]
                stats["dcat:Dataset"] += 1

            subject, description = rng.choice(SUBJECTS)
            place = rng.choice(PLACES)
            year = 1850 + rng.randrange(175)
            qualifier = rng.choice(QUALIFIERS)
            lang = rng.choices(langs, lang_weights)[0]
            title = f"{qualifier}{subject}, {place} {year}"
            title = title[0].upper() + title[1:]
            pairs.append((props["title"], w.lit(title, lang)))
            if rng.random() < P_DESCRIPTION:
                text = f"{description.capitalize()} for {place}, {year}. Record {i}."
                pairs.append((props["description"], w.lit(text, lang)))
            pairs.append((props["publisher"], rng.choices(org_objs, org_weights)[0]))
            issued_days = rng.randrange(DATE_SPAN)
            issued = DATE0 + dt.timedelta(days=issued_days)
            pairs.append((props["issued"], w.lit(issued.isoformat(), datatype=xsd_date)))
            if rng.random() < P_MODIFIED:
                modified = issued + dt.timedelta(days=rng.randrange(DATE_SPAN - issued_days + 1))
                pairs.append((props["modified"], w.lit(modified.isoformat(), datatype=xsd_date)))
            k = rng.choices((1, 2, 3), KEYWORD_COUNT_WEIGHTS)[0]
            for keyword in rng.sample(KEYWORDS, k):
                pairs.append((props["keyword"], w.lit(keyword)))
            if rng.random() < P_LICENSE:
                pairs.append((props["license"], rng.choices(license_objs, license_weights)[0]))
            pairs.append((props["identifier"], w.lit(f"{rng.getrandbits(64):016x}-{i}")))
            if rng.random() < P_THEME:
                pairs.append((props["theme"], rng.choice(theme_objs)))

            usage = rng.choices((0, 1, 2), USAGE_COUNT_WEIGHTS)[0]
            usage_counts[usage] += 1
            picked: list[int] = []
            while len(picked) < usage:
                j = rng.choices(range(len(pool)), pool_weights)[0]
                if j not in picked:
                    picked.append(j)
            for j in picked:
                pairs.append((content_usage, pool_lits[j]))
                expression_counts[pool[j]] += 1
            if usages is not None:
                usages.append(tuple(pool[j] for j in picked))

            dist_pairs = None
            if rng.random() < P_DISTRIBUTION:
                f = rng.choices(range(len(FORMATS)), format_weights)[0]
                d = f"dist:d{i:07d}" if turtle else w.iri(f"{DIST_NS}d{i:07d}")
                pairs.append((props["distribution"], d))
                slug = subject.replace(" ", "-")
                url = f"{BASE}files/{i:07d}/{slug}-{year}.{FORMATS[f][0]}"
                dist_pairs = [
                    (props["downloadURL"], w.iri(url)),
                    (props["mediaType"], media_objs[f]),
                ]
                if rng.random() < P_FORMAT:
                    dist_pairs.append((props["format"], ftype_objs[f]))
                stats["distributions"] += 1
            w.subject(s, pairs)
            if dist_pairs:
                w.subject(d, dist_pairs)
        w.flush()

    seconds = time.perf_counter() - start
    kinds: Counter[str] = Counter()
    for expr, count in expression_counts.items():
        kinds[pool_kind[expr]] += count
    literals = sum(expression_counts.values())
    return {
        "path": str(path),
        "format": fmt,
        "seed": seed,
        "datasets": datasets,
        "triples": w.triples,
        "triples_per_dataset": w.triples / datasets if datasets else None,
        "bytes": Path(path).stat().st_size,
        "seconds": seconds,
        "content_usage_per_dataset": {
            str(c): usage_counts[c] / datasets if datasets else 0.0 for c in (0, 1, 2)
        },
        "content_usage_literals": literals,
        "distinct_expressions": len(expression_counts),
        "expression_kinds": {k: kinds[k] / literals for k in sorted(kinds, key=lambda k: -kinds[k])}
        if literals
        else {},
        "types": dict(sorted(stats.items())),
    }


def verify(path: Path | str, fmt: str) -> int:
    """Parse the file with pyoxigraph and return the number of distinct triples."""
    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.N_TRIPLES
    store = ox.Store()
    store.bulk_load(path=str(path), format=rdf_format)
    return len(store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000, help="number of datasets")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    parser.add_argument("--format", choices=("ttl", "nt"), default=None, help="default: from -o")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--verify", action="store_true", help="re-parse with pyoxigraph")
    args = parser.parse_args(argv)
    fmt = args.format or ("nt" if args.output.endswith(".nt") else "ttl")
    if args.datasets < 0:
        parser.error("--datasets must be >= 0")

    s = generate(args.output, args.datasets, args.seed, fmt)
    err = sys.stderr.write
    err(
        f"{s['path']}: {s['triples']:,} triples, {s['datasets']:,} datasets "
        f"({s['triples_per_dataset'] or 0:.2f} triples/dataset), {s['bytes'] / 1e6:.1f} MB "
        f"{fmt}, {s['seconds']:.1f} s\n"
    )
    shares = s["content_usage_per_dataset"]
    err(
        f"  ccsig:contentUsage per dataset: none {shares['0']:.1%}, one {shares['1']:.1%}, "
        f"two {shares['2']:.1%}; {s['content_usage_literals']:,} literals, "
        f"{s['distinct_expressions']} distinct expressions\n"
    )
    if s["expression_kinds"]:
        err("  literals: " + ", ".join(f"{k} {v:.1%}" for k, v in s["expression_kinds"].items()))
        err("\n")
    err("  types: " + ", ".join(f"{k} {v:,}" for k, v in s["types"].items()) + "\n")
    if args.verify:
        parsed = verify(args.output, fmt)
        state = "ok" if parsed == s["triples"] else f"MISMATCH (written {s['triples']:,})"
        err(f"  pyoxigraph parsed {parsed:,} triples: {state}\n")
        if parsed != s["triples"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
