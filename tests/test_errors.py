"""ccsig.errors: how data is shown in messages and text output; the hostile values of
an attack run reach no terminal raw, through any command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.cli import main
from ccsig.errors import MESSAGE_LIMIT, escaped, one_line, shown
from tests.helpers.warc import http, member

# What no byte of ccsig's text output or messages may be, from data: C0 (but the line
# breaks and tabs ccsig writes itself), DEL, C1, bidi controls.
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\u202egnp.exe\x9b1m\x7f"


def test_escaped_writes_controls_as_escapes() -> None:
    assert escaped("a\x1b[31mb") == "a\\x1b[31mb"
    assert escaped("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert escaped("\x9b\x7f\x00") == "\\x9b\\x7f\\x00"
    assert escaped("é ü 日本 \\x1b") == "é ü 日本 \\x1b"  # text, and backslashes, stay


def test_shown_caps_a_quoted_value() -> None:
    assert shown("abc") == "'abc'"
    assert shown("a\x1bb") == "'a\\x1bb'"
    long = shown("x" * 1000)
    assert long == "'" + "x" * 200 + "'\u2026(800 more)"
    assert shown(b"\x1b" + b"y" * 500, 10) == "'\\x1b" + "y" * 9 + "'\u2026(491 more)"


def test_one_line_caps_and_joins() -> None:
    assert one_line("a\n  b\tc\x1b") == "a b c\\x1b"
    huge = one_line("e" * 10_000_000)
    assert len(huge) < MESSAGE_LIMIT + 30 and huge.endswith("(9998000 more)")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_nothing_raw_gets_through(text: str, limit: int) -> None:
    for out in (escaped(text), shown(text, limit), one_line(text, limit)):
        assert _RAW.search(out) is None and "\n" not in one_line(text)
    assert len(shown(text, limit)) <= 4 * limit + 40  # an escape is at most 6 characters


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_shown_reads_any_bytes(data: bytes) -> None:
    assert _RAW.search(shown(data, 50)) is None


# ------------------------------------------------------------- through the commands


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, list(args), input=stdin)
    return done.exit_code, done.stdout, done.stderr


def _clean(*outputs: str) -> None:
    for out in outputs:
        assert _RAW.search(out) is None, repr(out)


def test_validate_text_and_messages_escape_a_hostile_literal(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    literal = HOSTILE.replace("\\", "").replace('"', "")
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        f'<https://e.example/d> ccsig:contentUsage "train-ai=n, {literal}" .\n',
        encoding="utf-8",
    )
    code, out, err = _run("validate", str(catalog))
    assert out or err
    _clean(out, err)
    assert "\\x1b" in out + err  # shown, as an escape


def test_check_text_escapes_what_the_data_says(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        f'<https://e.example/d> ccsig:contentUsage "train-ai=n;{HOSTILE}=y" .\n',
        encoding="utf-8",
    )
    code, out, err = _run("check", str(catalog), "--for", "train-ai")
    assert out
    _clean(out, err)


def test_robots_text_escapes_its_rules(tmp_path: Path) -> None:
    robots = tmp_path / "robots.txt"
    robots.write_text(
        f"User-agent: *\nContent-Usage: train-ai=n {HOSTILE}\nDisallow: /{HOSTILE}\n",
        encoding="utf-8",
    )
    code, out, err = _run("robots", str(robots), "--agent", "x", "--path", "/a")
    assert code == 0 and "rule: train-ai=n \\x1b" in out
    _clean(out, err)


def test_header_text_and_warnings_escape_values() -> None:
    code, out, err = _run("header", f"Content-Usage: train-ai=n, x{HOSTILE}=y", f"X{HOSTILE}: 1")
    _clean(out, err)


def test_parse_text_escapes_the_expression() -> None:
    code, out, err = _run("parse", f"train-ai=n, {HOSTILE}")
    assert code == 0 and "\\x1b" in out
    _clean(out, err)


def test_scan_warnings_escape_target_uris(tmp_path: Path) -> None:
    warc = tmp_path / "w.warc.gz"
    warc.write_bytes(
        member(f"gopher://e.example/{HOSTILE}", http("200 OK", []))
        + member("https://e.example/p", http("200 OK", ["Content-Usage: train-ai=n;x=\x1b[2J"]))
    )
    code, out, err = _run("scan", str(warc), "-j", "1")
    assert code == 3 and err
    _clean(err)


def test_an_error_about_a_huge_line_is_one_short_line(tmp_path: Path) -> None:
    # regression: a 1 GB sparse file gave a 1 GB error line
    big = tmp_path / "big.ttl"
    with big.open("wb") as f:
        f.write(b"<a> <b> \x1b[2J")
        f.truncate(20_000_000)
    code, out, err = _run("validate", str(big))
    assert code == 2 and err.count("\n") == 1
    assert len(err) < MESSAGE_LIMIT + 100
    _clean(err)


@pytest.mark.parametrize("name", [f"x{HOSTILE}.ttl"])
def test_a_hostile_file_name_is_escaped_in_errors(tmp_path: Path, name: str) -> None:
    code, out, err = _run("validate", str(tmp_path / name))
    assert code == 2
    _clean(err)
