"""Errors ccsig reports to its users as one line, with exit status 2."""

from __future__ import annotations


class CcsigError(Exception):
    """Something the user gave ccsig cannot be used; the message says what and where."""


class InputError(CcsigError):
    """An input file or value cannot be read.

    `location` is the file name, with ``:line`` or ``:line:column`` where known.
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}" if location else message)


class UnknownVocabularyError(CcsigError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown vocabulary {name!r}; known vocabularies: {', '.join(known)}")


class IncompleteDeclarationError(CcsigError):
    """A declaration would state less than the expression as written: `dropped` says
    what it leaves out and why; `canonical` is what it would state."""

    def __init__(self, expression: str, canonical: str, dropped: list[str]) -> None:
        self.expression = expression
        self.canonical = canonical
        self.dropped = dropped
        stated = repr(canonical) if canonical else "nothing"
        reasons = (
            dropped[0]
            if len(dropped) == 1
            else " ".join(f"({n}) {reason}" for n, reason in enumerate(dropped, 1))
        )
        super().__init__(f"{expression!r} would be declared as {stated}: {reasons}")
