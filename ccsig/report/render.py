"""Render ccsig results for people (text) and machines (JSON, RDF).

Takes: parsed expressions, validation reports, the ontology.
Gives: strings or bytes; writing them anywhere is the caller's job, and
`atomic_write` is how files are written. In text for people every value from the data
is escaped (ccsig.errors.escaped: control characters, DEL, bidi controls), so a
catalog literal or a robots.txt line cannot drive the terminal; JSON and RDF carry the
data exactly (their own escaping is safe).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ccsig.errors import escaped
from ccsig.lift.literals import lift
from ccsig.model.expression import ParsedExpression
from ccsig.model.namespaces import CONTENT_USAGE, curie
from ccsig.model.terms import serialise
from ccsig.model.vocabulary import Ontology, Vocabulary, category_tree

if TYPE_CHECKING:  # validation pulls in readers and lift; parse does not need them
    from ccsig.answer.compliance import CheckReport
    from ccsig.ingest.robots import RobotsAnswer
    from ccsig.lift.rsl import RslReport
    from ccsig.model.web import WebStatement
    from ccsig.validation.shacl import Report


def to_json(data: Any, pretty: bool = True) -> str:
    if pretty:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def to_json_lines(data: dict[str, Any], key: str, encoded: Iterable[str] | None = None) -> str:
    """JSON like `to_json`, but the list under `key` has one compact item per line.

    For outputs with a hundred thousand results: the indented encoder is pure Python
    and several times slower than the compact C one, and a line per result stays
    readable and diff-able. `encoded`, when given, are that list's items already
    encoded (compact JSON with the default separators).
    """
    return "".join(json_lines_blocks(data, key, encoded))


def json_lines_blocks(
    data: dict[str, Any], key: str, encoded: Iterable[str] | None = None, lines: int = 2048
) -> Iterator[str]:
    """`to_json_lines`'s text in blocks of about `lines` items, to be written as they
    come: a report of a million results is then never held whole as text (nor as bytes)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per item
    yield "{\n"
    for n, (name, value) in enumerate(data.items()):
        separator = ",\n" if n else ""
        if name != key:
            yield f"{separator}  {dumps(name)}: {dumps(value)}"
            continue
        items = iter(map(dumps, value) if encoded is None else encoded)
        first = next(items, None)
        if first is None:
            yield f"{separator}  {dumps(name)}: []"
            continue
        block = [f"{separator}  {dumps(name)}: [\n    ", first]
        for item in items:
            block += (",\n    ", item)
            if len(block) >= 2 * lines:
                yield "".join(block)
                block = []
        block.append("\n  ]")
        yield "".join(block)
    yield "\n}\n"


def check_json(report: CheckReport) -> str:
    """`to_json_lines(report.to_json(), "results")`, byte for byte, without building
    every result's dictionaries: each distinct statement outcome is encoded once, and
    catalogs repeat a few expressions over many assets."""
    return "".join(check_json_blocks(report))


def check_json_blocks(report: CheckReport) -> Iterator[str]:
    """`check_json`'s text in blocks (see `json_lines_blocks`)."""

    encode = json.JSONEncoder(ensure_ascii=False).encode
    encoded: dict[tuple[Any, ...], str] = {}

    def fields(o: Any) -> str:  # a StatementOutcome without its statement IRI
        rest = o[1:]
        text = encoded.get(rest)
        if text is None:
            data = o.to_json()
            del data["statement"]
            text = encoded[rest] = ", " + encode(data)[1:]  # ', "outcome": ..., "why": ...}'
        return text

    def result(d: Any) -> str:  # a Decision, as Decision.to_json would encode
        asset, decision, _, conditions, outcomes, explanation = d
        if len(outcomes) == 1:
            o = outcomes[0]
            statements = '{"statement": ' + encode(o[0]) + fields(o)
        else:
            statements = ", ".join('{"statement": ' + encode(o[0]) + fields(o) for o in outcomes)
        return (
            f'{{"asset": {encode(asset)}, "decision": "{decision}", '
            f'"conditions": {repeated(conditions)}, '
            f'"explanation": {repeated(explanation)}, "statements": [{statements}]}}'
        )

    @lru_cache(maxsize=65536)
    def repeated(value: Any) -> str:  # explanations and conditions repeat across assets
        return encode(list(value) if isinstance(value, tuple) else value)

    yield from json_lines_blocks(
        report.to_json(with_results=False), "results", map(result, report.results)
    )


