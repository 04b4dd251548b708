"""Named SPARQL questions (queries/*.rq) and user queries, run over an engine.

Takes: a question name or a .rq file, bindings written as ``var=value``.
Gives: variables and rows, rendered as a table, SPARQL 1.1 JSON results or CSV.

Bound values enter as RDF terms through the engine's pre-binding (pyoxigraph
substitutions, rdflib initBindings), never by pasting text into the query. A
query using SERVICE is refused unless the caller allows it: ccsig does not reach
the network on its own.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ccsig._files import read_file
from ccsig.answer.compliance import category_iri
from ccsig.errors import CcsigError, InputError, escaped
from ccsig.model.namespaces import NS, PREFIXES, curie
from ccsig.model.terms import AtomicTerm, node_label
from ccsig.resources import data_dir

Row = dict[str, AtomicTerm | None]


@dataclass(frozen=True)
class Question:
    name: str
    question: str
    parameters: str
    text: str
    classes: dict[str, str] = field(default_factory=dict)
    """Parameter name -> the class its header says a value is in (``?category  a
    ccsig:UsageCategory``), as an IRI."""

    def to_json(self) -> dict[str, Any]:
        """What `ccsig query --list --format json` says of a question."""
        return {
            "name": self.name,
            "question": self.question,
            "parameters": [p.lstrip("?") for p in self.parameters.split()],
        }

    def uses(self, variable: str) -> bool:
        return re.search(rf"[?$]{re.escape(variable)}\b", self.text) is not None


def questions() -> list[Question]:
    """The shipped questions (queries/*.rq), with what each answers."""
    out = []
    for f in sorted(data_dir("queries").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):  # internal/ holds the loaders, which are no questions
            out.append(_question(f.name.removesuffix(".rq"), f.read_text(encoding="utf-8")))
    return out


def _question(name: str, text: str) -> Question:
    header = "\n".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    question = re.search(r"Question:\s*(.+)", header)
    # the Parameters block runs until the next "Key:" line of the header
    block = re.search(r"Parameters:(.*?)(?=\n\w[\w ]*:|\Z)", header, re.S)
    parameters = " ".join(dict.fromkeys(re.findall(r"\?\w+", block.group(1)))) if block else ""
    classes = {}
    for parameter in re.split(r"(?=\?\w)", block.group(1)) if block else ():
        found = re.match(r"\?(\w+)\s+(?:optional:\s*)?an?\s+([A-Za-z][\w-]*):(\w+)", parameter)
        if found and found.group(2) in PREFIXES:
            classes[found.group(1)] = PREFIXES[found.group(2)] + found.group(3)
    return Question(
        name=name,
        question=question.group(1).strip() if question else "",
        parameters=parameters,
        text=text,
        classes=classes,
    )


def load_question(name_or_file: str) -> Question:
    """A shipped question by name, or a .rq file from disk."""
    for q in questions():
        if q.name == name_or_file:
            return q
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        try:
            text = read_file(name_or_file)[0].decode("utf-8")  # a FIFO is refused, by name
            return _question(path.stem, text)
        except UnicodeDecodeError as e:
            raise InputError(name_or_file, f"cannot read the query: {e}") from None
    names = ", ".join(q.name for q in questions())
    raise CcsigError(f"no question named {name_or_file!r}; shipped questions: {names}")


def parse_binding(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """``var=value``: value as <IRI>, prefix:name, a Turtle literal, or else a plain string."""
    var, value = parse_binding_text(text)
    return var, parse_term(value)


def parse_binding_text(text: str) -> tuple[str, str]:
    """``var=value`` as the variable's name and the value's text (see `bind`)."""
    var, sep, value = text.partition("=")
    var = var.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise CcsigError(f"--bind takes var=value, not {text!r}")
    return var, value


USAGE_CATEGORY = NS + "UsageCategory"
_LABEL = re.compile(r"[a-z][a-z0-9-]*")


def bind(
    question: Question,
    bindings: Mapping[str, str | AtomicTerm],
    vocabulary: str,
) -> dict[str, AtomicTerm]:
    """The terms `bindings` give the question's variables. A string is read as `parse_term`
    reads it, except that a bare category label (``train-ai``) given to a parameter whose
    header says it is a ccsig:UsageCategory is that category of `vocabulary`, as every
    other command takes a category. A variable the question does not have is an error."""
    bound: dict[str, AtomicTerm] = {}
    for name, value in bindings.items():
        if not question.uses(name):
            has = question.parameters or "none"
            raise CcsigError(
                f"cannot bind ?{name}: {question.name} has no such variable (its parameters: {has})"
            )
        if isinstance(value, str):
            if question.classes.get(name) == USAGE_CATEGORY and _LABEL.fullmatch(value):
                bound[name] = category_iri(vocabulary, value)
            else:
                bound[name] = parse_term(value)
        else:
            bound[name] = value
    return bound


def why_empty(bound: Mapping[str, AtomicTerm]) -> list[str]:
    """For a question that answered nothing: the plain strings bound, which match only
    themselves (an IRI was likely meant)."""
    return [
        f"no answer: ?{name} is bound to the plain string {term.value!r}, which matches only "
        "that literal; write an IRI as <...> or prefix:name (ccsig:, dcat:, ...)"
        for name, term in bound.items()
        if isinstance(term, ox.Literal)
        and not term.language
        and term.datatype.value == PREFIXES["xsd"] + "string"
    ]


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    if re.fullmatch(
        r"<[^<>\"{}|^`\\\s]*>|[A-Za-z][\w.-]*:[\w.-]*|\".*\"(@[\w-]+|\^\^.+)?|[+-]?\d+(\.\d+)?",
        value,
        re.S,
    ):
        prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
        try:
            (triple,) = ox.parse(f"{prefixes}<urn:s> <urn:p> {value} .", format=ox.RdfFormat.TURTLE)
            if isinstance(triple.object, ox.NamedNode | ox.Literal):
                return triple.object
        except (SyntaxError, ValueError):
            pass
        if value.startswith(("<", '"')):
            raise CcsigError(f"cannot read {value!r} as an RDF term")
    return ox.Literal(value)


def refuse_service(text: str, source: str) -> None:
    """Raise if the query federates with SERVICE (detected on the parsed query)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as e:
        raise InputError(source, f"not a SPARQL query: {' '.join(str(e).split())}") from None
    if "ServiceGraphPattern" in repr(tree):
        raise CcsigError(
            f"{source} uses SERVICE, which would query another endpoint over the network; "
            "pass --allow-service to permit it"
        )


# ------------------------------------------------------------------ output


def to_sparql_json(variables: list[str], rows: list[Row]) -> dict:
    """The W3C SPARQL 1.1 Query Results JSON format."""

    def cell(t: AtomicTerm) -> dict[str, str]:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = t.datatype.value
        return out

    bindings = [{v: cell(t) for v in variables if (t := r.get(v)) is not None} for r in rows]
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def to_csv(variables: list[str], rows: list[Row]) -> str:
    """The W3C SPARQL 1.1 CSV results format: plain values, blank nodes as _:label."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for r in rows:
        writer.writerow([node_label(r.get(v)) for v in variables])
    return buffer.getvalue()


def to_table(variables: list[str], rows: list[Row]) -> str:
    cells = [[_short(r.get(v)) for v in variables] for r in rows]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for c in cells:
        lines.append("  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)).rstrip())
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"


def _short(t: AtomicTerm | None) -> str:
    # escaped: a literal's control characters would drive the terminal
    if isinstance(t, ox.NamedNode):
        return escaped(curie(t.value) or t.value)
    return escaped(" ".join(node_label(t).split()))  # one line per row, however long


def json_dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
