"""`ccsig migrate`: expressions and catalogs carried to another draft's labels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["migrate", *args])
    return done.exit_code, done.stdout, done.stderr


def test_an_expression_is_printed_in_the_target_labels_with_one_warning_per_change() -> None:
    code, out, err = _run("train-genai=n;exceptions=cc-cr-ec", "--to", "aipref-07")
    assert (code, out) == (0, "train-ai=n;exceptions=cc-cr-ec\n")
    assert err.count("\n") == 1 and "close" in err and "train-genai (aipref-02)" in err


def test_fail_on_gates_changed_and_lost_meanings() -> None:
    assert _run("all=n", "--to", "aipref-03", "--fail-on", "changed")[0] == 0  # exact
    assert _run("train-genai=n", "--to", "aipref-07", "--fail-on", "changed")[0] == 1
    assert _run("train-genai=n", "--to", "aipref-07", "--fail-on", "lost")[0] == 0
    assert _run("ai-use=n", "--to", "aipref-07", "--fail-on", "lost")[0] == 1


def test_json_is_the_migration_label_by_label() -> None:
    code, out, _ = _run("ai-use=n, search=y", "--to", "aipref-07", "--format", "json", "-q")
    data = json.loads(out)
    assert code == 0 and data["migrated"] == "search=y" and data["from"] == "aipref-02"
    assert [(m["label"], m["relation"]) for m in data["labels"]] == [
        ("ai-use", "none"),
        ("search", "close"),
    ]
    assert out == _run("ai-use=n, search=y", "--to", "aipref-07", "--format", "json", "-q")[1]


def test_from_names_the_source_draft() -> None:
    code, out, _ = _run("train-ai=n", "--from", "aipref-07", "--to", "aipref-02", "-q")
    assert (code, out) == (0, "train-genai=n\n")


def test_in_place_rewrites_only_the_literals(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.ttl"
    shutil.copy(EXAMPLES / "catalog.ttl", catalog)
    code, out, _ = _run(str(catalog), "--to", "aipref-07", "--in-place", "-q")
    assert (code, out) == (0, "")
    text = catalog.read_text()
    assert '"train-ai=n;exceptions=cc-cr-ec"' in text and "train-genai" not in text
    assert text.startswith("# A small DCAT catalog")


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    for args in (
        ("train-ai=", "--to", "aipref-07"),
        ("train-ai=n", "--to", "aipref-9"),
        (str(broken), "--to", "aipref-07"),
    ):
        code, out, err = _run(*args)
        assert code == 2 and out == "" and err.count("\n") == 1, (args, err)
        assert "Traceback" not in err and "Error:" not in err.split(":", 2)[-1][:10]


def test_in_place_needs_a_file() -> None:
    code, _, err = _run("train-ai=n", "--to", "aipref-07", "--in-place")
    assert code == 2 and "--in-place" in err
