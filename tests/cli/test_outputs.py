"""Every command that writes: -o writes what its extension names (or is refused), and
the format names are the same everywhere."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES
from tests.helpers.warc import make_inputs


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.stdout, done.stderr


def test_scan_refuses_an_extension_it_does_not_write(tmp_path: Path) -> None:
    # regression: `scan -o out.xlsx` wrote JSON Lines into the .xlsx file, exit 0
    warcs = [str(p) for p in make_inputs(tmp_path)]
    target = tmp_path / "out.xlsx"
    code, _, err = _run("scan", *warcs, "-o", str(target))
    assert code == 2 and not target.exists()
    assert err.count("\n") == 1 and ".xlsx" in err and "--format" in err


@pytest.mark.parametrize("name", ["out.jsonl", "out.ndjson", "out.csv"])
def test_scan_writes_what_the_extension_names(tmp_path: Path, name: str) -> None:
    warcs = [str(p) for p in make_inputs(tmp_path)]
    target = tmp_path / name
    code, _, _ = _run("scan", *warcs, "-o", str(target), "-j", "1")
    assert code == 0
    text = target.read_text()
    if name.endswith(".csv"):
        assert next(csv.reader(text.splitlines()))[0] == "url"
    else:
        assert all(json.loads(line)["url"] for line in text.splitlines())


# ------------------------------------------------------------------ item 16

CATALOG = str(EXAMPLES / "catalog.ttl")


def _robots(tmp_path: Path) -> str:
    path = tmp_path / "robots.txt"
    path.write_text("User-agent: *\nContent-Usage: train-ai=n\nDisallow: /private\n")
    return str(path)


COMMANDS = {
    "check": lambda tmp: ["check", CATALOG, "--for", "train-genai"],
    "validate": lambda tmp: ["validate", CATALOG],
    "query": lambda tmp: ["query", "summary", CATALOG],
    "parse": lambda tmp: ["parse", "train-genai=n;exceptions=cc-cr-ec"],
    "robots": lambda tmp: ["robots", _robots(tmp), "--agent", "bot", "--path", "/"],
    "header": lambda tmp: ["header", "Content-Usage: train-ai=n"],
    "vocab": lambda tmp: ["vocab"],
    "declare": lambda tmp: ["declare", "train-genai=n;exceptions=cc-cr-ec"],
    "infer": lambda tmp: ["infer", CATALOG],
    "migrate": lambda tmp: ["migrate", CATALOG, "--to", "aipref-07"],
    "rsl": lambda tmp: ["rsl", str(EXAMPLES / "web" / "license.rsl"), "--url", "/a"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_that_writes_takes_o(tmp_path: Path, command: str) -> None:
    # regression: check, validate, query, parse, robots and header had no -o/--output
    args = COMMANDS[command](tmp_path)
    code, printed, _ = _run(*args)
    target = tmp_path / "out"
    written, nothing, _ = _run(*args, "-o", str(target))
    assert written == code and nothing == ""
    assert target.read_text() == printed


@pytest.mark.parametrize(
    ("command", "name", "check"),
    [
        ("check", "out.json", json.loads),
        ("validate", "out.json", json.loads),
        ("query", "out.json", json.loads),
        ("parse", "out.json", json.loads),
        ("robots", "out.json", json.loads),
        ("header", "out.json", json.loads),
        ("vocab", "out.jsonld", json.loads),
        ("rsl", "out.json", json.loads),
    ],
)
def test_o_writes_the_format_its_extension_names(
    tmp_path: Path, command: str, name: str, check
) -> None:
    target = tmp_path / name
    code, _, err = _run(*COMMANDS[command](tmp_path), "-o", str(target))
    assert code in (0, 1), err
    check(target.read_text())


def test_parse_standard_input_to_o(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    done = CliRunner().invoke(main, ["parse", "-", "-o", str(target)], input=b"all=n\nsearch=y\n")
    assert done.exit_code == 0 and done.stdout == ""
    assert [json.loads(line)["canonical"] for line in target.read_text().splitlines()] == [
        "all=n",
        "search=y",
    ]


def test_quiet_silences_warnings_not_errors(tmp_path: Path) -> None:
    args = ["header", "Content-Usage: train-ai=n", "nonsense"]
    _, _, noisy = _run(*args)
    assert "warning" in noisy
    for quiet in (["--quiet", *args], ["-q", *args], [*args, "--quiet"], [*args, "-q"]):
        code, out, err = _run(*quiet)
        assert code == 0 and out and err == "", quiet
    code, _, err = _run("-q", "check", CATALOG, "--for", "no-such")
    assert code == 2 and "no-such" in err


def test_short_version_option() -> None:
    code, long, _ = _run("--version")
    assert code == 0 and "ccsig" in long
    assert _run("-V") == (0, long, "")


def test_query_says_text_and_keeps_table() -> None:
    text = _run("query", "summary", CATALOG, "--format", "text")
    assert text[0] == 0 and text == _run("query", "summary", CATALOG, "--format", "table")
    assert text == _run("query", "summary", CATALOG)


def test_scan_calls_n_triples_ntriples_and_keeps_turtle(tmp_path: Path) -> None:
    warcs = [str(p) for p in make_inputs(tmp_path)]
    nt = _run("scan", *warcs, "--format", "ntriples", "-j", "1")
    assert nt[0] == 0 and nt[1].startswith(("<", "_:"))
    assert _run("scan", *warcs, "--format", "turtle", "-j", "1") == nt
    code, _, _ = _run("scan", *warcs, "-o", str(tmp_path / "out.nt"), "-j", "1")
    assert code == 0 and (tmp_path / "out.nt").read_text() == nt[1]
    _, helped, _ = _run("scan", "--help")
    assert "ntriples" in helped


def test_the_collector_resumes_after_a_report_without_collecting_it() -> None:
    """gc_paused: what was made while paused is not collected as young when the
    collector resumes (at 100,000 assets that collection cost 0.4 s and found nothing)."""
    import gc

    from ccsig.cli._shared import gc_paused

    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    assert gc.isenabled()
    try:
        with gc_paused():
            assert not gc.isenabled()
            made = [[n] for n in range(20_000)]  # ~20,000 tracked objects
            gc.callbacks.append(seen)
        more = [[n] for n in range(100)]  # (fewer than the young generation's threshold)
    finally:
        gc.callbacks.remove(seen)
    assert gc.isenabled() and collections == []
    assert len(made) + len(more) == 20_100
