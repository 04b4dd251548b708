"""Statements of preference found on the web, from any system, and how they combine.

Takes: what robots.txt, HTTP response headers or /.well-known/tdmrep.json say about
one document: aipref Content-Usage values, or terms of other systems (Content-Signal,
TDMRep, X-Robots-Tag) that vocab/mappings.ttl maps onto aipref categories.
Gives: `WebStatement`s, each read through the same expression semantics as a catalog's
ccsig:contentUsage (ccsig.model.expression: hierarchy fallback, CC signal exceptions), and
`combine`, the most restrictive effective preference per category label across all
statements about a document (draft-ietf-aipref-vocab, "combining"): disallow if any
statement disallows, else allow if any allows, else unknown.

A mapped statement is turned into the aipref expression it amounts to (Content-Signal
``ai-train=no`` is ``train-ai=n``), so nothing about categories is decided twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, MappedTerm, load_ontology

CONTENT_USAGE = "content-usage"  # the system of aipref's own Content-Usage values


@dataclass(frozen=True)
class WebStatement:
    system: str  # content-usage, content-signal, tdmrep, x-robots-tag
    via: str  # where in the response: robots.txt, header, tdmrep.json
    as_written: str  # the value (or directive) as found
    parsed: ParsedExpression  # the aipref expression it amounts to, parsed
    location: str | None = None  # the URL or file it was read from
    note: str | None = None  # e.g. a TDMRep policy link, recorded, not read

    @property
    def expression(self) -> str:
        return self.parsed.expression

    @property
    def preferences(self) -> dict[str, str]:
        """Every category label of the vocabulary -> allow, disallow or unknown."""
        return self.parsed.effective

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "system": self.system,
            "via": self.via,
            "as_written": self.as_written,
            "expression": self.expression,
            "parsed": self.parsed.parsed,
            "preferences": self.preferences,
        }
        if self.parsed.effective_exceptions:
            out["exceptions"] = self.parsed.effective_exceptions
        if self.location is not None:
            out["location"] = self.location
        if self.note is not None:
            out["note"] = self.note
        if self.parsed.error is not None:
            out["error"] = self.parsed.error
        return out


def content_usage(
    value: str,
    via: str,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
) -> WebStatement:
    """An aipref Content-Usage value (robots.txt rule or header field)."""
    return WebStatement(
        CONTENT_USAGE, via, value, parse_expression(value, vocabulary), location=location
    )


def mapped(
    system: str,
    pairs: Iterable[tuple[str, str | None]],
    as_written: str,
    via: str,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
    media_type: str | None = None,
    note: str | None = None,
) -> WebStatement:
    """A statement of another system: (term, value term) pairs, read through
    vocab/mappings.ttl. A value of None means the term carries its own value
    (X-Robots-Tag: noai). Terms and values ccsig does not map state nothing, and
    terms for other media types than `media_type` do not apply."""
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    tokens = ontology.value_tokens
    members: dict[str, str] = {}
    for term, value in pairs:
        mapping = ontology.mapped(system, term)
        if mapping is None:
            continue
        if mapping.media_type_prefix and not (media_type or "").lower().startswith(
            mapping.media_type_prefix
        ):
            continue
        meaning = mapping.meaning
        if value is not None:
            value_mapping = ontology.mapped(system, value)
            meaning = value_mapping.meaning if value_mapping is not None else None
        if meaning not in tokens:
            continue
        for label in mapping.labels_in(vocab):
            members[label] = tokens[meaning]  # a later term wins, as in a dictionary
    expression = ", ".join(f"{label}={token}" for label, token in members.items())
    return WebStatement(
        system,
        via,
        as_written,
        parse_expression(expression, vocabulary),
        location=location,
        note=note,
    )


def odd_spellings(system: str, pairs: Iterable[tuple[str, str | None]]) -> list[str]:
    """The terms and values of `pairs` that are spellings the system does not define but
    ccsig reads (owl:deprecated in vocab/: Content-Signal ``allow`` for ``yes``), each
    once, as ``'ai-train=allow' (read as yes)``-style phrases for a warning."""
    ontology = load_ontology()
    out: list[str] = []
    for term, value in pairs:
        for word in (term, value):
            mapping = ontology.mapped(system, word) if word is not None else None
            if mapping is None or not mapping.deprecated:
                continue
            standard = _standard_spelling(system, mapping)
            phrase = f"{word!r}" + (f" (read as {standard!r})" if standard else "")
            if phrase not in out:
                out.append(phrase)
    return out


def _standard_spelling(system: str, mapping: MappedTerm) -> str | None:
    for other in load_ontology().mapped_terms.values():
        if (
            other.system == system
            and not other.deprecated
            and other is not mapping
            and other.meaning == mapping.meaning
            and other.labels == mapping.labels
            and other.to_root == mapping.to_root
            and other.signal == mapping.signal
        ):
            return other.term
    return None


def combine(
    statements: Iterable[WebStatement], vocabulary: str = DEFAULT_VOCABULARY
) -> dict[str, str]:
    """Every category label -> the most restrictive effective preference of the statements."""
    ontology = load_ontology()
    allow, disallow, unknown = ontology.value_names["y"], ontology.disallow, ontology.unknown
    labels = ontology.vocabulary(vocabulary).labels
    combined = dict.fromkeys(labels, unknown)
    for statement in statements:
        for label in labels:
            value = statement.preferences.get(label, unknown)
            if value == disallow or (value == allow and combined[label] == unknown):
                combined[label] = value
    return combined


def combine_exceptions(
    statements: Iterable[WebStatement], vocabulary: str = DEFAULT_VOCABULARY
) -> dict[str, str]:
    """Category label -> the CC signal token under which the combined disallow of
    `combine` is lifted, for the labels that have one (the ``exceptions`` of ``ccsig
    parse``, across statements), in the vocabulary's order.

    Every statement that disallows the category must name a signal (a plain disallow
    is not lifted by any); the signal shown is the one whose elements are those of all
    named together: ``cc-cr`` and ``cc-cr-ec`` give ``cc-cr-ec``, as committing to its
    elements lifts both, as `ccsig check` decides. When no signal has exactly those
    elements (``cc-cr-dc`` beside ``cc-cr-ec``), the tokens named, space-separated."""
    ontology = load_ontology()
    disallow = ontology.disallow
    labels = ontology.vocabulary(vocabulary).labels
    statements = list(statements)
    out: dict[str, str] = {}
    for label in labels:
        named: list[str] = []
        for statement in statements:
            if statement.preferences.get(label) != disallow:
                continue
            token = statement.parsed.effective_exceptions.get(label)
            if token is None or token not in ontology.signals:
                named = []
                break
            if token not in named:
                named.append(token)
        if not named:
            continue
        if len(named) == 1:
            out[label] = named[0]
            continue
        elements = {e.name for token in named for e in ontology.signals[token].elements}
        covering = [
            token
            for token, signal in ontology.signals.items()
            if {e.name for e in signal.elements} == elements
        ]
        out[label] = covering[0] if covering else " ".join(sorted(named))
    return out
