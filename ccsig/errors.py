"""Errors ccsig reports to its users as one line, with exit status 2, and how data is
shown in any message or text output (`escaped`, `shown`, `one_line`)."""

from __future__ import annotations

import re

# What a terminal would act on rather than show: C0 and C1 controls, DEL, and the
# bidirectional marks, embeddings, overrides and isolates (Trojan Source, CVE-2021-42574).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SHOWN_LIMIT = 200  # characters of one quoted value in a message
MESSAGE_LIMIT = 2000  # characters of one message line


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every control character, DEL and bidi control written as an escape
    (ESC as the four characters ``\\x1b``, U+202E as ``\\u202e``), so data shown on a
    terminal cannot move the cursor, recolour it, retitle the window or reorder what
    follows. JSON output needs none of this: its own escaping is exact and safe."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def shown(value: str | bytes, limit: int = SHOWN_LIMIT) -> str:
    """A value from the data, quoted for a message: at most `limit` characters of it
    ("…(N more)" after), escaped. Bytes are read as Latin-1 (every byte one character)."""
    size = len(value)
    if isinstance(value, bytes | bytearray):
        value = bytes(value[: limit + 1]).decode("latin-1")
    text = value[:limit]
    quoted = repr(escaped(text)).replace("\\\\", "\\")  # (repr doubled the escapes)
    return quoted + (f"\u2026({size - limit} more)" if size > limit else "")


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one line for standard error: runs of white space made one space,
    other controls escaped, at most `limit` characters ("…(N more)" after)."""
    head = " ".join(message[: 4 * limit].split())
    if len(head) <= limit and len(message) <= 4 * limit:
        return escaped(head)
    more = len(head) - limit + max(0, len(message) - 4 * limit)
    return f"{escaped(head[:limit])}\u2026({more} more)"


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


class UnknownCategoryError(CcsigError):
    def __init__(self, label: str, vocabulary: str, known: list[str]) -> None:
        super().__init__(
            f"{label!r} is not a usage category of {vocabulary}; "
            f"its categories are: {', '.join(known)}"
        )


class UnknownElementError(CcsigError):
    def __init__(self, name: str, known: list[str], hint: str = "") -> None:
        super().__init__(
            f"unknown signal element {name!r}; {hint}commit to one of: {', '.join(known)}"
        )


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


class InputWarning(UserWarning):
    """Something an input says that ccsig read but could not use, or cannot vouch for (an
    image's C2PA manifest that does not validate, or is damaged): one line naming the file.
    The command line prints it as a warning; a notebook shows it as Python warnings do."""
