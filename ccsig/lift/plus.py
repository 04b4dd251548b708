"""Read IPTC PLUS Data Mining values (an image's XMP packet) as statements of preference.

Takes: the rows of queries/lifting/plus.rq (assets and their plus:DataMining values), a
vocabulary name and the file being read.
Gives: triples: one ``ccsig:Statement`` per asset, lifted as a catalog's ccsig:contentUsage
literal would be (ccsig.lift.literals) from the aipref expression its values amount to
through vocab/plus.ttl (ccsig.ingest.xmp.plus_statement, which `ccsig scan` uses too), with
``ccsig:preferenceSystem ccsig:plus``, the values as written (``ccsig:asWritten``) and
``ccsig:source``; a value PLUS does not define states nothing and says so in an
``rdfs:comment`` on the statement, as ccsig.lift.odrl notes rules it reads approximately.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ccsig.ingest.xmp import SYSTEM, plus_statement
from ccsig.lift.cawg import lift_training_mining
from ccsig.lift.literals import Make, TripleOrQuad, uuid_iri
from ccsig.lift.web_rdf import mapped_statement_triples
from ccsig.model.terms import AtomicTerm, node_label
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.resources import read_text

LIFTING_QUERY = ("queries", "lifting/plus.rq")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def plus_query() -> str:
    return read_text(*LIFTING_QUERY)


def lift_data_mining(
    rows: Iterable[Mapping[str, AtomicTerm | None]],
    vocabulary: str = DEFAULT_VOCABULARY,
    source: ox.NamedNode | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> list[TripleOrQuad]:
    """The PLUS statements of the assets in `rows`, one per asset, and the CAWG statements
    of the rows that bind ?cawg (ccsig.lift.cawg): queries/lifting/plus.rq asks for both."""
    rows = list(rows)
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    values: dict[ox.NamedNode, list[str]] = {}
    for row in rows:
        asset, value = row["asset"], row.get("value")
        if isinstance(asset, ox.NamedNode) and value is not None:
            values.setdefault(asset, []).append(value.value)
    out: list[TripleOrQuad] = []
    for asset, written in values.items():
        statement, unknown = plus_statement(written, vocabulary)
        iri = uuid_iri(SYSTEM, node_label(asset), statement.as_written, vocab.iri)
        out.extend(
            mapped_statement_triples(
                asset, statement.parsed, ontology, iri, SYSTEM, statement.as_written, source, make
            )
        )
        out.extend(make(iri, COMMENT, ox.Literal(problem)) for problem in unknown)
    out.extend(lift_training_mining(rows, vocabulary, source, make))
    return out
