"""Carry content-usage expressions from one aipref draft's labels to another's.

Takes: a content-usage expression (or a catalog file holding ``ccsig:contentUsage``
literals), the vocabulary it was written for and the vocabulary to write it for.
Gives: a `Migration` per expression: the expression in the target draft's labels and, per
label as written, how its meaning travels (exact, close, narrower, broader, or no
counterpart) with the reason vocab/drafts.ttl gives; for a file, a `FileMigration` holding
the new text (nothing is written here) and the migration of each literal.

How an expression is carried, category by category of the target draft: its value is the
effective preference (hierarchy and exceptions applied) of the source category that
relates to it best, exact before close before narrower (a target category inside a source
category inherits that category's preference, as aipref's own hierarchy does). A target
category only wider than every source category it relates to gets nothing: stating a
preference there would claim more than was written. In a target draft with a hierarchy, a
category whose value its parent already gives is left out. Which category relates to which,
and why, is data (vocab/drafts.ttl through queries/internal/vocabulary-draft-matches.rq).

Files are edited textually, as `ccsig annotate --replace` does: each literal's quoted text
is replaced where it is written, and the result must read back as the original graph with
exactly those literals changed, or nothing is returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

import pyoxigraph as ox

from ccsig.errors import CcsigError, InputError
from ccsig.ingest.readers import (
    guess_format,
    input_format_of,
    read_bytes,
    resolve_contexts,
    syntax_errors,
)
from ccsig.ingest.urls import base_iri_for
from ccsig.lift.literals import is_string_literal
from ccsig.model.expression import EXCEPTIONS_PARAMETER, ParsedExpression, parse_expression
from ccsig.model.namespaces import CONTENT_USAGE
from ccsig.model.vocabulary import (
    DEFAULT_VOCABULARY,
    Ontology,
    Vocabulary,
    load_ontology,
    vocabulary_store,
)
from ccsig.resources import read_text

# Best first: how a target category may take a source category's preference.
CARRIED = ("exact", "close", "narrower")
RELATIONS = (*CARRIED, "broader", "none")
# What `--fail-on` can gate on: a label carried with a different meaning, or not carried.
CHANGED, LOST = "changed", "lost"
_SAME_DRAFT = "the same draft"


@dataclass(frozen=True)
class Match:
    """One category of the source draft and how a target category relates to it."""

    source: str  # label in the source draft
    target: str  # label in the target draft
    relation: str  # exact, close, broader (target wider), narrower (target inside)
    reason: str


@cache
def matches(source: str, target: str) -> tuple[Match, ...]:
    """How the categories of two drafts relate (vocab/drafts.ttl), in label order."""
    ontology = load_ontology()
    src, dst = ontology.vocabulary(source), ontology.vocabulary(target)
    if src.name == dst.name:
        return tuple(Match(c.label, c.label, "exact", _SAME_DRAFT) for c in src.categories)
    by_iri = {c.iri: c.label for c in (*src.categories, *dst.categories)}
    rows = cast(
        ox.QuerySolutions,
        vocabulary_store().query(read_text("queries", "internal/vocabulary-draft-matches.rq")),
    )
    found = []
    for row in rows:
        if row["fromScheme"].value != src.name or row["toScheme"].value != dst.name:
            continue
        reason = row["reason"]
        found.append(
            Match(
                by_iri[row["from"].value],
                by_iri[row["to"].value],
                row["relation"].value,
                reason.value if reason is not None else "",
            )
        )
    order = {label: i for i, label in enumerate(src.labels)}
    dst_order = {label: i for i, label in enumerate(dst.labels)}
    return tuple(sorted(found, key=lambda m: (order[m.source], dst_order[m.target])))


@dataclass(frozen=True)
class LabelMigration:
    """How one label as written travels to the target draft."""

    label: str
    value: str  # y / n as written
    relation: str  # one of RELATIONS: the best of the label's own matches
    targets: tuple[str, ...]  # the target labels it relates to at that relation
    reason: str

    @property
    def outcome(self) -> str | None:
        """None when the meaning is kept, else CHANGED or LOST."""
        if self.relation == "exact":
            return None
        return CHANGED if self.relation in CARRIED else LOST

    def text(self, source: str, target: str) -> str:
        if self.relation == "none":
            return f"{self.label} ({source}) has no counterpart in {target}; dropped"
        shown = ", ".join(self.targets)
        if self.relation == "broader":
            return (
                f"{self.label} ({source}) has only wider counterparts in {target} ({shown}); "
                f"not carried, as that would state more than was written: {self.reason}"
            )
        return f"{self.label} ({source}) -> {shown} ({target}): {self.relation}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "relation": self.relation,
            "to": list(self.targets),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Migration:
    expression: str  # as written
    migrated: str  # in the target draft's labels ("" for no preference)
    source: str
    target: str
    labels: tuple[LabelMigration, ...]
    dropped: tuple[str, ...]  # what aipref processing of the source already ignores

    @property
    def outcomes(self) -> set[str]:
        """CHANGED and LOST, as far as they happened."""
        found = {m.outcome for m in self.labels} - {None}
        if self.dropped:
            found.add(LOST)
        return cast(set[str], found)

    def warnings(self) -> list[str]:
        out = [f"left out: {reason}" for reason in self.dropped]
        out += [m.text(self.source, self.target) for m in self.labels if m.relation != "exact"]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "from": self.source,
            "to": self.target,
            "migrated": self.migrated,
            "labels": [m.to_json() for m in self.labels],
            "dropped": list(self.dropped),
        }


def migrate_expression(
    expression: str | bytes, target: str, source: str = DEFAULT_VOCABULARY
) -> Migration:
    """`expression`, read with the `source` draft's labels, in the `target` draft's."""
    ontology = load_ontology()
    src, dst = ontology.vocabulary(source), ontology.vocabulary(target)
    parsed = parse_expression(expression, src.name, ontology)
    if not parsed.parsed:
        raise CcsigError(f"{parsed.expression!r} is not a content-usage expression: {parsed.error}")
    found = matches(src.name, dst.name)
    return Migration(
        expression=parsed.expression,
        migrated=_carried(parsed, found, dst, ontology),
        source=src.name,
        target=dst.name,
        labels=tuple(_label_migrations(parsed, found, ontology)),
        dropped=parsed.warnings,
    )


def _carried(
    parsed: ParsedExpression, found: Iterable[Match], dst: Vocabulary, ontology: Ontology
) -> str:
    unknown = ontology.unknown
    tokens = ontology.value_tokens
    best: dict[str, tuple[int, str]] = {}  # target label -> (rank, source label)
    for m in found:
        if m.relation not in CARRIED or parsed.effective[m.source] == unknown:
            continue
        rank = CARRIED.index(m.relation)
        if m.target not in best or rank < best[m.target][0]:
            best[m.target] = (rank, m.source)
    given: dict[str, tuple[str, str | None]] = {}
    members = []
    for label in dst.labels:
        if label not in best:
            continue
        source = best[label][1]
        stated = (parsed.effective[source], parsed.effective_exceptions.get(source))
        inherited = next((given[a] for a in dst.ancestors(label) if a in given), None)
        given[label] = stated
        if inherited == stated:
            continue
        value, exception = stated
        member = f"{label}={tokens[value]}"
        members.append(member + (f";{EXCEPTIONS_PARAMETER}={exception}" if exception else ""))
    return ", ".join(members)


def _label_migrations(
    parsed: ParsedExpression, found: Iterable[Match], ontology: Ontology
) -> Iterable[LabelMigration]:
    by_source: dict[str, list[Match]] = {}
    for m in found:
        by_source.setdefault(m.source, []).append(m)
    tokens = ontology.value_tokens
    for label, value in parsed.preferences.items():
        if value == ontology.unknown:
            continue
        own = by_source.get(label, [])
        relation = min((m.relation for m in own), key=RELATIONS.index, default="none")
        chosen = [m for m in own if m.relation == relation]
        reason = " ".join(dict.fromkeys(m.reason for m in chosen if m.reason))
        targets = tuple(m.target for m in chosen)
        yield LabelMigration(label, tokens[value], relation, targets, reason)


# ------------------------------------------------------------------ catalog files


@dataclass(frozen=True)
class FileMigration:
    text: str  # the whole new file; equal to the original when nothing changed
    migrations: tuple[Migration, ...]  # one per distinct contentUsage literal
    changed: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def outcomes(self) -> set[str]:
        return set().union(*(m.outcomes for m in self.migrations))

    def to_json(self) -> dict[str, Any]:
        return {"changed": self.changed, "statements": [m.to_json() for m in self.migrations]}


def migrate_file(
    path: str,
    target: str,
    source: str = DEFAULT_VOCABULARY,
    input_format: str | None = None,
) -> FileMigration:
    """The text of `path` (``-`` for standard input) with every ``ccsig:contentUsage``
    literal migrated, edited where each is written."""
    data = read_bytes(path)
    input_format = input_format_of(path, input_format, data)
    fmt = guess_format(path, input_format)
    if fmt == ox.RdfFormat.RDF_XML:
        raise InputError(path, "migrate edits Turtle, TriG, N-Triples, N-Quads and JSON-LD files")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    original = _quads(path, data, fmt)
    literals = [
        q.object for q in original if q.predicate == CONTENT_USAGE and is_string_literal(q.object)
    ]
    values = list(dict.fromkeys(o.value for o in literals))
    migrations, warnings = [], []
    renamed: dict[str, str] = {}
    for value in values:
        try:
            migration = migrate_expression(value, target, source)
        except CcsigError as e:
            warnings.append(f"{e}; kept as written")
            continue
        migrations.append(migration)
        warnings += [f"{value!r}: {w}" for w in migration.warnings()]
        if migration.migrated and migration.migrated != value:
            renamed[value] = migration.migrated
        elif not migration.migrated:
            warnings.append(f"{value!r} states nothing in {migration.target}; kept as written")
    if not renamed:
        return FileMigration(text, tuple(migrations), False, warnings)
    new_text = _replace_written(path, text, fmt, renamed)
    _check(path, new_text, fmt, original, renamed)
    return FileMigration(new_text, tuple(migrations), True, warnings)


def _quads(path: str, data: bytes, fmt: ox.RdfFormat) -> list[ox.Quad]:
    if fmt == ox.RdfFormat.JSON_LD:
        data = resolve_contexts(path, data, False)
    with syntax_errors(path):
        return list(ox.parse(data, format=fmt, base_iri=base_iri_for(path)))


def _replace_written(path: str, text: str, fmt: ox.RdfFormat, renamed: dict[str, str]) -> str:
    """Every old expression, quoted as the format writes strings, replaced at once (so a
    new value that equals another old one is not replaced again)."""

    def quoted(value: str) -> str:
        if fmt == ox.RdfFormat.JSON_LD:
            return json.dumps(value, ensure_ascii=False)
        return str(ox.Literal(value))

    fresh = {quoted(old): quoted(new) for old, new in renamed.items()}
    for old in renamed:
        if quoted(old) not in text:
            raise InputError(
                path,
                f"the expression {old!r} is not written as a plain quoted string, so migrate "
                "cannot change it where it is written; edit by hand",
            )
    pattern = re.compile("|".join(re.escape(q) for q in sorted(fresh, key=len, reverse=True)))
    return pattern.sub(lambda m: fresh[m.group(0)], text)


def _check(
    path: str, new_text: str, fmt: ox.RdfFormat, original: list[ox.Quad], renamed: dict[str, str]
) -> None:
    """The edited text must read as the original with exactly the renamed literals changed.

    Only string contents changed, so the edited text parses to the same quads in the same
    order: they are compared pairwise, blank nodes matched by position (a bijection), in
    linear time; canonicalising both graphs instead cost 20 times the parse (measured,
    benchmarks/bench_migrate.py)."""
    try:
        after = _quads(path, new_text.encode("utf-8"), fmt)
    except InputError:
        after = None
    if after is None or not _same_but_renamed(original, after, renamed):
        raise InputError(
            path,
            "a migrated expression is also written elsewhere in the file, or not as a plain "
            "quoted string, so migrate cannot change it safely; nothing written, edit by hand",
        )


def _same_but_renamed(
    original: list[ox.Quad], after: list[ox.Quad], renamed: dict[str, str]
) -> bool:
    if len(original) != len(after):
        return False
    forward: dict[ox.BlankNode, ox.BlankNode] = {}
    backward: dict[ox.BlankNode, ox.BlankNode] = {}

    def same(a: object, b: object) -> bool:
        if isinstance(a, ox.BlankNode) and isinstance(b, ox.BlankNode):
            if forward.setdefault(a, b) != b or backward.setdefault(b, a) != a:
                return False
            return True
        return a == b

    for q, r in zip(original, after, strict=True):
        expected: object = q.object
        if q.predicate == CONTENT_USAGE and is_string_literal(q.object):
            literal = q.object
            if literal.value in renamed:
                fresh = renamed[literal.value]
                expected = (
                    ox.Literal(fresh, language=literal.language)
                    if literal.language
                    else ox.Literal(fresh, datatype=literal.datatype)
                )
        if not (
            same(q.subject, r.subject)
            and q.predicate == r.predicate
            and same(expected, r.object)
            and same(q.graph_name, r.graph_name)
        ):
            return False
    return True
