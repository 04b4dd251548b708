"""The architecture, enforced: layers point down, no import cycle, lazy imports only
where the rules allow them, and the public API is what the README says."""

from __future__ import annotations

import ast
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT

grimp = pytest.importorskip("grimp")
importlinter = pytest.importorskip("importlinter")

PACKAGE = ROOT / "ccsig"

# Heavy libraries may be imported where they are used; nothing else. (c2pa: its c2pa-rs
# library takes ~240 ms to load, and only images with a C2PA manifest need it; lxml, Pillow
# and defusedxml only HTML pages and images; urllib.request, http.client and email, ~45 ms
# together, only remote contexts, endpoints and Link fields.) A dotted name allows that
# module and those below it.
LAZY_ALLOWED = (
    "rdflib",
    "owlrl",
    "pyshacl",
    "pyld",
    "pyspark",
    "pyarrow",
    "pyRdfa",
    "c2pa",
    "lxml",
    "PIL",
    "defusedxml",
    "urllib.request",
    "http.client",
    "email",
)


def test_layer_contract_is_kept() -> None:
    """The import-linter contract in pyproject (TYPE_CHECKING and function-local
    imports count) holds."""
    done = _lint_imports(ROOT, PACKAGE.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def _lint_imports(cwd: pathlib.Path, path: pathlib.Path) -> subprocess.CompletedProcess[str]:
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _graph():  # type: ignore[no-untyped-def]
    return grimp.build_graph("ccsig", include_external_packages=False)


def test_no_import_cycle() -> None:
    graph = _graph()
    cycles = [
        (m, n)
        for m in sorted(graph.modules)
        for n in sorted(graph.find_modules_directly_imported_by(m))
        if graph.chain_exists(importer=n, imported=m)
    ]
    assert cycles == []


def test_only_the_cli_imports_the_public_api() -> None:
    """`ccsig` (the package root, which re-exports ccsig.api) sits above every stage."""
    graph = _graph()
    importers = graph.find_modules_that_directly_import("ccsig")
    assert {m for m in importers if not m.startswith("ccsig.cli")} == set()


def _function_local_imports() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import):
                    found += [(str(path), node.lineno, a.name) for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    found.append((str(path), node.lineno, node.module or ""))
    return found


def test_lazy_imports_only_for_heavy_optional_libraries() -> None:
    offending = [
        (path, line, module)
        for path, line, module in _function_local_imports()
        if not any(module == lazy or module.startswith(lazy + ".") for lazy in LAZY_ALLOWED)
    ]
    assert offending == []


def test_a_planted_upward_import_breaks_the_contract(tmp_path: pathlib.Path) -> None:
    """The contract can fail: a copy of the package whose model imports the CLI."""
    shutil.copytree(PACKAGE, tmp_path / "ccsig", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bad = tmp_path / "ccsig" / "model" / "namespaces.py"
    bad.write_text(bad.read_text(encoding="utf-8") + "\nimport ccsig.cli._shared\n")
    done = _lint_imports(tmp_path, tmp_path)
    assert done.returncode != 0
    assert "0 kept, 1 broken" in done.stdout
    assert "ccsig.model.namespaces -> ccsig.cli._shared" in done.stdout


def test_public_api() -> None:
    import ccsig

    for name in ("parse", "validate", "check", "infer", "query", "declare", "annotate"):
        assert callable(getattr(ccsig, name)), name
    assert set(ccsig.__all__) <= set(dir(ccsig))
    import ccsig.api

    assert set(ccsig.api.__all__) <= set(ccsig.__all__)

