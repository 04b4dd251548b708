"""ccsig scan: records from WARC files, policies from anywhere in the inputs, bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.answer.decide import decide
from ccsig.cli import main
from ccsig.ingest.headers import statements_from_headers
from ccsig.ingest.urls import site_of
from ccsig.model.web import content_usage
from ccsig.scan.local import scan
from ccsig.scan.records import ScanOptions
from tests.helpers.warc import ROBOTS, http, make_inputs, member


def records(paths: list[Path], **options: object) -> list[dict]:
    return list(scan([str(p) for p in paths], ScanOptions(**options)))  # type: ignore[arg-type]


def by_url(found: list[dict]) -> dict[str, dict]:
    return {r["url"]: r for r in found}


def test_robots_in_another_file_govern_the_same_scheme_and_host(tmp_path: Path) -> None:
    found = records(make_inputs(tmp_path))
    assert [r["url"] for r in found][:3] == [
        "https://a.example/",
        "https://a.example/open/x",
        "https://a.example/private/y",
    ]
    assert len(found) == 9  # policy documents give no record
    got = by_url(found)
    assert got["https://a.example/"]["crawl"] is True
    assert got["https://a.example/"]["preferences"]["train-ai"] == "disallow"
    assert got["https://a.example/open/x"]["preferences"]["train-ai"] == "allow"
    assert got["https://a.example/open/x"]["preferences"]["search"] == "disallow"
    private = got["https://a.example/private/y"]
    assert private["crawl"] is False
    assert [s["via"] for s in private["sources"]] == ["header"]
    assert private["preferences"]["train-ai"] == "unknown"
    # http://a.example is another site: no robots.txt seen for it
    assert got["http://a.example/"]["crawl"] is None
    assert set(got["http://a.example/"]["preferences"].values()) == {"unknown"}
    assert got["http://b.example/z"]["crawl"] is True  # 404: no robots.txt, crawl anything
    assert got["http://b.example/z"]["preferences"]["train-ai"] == "disallow"  # noai
    assert got["https://c.example/"]["crawl"] is False  # 503: everything disallowed
    assert got["https://d.example/books/1"]["preferences"]["all"] == "disallow"
    assert got["https://d.example/news/1"]["preferences"]["all"] == "unknown"


def test_agent_selects_its_group_and_default_only_star(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path)
    star = by_url(records(inputs))["https://a.example/"]
    bot = by_url(records(inputs, agent="ExampleBot"))["https://a.example/"]
    assert star["preferences"]["search"] == "unknown"
    assert bot["preferences"]["search"] == "disallow"
    assert bot["sources"][0]["as_written"] == "all=n;exceptions=cc-cr"
    assert by_url(records(inputs, agent="ExampleBot"))["https://a.example/private/y"]["crawl"]


def test_header_sources_are_statements_with_the_page_location(tmp_path: Path) -> None:
    got = by_url(records(make_inputs(tmp_path)))["https://e.example/p"]
    fields = [("content-usage", "train-genai=n;exceptions=cc-cr-ec")]
    expected, _ = statements_from_headers(fields, location="https://e.example/p")
    assert got["sources"] == [s.to_json() for s in expected]


def test_decisions_follow_check_semantics(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path)
    plain = by_url(records(inputs, category="train-genai"))
    assert plain["https://e.example/p"]["decision"] == "disallowed"
    assert plain["https://a.example/"]["decision"] == "disallowed"
    assert plain["https://a.example/open/x"]["decision"] == "allowed"
    assert plain["http://a.example/"]["decision"] == "unknown"
    committed = by_url(
        records(inputs, category="train-genai", commitments=("credit", "ecosystem-contribution"))
    )
    assert committed["https://e.example/p"]["decision"] == "allowed"
    assert committed["https://e.example/p"]["conditions"] == ["credit", "ecosystem-contribution"]
    a = content_usage("train-ai=n;exceptions=cc-cr", "header")
    b = content_usage("train-genai=y", "header")
    assert decide([a, b], "train-genai", ["credit"]) == ("allowed", ["credit"])
    assert decide([a, b], "train-genai", []) == ("disallowed", [])


def test_site_of() -> None:
    assert site_of("HTTPS://Example.ORG:443/a?b") == "https://example.org"
    assert site_of("http://example.org:8080/") == "http://example.org:8080"
    assert site_of("ftp://example.org/") is None
    assert site_of("http://[::1]:80/") == "http://[::1]"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_jsonl_is_stable_and_exit_0(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, out, err = run(*inputs)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == records([Path(p) for p in inputs])
    assert list(lines[0]) == ["url", "crawl", "preferences", "exceptions", "sources", "warnings"]


def test_cli_csv_and_parquet(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    out = tmp_path / "out.csv"
    code, _, err = run(*inputs, "--for", "train-genai", "-o", str(out))
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 9
    assert rows[0]["train-ai"] == "disallow" and rows[0]["decision"] == "disallowed"
    assert rows[2]["crawl"] == "false"
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "out.parquet"
    code, _, err = run(*inputs, "--for", "train-genai", "-o", str(target))
    assert code == 0, err
    table = pq.read_table(target).to_pylist()
    assert [r["url"] for r in table] == [r["url"] for r in rows]
    assert table[2]["crawl"] is False and table[0]["decision"] == "disallowed"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_unknown_category_is_exit_2(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, _, err = run(*inputs, "--for", "painting")
    assert code == 2
    assert "train-genai" in err and "painting" in err


def test_cli_fail_on(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, _, _ = run(*inputs, "--for", "train-genai", "--fail-on", "disallowed")
    assert code == 1


def test_bad_input_is_skipped_with_warnings_and_exit_3(tmp_path: Path) -> None:
    good = member("https://f.example/1", http("200 OK", ["Content-Usage: train-ai=n"]))
    truncated = member("https://f.example/2", http("200 OK", [], b"x" * 5000))[:60]
    control = member(
        "https://f.example/3", http("200 OK", ["Content-Usage: train-ai=n\x01", "X: y"])
    )
    big = b"User-agent: *\n" + b"Content-Usage: train-ai=n\n" * 30000  # > 500 KiB
    oversized = member("https://f.example/robots.txt", http("200 OK", [], big))
    last = member("https://f.example/4", http("200 OK", []))
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(good + truncated + b"\x00garbage\xff" * 50 + control + oversized + last)
    binary = tmp_path / "binary.warc"
    binary.write_bytes(bytes(range(256)) * 10)
    code, out, err = run(str(path), str(binary))
    assert code == 3
    got = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in got] == [
        "https://f.example/1",
        "https://f.example/3",
        "https://f.example/4",
    ]
    assert got[1]["preferences"]["train-ai"] == "disallow"  # from robots.txt, read in part
    assert got[1]["sources"][0]["via"] == "robots.txt"
    warnings = err.splitlines()
    assert all(w.startswith("ccsig: warning: ") for w in warnings)
    assert any(f"{path}: offset {len(good)}: " in w and "skipped to offset" in w for w in warnings)
    assert any("control characters" in w for w in warnings)
    assert any("500 KiB" in w for w in warnings)
    assert any(f"{binary}: offset 0:" in w for w in warnings)


def test_a_record_whose_body_breaks_off_is_read_once(tmp_path: Path) -> None:
    import os

    first = member("https://g.example/1", http("200 OK", []))
    broken = member("https://g.example/2", http("200 OK", [], os.urandom(300000)))[:-20]
    last = member("https://g.example/3", http("200 OK", []))
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(first + broken + last)
    found, warnings, skipped = scanned([path], 1)
    assert [r["url"] for r in found] == [f"https://g.example/{n}" for n in (1, 2, 3)]
    assert skipped == 1 and warnings[0][1] == len(first)
    assert warnings[0][2].endswith(f"skipped to offset {len(first) + len(broken)}")
    assert scanned([path], 2, 1000) == (found, warnings, skipped)


def test_plain_warc_and_damage_inside_it(tmp_path: Path) -> None:
    first = gzip.decompress(member("https://g.example/1", http("200 OK", [])))
    second = gzip.decompress(member("https://g.example/2", http("200 OK", [])))
    path = tmp_path / "plain.warc"
    path.write_bytes(first + b"WARC/1.0\r\nnonsense\x00\r\n\r\n" + b"\xff" * 100 + second)
    code, out, err = run(str(path))
    assert [json.loads(line)["url"] for line in out.splitlines()] == [
        "https://g.example/1",
        "https://g.example/2",
    ]
    assert code == 3 and "offset" in err


def test_missing_input_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.warc.gz"))
    assert code == 2 and "no such file" in err


def test_options_are_frozen() -> None:
    options = ScanOptions()
    assert options.agent == "*"
    assert replace(options, agent="x").agent == "x"


# ------------------------------------------------------------------ in parallel


def varied_inputs(folder: Path, seed: int = 7) -> list[Path]:
    """Files with many records, policy documents of several hosts here and there (some
    seen twice, the last one winning), damaged stretches of every kind, a plain WARC
    holding a WARC line in a page body: whatever byte ranges they are cut into, a
    range boundary falls next to or inside something awkward."""
    import random

    rng = random.Random(seed)
    hosts = [f"{rng.choice(['http', 'https'])}://h{i}.example" for i in range(6)]
    fields = [
        [],
        ["Content-Usage: train-ai=n"],
        ["X-Robots-Tag: noai", "Content-Type: text/html"],
        ["tdm-reservation: 1"],
        ["Content-Usage: train-ai=n\x01", "X: y"],
    ]
    robots = [
        (ROBOTS, "200 OK"),
        (b"User-agent: *\nDisallow: /p1\nContent-Usage: all=n\nNonsense here\n", "200 OK"),
        (b"", "404 Not Found"),
        (b"", "503 Unavailable"),
        (b"", "301 Moved"),
    ]
    tdmrep = [
        (b'[{"location": "/*", "tdm-reservation": 1}]', "200 OK"),
        (b"not json", "200 OK"),
        (b"", "404 Not Found"),
    ]

    def piece(n: int) -> bytes:
        roll = rng.random()
        host = rng.choice(hosts)
        if roll < 0.12:
            body, status = rng.choice(robots)
            return member(host + "/robots.txt", http(status, [], body))
        if roll < 0.18:
            body, status = rng.choice(tdmrep)
            return member(host + "/.well-known/tdmrep.json", http(status, [], body))
        if roll < 0.22:
            return b"\x00garbage\xff" * rng.randint(1, 30)
        if roll < 0.25:
            whole = member(f"{host}/t{n}", http("200 OK", [], b"x" * 3000))
            return whole[: rng.randint(10, len(whole) - 1)]
        if roll < 0.26:
            return member(f"ftp://{host[7:]}/f{n}", http("200 OK", []))
        if roll < 0.28:  # its head is read, then its body breaks off
            whole = member(f"{host}/r{n}", http("200 OK", [], rng.randbytes(20000)))
            return whole[: len(whole) - rng.randint(1, 40)]
        body = b"<p>" + b"word " * rng.randint(0, 300) + b"</p>"
        host = rng.choice([host, "https://no-robots.example"])
        return member(f"{host}/p{n}", http("200 OK", rng.choice(fields), body))

    paths = []
    for name in ("a.warc.gz", "b.warc.gz"):
        path = folder / name
        path.write_bytes(b"".join(piece(n) for n in range(150)))
        paths.append(path)
    lead = folder / "garbage-first.warc.gz"  # begins with damage, ends truncated
    lead.write_bytes(
        b"junk" * 50
        + b"".join(piece(n) for n in range(40))
        + member("https://h0.example/end", http("200 OK", [], b"y" * 2000))[:-30]
    )
    plain = folder / "plain.warc"
    records = []
    for n in range(60):
        payload = http("200 OK", rng.choice(fields), b"x" * rng.randint(0, 400))
        if n % 17 == 5:
            payload = http("200 OK", [], b"quoted:\r\nWARC/1.0\r\nWARC-Type: response\r\n\r\n")
        if n % 17 == 11:  # read from here, a record that swallows the next ones
            swallow = b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 1500\r\n\r\n"
            payload = http("200 OK", [], b"quoted:\r\n" + swallow)
        one = gzip.decompress(member(f"{rng.choice(hosts)}/q{n}", payload))
        records.append(one)
        if n % 13 == 7:
            records.append(b"WARC/1.0\r\nnonsense\x00\r\n\r\n" + b"\xff" * rng.randint(1, 200))
    plain.write_bytes(b"".join(records))
    return [paths[0], lead, plain, paths[1]]


def scanned(
    paths: list[Path], jobs: int, range_size: int | None = None, **options: object
) -> tuple[list[dict], list[tuple[str, int, str]], int]:
    from ccsig.scan.local import Scan

    warnings: list[tuple[str, int, str]] = []
    job = Scan(
        [str(p) for p in paths],
        ScanOptions(**options),  # type: ignore[arg-type]
        lambda *w: warnings.append(w),
        jobs=jobs,
        range_size=range_size,
    )
    job.collect()
    pages = job.pages
    found = list(job.records())
    assert len(found) == pages
    return found, warnings, job.skipped


def test_parallel_equals_sequential_wherever_the_files_are_cut(tmp_path: Path) -> None:
    from ccsig.ingest.warc import range_starts

    inputs = varied_inputs(tmp_path)
    expected = scanned(inputs, 1)
    assert expected[2] == len(expected[1]) > 20  # damage of every kind was reported
    assert any("skipped to the end of the file" in w[2] for w in expected[1])
    assert {r["crawl"] for r in expected[0]} == {None, True, False}
    cuts = 0
    for range_size in [*range(300, 3000, 131), 5000, 20000]:
        for jobs in (2, 3):
            got = scanned(inputs, jobs, range_size)
            assert got[1] == expected[1], (range_size, jobs)
            assert got[2] == expected[2]
            assert got[0] == expected[0], (range_size, jobs)
        cuts += sum(len(range_starts(str(p), range_size)) - 1 for p in inputs)
    assert cuts > 1000


def test_parallel_options_and_defaults(tmp_path: Path) -> None:
    inputs = varied_inputs(tmp_path, seed=11)
    options = {"category": "train-genai", "commitments": ("credit",), "agent": "ExampleBot"}
    assert scanned(inputs, 2, 700, **options) == scanned(inputs, 1, **options)
    assert scanned(inputs, 2) == scanned(inputs, 1)  # small files: a range each
    assert records(inputs) == scanned(inputs, 1)[0]  # scan(): one job per CPU
    assert scanned([], 2) == ([], [], 0)
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert scanned([empty, *inputs], 2, 700) == scanned([empty, *inputs], 1)


def test_parallel_scan_leaves_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from ccsig.scan.local import Scan

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    inputs = [str(p) for p in varied_inputs(tmp_path, seed=5)]
    job = Scan(inputs, ScanOptions(), jobs=2, range_size=800)
    job.collect()
    assert list((tmp_path / "tmp").iterdir())
    records = job.records()
    next(records)
    records.close()  # stopped early
    assert not list((tmp_path / "tmp").iterdir())
    job = Scan(inputs, ScanOptions(), jobs=2, range_size=800)
    job.collect()
    del job  # never read
    gc.collect()
    assert not list((tmp_path / "tmp").iterdir())


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_parallel_output_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    from ccsig.scan.local import Scan

    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    inputs = [str(p) for p in varied_inputs(tmp_path, seed=3)]
    outputs = []
    for jobs, range_size in ((1, None), (2, 900), (3, 2500)):
        for category in (None, "train-ai"):
            options = ScanOptions(category=category)
            job = Scan(inputs, options, lambda *_: None, jobs=jobs, range_size=range_size)
            target = tmp_path / f"out-{jobs}-{category}.{fmt}"
            counts = job.write(fmt, str(target))
            if category is not None:
                assert sum(counts.values()) == job.pages
            outputs.append(target.read_bytes())
            if fmt != "parquet":
                stdout = io.BytesIO()
                job = Scan(inputs, options, lambda *_: None, jobs=jobs, range_size=range_size)
                job.write(fmt, None, stdout)
                assert stdout.getvalue() == outputs[-1]
    assert outputs[0::2] == [outputs[0]] * 3
    assert outputs[1::2] == [outputs[1]] * 3
    assert outputs[0] != outputs[1]


def test_cli_jobs_option_gives_the_same_output(tmp_path: Path) -> None:
    paths = [str(p) for p in varied_inputs(tmp_path)]
    one = run(*paths, "--jobs", "1", "--for", "train-genai", "--commit", "credit")
    two = run(*paths, "--jobs", "2", "--for", "train-genai", "--commit", "credit")
    assert one == two and one[1].count("\n") > 10
    assert run(*paths, "--jobs", "0")[0] == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_turtle_output_feeds_check(tmp_path: Path, jobs: str) -> None:
    paths = [str(p) for p in make_inputs(tmp_path)]
    out = tmp_path / "web.ttl"
    code, _, _ = run(*paths, "--jobs", jobs, "-o", str(out))
    jsonl = tmp_path / "web.jsonl"
    run(*paths, "--jobs", jobs, "-o", str(jsonl), "--for", "train-genai")
    scanned = {r["url"]: r for r in map(json.loads, jsonl.read_text().splitlines())}
    result = CliRunner().invoke(main, ["check", str(out), "--for", "train-genai",
                                       "--format", "json"])  # fmt: skip
    checked = {r["asset"]: r["decision"] for r in json.loads(result.stdout)["results"]}
    # every page with a statement is an asset of the RDF, decided as scan decided it
    with_sources = {url: r["decision"] for url, r in scanned.items() if r["sources"]}
    assert with_sources and {url: checked[url] for url in with_sources} == with_sources


def test_a_cut_off_last_gzip_member_is_a_warning_and_exit_3(tmp_path: Path) -> None:
    first = member("https://h.example/1", http("200 OK", []))
    last = member("https://h.example/2", http("200 OK", ["Content-Usage: train-ai=n"]))
    for cut in (20, len(last) // 2, len(last) - 4):
        path = tmp_path / "cut.warc.gz"
        path.write_bytes(first + last[:cut])
        code, out, err = run(str(path))
        assert code == 3, cut
        assert json.loads(out.splitlines()[0])["url"] == "https://h.example/1"
        assert f"{path}: offset {len(first)}: " in err and "cut off" in err, err
        expected = scanned([path], 1)
        for range_size in (100, 200, 300):  # cut into ranges, the same findings
            assert scanned([path], 2, range_size) == expected, (cut, range_size)


def test_a_huge_content_length_swallows_no_records(tmp_path: Path) -> None:
    pages = [member(f"https://h.example/{n}", http("200 OK", [])) for n in range(6)]
    huge = gzip.decompress(pages[1]).replace(b"Content-Length: ", b"Content-Length: 99999999", 1)
    for name, data in (
        ("huge.warc.gz", pages[0] + gzip.compress(huge) + b"".join(pages[2:])),
        (
            "huge.warc",
            b"".join([gzip.decompress(pages[0]), huge, *map(gzip.decompress, pages[2:])]),
        ),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        for jobs in ("1", "2"):
            code, out, err = run(str(path), "--jobs", jobs)
            assert code == 3, (name, jobs)
            urls = [json.loads(line)["url"] for line in out.splitlines()]
            assert urls == [f"https://h.example/{n}" for n in range(6)], (name, jobs)
            assert err.count("\n") == 1 and "Content-Length 99999999" in err
        expected = scanned([path], 1)
        for range_size in (200, 300, 500, 700):  # cut into ranges, the same findings
            assert scanned([path], 2, range_size) == expected, (name, range_size)


def test_the_cc_signal_exception_is_in_every_output(tmp_path: Path) -> None:
    inputs = [str(p) for p in make_inputs(tmp_path)]
    code, out, _ = run(*inputs)
    found = by_url([json.loads(line) for line in out.splitlines()])
    signal = found["https://e.example/p"]  # Content-Usage: train-genai=n;exceptions=cc-cr-ec
    assert signal["preferences"]["train-genai"] == "disallow"
    assert signal["exceptions"] == {"train-genai": "cc-cr-ec"}
    assert found["https://a.example/"]["exceptions"] == {}  # train-ai=n: a plain disallow
    code, out, _ = run(*inputs, "--agent", "ExampleBot")  # all=n;exceptions=cc-cr
    found = by_url([json.loads(line) for line in out.splitlines()])
    assert set(found["https://a.example/"]["exceptions"].values()) == {"cc-cr"}
    assert found["https://a.example/"]["exceptions"]["train-genai"] == "cc-cr"
    target = tmp_path / "out.csv"
    code, _, err = run(*inputs, "--for", "train-genai", "-o", str(target))
    assert code == 0, err
    rows = {row["url"]: row for row in csv.DictReader(target.open(encoding="utf-8", newline=""))}
    header = next(csv.reader(target.open(encoding="utf-8", newline="")))
    assert header.index("train-genai_exception") < header.index("decision")
    assert rows["https://e.example/p"]["train-genai"] == "disallow"
    assert rows["https://e.example/p"]["train-genai_exception"] == "cc-cr-ec"
    assert rows["https://e.example/p"]["search_exception"] == ""
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "out.parquet"
    code, _, err = run(*inputs, "-o", str(target), "--jobs", "2")
    assert code == 0, err
    table = {row["url"]: row for row in pq.read_table(target).to_pylist()}
    assert table["https://e.example/p"]["train-genai_exception"] == "cc-cr-ec"
    assert table["https://e.example/p"]["search_exception"] is None
