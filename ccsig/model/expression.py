"""Content-usage expressions: bytes in, preferences per usage category out.

Takes: an expression (bytes or str) and a vocabulary name.
Gives: a `ParsedExpression` holding, for every category label of that vocabulary,
the explicit preference, the CC signal named as exception, the effective
preference after hierarchy fallback, and warnings a person can act on.

Parsing follows the processing algorithm of draft-ietf-aipref-vocab over an
RFC 9651 dictionary, which http-sf parses:
- a parse failure of any kind leaves every category unknown;
- the last occurrence of a duplicate key wins (with its parameters);
- only the Tokens ``y`` and ``n`` state a preference, anything else is unknown;
- labels the vocabulary does not define, and parameters other than
  ``exceptions``, are ignored.
CC signals add one rule: the ``exceptions`` parameter of a disallow names a
signal token; any other exceptions value is ignored with a warning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, cast

import http_sf

from ccsig.errors import shown
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, Ontology, Vocabulary, load_ontology

EXCEPTIONS_PARAMETER = "exceptions"


@dataclass(frozen=True)
class Member:
    """One member of the parsed dictionary, after duplicate keys were resolved."""

    label: str
    known: bool  # the label names a category of the vocabulary
    value: str | None  # "allow" / "disallow" when the value is the token y / n
    value_as_written: str  # the member value serialised, e.g. 'n', '"n"', '?1'
    exceptions_as_written: str | None  # the exceptions parameter serialised, if present
    exception: str | None  # the signal token, when the exceptions parameter names one on a disallow


@dataclass(frozen=True)
class ParsedExpression:
    expression: str
    vocabulary: str
    parsed: bool
    error: str | None
    members: tuple[Member, ...]
    duplicates: tuple[str, ...]
    warnings: tuple[str, ...]
    preferences: dict[str, str] = field(repr=False)
    exceptions: dict[str, str] = field(repr=False)
    effective: dict[str, str] = field(repr=False)
    effective_exceptions: dict[str, str] = field(repr=False)

    def canonical(self) -> str:
        """The explicit preferences this expression states, as an RFC 9651 string.

        Categories in the vocabulary's order; unknown labels, non-y/n values and
        ignored exceptions dropped. The empty string means no preference at all.
        """
        ontology = load_ontology()
        tokens = ontology.value_tokens
        dictionary: dict[str, Any] = {}
        for label, value in self.preferences.items():
            if value not in tokens:
                continue
            params = {}
            if label in self.exceptions:
                params[EXCEPTIONS_PARAMETER] = http_sf.Token(self.exceptions[label])
            dictionary[label] = (http_sf.Token(tokens[value]), params)
        return http_sf.ser(dictionary) if dictionary else ""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of `ccsig parse --format json`."""
        return {
            "expression": self.expression,
            "vocabulary": self.vocabulary,
            "parsed": self.parsed,
            "preferences": self.preferences,
            "exceptions": self.exceptions,
            "effective": self.effective,
            "effective_exceptions": self.effective_exceptions,
            "canonical": self.canonical(),
            "warnings": list(self.warnings),
        }


def _as_bytes(expression: bytes | str) -> bytes:
    if isinstance(expression, bytes):
        return expression
    # Command-line arguments that were not valid UTF-8 arrive as surrogate escapes;
    # os.fsencode gives back the exact bytes the user typed.
    try:
        return expression.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(expression)


def _serialise(bare: Any) -> str:
    """A member value or parameter value written back in structured-field syntax."""
    if isinstance(bare, http_sf.Token):  # the common case: a token is written as itself
        return str(bare)
    try:
        return http_sf.ser({"v": (bare, {})})[2:] if bare is not True else "?1"
    except Exception:  # a value http-sf parsed but cannot write: describe it instead
        return repr(bare)


def _token(value: Any) -> str | None:
    return str(value) if isinstance(value, http_sf.Token) else None


