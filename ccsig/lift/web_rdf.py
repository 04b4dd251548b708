"""Statements found on the web as RDF, so `ccsig check` and SPARQL work on them.

Takes: a URL and the `WebStatement`s (ccsig.model.web) about the document it names.
Gives: triples: each statement lifted as a catalog's ccsig:contentUsage literal would
be (ccsig.lift.literals), about the URL, with ccsig:source the robots.txt, page or tdmrep.json
it was read from, plus the system it was stated in (ccsig:preferenceSystem) and the
text as found (ccsig:asWritten).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ccsig.ingest.urls import url_iri
from ccsig.lift.literals import Make, TripleOrQuad, preference_triples, statement_triples, uuid_iri
from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.namespaces import NS
from ccsig.model.terms import Node
from ccsig.model.vocabulary import Ontology, load_ontology
from ccsig.model.web import WebStatement

PREFERENCE_SYSTEM = ox.NamedNode(NS + "preferenceSystem")
AS_WRITTEN = ox.NamedNode(NS + "asWritten")


def statements_rdf(url: str, statements: Iterable[WebStatement]) -> list[ox.Triple]:
    """The triples of `statements` about the document at `url`."""
    ontology = load_ontology()
    asset = url_iri(url)
    out: list[ox.Triple] = []
    for statement in statements:
        parsed = statement.parsed
        source = url_iri(statement.location) if statement.location else None
        # one statement per system, source and text: the same expression from a header and
        # from robots.txt are two statements
        vocabulary = ontology.vocabulary(parsed.vocabulary).iri
        key = (url, statement.system, statement.location or "", statement.as_written, vocabulary)
        out.extend(
            mapped_statement_triples(
                asset,
                parsed,
                ontology,
                uuid_iri(*key),
                statement.system,
                statement.as_written,
                source,
            )
        )
    return list(dict.fromkeys(out))


def mapped_statement_triples(
    asset: Node,
    parsed: ParsedExpression,
    ontology: Ontology,
    statement: ox.NamedNode,
    system: str,
    as_written: str,
    source: ox.NamedNode | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> list[TripleOrQuad]:
    """A statement stated in another system (ccsig:preferenceSystem `system`, the text as
    found in ccsig:asWritten), lifted from the aipref expression it amounts to."""
    literal = ox.Literal(parsed.expression)
    nodes, out = preference_triples(literal, parsed, ontology, make)
    out.extend(
        statement_triples(
            asset, literal, parsed, ontology, source, nodes, make, statement=statement
        )
    )
    out.append(make(statement, PREFERENCE_SYSTEM, ox.NamedNode(NS + system)))
    out.append(make(statement, AS_WRITTEN, ox.Literal(as_written)))
    return out


def record_triples(record: dict[str, Any], vocabulary: str) -> list[ox.Triple]:
    """The statements of one `ccsig scan` record (its "sources") as RDF about its URL."""
    statements = [
        WebStatement(
            source["system"],
            source["via"],
            source["as_written"],
            _parsed(source["expression"], vocabulary),
            location=source.get("location"),
            note=source.get("note"),
        )
        for source in record["sources"]
    ]
    return statements_rdf(record["url"], statements)


@lru_cache(maxsize=4096)
def _parsed(expression: str, vocabulary: str) -> ParsedExpression:
    return parse_expression(expression, vocabulary)
