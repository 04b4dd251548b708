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