def parse_expression(
    expression: bytes | str,
    vocabulary: str = DEFAULT_VOCABULARY,
    ontology: Ontology | None = None,
) -> ParsedExpression:
    """Parse one content-usage expression for the named vocabulary.

    Never raises for any input bytes; raises `UnknownVocabularyError` for an
    unknown vocabulary name.
    """
    ontology = ontology or load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    raw = _as_bytes(expression)
    text = raw.decode("utf-8", errors="backslashreplace")

    duplicates: list[str] = []

    def on_duplicate(key: str, kind: str) -> None:
        # http-sf reports repeated parameters too; only repeated dictionary keys are
        # duplicate labels (RFC 9651 sections 4.2.2 and 4.2.3.2 treat them apart).
        if kind == "dictionary":
            duplicates.append(key)

    error: str | None = None
    try:
        dictionary = http_sf.parse(raw, tltype="dictionary", on_duplicate_key=on_duplicate)
    except http_sf.StructuredFieldError as e:
        dictionary, error = {}, _explained(raw, e)
    except Exception as e:  # http-sf must not take ccsig down on odd input
        dictionary, error = {}, f"{type(e).__name__}: {e}"
    assert isinstance(dictionary, dict)

    warnings: list[str] = []
    if error is not None:
        duplicates = []
        warnings.append(f"the expression does not parse ({error}); every category is unknown")

    members = tuple(
        _member(label, value, vocab, ontology, warnings) for label, value in dictionary.items()
    )
    for label in dict.fromkeys(duplicates):
        warnings.append(f"{shown(label)} appears more than once; only its last value counts")
    return _evaluate(
        text, vocab, ontology, error, members, tuple(dict.fromkeys(duplicates)), warnings
    )


def _explained(raw: bytes, e: http_sf.StructuredFieldError) -> str:
    """http-sf's message, said plainly where it misleads: a space before ``=`` (``train-ai
    = n``) comes out as "should be followed by '=', not '='"."""
    position = getattr(e, "position", None)
    if isinstance(position, int) and 0 < position < len(raw):
        here, before = raw[position : position + 1], raw[position - 1 : position]
        if here == b"=" and before in (b" ", b"\t"):
            where = "before"
        elif here in (b" ", b"\t") and before == b"=":
            where = "after"
        else:
            return str(e)
        return f"a space {where} '=' at position {position}: RFC 9651 allows none around '='"
    return str(e)


def _member(
    label: str, member: Any, vocab: Vocabulary, ontology: Ontology, warnings: list[str]
) -> Member:
    bare, params = member if isinstance(member, tuple) else (member, {})
    known = label in vocab.by_label
    token = _token(bare)
    value = ontology.value_names.get(token) if token is not None else None
    written = _serialise(bare) if not isinstance(bare, list) else _serialise_inner(bare)
    if not known:
        warnings.append(f"{shown(label)} is not a category of {vocab.name}; ignored")
    elif value is None:
        warnings.append(
            f"{label}={written}: the value is not the token y or n; the preference is unknown"
        )

    exceptions_written: str | None = None
    exception: str | None = None
    if EXCEPTIONS_PARAMETER in params:
        param = params[EXCEPTIONS_PARAMETER]
        exceptions_written = _serialise(param)
        signal = _token(param)
        if signal not in ontology.signals:
            warnings.append(
                f"{label}: exceptions={exceptions_written} names no CC signal "
                f"(known: {', '.join(ontology.signals)}); ignored"
            )
        elif value != ontology.disallow:
            warnings.append(
                f"{label}: exceptions={exceptions_written} on a preference that is not a "
                "disallow; ignored"
            )
        elif known:
            exception = signal
    return Member(label, known, value, written, exceptions_written, exception)


def _serialise_inner(items: list[Any]) -> str:
    try:
        return http_sf.ser({"v": (items, {})})[2:]
    except Exception:
        return repr(items)


def _evaluate(
    text: str,
    vocab: Vocabulary,
    ontology: Ontology,
    error: str | None,
    members: tuple[Member, ...],
    duplicates: tuple[str, ...],
    warnings: list[str],
) -> ParsedExpression:
    unknown = ontology.unknown
    explicit = {m.label: m for m in members if m.known and m.value is not None}
    preferences = {  # explicit members have a value
        label: cast(str, explicit[label].value) if label in explicit else unknown
        for label in vocab.labels
    }
    exceptions = {m.label: m.exception for m in explicit.values() if m.exception}
    effective: dict[str, str] = {}
    effective_exceptions: dict[str, str] = {}
    for label in vocab.labels:
        # Consulting a statement: an explicit preference, else the nearest ancestor's.
        source = (
            label
            if label in explicit
            else next((a for a in vocab.ancestors(label) if a in explicit), None)
        )
        effective[label] = preferences[source] if source else unknown
        if source in exceptions:
            effective_exceptions[label] = exceptions[source]
    return ParsedExpression(
        expression=text,
        vocabulary=vocab.name,
        parsed=error is None,
        error=error,
        members=members,
        duplicates=duplicates,
        warnings=tuple(warnings),
        preferences=preferences,
        exceptions={k: exceptions[k] for k in vocab.labels if k in exceptions},
        effective=effective,
        effective_exceptions=effective_exceptions,
    )
