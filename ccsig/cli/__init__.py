"""The `ccsig` command line."""

from ccsig.cli.main import DECLARE_FORMATS, entry, main

__all__ = ["DECLARE_FORMATS", "entry", "main"]