# ------------------------------------------------------------------- parse


def expression_text(parsed: ParsedExpression, vocab: Vocabulary) -> str:
    lines = [
        f"expression  {escaped(parsed.expression)}",
        f"vocabulary  {parsed.vocabulary}",
        f"parsed      {'yes' if parsed.parsed else 'no: ' + escaped(parsed.error or '')}",
        f"canonical   {escaped(parsed.canonical()) or '(no preference)'}",
        "",
    ]
    rows = [("category", "explicit", "effective", "exception")]
    for category, depth in category_tree(vocab):
        label = category.label
        exception = parsed.effective_exceptions.get(label, "")
        if exception and label not in parsed.exceptions:
            exception += " (inherited)"
        rows.append(
            ("  " * depth + label, parsed.preferences[label], parsed.effective[label], exception)
        )
    lines.extend(_table(rows))
    if parsed.warnings:
        lines.append("")
        lines.extend(f"warning: {escaped(w)}" for w in parsed.warnings)
    return "\n".join(lines) + "\n"


def expression_rdf(parsed: ParsedExpression, fmt: str) -> bytes:
    """The expression as an annotated (blank-node) asset plus its lifted statement."""

    asset = ox.BlankNode("asset")
    literal = ox.Literal(parsed.expression)
    triples = [ox.Triple(asset, CONTENT_USAGE, literal)]
    triples.extend(lift(triples, parsed.vocabulary))
    return serialise(triples, fmt)


# ---------------------------------------------------------------- validate


def report_text(report: Report) -> str:
    lines = []
    for r in report.results:
        where = r.focus + (f" {_short(r.path)}" if r.path else "")
        lines.append(escaped(f"{r.file}: {r.severity}: {where}: {r.message}"))
    if report.show_engines:  # steward shapes were added: say which engine ran what
        for shape, engine, reason in report.engines:
            if engine != "fast":
                lines.append(f"shape {_short(shape)}: {engine} engine ({reason})")
        fast = sum(engine == "fast" for _, engine, _ in report.engines)
        lines.append(f"shapes: {fast} of {len(report.engines)} by the fast engine")
    files = len({r.file for r in report.results})
    v, w = report.count("violation"), report.count("warning")
    verdict = "conforms" if report.conforms else "does not conform"
    summary = f"{verdict}: {v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}"
    if files:
        summary += f" in {files} file{'s' * (files != 1)}"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _short(iri: str) -> str:
    return curie(iri) or f"<{iri}>"


# ------------------------------------------------------------------- vocab


def ontology_text(ontology: Ontology) -> str:
    lines = ["Usage vocabularies (category labels, indented under the category they narrow):"]
    for vocab in ontology.vocabularies.values():
        lines.append("")
        lines.append(f"{vocab.name}" + (f"  <{vocab.source}>" if vocab.source else ""))
        for category, depth in category_tree(vocab):
            lines.append(f"  {'  ' * depth}{category.label:<{24 - 2 * depth}} {category.title}")
    lines.append("")
    lines.append("CC signals (token: elements):")
    width = max(len(t) for t in ontology.signals)
    for token, signal in ontology.signals.items():
        elements = ", ".join(e.name for e in signal.elements)
        lines.append(f"  {token:<{width}}  {elements}   ({signal.title})")
    lines.append("")
    lines.append("Signal elements:")
    for element in ontology.elements.values():
        lines.append(f"  {element.name}: {element.definition}")
    return "\n".join(lines) + "\n"


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    rows = [tuple(map(escaped, row)) for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


# ------------------------------------------------------------------- check


def check_text(report: CheckReport) -> str:
    rows = [("asset", "decision", "conditions", "why")]
    for d in report.results:
        rows.append((d.asset, d.decision, ", ".join(d.conditions) or "-", d.explanation))
    lines = _table(rows)
    committed = ", ".join(report.commitments) or "nothing"
    s = report.summary
    lines.append("")
    lines.append(
        f"{len(report.results)} asset{'s' * (len(report.results) != 1)} for {report.category} "
        f"({report.vocabulary}), committing to {committed}: "
        f"{s['allowed']} allowed, {s['disallowed']} disallowed, {s['unknown']} unknown"
    )
    return "\n".join(lines) + "\n"


def check_csv(report: CheckReport) -> str:

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["asset", "decision", "conditions", "statements", "explanation"])
    for d in report.results:
        writer.writerow(
            [d.asset, d.decision, " ".join(d.conditions), len(d.statements), d.explanation]
        )
    return buffer.getvalue()


