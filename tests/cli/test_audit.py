"""`ccsig audit`: the command over ccsig.audit — formats, exit statuses, bad input."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.audit import inputs, local
from ccsig.cli import main
from tests.helpers.spool import watch_spool
from tests.helpers.warc import http, make_inputs, member

CAPTURED = ["https://a.example/", "https://a.example/open/x", "https://d.example/books/1"]


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["audit", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sources(tmp_path: Path) -> list[str]:
    pages, robots = make_inputs(tmp_path)
    return ["--preferences", str(robots), "--preferences", str(pages)]


def urls_file(tmp_path: Path, urls: list[str]) -> str:
    f = tmp_path / "urls.txt"
    f.write_text("".join(u + "\n" for u in urls))
    return str(f)


def test_jsonl_records_then_a_summary(tmp_path: Path, sources: list[str]) -> None:
    code, out, err = run(urls_file(tmp_path, CAPTURED), *sources, "--for", "train-genai")
    assert code == 0 and err == ""
    *records, last = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in records] == CAPTURED
    assert [r["decision"] for r in records] == ["disallowed", "allowed", "disallowed"]
    assert list(records[0]) == ["url", "decision", "conditions", "crawl_allowed", "preferences",
                                "exceptions", "sources", "as_of", "reason"]  # fmt: skip
    assert last["summary"]["decisions"] == {"allowed": 1, "disallowed": 2, "unknown": 0}
    assert [h["host"] for h in last["summary"]["top_hosts"]] == ["a.example", "d.example"]


def test_fail_on_and_uncaptured_hosts_exit_3_first(tmp_path: Path, sources: list[str]) -> None:
    urls = urls_file(tmp_path, CAPTURED)
    assert run(urls, *sources, "--for", "train-genai", "--fail-on", "disallowed")[0] == 1
    assert run(urls, *sources, "--for", "train-genai", "--fail-on", "unknown")[0] == 0
    more = urls_file(
        tmp_path, [*CAPTURED, "https://nowhere.example/", "nowhere", "https://nowhere.example/2"]
    )
    code, out, err = run(more, *sources, "--for", "train-genai", "--fail-on", "disallowed")
    assert code == 3
    assert err.count("nowhere.example: no capture") == 1  # once per host
    assert "'nowhere': not an http(s) URL; audited as unknown" in err
    assert "Traceback" not in err
    records = [json.loads(line) for line in out.splitlines()][:-1]
    assert [r["decision"] for r in records[3:]] == ["unknown"] * 3
    assert records[4]["reason"] == "not an http(s) URL"


def test_standard_input_and_the_text_summary(tmp_path: Path, sources: list[str]) -> None:
    stdin = "".join(u + "\n" for u in CAPTURED).encode()
    code, out, _ = run("-", *sources, "--for", "train-genai", "--format", "text", stdin=stdin)
    assert code == 0
    assert out.splitlines()[0] == "3 URLs"
    assert "hosts with the most disallowed URLs:" in out


def test_csv_input_and_output(tmp_path: Path, sources: list[str]) -> None:
    f = tmp_path / "set.csv"
    f.write_text("link,caption\n" + "".join(f"{u},x\n" for u in CAPTURED))
    out = tmp_path / "out.csv"
    code, _, err = run(str(f), "--column", "link", *sources, "--for", "train-genai", "-o", str(out))
    assert code == 0 and "3 URLs: 1 allowed, 2 disallowed, 0 unknown" in err
    lines = out.read_text().splitlines()
    assert lines[0].startswith("url,decision,conditions,crawl_allowed,")
    assert len(lines) == 4 and list(tmp_path.glob(".out.csv*")) == []


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, sources: list[str]) -> None:
    f = tmp_path / "set.csv"
    f.write_text("link\nhttps://a.example/\n")
    for args in (
        [str(f), *sources, "--for", "train-genai"],  # no column url
        [str(f), "--column", "link", *sources, "--for", "train-genai", "--at", "someday"],
        [str(f), "--column", "link", *sources, "--for", "no-such-category"],
        [
            str(f),
            "--column",
            "link",
            "--preferences",
            str(tmp_path / "none"),
            "--for",
            "train-genai",
        ],
        [str(tmp_path / "missing.txt"), *sources, "--for", "train-genai"],
    ):
        code, out, err = run(*args)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, (args, err)
        assert err.startswith("ccsig: error: ") and "Traceback" not in err
    assert (
        "no column 'url' (its columns: link)" in run(*[str(f), *sources, "--for", "train-genai"])[2]
    )
    code, _, err = run(
        str(f), "--column", "link", *sources, "--for", "train-genai", "--format", "parquet"
    )
    assert code == 2 and "needs -o OUT" in err


def test_jobs_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One process or two workers, which spool their pieces to files the parent copies
    in (by the kernel to a file, read and written to standard output): the same bytes,
    and no spool left behind."""
    monkeypatch.setattr(inputs, "BATCH", 7)
    monkeypatch.setattr(local, "PIECE", 8000)  # two pieces, the first decided by columns
    spool = tmp_path / "spool"  # where standard output's pieces go
    copied = watch_spool(monkeypatch, spool)
    robots = tmp_path / "r.warc.gz"
    data = b""
    for i in range(12):
        body = f"User-agent: *\nDisallow: /p{i}/\nContent-Usage: /x/ train-ai=n\n".encode()
        data += member(
            f"https://h{i}.example/robots.txt", http("200 OK", [], body), "2026-01-01T00:00:00Z"
        )
    robots.write_bytes(data)
    urls = urls_file(
        tmp_path, [f"https://h{i % 13}.example/{p}/{i}" for i in range(200) for p in ("x", "y")]
    )
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        code, _, _ = run(
            urls, "--preferences", str(robots), "--for", "train-genai", "-j", jobs, "-o", str(out)
        )
        assert code == 3  # h12 has no capture
        outs.append(out.read_bytes())
    code, printed, _ = run(urls, "--preferences", str(robots), "--for", "train-genai", "-j", "2")
    assert code == 3
    assert outs[0] == outs[1] == printed.encode() and outs[0].count(b"\n") == 401
    assert len(copied) == 4  # two pieces spooled to the file, two to standard output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert list(spool.iterdir()) == []
    assert gc.get_freeze_count() == 0


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["audit", "--help"])
    assert result.exit_code == 0
    for option in ("--preferences", "--for", "--at", "--changed-since", "--column", "--engine"):
        assert option in result.stdout
    assert "audit" in CliRunner().invoke(main, ["--help"]).stdout


