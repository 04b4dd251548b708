"""Blank-node datasets (every Croissant file has one) get the same readable label in every
command, both engines and every format, and output is byte-identical run to run: each
command runs twice, in separate processes with different hash seeds, and the bytes are
compared (regression: labels were pyoxigraph's random ids, new on every run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import EXAMPLES, REFERENCE_DIR, ROOT

CROISSANT = str(EXAMPLES / "croissant.json")
UNSIGNED = str(EXAMPLES / "unsigned-croissant.json")
SQUAD = str(REFERENCE_DIR / "croissant" / "huggingface-squad_v2.json")
BROKEN = str(EXAMPLES / "broken" / "croissant.json")

# (name, arguments); {out} is a file in the run's own folder, read back after the command
COMMANDS = [
    ("validate-fast", ["validate", CROISSANT, BROKEN]),
    ("validate-fast-json", ["validate", CROISSANT, BROKEN, "--format", "json"]),
    ("validate-reference", ["validate", CROISSANT, BROKEN, "--engine", "reference"]),
    ("validate-reference-o", ["validate", BROKEN, "--engine", "reference", "-o", "{out}.json"]),
    ("check", ["check", CROISSANT, UNSIGNED, "--for", "train-genai"]),
    ("check-json", ["check", CROISSANT, UNSIGNED, "--for", "train-genai", "--format", "json"]),
    ("check-reference", ["check", CROISSANT, "--for", "train-genai", "--engine", "reference"]),
    ("infer", ["infer", CROISSANT, "-o", "{out}.ttl"]),
    ("infer-json-ld", ["infer", CROISSANT, "--format", "json-ld"]),
    ("query", ["query", "unsignalled", UNSIGNED, CROISSANT]),
    ("query-json", ["query", "unsignalled", UNSIGNED, "--format", "json"]),
]

# One process runs every command through click, so a run costs one interpreter start.
SCRIPT = """
import json, sys
from pathlib import Path
from click.testing import CliRunner
from ccsig.cli import main
commands, folder = json.loads(sys.argv[1]), Path(sys.argv[2])
out = {}
for name, args in commands:
    target = str(folder / name)
    args = [a.replace("{out}", target) for a in args]
    done = CliRunner().invoke(main, args)
    written = [Path(a) for a in args if a.startswith(target)]
    out[name] = [done.exit_code, done.stdout, done.stderr] + [p.read_text() for p in written]
print(json.dumps(out))
"""


def _run_all(folder: Path, seed: str) -> dict[str, list[object]]:
    folder.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(COMMANDS), str(folder)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    return dict(json.loads(done.stdout))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[object]], ...]:
    base = tmp_path_factory.mktemp("runs")
    return _run_all(base / "a", "1"), _run_all(base / "b", "2")


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_writes_the_same_bytes_on_every_run(
    two_runs: tuple[dict[str, list[object]], ...], name: str
) -> None:
    first, second = two_runs
    assert first[name][0] in (0, 1), first[name]
    assert first[name] == second[name]


def test_blank_node_datasets_are_named_from_the_data_everywhere(
    two_runs: tuple[dict[str, list[object]], ...],
) -> None:
    first = two_runs[0]
    shown = {name: "".join(str(x) for x in first[name][1:]) for name, _ in COMMANDS}
    for name in ("check", "check-json", "check-reference", "infer", "infer-json-ld"):
        assert "_:city-archive-transcripts" in shown[name], name
    for name in ("validate-fast", "validate-fast-json", "validate-reference-o"):
        assert "_:broken-signals" in shown[name], name
    assert shown["validate-fast"] == shown["validate-reference"]
    assert "_:city-archive-photos" in shown["query"]


def test_two_datasets_of_one_name_in_two_files_stay_apart(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ccsig.cli import main

    done = CliRunner().invoke(main, ["check", CROISSANT, CROISSANT, "--for", "train-genai"])
    assert "_:city-archive-transcripts " in done.stdout
    assert "_:city-archive-transcripts-2 " in done.stdout


def test_a_real_croissant_file_names_its_dataset() -> None:
    from click.testing import CliRunner

    from ccsig.cli import main

    if not Path(SQUAD).exists():
        pytest.skip("reference Croissant files not found")
    done = CliRunner().invoke(main, ["check", SQUAD, "--for", "train-genai"])
    assert "_:squad_v2 " in done.stdout
