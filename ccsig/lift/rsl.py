"""RSL licences as statements of preference about the pages they govern.

Takes: an `RslDocument` (ccsig.ingest.rsl), a vocabulary name, and a page URL or path.
Gives: per <license> and per <content> a `WebStatement` of the system ``rsl`` whose
expression is the aipref expression the licence terms amount to, read through vocab/rsl.ttl
(its header comment is the reading, step by step); `statement_for` gives the statement of
the content that governs a page.

Nothing about categories is decided here: the usage values, their labels in each
vocabulary, their own hierarchy (which decides between a broad and a narrow value), what a
payment type means and which CC signal it amounts to are all read from the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ccsig.ingest.rsl import SYSTEM, Content, License, RslDocument, governing
from ccsig.model.expression import parse_expression
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, Ontology, load_ontology
from ccsig.model.web import WebStatement

VIA = "rsl"
PERMITS, PROHIBITS = "permits", "prohibits"


@dataclass(frozen=True)
class _Reading:
    """What one usage value of a licence says about one category."""

    depth: int  # of the RSL value in RSL's own hierarchy: narrower values decide
    prohibited: bool
    value: str  # allow / disallow
    exception: str | None  # a CC signal token, on a disallow


def _depth(ontology: Ontology, term: str) -> int:
    depth, seen = 0, {term}
    mapping = ontology.mapped(SYSTEM, term)
    while mapping is not None and mapping.broader is not None and mapping.broader not in seen:
        seen.add(mapping.broader)
        depth += 1
        mapping = ontology.mapped(SYSTEM, mapping.broader)
    return depth


def _permission(
    ontology: Ontology, content: Content, license: License
) -> tuple[str, str | None, str | None]:
    """What a <permits type="usage"> of this licence means: (value name, CC signal or None,
    why it is not a plain allow, or None)."""
    conditions: list[str] = []
    if content.server is not None:
        conditions.append(f"a licence must be obtained from the server {content.server}")
    for kind, values in ((PERMITS, license.permits), (PROHIBITS, license.prohibits)):
        for value_type in ("user", "geo"):
            if values.get(value_type):
                conditions.append(f"{kind} {value_type} {', '.join(values[value_type])}")
    meanings = set()
    signals = set()
    for payment in license.payments:
        mapping = ontology.mapped(SYSTEM, f"payment:{payment.type}")
        if mapping is None:
            conditions.append(f"payment {payment.type or '(no type)'}")
            continue
        meanings.add(mapping.meaning)
        if mapping.signal is not None:
            signals.add(mapping.signal)
    allow = ontology.value_names["y"]
    if not conditions and meanings <= {allow}:
        return allow, None, None
    if not conditions and len(signals) == 1 and meanings == {ontology.disallow}:
        signal = signals.pop()
        return ontology.disallow, signal, f"permitted to reusers who meet {signal}"
    if signals:
        conditions.append("payment " + ", ".join(sorted(p.type for p in license.payments)))
    return (
        ontology.disallow,
        None,
        "permitted only under the licence's terms: " + "; ".join(dict.fromkeys(conditions)),
    )


def _summary(license: License) -> str:
    parts = []
    for kind, values in ((PERMITS, license.permits), (PROHIBITS, license.prohibits)):
        for value_type, items in values.items():
            parts.append(f"{kind} {value_type}={','.join(items)}")
    parts += [f"payment {p.type}" for p in license.payments]
    return "; ".join(parts) or "(no terms)"


def license_statement(
    content: Content,
    license: License,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
) -> WebStatement:
    """The aipref expression one licence amounts to, as a statement."""
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    permission = _permission(ontology, content, license)
    readings: dict[str, list[_Reading]] = {}
    for kind, values in ((PERMITS, license.permits), (PROHIBITS, license.prohibits)):
        for term in values.get("usage", ()):
            mapping = ontology.mapped(SYSTEM, term)
            if mapping is None:
                continue
            value_mapping = ontology.mapped(SYSTEM, kind)
            exception: str | None = None
            if kind == PERMITS:
                value, exception = permission[0], permission[1]
            else:
                meaning = value_mapping.meaning if value_mapping else None
                value = meaning or ontology.disallow
            reading = _Reading(_depth(ontology, term), kind == PROHIBITS, value, exception)
            for label in mapping.labels_in(vocab):
                readings.setdefault(label, []).append(reading)
    tokens = ontology.value_tokens
    members = []
    for label in vocab.labels:  # the vocabulary's order, so the expression is stable
        if label not in readings:
            continue
        chosen = max(readings[label], key=lambda r: (r.depth, r.prohibited))
        member = f"{label}={tokens[chosen.value]}"
        if chosen.exception is not None:
            member += f";exceptions={chosen.exception}"
        members.append(member)
    note = f"line {license.line}"
    if permission[2] is not None and license.permits.get("usage"):
        note += f"; {permission[2]}"
    return WebStatement(
        SYSTEM,
        VIA,
        _summary(license),
        parse_expression(", ".join(members), vocabulary),
        location=location,
        note=note,
    )


def content_statement(
    content: Content, vocabulary: str = DEFAULT_VOCABULARY, location: str | None = None
) -> WebStatement:
    """What a <content>'s licences say together: they are alternatives, so per category
    allow if any licence allows, else a disallow with an exception if any offers one, else
    disallow if any disallows, else unknown."""
    statements = [
        license_statement(content, item, vocabulary, location) for item in content.licenses
    ]
    if len(statements) == 1:
        only = statements[0]
        return WebStatement(
            SYSTEM,
            VIA,
            f"<content url={content.url!r}>: {only.as_written}",
            only.parsed,
            location=location,
            note=f"content line {content.line}; licence {only.note}",
        )
    ontology = load_ontology()
    allow, disallow = ontology.value_names["y"], ontology.disallow
    tokens = ontology.value_tokens
    members = []
    for label in ontology.vocabulary(vocabulary).labels:
        values = [s.preferences.get(label) for s in statements]
        exceptions = [
            s.parsed.effective_exceptions[label]
            for s in statements
            if s.preferences.get(label) == disallow and label in s.parsed.effective_exceptions
        ]
        if allow in values:
            members.append(f"{label}={tokens[allow]}")
        elif exceptions:
            members.append(f"{label}={tokens[disallow]};exceptions={exceptions[0]}")
        elif disallow in values:
            members.append(f"{label}={tokens[disallow]}")
    lines = ", ".join(str(item.line) for item in content.licenses)
    return WebStatement(
        SYSTEM,
        VIA,
        f"<content url={content.url!r}>: {len(statements)} licences, alternatives",
        parse_expression(", ".join(members), vocabulary),
        location=location,
        note=f"content line {content.line}; licences at lines {lines or '(none)'}",
    )


def statement_for(
    document: RslDocument, url: str, vocabulary: str = DEFAULT_VOCABULARY
) -> WebStatement | None:
    """The statement of the content that governs `url` (a URL or path), or None."""
    content = governing(document, url)
    if content is None:
        return None
    return content_statement(content, vocabulary, document.location)


@dataclass
class RslReport:
    """What an RSL licence document says, per <content> and licence, and per URL asked
    about: the aipref preferences its terms amount to (vocab/rsl.ttl)."""

    document: RslDocument
    vocabulary: str
    urls: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return list(self.document.warnings)

    def statement(self, content: Content) -> WebStatement:
        """What a content's licences say together (they are alternatives)."""
        return content_statement(content, self.vocabulary, self.document.location)

    def licence_statements(self, content: Content) -> list[WebStatement]:
        return [
            license_statement(content, item, self.vocabulary, self.document.location)
            for item in content.licenses
        ]

    def governing(self, url: str) -> Content | None:
        """The content whose url pattern governs `url` (longest match), if any."""
        return governing(self.document, url)

    def to_json(self) -> dict[str, Any]:
        contents = []
        for content in self.document.contents:
            data = content.to_json()
            for licence, statement in zip(
                data["licenses"], self.licence_statements(content), strict=True
            ):
                licence["statement"] = statement.to_json()
            data["statement"] = self.statement(content).to_json()
            contents.append(data)
        out: dict[str, Any] = {"vocabulary": self.vocabulary, "contents": contents}
        if self.document.location is not None:
            out["location"] = self.document.location
        if self.urls:
            answers = []
            for url in self.urls:
                covering = self.governing(url)
                found = self.statement(covering) if covering is not None else None
                unknown = load_ontology().unknown
                labels = load_ontology().vocabulary(self.vocabulary).labels
                answers.append(
                    {
                        "url": url,
                        "content": covering.url if covering is not None else None,
                        "line": covering.line if covering is not None else None,
                        "preferences": found.preferences
                        if found is not None
                        else dict.fromkeys(labels, unknown),
                        "exceptions": found.parsed.effective_exceptions
                        if found is not None
                        else {},
                    }
                )
            out["urls"] = answers
        out["warnings"] = self.warnings
        return out
