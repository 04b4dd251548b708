"""Lift ``ccsig:contentUsage`` literals into structured statements.

Takes: RDF triples (pyoxigraph terms) and a vocabulary name.
Gives: for every (asset, ccsig:contentUsage, literal) a ``ccsig:Statement`` about
the asset that links back to its literal with ``ccsig:expression`` and carries one
``ccsig:Preference`` per dictionary member: the label as written, the category
when the vocabulary knows the label, the value when it is y or n, the CC signal
exception when it names one, and what was written when it does not. Parse errors
and duplicate keys are recorded on the statement, so SHACL (shapes/) and SPARQL
(queries/) see everything the parser saw.

Statement IRIs are derived from the asset, the literal and the vocabulary
(``urn:uuid:`` from a SHA-1): lifting the same data twice gives the same graph, which
keeps reasoning engines comparable. Preferences depend only on the literal and the
vocabulary, so every statement read from the same expression shares the same
preference nodes: a catalog repeating a few expressions over a million datasets
lifts each expression's preferences once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import TypeGuard, TypeVar, cast

import pyoxigraph as ox

from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.namespaces import (
    CONTENT_USAGE,
    NS,
    RDF_DIRLANGSTRING,
    RDF_LANGSTRING,
    RDF_TYPE,
    XSD_STRING,
)
from ccsig.model.terms import Node, Term, node_label
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, Ontology, load_ontology
from ccsig.resources import read_text


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(NS + name)


STATEMENT, PREFERENCE = _p("Statement"), _p("Preference")
ABOUT, EXPRESSION, VOCABULARY, SOURCE = (
    _p("about"),
    _p("expression"),
    _p("vocabulary"),
    _p("source"),
)
PARSE_ERROR, DUPLICATE_LABEL, HAS_PREFERENCE = (
    _p("parseError"),
    _p("duplicateLabel"),
    _p("preference"),
)
CATEGORY, CATEGORY_LABEL, VALUE = _p("category"), _p("categoryLabel"), _p("value")
VALUE_AS_WRITTEN, EXCEPTION, EXCEPTIONS_PARAMETER = (
    _p("valueAsWritten"),
    _p("exception"),
    _p("exceptionsParameter"),
)

# ox.Triple for a graph, ox.Quad (default graph) to extend a store without converting;
# the functions taking a `make` give what it makes. (Their `= ox.Triple` defaults carry
# an ignore: mypy cannot check a default against a type variable, python/mypy#3737.)
TripleOrQuad = TypeVar("TripleOrQuad", ox.Triple, ox.Quad)
Make = Callable[..., TripleOrQuad]

_UUID_NS = uuid.UUID("5d1b6f0e-4a8e-5b6c-9c1e-2f3a4b5c6d7e")


def is_string_literal(term: Term) -> TypeGuard[ox.Literal]:
    """A literal whose text is an expression: xsd:string or a language-tagged string, with
    or without an RDF 1.2 base direction ("train-ai=n"@en--ltr). The direction says how to
    display the text, not what it says, and rdflib (the reference engine) cannot hold it,
    so it is read as the language-tagged string; shapes/ccsig-shapes.ttl says the same."""
    return isinstance(term, ox.Literal) and term.datatype in _STRING_DATATYPES


_STRING_DATATYPES = (XSD_STRING, RDF_LANGSTRING, RDF_DIRLANGSTRING)


def statement_iri(asset: Node, literal: ox.Literal, vocabulary: str) -> ox.NamedNode:
    """A urn:uuid (RFC 9562 version 8) from the SHA-1 of asset, literal and vocabulary.

    queries/lifting/statements.ru mints the same IRIs inside a store.
    """
    asset_key = node_label(asset)
    vocabulary_iri = load_ontology().vocabulary(vocabulary).iri
    return uuid_iri(asset_key, literal.value, literal.language or "", vocabulary_iri)


def uuid_iri(*parts: str) -> ox.NamedNode:
    """urn:uuid version 8 from the SHA-1 of `parts` joined by newlines."""
    return ox.NamedNode(uuid_text(*parts))


def uuid_text(*parts: str) -> str:
    """`uuid_iri`'s IRI as text (for a report of a hundred thousand statements)."""
    h = hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-8{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_VARIANT = {d: "89ab"[int(d, 16) % 4] for d in "0123456789abcdef"}


def expression_iri(literal: ox.Literal, vocabulary: str) -> str:
    """The IRI prefix of the preference nodes shared by statements of one expression."""
    return f"urn:uuid:{uuid.uuid5(_UUID_NS, f'{literal} {vocabulary}')}"


def preference_triples(
    literal: ox.Literal,
    parsed: ParsedExpression,
    ontology: Ontology,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> tuple[list[ox.NamedNode], list[TripleOrQuad]]:
    """The preference nodes of one expression, and their triples."""
    vocab = ontology.vocabulary(parsed.vocabulary)
    base = expression_iri(literal, parsed.vocabulary)
    nodes: list[ox.NamedNode] = []
    out: list[TripleOrQuad] = []
    for member in parsed.members:
        p = ox.NamedNode(f"{base}#{member.label}")
        nodes.append(p)
        out.append(make(p, RDF_TYPE, PREFERENCE))
        out.append(make(p, CATEGORY_LABEL, ox.Literal(member.label)))
        if member.known:
            out.append(make(p, CATEGORY, ox.NamedNode(vocab.by_label[member.label].iri)))
        if member.value is not None:
            out.append(make(p, VALUE, ox.NamedNode(ontology.value_iris[member.value])))
        else:
            out.append(make(p, VALUE_AS_WRITTEN, ox.Literal(member.value_as_written)))
        if member.exceptions_as_written is not None:
            out.append(make(p, EXCEPTIONS_PARAMETER, ox.Literal(member.exceptions_as_written)))
        if member.exception is not None:
            out.append(make(p, EXCEPTION, ox.NamedNode(ontology.signals[member.exception].iri)))
    return nodes, out


def statement_triples(
    asset: Node,
    literal: ox.Literal,
    parsed: ParsedExpression,
    ontology: Ontology,
    source: ox.NamedNode | None = None,
    preferences: list[ox.NamedNode] | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
    statement: ox.NamedNode | None = None,
) -> Iterator[TripleOrQuad]:
    """The triples of one lifted statement, without its (shared) preference nodes.
    `statement` names it where `statement_iri` would not tell it from another."""
    if preferences is None:
        preferences, _ = preference_triples(literal, parsed, ontology, make)
    s = statement or statement_iri(asset, literal, parsed.vocabulary)
    yield make(s, RDF_TYPE, STATEMENT)
    yield make(s, ABOUT, asset)
    yield make(s, EXPRESSION, literal)
    yield make(s, VOCABULARY, ox.NamedNode(ontology.vocabulary(parsed.vocabulary).iri))
    if source is not None:
        yield make(s, SOURCE, source)
    if parsed.error is not None:
        yield make(s, PARSE_ERROR, ox.Literal(parsed.error))
    for label in parsed.duplicates:
        yield make(s, DUPLICATE_LABEL, ox.Literal(label))
    for p in preferences:
        yield make(s, HAS_PREFERENCE, p)


def lift(
    triples: Iterable[ox.Triple | ox.Quad],
    vocabulary: str = DEFAULT_VOCABULARY,
    source: ox.NamedNode | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> list[TripleOrQuad]:
    """Statements for every string-valued ``ccsig:contentUsage`` in `triples`.

    Values that are not strings are left for SHACL to report; they state nothing.
    Each distinct expression is parsed, and its preferences written, once.
    """
    ontology = load_ontology()
    ontology.vocabulary(vocabulary)  # fail early on an unknown name
    lifted: dict[ox.Literal, tuple[ParsedExpression, list[ox.NamedNode]]] = {}
    out: list[TripleOrQuad] = []
    seen: set[tuple[Node, ox.Literal]] = set()
    for t in triples:
        if t.predicate != CONTENT_USAGE or not is_string_literal(t.object):
            continue
        if not isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            continue
        if (t.subject, t.object) in seen:  # the same triple in several named graphs
            continue
        seen.add((t.subject, t.object))
        known = lifted.get(t.object)
        if known is None:
            parsed = parse_expression(t.object.value, vocabulary, ontology)
            nodes, shared = preference_triples(t.object, parsed, ontology, make)
            out.extend(shared)
            known = lifted[t.object] = (parsed, nodes)
        out.extend(
            statement_triples(t.subject, t.object, known[0], ontology, source, known[1], make)
        )
    return out


LIFTING_GRAPH = ox.NamedNode("urn:ccsig:lifting")


class StoreLifter:
    """Lifts the contentUsage literals of a pyoxigraph store in place, input by input.

    Each distinct expression is parsed once, in Python; its preference nodes go into
    the default graph and what the statements need from it into the scratch graph
    <urn:ccsig:lifting>. Then queries/lifting/statements.ru lifts every occurrence
    inside the store, so a catalog's hundred thousand statements never pass through
    Python. Blank-node assets are lifted here (SPARQL cannot turn them into IRIs).
    Call `lift` after each input is loaded, and `finish` when all are.
    """

    def __init__(self, store: ox.Store, vocabulary: str = DEFAULT_VOCABULARY) -> None:
        self.store = store
        self.vocabulary = vocabulary
        self.ontology = load_ontology()
        self.vocabulary_iri = ox.NamedNode(self.ontology.vocabulary(vocabulary).iri)
        self._parsed: dict[ox.Literal, tuple[ParsedExpression, list[ox.NamedNode]]] = {}
        self._blank_done: set[tuple[ox.BlankNode, ox.Literal]] = set()

    def lift(self, source: ox.NamedNode | None) -> None:
        """Lift every pair not lifted yet, recording `source` as where it was read."""
        self._parse_new_expressions()
        g = LIFTING_GRAPH
        for q in list(self.store.quads_for_pattern(g, SOURCE, None, g)):
            self.store.remove(q)
        if source is not None:
            self.store.add(ox.Quad(g, SOURCE, source, g))
        self.store.update(read_text("queries", "lifting/statements.ru"))
        self._lift_blank_assets(source)

    def parse_expressions(self) -> None:
        """Parse the expressions not parsed yet and write what lifting needs from them
        (preference nodes, the scratch graph), without lifting: in-store mode
        (ccsig.answer.instore) sends these to a store that lifts them itself."""
        self._parse_new_expressions()

    def finish(self) -> None:
        """Drop the scratch graph."""
        if LIFTING_GRAPH in set(self.store.named_graphs()):
            self.store.remove_graph(LIFTING_GRAPH)

    def _parse_new_expressions(self) -> None:
        out: list[ox.Quad] = []
        for row in cast(
            ox.QuerySolutions, self.store.query(read_text("queries", "lifting/expressions.rq"))
        ):
            literal = row["literal"]
            if not is_string_literal(literal) or literal in self._parsed:
                continue
            parsed = parse_expression(literal.value, self.vocabulary, self.ontology)
            nodes, shared = preference_triples(literal, parsed, self.ontology, ox.Quad)
            self._parsed[literal] = (parsed, nodes)
            out.extend(shared)
            g = LIFTING_GRAPH
            node = ox.NamedNode(expression_iri(literal, self.vocabulary))
            out.append(ox.Quad(node, EXPRESSION, literal, g))
            out.append(ox.Quad(node, VOCABULARY, self.vocabulary_iri, g))
            out.extend(ox.Quad(node, HAS_PREFERENCE, p, g) for p in nodes)
            if parsed.error is not None:
                out.append(ox.Quad(node, PARSE_ERROR, ox.Literal(parsed.error), g))
            out.extend(ox.Quad(node, DUPLICATE_LABEL, ox.Literal(d), g) for d in parsed.duplicates)
        self.store.extend(out)

    def _lift_blank_assets(self, source: ox.NamedNode | None) -> None:
        out: list[ox.Quad] = []
        for row in cast(
            ox.QuerySolutions, self.store.query(read_text("queries", "lifting/blank-assets.rq"))
        ):
            asset, literal = row["asset"], row["literal"]
            known = self._parsed.get(literal)
            if known is None or (asset, literal) in self._blank_done:
                continue
            self._blank_done.add((asset, literal))
            out.extend(
                statement_triples(
                    asset, literal, known[0], self.ontology, source, known[1], ox.Quad
                )
            )
        self.store.extend(out)
