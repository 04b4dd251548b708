"""Where each value of a JSON text sits, so a member can be added without rewriting the rest.

Takes: JSON text that `json.loads` accepts (check it with `json.loads` first; this walker
assumes valid JSON and reports nothing better than an AssertionError otherwise).
Gives: a tree of `JsonObject`, `JsonArray` and `JsonLeaf` nodes carrying their character
spans, and `Insertion`s that add a member to an object or an item to an array written in
the style that object or array already uses (its separators and indentation). Applying
insertions only ever adds characters: every original character stays where it was.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_SPACED = re.compile(r"[,:] ")


@dataclass(frozen=True)
class JsonLeaf:
    """A string, number, true, false or null: text[start:end]."""

    start: int
    end: int
    value: Any


@dataclass(frozen=True)
class Member:
    key: str
    key_start: int  # the opening quote of the key
    key_end: int  # just after the closing quote
    value: JsonNode


@dataclass(frozen=True)
class JsonObject:
    start: int  # the "{"
    end: int  # just after the "}"
    members: tuple[Member, ...]

    def get(self, key: str) -> JsonNode | None:
        """The value of the last member named `key`, as json.loads keeps it."""
        return next((m.value for m in reversed(self.members) if m.key == key), None)


@dataclass(frozen=True)
class JsonArray:
    start: int
    end: int
    items: tuple[JsonNode, ...]


JsonNode = JsonObject | JsonArray | JsonLeaf


@dataclass(frozen=True)
class Insertion:
    at: int
    text: str


def parse_spans(text: str) -> JsonNode:
    """The span tree of a JSON text."""
    start = 1 if text.startswith("\ufeff") else 0  # json.loads(bytes) accepts a UTF-8 BOM
    node, end = _value(text, _skip(text, start))
    assert _skip(text, end) == len(text), "text after the JSON value"
    return node


def objects(node: JsonNode, skip_keys: frozenset[str] = frozenset()) -> Iterator[JsonObject]:
    """Every object in document order, not descending into members named in `skip_keys`."""
    if isinstance(node, JsonObject):
        yield node
        for member in node.members:
            if member.key not in skip_keys:
                yield from objects(member.value, skip_keys)
    elif isinstance(node, JsonArray):
        for item in node.items:
            yield from objects(item, skip_keys)


def add_member(text: str, obj: JsonObject, key: str, value_json: str) -> Insertion:
    """Add ``"key": value`` after the last member of `obj`, spaced like its other members."""
    key_json = json.dumps(key)
    if not obj.members:
        return Insertion(obj.start + 1, f"{key_json}: {value_json}")
    last = obj.members[-1]
    separator = _separator(text, obj.start, [(m.key_start, m.value.end) for m in obj.members])
    # The commonest spacing round the colons: the last member may be laid out unusually.
    colon = Counter(text[m.key_end : m.value.start] for m in obj.members).most_common(1)[0][0]
    return Insertion(last.value.end, f",{separator}{key_json}{colon}{value_json}")


def add_item(text: str, array: JsonArray, item_json: str) -> Insertion:
    """Append an item to `array`, spaced like its other items."""
    if not array.items:
        return Insertion(array.start + 1, item_json)
    separator = _separator(text, array.start, [(i.start, i.end) for i in array.items])
    return Insertion(array.items[-1].end, f",{separator}{item_json}")


def wrap_in_array(text: str, leaf: JsonLeaf, item_json: str) -> list[Insertion]:
    """Turn a value into a two-item array, the value first: ``v`` becomes ``[v, item]``."""
    return [Insertion(leaf.start, "["), Insertion(leaf.end, f",{spacing(text)}{item_json}]")]


def apply(text: str, insertions: Iterable[Insertion]) -> str:
    """The text with every insertion made (insertions at one place keep their order)."""
    out, last = [], 0
    for insertion in sorted(insertions, key=lambda i: i.at):
        out.append(text[last : insertion.at])
        out.append(insertion.text)
        last = insertion.at
    out.append(text[last:])
    return "".join(out)


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character, as json.JSONDecodeError counts them."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _separator(text: str, opening: int, spans: list[tuple[int, int]]) -> str:
    """What follows a comma between entries (say ``"\\n    "``), or the opening bracket.

    A one-line container with a single entry has no comma to copy: one space then,
    unless the document is written without any (``{"a":1,"b":2}``).
    """
    if len(spans) >= 2:
        between = text[spans[-2][1] : spans[-1][0]]
        return between[between.index(",") + 1 :]
    leading = text[opening + 1 : spans[0][0]]
    return leading or spacing(text)


def spacing(text: str) -> str:
    """One space when the document puts spaces after its commas or colons, else nothing."""
    return " " if _SPACED.search(text) else ""


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _value(text: str, i: int) -> tuple[JsonNode, int]:
    if text[i] == "{":
        return _object(text, i)
    if text[i] == "[":
        return _array(text, i)
    value, end = _DECODER.raw_decode(text, i)
    return JsonLeaf(i, end, value), end


def _object(text: str, start: int) -> tuple[JsonObject, int]:
    members: list[Member] = []
    i = _skip(text, start + 1)
    if text[i] == "}":
        return JsonObject(start, i + 1, ()), i + 1
    while True:
        # scanstring is json.decoder's string reader; typeshed leaves it undeclared
        key, key_end = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        colon = _skip(text, key_end)
        assert text[colon] == ":"
        value, end = _value(text, _skip(text, colon + 1))
        members.append(Member(key, i, key_end, value))
        i = _skip(text, end)
        if text[i] == "}":
            return JsonObject(start, i + 1, tuple(members)), i + 1
        assert text[i] == ","
        i = _skip(text, i + 1)


def _array(text: str, start: int) -> tuple[JsonArray, int]:
    items: list[JsonNode] = []
    i = _skip(text, start + 1)
    if text[i] == "]":
        return JsonArray(start, i + 1, ()), i + 1
    while True:
        item, end = _value(text, i)
        items.append(item)
        i = _skip(text, end)
        if text[i] == "]":
            return JsonArray(start, i + 1, tuple(items)), i + 1
        assert text[i] == ","
        i = _skip(text, i + 1)
