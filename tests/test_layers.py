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
    "numpy",  # (with pyarrow: the parquet extra)
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


# What starting ccsig need not load: the whole API, and the libraries only some inputs
# need (each 10-300 ms to import). `import ccsig` loads none of its own modules at all.
NOT_AT_START = (
    "ccsig.api",
    "rdflib",
    "pyshacl",
    "owlrl",
    "pyld",
    "pyRdfa",
    "c2pa",
    "lxml",
    "PIL",
    "urllib.request",
    "http.client",
)


def _python(code: str) -> str:
    """What a fresh interpreter running `code` prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _loaded_after(statement: str) -> list[str]:
    """The modules a fresh interpreter holds after `statement`."""
    return _python(f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))").split()


def test_import_ccsig_loads_nothing_of_ccsig() -> None:
    loaded = _loaded_after("import ccsig")
    assert "ccsig" in loaded
    assert [m for m in loaded if m.startswith("ccsig.")] == []
    assert [m for m in NOT_AT_START if m in loaded] == []


# `ccsig parse EXPR`, run to its end: parsing needs the vocabulary, not ccsig.api
_RUN_PARSE = """
from ccsig.cli import main
try:
    main(["parse", "train-genai=n;exceptions=cc-cr-ec", "--format", "json"])
except SystemExit as e:
    assert e.code == 0, e.code
"""


@pytest.mark.parametrize(
    "statement",
    [
        "import ccsig.cli",
        "import ccsig.cli.parse",
        "import ccsig.cli.check",
        "import ccsig.audit.run",
        pytest.param(_RUN_PARSE, id="ccsig parse EXPR"),
    ],
)
def test_starting_a_command_loads_no_heavy_library(statement: str) -> None:
    loaded = _loaded_after(statement)
    assert [m for m in NOT_AT_START if m in loaded] == []


def _type_checking_imports() -> dict[str, str]:
    """name -> module, as the package root's ``if TYPE_CHECKING:`` block imports them
    (what mypy and editors see) -- not counting typing itself."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    (block,) = [
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    ]
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "typing"
        for alias in node.names
    }


def test_public_names_resolve_lazily_to_what_type_checkers_see() -> None:
    import importlib

    import ccsig

    seen = _type_checking_imports()
    assert set(seen) | {"__version__"} == set(ccsig.__all__)
    for name, module in seen.items():
        assert getattr(ccsig, name) is getattr(importlib.import_module(module), name), name
    assert isinstance(ccsig.__version__, str)
    assert ccsig.parse("train-genai=n").effective["train-genai"] == "disallow"
    from ccsig import CheckReport, check

    assert check is ccsig.check and CheckReport is ccsig.CheckReport


def test_a_name_ccsig_lacks_is_an_attribute_error() -> None:
    import ccsig

    with pytest.raises(AttributeError, match=r"^module 'ccsig' has no attribute 'chek'$"):
        ccsig.chek  # noqa: B018
    with pytest.raises(ImportError, match="cannot import name 'chek' from 'ccsig'"):
        from ccsig import chek  # noqa: F401


def test_the_audit_function_is_not_hidden_by_the_audit_stage() -> None:
    """ccsig.audit, the function, even when ccsig/audit/ was imported first."""
    code = "import ccsig.audit.run\nimport ccsig\nprint(ccsig.audit.__module__)"
    assert _python(code) == "ccsig.api\n"
