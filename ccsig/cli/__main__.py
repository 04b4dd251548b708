"""`python -m ccsig.cli`: the `ccsig` command."""

from ccsig.cli import entry

entry()
