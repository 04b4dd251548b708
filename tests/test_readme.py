"""The README runs as written: its set-up commands are the ones CI and users run, its
console examples print what it shows, its Python example runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && ccsig ")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _setup_commands()[1] in ci


def test_readme_main_command_passes_on_the_examples() -> None:
    main_job = _setup_commands()[0].split(" && ", 1)[1]
    done = subprocess.run(main_job, shell=True, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("conforms")


def test_code_is_ruff_clean() -> None:
    done = subprocess.run(
        ["ruff", "check", "ccsig", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_readme_python_api_example_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The "Python API" section runs as written, from the repository root."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.+?)\n```", section, re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md (Python API)", "exec"), {})


def _console_blocks() -> list[list[tuple[str, list[str]]]]:
    """Per console block of the README, (command, expected output lines) for every `$ `
    line; a line `...` in the expected output stands for any number of lines."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        examples = []
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output.splitlines()))
        blocks.append(examples)
    return blocks


def _matches(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def test_elision_matches_any_lines_and_nothing_else() -> None:
    assert _matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "...", "d"], ["a", "d"])
    assert not _matches(["a", "...", "d"], ["a", "b", "c"])
    assert not _matches(["a"], ["a", "b"])


@pytest.mark.parametrize("block", _console_blocks(), ids=lambda b: b[0][0][:60])
def test_readme_console_example(block: list[tuple[str, list[str]]], tmp_path: Path) -> None:
    """Each console block runs as written, its commands in order in one folder holding a
    copy of examples/, and each prints what the README shows (standard error, then
    standard output)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for command, expected in block:
        done = subprocess.run(
            command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        actual = (done.stderr + done.stdout).splitlines()
        assert _matches(expected, actual), f"$ {command}\n" + "\n".join(actual)
