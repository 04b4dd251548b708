"""The wheel, not the checkout: vocab/, shapes/ and queries/ ship inside it and
load with importlib.resources from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the wheel and pip-install it (without dependencies) into a fresh target."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(work),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = work.glob("ccsig-*.whl")
    target = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return wheel, target


def test_wheel_contains_the_data_folders(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind, sample in (
        ("vocab", "ccsig.ttl"),
        ("vocab", "context.jsonld"),
        ("vocab", "contexts/schemaorg.jsonld"),  # schema.org's, resolved offline
        ("vocab", "contexts/README.md"),  # its licence
        ("vocab", "plus.ttl"),
        ("vocab", "contexts/odrl.jsonld"),
        ("vocab", "contexts/dcat-us-1.1.jsonld"),
        ("shapes", "ccsig-shapes.ttl"),
        ("queries", "internal/vocabulary-categories.rq"),
    ):
        assert f"ccsig/_data/{kind}/{sample}" in names
    assert "ccsig/publish/docs.css" in names  # vocab --format html inlines it


def test_wheel_ships_py_typed(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    assert "ccsig/py.typed" in zipfile.ZipFile(wheel).namelist()


def _run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts the installed copy ahead of any editable install of the checkout.
    env = {**os.environ, "PYTHONPATH": str(target)}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_installed_package_loads_its_own_data(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    probe = (
        "import ccsig, ccsig.resources as r; from ccsig.validation import shacl as v;"
        "print(ccsig.__file__); print(r.data_dir('vocab')); print(r.data_dir('shapes'));"
        "print(len(v.shapes_graph()))"
    )
    done = _run_installed(target, tmp_path, "-c", probe)
    assert done.returncode == 0, done.stderr
    module, vocab, shapes, n_shapes = done.stdout.split("\n")[:4]
    for line in (module, vocab, shapes):
        assert line.startswith(str(target)), line
        assert not line.startswith(str(ROOT))
    assert int(n_shapes) > 50


def test_installed_cli_validates_the_examples_from_elsewhere(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, target = installed
    examples = ROOT / "examples"
    done = _run_installed(
        target,
        tmp_path,
        "-m",
        "ccsig.cli",
        "validate",
        str(examples / "catalog.ttl"),
        str(examples / "croissant.json"),
    )
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stdout.splitlines()[-1]
    # a landing page naming schema.org's context: resolved from the wheel's copy
    page = str(examples / "landing-page.html")
    done = _run_installed(target, tmp_path, "-m", "ccsig.cli", "validate", page)
    assert done.returncode == 0 and "conforms" in done.stdout, done.stderr
    done = _run_installed(target, tmp_path, "-m", "ccsig.cli", "vocab", "--format", "text")
    assert done.returncode == 0 and "aipref-07" in done.stdout and "cc-cr-ec" in done.stdout
    done = _run_installed(target, tmp_path, "-m", "ccsig.cli", "parse", "ai-use=n;exceptions=cc-cr")
    assert done.returncode == 0 and "cc-cr" in done.stdout