def test_an_interrupted_write_removes_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: Ctrl-C while the parent copied in a worker's piece left the spool
    folder beside the output (the chunks' generator was suspended, not closed, before
    the CLI's os._exit); run_audit now closes it."""
    from ccsig.audit.run import build_table, options_of, run_audit
    from ccsig.report import audit as report_audit

    monkeypatch.setattr(local, "PIECE", 2000)
    robots = tmp_path / "r.warc.gz"
    body = b"User-agent: *\nDisallow: /p/\n"
    robots.write_bytes(member("https://h.example/robots.txt", http("200 OK", [], body)))
    urls = urls_file(tmp_path, [f"https://h.example/{n}" for n in range(600)])
    options = options_of("train-genai")
    table = build_table([str(robots)], options, lambda message: None)
    out = tmp_path / "out" / "audit.jsonl"
    out.parent.mkdir()

    def interrupted(piece: object, stream: object) -> None:
        assert [p.name for p in out.parent.iterdir() if p.name.startswith(".ccsig-audit-")]
        assert gc.get_freeze_count() > 0  # the table, kept out of the workers' collections
        raise KeyboardInterrupt

    monkeypatch.setattr(report_audit, "_copy_in", interrupted)
    with pytest.raises(KeyboardInterrupt) as caught:
        run_audit(urls, table, options, output=str(out), jobs=2)
    # while the exception lives (the CLI leaves inside its handler), so do its frames
    assert caught.value is not None and list(out.parent.iterdir()) == []
    assert gc.get_freeze_count() == 0  # and given back to the parent's


def test_a_spool_a_killed_audit_left_is_removed_by_the_next(tmp_path: Path) -> None:
    import subprocess
    import sys

    from ccsig.audit.spool import spool_folder

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".ccsig-audit-{gone}-abc"
    stale.mkdir()
    (stale / "piece.part").write_bytes(b"{}\n")
    with spool_folder(str(tmp_path)) as folder:
        assert folder is not None and os.path.basename(folder).startswith(".ccsig-audit-")
        assert not stale.exists()
    assert list(tmp_path.iterdir()) == []
