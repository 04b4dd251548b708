"""`ccsig --help` lists every command with its one-line help, read from
`ccsig.cli.COMMANDS` so that no command's module is imported: the same listing the
commands' own docstrings give."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from ccsig.cli import COMMANDS, main


def _command(name: str) -> click.Command:
    module, _ = COMMANDS[name]
    command = getattr(importlib.import_module(module), name)
    assert isinstance(command, click.Command)
    return command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    """At any width, the line the table gives is the line click cuts from the docstring."""
    command = _command(name)
    _, summary = COMMANDS[name]
    for limit in range(10, 200):
        listed = click.Command(name, help=summary).get_short_help_str(limit)
        assert listed == command.get_short_help_str(limit), limit


@pytest.mark.parametrize("width", [60, 80, 200])
def test_help_lists_what_an_eager_group_lists(width: int) -> None:
    """Byte for byte what click.Group would print with every command loaded."""
    eager = click.Group(
        main.name,
        commands=[_command(name) for name in COMMANDS],
        params=main.params,
        help=main.help,
        context_settings=main.context_settings,
    )
    lazy = CliRunner().invoke(main, ["--help"], terminal_width=width)
    loaded = CliRunner().invoke(eager, ["--help"], terminal_width=width)
    assert lazy.exit_code == 0 and loaded.exit_code == 0
    assert lazy.stdout == loaded.stdout
    assert all(f"\n  {name} " in lazy.stdout for name in COMMANDS)


def test_help_imports_no_command() -> None:
    code = (
        "import sys\n"
        "from ccsig.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ccsig.cli.') and m not in "
        "('ccsig.cli._shared',)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "  parse " in done.stdout
    assert done.stderr == "[]\n"
