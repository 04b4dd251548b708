"""The pre-commit hook (.pre-commit-hooks.yaml) that runs `ccsig validate` on commit."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from tests.helpers.paths import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict:
    (only,) = yaml.safe_load(MANIFEST.read_text())
    return only


def test_manifest_passes_pre_commits_own_validator() -> None:
    from pre_commit.clientlib import load_manifest

    (loaded,) = load_manifest(str(MANIFEST))
    assert loaded["id"] == "ccsig-validate" and loaded["language"] == "python"


def test_entry_is_the_installed_validate_command() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command, subcommand = hook()["entry"].split()
    assert command in scripts and subcommand == "validate"


def test_files_pattern_picks_rdf_and_leaves_other_files() -> None:
    files = re.compile(hook()["files"])
    for name in ("catalog.ttl", "data/a.jsonld", "x.nt", "x.rdf", "x.trig", "x.nq"):
        assert files.search(name), name
    for name in ("README.md", "package.json", "setup.py", "catalog.ttl.bak", "ontology.owl"):
        assert not files.search(name), name


def test_hook_file_names_no_placeholder_and_matches_the_readme() -> None:
    """The configuration shown names no made-up repository, and the README lists exactly
    the extensions the hook matches."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "OWNER" not in text and "vX.Y.Z" not in text
    extensions = re.search(r"\\.\(([a-z|]+)\)\$", hook()["files"]).group(1).split("|")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("**On commit.**", 1)[1].split("files, and Croissant", 1)[0]
    assert sorted(re.findall(r"`\.(\w+)`", listed)) == sorted(extensions)


def _as_pre_commit_runs_it(*files: Path) -> int:
    # pre-commit runs `entry` with the staged file names appended
    command, subcommand = hook()["entry"].split()
    cli = [sys.executable, "-m", "ccsig.cli", subcommand, *map(str, files)]
    return subprocess.run(cli, capture_output=True, cwd=ROOT, check=False).returncode


def test_the_hook_passes_good_metadata_and_stops_broken_metadata() -> None:
    assert _as_pre_commit_runs_it(ROOT / "examples/catalog.ttl") == 0
    assert _as_pre_commit_runs_it(ROOT / "examples/catalog.ttl",
                                  ROOT / "examples/broken/catalog.ttl") == 1  # fmt: skip