# --------------------------------------------------------------------- web


def _preference_table(
    preferences: dict[str, str], exceptions: dict[str, str] | None = None
) -> list[str]:
    """Label, preference and, where a CC signal lifts the disallow, ``exception TOKEN``."""
    exceptions = exceptions or {}
    rows = [
        (label, value, f"exception {exceptions[label]}" if label in exceptions else "")
        for label, value in preferences.items()
    ]
    return [f"  {line}" for line in _table(rows)] if rows else []


def robots_text(answers: Iterable[RobotsAnswer]) -> str:
    """`ccsig robots` for people: per path, may it be crawled, the rules, the preferences
    with their CC signal exceptions."""
    lines = []
    for a in answers:
        group = a.group if a.group is not None else "none"
        lines.append(
            escaped(f"{a.path}: {'may' if a.crawl else 'may not'} be crawled (group {group})")
        )
        lines.extend(f"  rule: {escaped(rule)}" for rule in a.rules)
        lines.extend(
            escaped(f"  content-signal: {s.as_written} ({s.note})")
            for s in a.statements
            if s.system == "content-signal"
        )
        lines.extend(escaped(f"  license: {url}") for url in a.licenses)
        lines.extend(_preference_table(a.preferences, a.exceptions))
    return "\n".join(lines) + "\n"


def header_text(
    statements: Iterable[WebStatement],
    preferences: dict[str, str],
    exceptions: dict[str, str] | None = None,
    licenses: Iterable[str] = (),
) -> str:
    """`ccsig header` for people: each statement as written, the RSL licence documents
    Link fields name, then the preferences with their CC signal exceptions."""
    rows = [escaped(f"{s.via} {s.system}: {s.as_written}") for s in statements]
    rows += [escaped(f"license (RSL): {url}") for url in licenses]
    return "\n".join([*rows, *_preference_table(preferences, exceptions)]) + "\n"


def rsl_text(report: RslReport) -> str:
    """`ccsig rsl` for people: per <content>, each licence's terms and the expression they
    amount to, then the preferences of the content; then per URL asked about, which
    content governs it and its preferences."""
    lines: list[str] = []
    for content in report.document.contents:
        server = f", licence server {content.server}" if content.server else ""
        lines.append(f"content {content.url} (line {content.line}{server})")
        for licence, statement in zip(
            content.licenses, report.licence_statements(content), strict=True
        ):
            lines.append(f"  licence (line {licence.line}): {statement.as_written}")
            lines.append(f"    amounts to: {statement.expression or '(nothing)'}")
            reason = (statement.note or "").partition("; ")[2]
            if reason:
                lines.append(f"    {reason}")
        statement = report.statement(content)
        lines.extend(
            _preference_table(statement.preferences, statement.parsed.effective_exceptions)
        )
    for url in report.urls:
        covering = report.governing(url)
        if covering is None:
            lines.append(f"{url}: no content of the document covers it")
            continue
        lines.append(f"{url}: governed by content {covering.url} (line {covering.line})")
        statement = report.statement(covering)
        lines.extend(
            _preference_table(statement.preferences, statement.parsed.effective_exceptions)
        )
    return "\n".join(lines) + "\n" if lines else "(no content)\n"
