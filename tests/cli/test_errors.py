"""Failures a user sees: one clear line, exit 2, nothing internal; Ctrl-C exits 130."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import ccsig
import ccsig.api
from ccsig.cli import main
from tests.helpers.paths import EXAMPLES

CATALOG = str(EXAMPLES / "catalog.ttl")


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("vocab", "--format", "turtle"),
        ("declare", "all=n"),
        ("migrate", "all=n", "--to", "aipref-07"),
        ("infer", CATALOG),
        ("query", "summary", CATALOG),
    ],
)
def test_an_output_in_a_missing_folder_is_one_line_naming_it(args: tuple[str, ...]) -> None:
    # regression: FileNotFoundError: ... '/nonexistent/.x.ttl._3tiqwnb.tmp' (the temp name leaked)
    target = "/nonexistent/x.txt" if args[0] == "query" else "/nonexistent/x.ttl"
    code, out, err = _run(*args, "-o", target)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "/nonexistent/x." in err
    assert ".tmp" not in err and "Error:" not in err and "no such folder" in err


@pytest.mark.parametrize("command", [("check", "--for", "all"), ("query", "summary"), ("infer",)])
@pytest.mark.parametrize("url", ["notaurl", "ftp://example.org/sparql", "http://"])
def test_an_endpoint_that_is_no_http_url_is_one_line(command: tuple[str, ...], url: str) -> None:
    # regression: `--endpoint notaurl` printed ValueError: unknown url type
    code, out, err = _run(command[0], *command[1:], "--endpoint", url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and url in err and "ValueError" not in err


def test_an_update_endpoint_that_is_no_http_url_is_one_line() -> None:
    code, _, err = _run("infer", CATALOG, "--update-endpoint", "notaurl")
    assert code == 2 and err.count("\n") == 1 and "notaurl" in err and "ValueError" not in err


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    # regression: an interrupt exited 1 (click's "Aborted!")
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ccsig, "load", interrupted)
    monkeypatch.setattr(ccsig.api, "load", interrupted)  # what ccsig.check calls
    monkeypatch.setattr(ccsig.api, "stream_check", interrupted)  # ... on files, streaming
    code, _, err = _run("check", CATALOG, "--for", "all")
    assert code == 130 and "Traceback" not in err


def test_ctrl_c_before_the_command_runs_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    # an interrupt while the command's module is imported (the group's part) is 130 too
    import ccsig.cli

    def interrupted(name: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ccsig.cli.importlib, "import_module", interrupted)
    code, _, err = _run("check", CATALOG, "--for", "all")
    assert code == 130 and "Aborted" not in err
