"""Deciding URLs: the cached robots-only path equals the record scan builds, audit decides
as `ccsig check` does on the same statements, and URLs join their hosts' captures."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.audit.judge import Auditor
from ccsig.audit.run import audit_records, build_table, options_of
from ccsig.cli import main
from ccsig.model.vocabulary import load_ontology
from tests.helpers.warc import http, make_inputs, member, robots_captures

URLS = [
    "https://a.example/",
    "https://a.example/open/x",
    "https://a.example/private/y",
    "http://a.example/",
    "http://b.example/z",
    "https://c.example/",
    "https://d.example/books/1",
    "https://d.example/news/1",
    "https://e.example/p",
]

_LINES = st.sampled_from(
    [
        "Disallow: /private/",
        "Allow: /private/ok",
        "Disallow: /*.pdf$",
        "Content-Usage: train-ai=n",
        "Content-Usage: /open/ train-ai=y",
        "Content-Usage: /blog/ train-genai=n;exceptions=cc-cr",
        "Content-Usage: /blog/x train-genai=n;exceptions=cc-cr-ec",
        "Content-Signal: ai-train=no, search=yes",
        "Content-Signal: /open/ ai-train=yes",
        "Disallow: /",
    ]
)
_PATHS = st.sampled_from(
    ["/", "/private/a", "/private/ok", "/open/", "/open/a.pdf", "/blog/x", "/blog/y", "/robots.txt"]
)


@settings(max_examples=60, deadline=None)
@given(
    bodies=st.lists(st.lists(_LINES, max_size=5), min_size=1, max_size=3),
    paths=st.lists(_PATHS, min_size=1, max_size=10),
    agent=st.sampled_from(["*", "ExampleBot"]),
    commit=st.sampled_from([(), ("credit",), ("credit", "ecosystem-contribution")]),
)
def test_the_cached_path_equals_scans_record(
    tmp_path_factory: object,
    bodies: list[list[str]],
    paths: list[str],
    agent: str,
    commit: tuple[str, ...],
) -> None:
    folder = tmp_path_factory.mktemp("judge")  # type: ignore[attr-defined]
    warc = folder / "r.warc.gz"
    data = b""
    bodies = [*bodies, bodies[0]]  # two hosts with the same rules share their parse
    for number, lines in enumerate(bodies):
        body = "User-agent: ExampleBot\nDisallow: /blog/\n\nUser-agent: *\n" + "\n".join(lines)
        data += member(f"https://h{number}.example/robots.txt", http("200 OK", [], body.encode()))
    warc.write_bytes(data)
    options = options_of("train-genai", commit, agent)
    table = build_table([str(warc)], options, lambda message: None)
    labels = load_ontology().vocabulary(options.vocabulary).labels
    auditor = Auditor(table, options, "jsonl", labels)
    [judge] = auditor.judges
    for number in range(len(bodies)):
        site = f"https://h{number}.example"
        for path in paths * 2:
            url = site + path
            assert judge.outcome(url, site) == judge.built(url, site)
            entry, _ = auditor.entry(url, site)
            full = {"url": url, **auditor.rest(url)}
            assert (
                auditor.encoder.line(url, entry.tail)
                == json.dumps(full, ensure_ascii=False, separators=(",", ":")) + "\n"
            )


def test_audit_decides_as_check_on_the_same_statements(tmp_path: Path) -> None:
    paths = [str(p) for p in make_inputs(tmp_path)]
    statements = tmp_path / "web.nt"
    done = CliRunner().invoke(main, ["scan", *paths, "-o", str(statements)])
    assert done.exit_code == 0, done.output
    for commit in [(), ("credit",), ("credit", "ecosystem-contribution")]:
        flags = [a for c in commit for a in ("--commit", c)]
        checked = CliRunner().invoke(
            main, ["check", str(statements), "--for", "train-genai", *flags, "--format", "json"]
        )
        by_check = {r["asset"]: r["decision"] for r in json.loads(checked.stdout)["results"]}
        options = options_of("train-genai", commit)
        table = build_table(paths, options, lambda message: None)
        audited = {r["url"]: r for r in audit_records(URLS, table, options)}
        with_statements = {url: r["decision"] for url, r in audited.items() if r["sources"]}
        assert len(with_statements) >= 5
        assert with_statements == {url: by_check[url] for url in with_statements}


def test_urls_join_their_hosts_and_their_own_headers(tmp_path: Path) -> None:
    paths = [str(p) for p in make_inputs(tmp_path)]
    options = options_of("train-genai")
    table = build_table(paths, options, lambda message: None)
    records = {
        r["url"]: r for r in audit_records([*URLS, "https://a.example/other"], table, options)
    }
    # robots.txt of https://a.example: train-ai=n, and its page header adds search=n
    assert records["https://a.example/other"]["decision"] == "disallowed"
    assert records["https://a.example/open/x"]["decision"] == "allowed"
    own = [s["as_written"] for s in records["https://a.example/open/x"]["sources"]]
    assert own == ["train-ai=y", "search=n"]
    # the header of one page is not another's
    assert len(records["https://a.example/other"]["sources"]) == 1
    assert records["https://a.example/private/y"]["crawl_allowed"] is False
    assert records["http://a.example/"]["reason"] is not None  # http is another site
    assert records["http://b.example/z"]["decision"] == "disallowed"  # X-Robots-Tag: noai
    assert records["https://c.example/"]["crawl_allowed"] is False  # 503: disallow all
    assert records["https://d.example/books/1"]["decision"] == "disallowed"  # tdmrep.json
    assert records["https://d.example/news/1"]["decision"] == "unknown"
    assert records["https://e.example/p"]["exceptions"] == {"train-genai": "cc-cr-ec"}


def test_pages_stating_preferences_in_meta_tags_or_xmp_count(tmp_path: Path) -> None:
    from tests.helpers.paths import EXAMPLES

    crawls = [str(EXAMPLES / "web" / "media.warc.gz"), str(EXAMPLES / "web" / "crawl.warc.gz")]
    out = tmp_path / "scan.jsonl"
    done = CliRunner().invoke(main, ["scan", *crawls, "--for", "train-genai", "-o", str(out)])
    assert done.exit_code in (0, 3), done.output
    scanned = [json.loads(line) for line in out.read_text().splitlines()]
    options = options_of("train-genai")
    table = build_table(crawls, options, lambda message: None)
    audited = list(audit_records([r["url"] for r in scanned], table, options))
    assert [a["decision"] for a in audited] == [r["decision"] for r in scanned]
    assert [a["preferences"] for a in audited] == [r["preferences"] for r in scanned]
    assert any(r["decision"] == "disallowed" for r in scanned)


_TAILS = st.sampled_from(
    ["/", "", "/private/a", "/open/a.pdf", "/blog/x?q=1", "/blog/y#f", "?x", "#y", "/robots.txt",
     '/q"uote', "/back\\slash", "/é", "/%7Eu", "/a b", "/open/../private/"]
)  # fmt: skip
_HOSTS = st.sampled_from(
    ["https://h0.example", "https://h1.example", "https://H1.example", "https://h1.example:443",
     "http://h2.example", "http://h3.example:8080", "https://h4.example", "https://nowhere.example",
     "ftp://h0.example", "h0.example", "https://", "https://h[0.example"]
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    bodies=st.lists(st.lists(_LINES, max_size=4), min_size=1, max_size=2),
    urls=st.lists(st.tuples(_HOSTS, _TAILS), min_size=1, max_size=40),
    fmt=st.sampled_from(["jsonl", "csv"]),
)
def test_the_chunk_loop_writes_each_urls_own_record(
    tmp_path_factory: object, bodies: list[list[str]], urls: list[tuple[str, str]], fmt: str
) -> None:
    """Auditor.chunk's shortcuts (sites by the URL's authority, entries by match number,
    encodings shared by hosts with the same robots.txt and captures) give the record
    built for each URL alone."""
    folder = tmp_path_factory.mktemp("chunk")  # type: ignore[attr-defined]
    warc = robots_captures(folder / "r.warc.gz", bodies)
    options = options_of("train-genai")
    table = build_table([str(warc)], options, lambda message: None)
    labels = load_ontology().vocabulary(options.vocabulary).labels
    written = [host + tail for host, tail in urls]
    chunk = Auditor(table, options, fmt, labels).chunk(written * 2)
    alone = Auditor(table, options, fmt, labels)
    expected = "".join(
        alone.encoder.line(url, alone.encoder.tail(alone.rest(url))) for url in written * 2
    )
    assert chunk.payload.decode("utf-8") == expected
    assert sum(chunk.decisions) == len(written) * 2
