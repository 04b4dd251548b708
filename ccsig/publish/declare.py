"""Declarations: what a content-usage expression asks, for people, crawlers and machines.

Takes: a content-usage expression (bytes or str), a vocabulary name and, optionally,
the IRI to give the ODRL policy.
Gives: a `Declaration` that renders the same statement of preference as
- `text()`: a plain-language account, category by category, in the words of vocab/
  (category titles and definitions, preference values, signals and their elements);
- `robots()`: a robots.txt group (``User-Agent: *`` and a ``Content-Usage`` rule);
- `header()`: the ``Content-Usage`` HTTP header line;
- `rdf()`: the annotated asset and its lifted ``ccsig:Statement`` (as `ccsig parse`);
- `odrl()`: an ODRL 2.2 ``odrl:Set`` policy (`odrl_jsonld()`: the same policy in ODRL's
  normative JSON-LD, with the W3C ODRL context);
- `html()`: a small self-contained HTML page of the text, the robots group and header.

Everything is written from the canonical expression: unknown labels, values other than
y/n and ignored exceptions are dropped, as aipref processing drops them; `Declaration.dropped`
says what was, and why (`ccsig.declare` refuses to declare less than was written unless forced).

The ODRL policy has a deterministic ``urn:uuid`` IRI (from the canonical expression
and the vocabulary IRI) unless one is given, ``odrl:profile <https://w3id.org/ccsig>``,
and one rule per usage category whose effective preference is known, so that no rule
relies on an action hierarchy ODRL does not know about:
- allow: an ``odrl:Permission``;
- disallow with a CC signal as exception: an ``odrl:Permission`` with one ``odrl:Duty``
  per element of the signal (`duty_actions`, from vocab/signals.ttl);
- a plain disallow: an ``odrl:Prohibition``.
A rule's action is the ODRL AI vocabulary draft's action that vocab/odrl-ai.ttl states as
an exact or close match of the usage category (``odrl:gen-ai`` for -07 train-ai), with the
draft's profile added; a category no AI action matches (-04 ai-output) keeps its own IRI
(``ccsig:aipref-04.ai-output``), which ccsig reads back as well. Every action is typed
``odrl:Action`` in the policy graph, so validators that do not load the ODRL ontology see
it as one. Given a target, the policy names it with a policy-level ``odrl:target``, so the
policy alone is a statement about that asset (`ccsig check` reads it).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import textwrap
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import pyoxigraph as ox

from ccsig.errors import CcsigError
from ccsig.lift.literals import lift, uuid_iri
from ccsig.lift.odrl import WRITTEN_RELATIONS, ai_action_matches
from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.namespaces import CONTENT_USAGE, DCT, NS, ODRL, ONTOLOGY_IRI, PREFIXES, RDF_TYPE
from ccsig.model.terms import serialise
from ccsig.model.vocabulary import (
    DEFAULT_VOCABULARY,
    Category,
    Ontology,
    Signal,
    Vocabulary,
    category_tree,
    duty_actions,
    load_ontology,
    vocabulary_store,
)
from ccsig.resources import read_text

HEADER_NAME = "Content-Usage"
PROFILE = ONTOLOGY_IRI
AI_PROFILE = "https://w3c.github.io/odrl/ai-vocab/"
# The W3C ODRL JSON-LD context (shipped: vocab/contexts/odrl.jsonld).
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"


FORMATS = ("text", "robots", "header", "turtle", "json-ld", "odrl", "odrl-jsonld", "html")

_WIDTH = 100


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _odrl(name: str) -> ox.NamedNode:
    return ox.NamedNode(ODRL + name)


@cache
def _described(iri: str) -> tuple[str | None, str | None]:
    """The rdfs:label and skos:definition vocab/ gives `iri` (English or untagged)."""
    query = read_text("queries", "internal/vocabulary-described.rq")
    for row in cast(
        ox.QuerySolutions,
        vocabulary_store().query(query, substitutions={ox.Variable("term"): _n(iri)}),
    ):
        label, definition = row["label"], row["definition"]
        return (
            label.value if label is not None else None,
            _flat(definition.value) if definition is not None else None,
        )
    return None, None


def _flat(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Rule:
    """One ODRL rule of the policy: the category it is about and what it says."""

    category: Category
    value: str  # the effective preference value name (allow / disallow)
    signal: Signal | None  # the CC signal exception, for a disallow that names one
    inherited_from: str | None  # the label whose explicit preference this is, if another


@dataclass(frozen=True)
class Declaration:
    parsed: ParsedExpression
    vocabulary: Vocabulary
    ontology: Ontology
    uid: str
    target: str | None = None  # the asset the ODRL policy names with odrl:target

    @property
    def canonical(self) -> str:
        return self.parsed.canonical()

    @property
    def dropped(self) -> list[str]:
        """What of the expression as written the declaration leaves out, and why: each
        label, value or exception aipref processing ignores, and a declaration that
        states no preference at all. Empty when it says all that was written."""
        reasons = list(self.parsed.warnings)
        if not self.canonical and not reasons:
            reasons.append(f"it states no preference for {self.vocabulary.name}")
        return reasons

    # ------------------------------------------------------------ structure

    def rules(self) -> list[Rule]:
        """One rule per category whose effective preference is allow or disallow."""
        out = []
        for category in self.vocabulary.categories:
            label = category.label
            value = self.parsed.effective[label]
            if value == self.ontology.unknown:
                continue
            token = self.parsed.effective_exceptions.get(label)
            source = (
                None
                if label in self.parsed.preferences
                and self.parsed.preferences[label] != self.ontology.unknown
                else next(
                    a
                    for a in self.vocabulary.ancestors(label)
                    if self.parsed.preferences[a] != self.ontology.unknown
                )
            )
            signal = self.ontology.signals[token] if token else None
            out.append(Rule(category, value, signal, source))
        return out

    # ------------------------------------------------------------ renderers

    def header(self) -> str:
        """The HTTP header line, without a line ending."""
        return f"{HEADER_NAME}: {self.canonical}".rstrip()

    def robots(self) -> str:
        """A robots.txt group that attaches the preferences to every path."""
        return f"User-Agent: *\n{self.header()}\n"

    def text(self) -> str:
        vocab = self.vocabulary
        vocab_label, _ = _described(vocab.iri)
        lines = [
            "Declaration of content-usage preferences",
            "",
            f"Expression: {self.canonical or '(no preference)'}",
            f"Vocabulary: {vocab.name}"
            + (f" ({vocab_label})" if vocab_label else "")
            + (f" <{vocab.source}>" if vocab.source else ""),
        ]
        by_label = {r.category.label: r for r in self.rules()}
        for category, depth in category_tree(vocab):
            lines.append("")
            lines.extend(self._category_text(category, depth, by_label.get(category.label)))
        lines += ["", "robots.txt:"]
        lines += [f"  {line}" for line in self.robots().splitlines()]
        lines += ["", "HTTP header:", f"  {self.header()}"]
        return "\n".join(lines) + "\n"

    def _category_text(self, category: Category, depth: int, rule: Rule | None) -> list[str]:
        indent = "  " * depth
        body = indent + "  "
        lines = [f"{indent}{category.title} ({category.label})"]
        lines += _wrap(category.definition, body)
        value = rule.value if rule else self.ontology.unknown
        value_label, value_definition = _described(self.ontology.value_iris[value])
        stated = f"Preference: {value_label or value}"
        if rule and rule.inherited_from:
            parent = self.vocabulary.by_label[rule.inherited_from]
            stated += f", from {parent.title} ({parent.label})"
        lines += _wrap(stated + (f". {value_definition}" if value_definition else ""), body)
        if rule and rule.signal:
            signal = rule.signal
            lines += _wrap(f"Exception: {signal.title} ({signal.token}). {signal.definition}", body)
            for element in signal.elements:
                lines += _wrap(f"- {element.title}: {_flat(element.definition)}", body + "  ")
        return lines

    def html(self) -> str:
        """A self-contained HTML page: the text declaration, the robots group and header."""
        e = html_lib.escape
        title = f"Content-usage declaration: {self.canonical or '(no preference)'}"
        by_label = {r.category.label: r for r in self.rules()}
        sections = []
        for category, depth in category_tree(self.vocabulary):
            rule = by_label.get(category.label)
            value = rule.value if rule else self.ontology.unknown
            value_label, value_definition = _described(self.ontology.value_iris[value])
            parts = [
                f'<section class="category depth-{depth}" id="{e(category.label)}">',
                f"<h2>{e(category.title)} <code>{e(category.label)}</code></h2>",
                f"<p>{e(_flat(category.definition))}</p>",
            ]
            stated = f"<strong>{e(value_label or value)}</strong>"
            if rule and rule.inherited_from:
                parent = self.vocabulary.by_label[rule.inherited_from]
                stated += f", from {e(parent.title)} (<code>{e(parent.label)}</code>)"
            if value_definition:
                stated += f". {e(value_definition)}"
            parts.append(f"<p>Preference: {stated}</p>")
            if rule and rule.signal:
                signal = rule.signal
                parts.append(
                    f"<p>Exception: <strong>{e(signal.title)}</strong> "
                    f"(<code>{e(signal.token)}</code>). {e(_flat(signal.definition))}</p>"
                )
                items = "".join(
                    f"<li><strong>{e(el.title)}</strong>: {e(_flat(el.definition))}</li>"
                    for el in signal.elements
                )
                parts.append(f"<ul>{items}</ul>")
            parts.append("</section>")
            sections.append("\n".join(parts))
        vocab_label, _ = _described(self.vocabulary.iri)
        vocabulary = e(self.vocabulary.name) + (f" ({e(vocab_label)})" if vocab_label else "")
        return "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                f"<title>{e(title)}</title>",
                "<style>body{font-family:sans-serif;max-width:50em;margin:auto;padding:1em}"
                ".depth-1{margin-left:1.5em}.depth-2{margin-left:3em}.depth-3{margin-left:4.5em}"
                "pre{background:#f4f4f4;padding:.5em}</style>",
                "</head>",
                "<body>",
                f"<h1>{e(title)}</h1>",
                f"<p>Vocabulary: {vocabulary}</p>",
                *sections,
                "<h2>robots.txt</h2>",
                f"<pre>{e(self.robots())}</pre>",
                "<h2>HTTP header</h2>",
                f"<pre>{e(self.header())}</pre>",
                "</body>",
                "</html>",
                "",
            ]
        )

    def rdf(self) -> list[ox.Triple]:
        """The canonical expression on a blank-node asset, with its lifted statement."""
        asset = ox.BlankNode("asset")
        triples = [ox.Triple(asset, CONTENT_USAGE, ox.Literal(self.canonical))]
        triples.extend(lift(triples, self.vocabulary.name))
        return triples

    def odrl(self) -> list[ox.Triple]:
        """The declaration as an ODRL 2.2 policy (an ``odrl:Set``)."""
        rules = self.rules()
        if not rules:
            raise CcsigError(
                f"{self.parsed.expression!r} states no preference for {self.vocabulary.name}: "
                "an ODRL policy needs at least one rule"
            )
        policy = _n(self.uid)
        action_type = _odrl("Action")
        triples = [
            ox.Triple(policy, RDF_TYPE, _odrl("Set")),
            ox.Triple(policy, _odrl("uid"), policy),
            ox.Triple(policy, _odrl("profile"), _n(PROFILE)),
            ox.Triple(policy, _n(DCT + "description"), ox.Literal(self.header())),
        ]
        if any(written_action(r.category) != r.category.iri for r in rules):
            triples.append(ox.Triple(policy, _odrl("profile"), _n(AI_PROFILE)))
        if self.target is not None:
            triples.append(ox.Triple(policy, _odrl("target"), _n(self.target)))
        actions: set[str] = set()
        # Blank-node ids unique to the policy, so policies merged into one store stay apart.
        key = hashlib.sha1(self.uid.encode("utf-8")).hexdigest()[:16]
        for index, rule in enumerate(rules):
            node = ox.BlankNode(f"p{key}r{index}")
            prohibited = rule.value == self.ontology.disallow and rule.signal is None
            kind, link = (
                ("Prohibition", "prohibition") if prohibited else ("Permission", "permission")
            )
            action = written_action(rule.category)
            triples += [
                ox.Triple(policy, _odrl(link), node),
                ox.Triple(node, RDF_TYPE, _odrl(kind)),
                ox.Triple(node, _odrl("action"), _n(action)),
            ]
            actions.add(action)
            for element in rule.signal.elements if rule.signal else ():
                duty = ox.BlankNode(f"p{key}r{index}{element.name.replace('-', '')}")
                duty_action = duty_actions()[element.iri]
                triples += [
                    ox.Triple(node, _odrl("duty"), duty),
                    ox.Triple(duty, RDF_TYPE, _odrl("Duty")),
                    ox.Triple(duty, _odrl("action"), _n(duty_action)),
                ]
                actions.add(duty_action)
        triples += [ox.Triple(_n(a), RDF_TYPE, action_type) for a in sorted(actions)]
        return triples

    def odrl_jsonld(self) -> dict[str, Any]:
        """The policy of `odrl()` in ODRL's JSON-LD serialisation: the W3C ODRL context
        (which ccsig resolves offline) and its terms, the same triples but the
        ``odrl:Action`` typing of each action."""
        triples = self.odrl()  # refuses a declaration without rules
        profiles = sorted(
            t.object.value
            for t in triples
            if t.predicate == _odrl("profile") and isinstance(t.object, ox.NamedNode)
        )
        policy: dict[str, Any] = {
            "@context": [ODRL_CONTEXT, {"ccsig": NS, "dct": DCT}],
            "@id": self.uid,
            "@type": "Set",
            "odrl:uid": {"@id": self.uid},
            "profile": profiles if len(profiles) > 1 else profiles[0],
            "dct:description": self.header(),
        }
        if self.target is not None:
            policy["target"] = self.target
        for rule in self.rules():
            prohibited = rule.value == self.ontology.disallow and rule.signal is None
            node: dict[str, Any] = {
                "@type": "Prohibition" if prohibited else "Permission",
                "action": _compact(written_action(rule.category)),
            }
            if rule.signal:
                node["duty"] = [
                    {"@type": "Duty", "action": _compact(duty_actions()[e.iri])}
                    for e in rule.signal.elements
                ]
            policy.setdefault("prohibition" if prohibited else "permission", []).append(node)
        return policy

    # ------------------------------------------------------------ one entry point

    def to_json(self) -> Any:
        """The lifted statement as JSON-LD data, as ``ccsig declare --format json-ld``."""
        return json.loads(self.render("json-ld"))

    def render(self, fmt: str) -> str:
        """The declaration in one of `FORMATS` (``odrl`` is the policy in Turtle)."""
        if fmt == "text":
            return self.text()
        if fmt == "robots":
            return self.robots()
        if fmt == "header":
            return self.header() + "\n"
        if fmt == "html":
            return self.html()
        if fmt in ("turtle", "json-ld"):
            return serialise(self.rdf(), fmt).decode("utf-8")
        if fmt == "odrl":
            return odrl_turtle(self.odrl())
        if fmt == "odrl-jsonld":
            return json.dumps(self.odrl_jsonld(), indent=2, ensure_ascii=False) + "\n"
        raise ValueError(f"unknown declaration format {fmt!r}; known: {', '.join(FORMATS)}")


@cache
def _written_actions() -> dict[str, str]:
    """Category IRI -> the ODRL AI action declare writes for it: its exact match, else
    its close match (vocab/odrl-ai.ttl); categories with neither are absent."""
    iris = {
        (v.name, c.label): c.iri
        for v in load_ontology().vocabularies.values()
        for c in v.categories
    }
    best: dict[str, tuple[int, str]] = {}
    for m in ai_action_matches():
        if m.relation in WRITTEN_RELATIONS:
            iri = iris[m.vocabulary, m.label]
            rank = WRITTEN_RELATIONS.index(m.relation)
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, m.action)
    return {iri: action for iri, (_, action) in best.items()}


def written_action(category: Category) -> str:
    """The action of the ODRL rule on `category`: an ODRL AI action, or its own IRI."""
    return _written_actions().get(category.iri, category.iri)


def _compact(iri: str) -> str:
    """An action IRI as the ODRL context and the policy's prefixes write it."""
    for prefix, namespace in (("odrl", ODRL), ("ccsig", NS)):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def odrl_turtle(triples: list[ox.Triple]) -> str:
    prefixes = {"odrl": ODRL, "ccsig": NS, "dct": DCT, "rdf": PREFIXES["rdf"]}
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return cast(bytes, turtle).decode("utf-8")  # without an output, serialize returns bytes


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        _flat(text),
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    )


