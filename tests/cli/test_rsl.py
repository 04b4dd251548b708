"""`ccsig rsl`: the command over ccsig.ingest.rsl and ccsig.lift.rsl."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES

LICENSE = EXAMPLES / "web" / "license.rsl"


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_text_shows_each_licence_and_the_governing_content() -> None:
    code, out, err = run("rsl", str(LICENSE), "--url", "/photos/cat.jpg")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert "content / (line 4)" in lines
    assert "    amounts to: train-ai=n;exceptions=cc-cr" in lines
    assert "/photos/cat.jpg: governed by content /photos/* (line 17)" in lines


def test_json_is_stable_and_answers_per_url(tmp_path: Path) -> None:
    out_file = tmp_path / "out.json"
    code, _, _ = run("rsl", str(LICENSE), "--url", "/a", "--url", "/photos/x", "-o", str(out_file))
    assert code == 0
    data = json.loads(out_file.read_text())
    first, second = data["urls"]
    assert first["content"] == "/" and first["exceptions"]["train-ai"] == "cc-cr"
    assert second["content"] == "/photos/*" and second["preferences"]["train-ai"] == "disallow"
    assert data["contents"][0]["licenses"][1]["statement"]["system"] == "rsl"
    _, again, _ = run("rsl", str(LICENSE), "--url", "/a", "--url", "/photos/x", "--format", "json")
    assert again == out_file.read_text()


def test_standard_input_and_a_malformed_document() -> None:
    code, out, err = run("rsl", "-", stdin=b'<rsl xmlns="https://rslstandard.org/rsl">\n<content')
    assert code == 0
    assert out == "(no content)\n"
    assert err.startswith("ccsig: warning: -: line 2, column") and "Traceback" not in err


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run("rsl", str(tmp_path / "none.rsl"))
    assert code == 2 and len(err.splitlines()) == 1 and "none.rsl" in err


def test_declare_rsl_writes_a_document_rsl_reads_back(tmp_path: Path) -> None:
    out_file = tmp_path / "license.rsl"
    code, _, _ = run("declare", "train-ai=n;exceptions=cc-cr, search=y", "--format", "rsl",
                     "-o", str(out_file))  # fmt: skip
    assert code == 0
    code, out, _ = run("rsl", str(out_file), "--url", "/x", "--format", "json")
    (answer,) = json.loads(out)["urls"]
    assert answer["preferences"]["search"] == "allow"
    assert answer["exceptions"] == {"train-ai": "cc-cr", "train-genai": "cc-cr"}


def test_declare_rsl_refuses_what_rsl_cannot_say_unless_forced() -> None:
    code, out, err = run("declare", "train-genai=n;exceptions=cc-cr-ec", "--format", "rsl")
    assert code == 2 and out == "" and "train-genai" in err and "--force" in err
    code, out, err = run("declare", "train-genai=n", "--format", "rsl", "--force")
    assert code == 0 and out.startswith("<?xml") and "left out of the RSL document" in err