def declaration(
    expression: str | bytes,
    vocabulary: str = DEFAULT_VOCABULARY,
    uid: str | None = None,
    target: str | None = None,
) -> Declaration:
    """The declaration of `expression` read with `vocabulary`.

    `uid` is the policy IRI; without one it is a ``urn:uuid`` derived from the canonical
    expression and the vocabulary IRI, so the same preferences give the same policy.
    `target` is the asset the ODRL policy is about (a policy-level ``odrl:target``).
    Raises `UnknownVocabularyError` for an unknown vocabulary, `CcsigError` for a `uid`
    or `target` that is not an absolute IRI. What the declaration leaves out of `expression` as
    written is its `dropped` (`ccsig.declare` refuses such a declaration unless forced).
    """
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    parsed = parse_expression(expression, vocab.name, ontology)
    if uid is None:
        uid = uuid_iri("ccsig declaration", parsed.canonical(), vocab.iri).value
    for name, iri in (("policy uid", uid), ("target", target)):
        if iri is None:
            continue
        try:
            ox.NamedNode(iri)
        except ValueError as e:
            raise CcsigError(f"{name} {iri!r} is not an IRI: {e}") from None
        if ":" not in iri:
            raise CcsigError(f"{name} {iri!r} is not an absolute IRI")
    return Declaration(parsed=parsed, vocabulary=vocab, ontology=ontology, uid=uid, target=target)
