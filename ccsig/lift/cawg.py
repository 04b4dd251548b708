"""Read CAWG training and data mining assertions (an image's C2PA manifest) as statements.

Takes: rows of queries/lifting/plus.rq that bind ?cawg (assets and the JSON of their
``ccsig:trainingMining`` assertion, as ccsig.ingest.c2pa wrote it), a vocabulary name and
the file being read.
Gives: triples: one ``ccsig:Statement`` per asset, lifted from the aipref expression the
assertion amounts to through vocab/cawg.ttl (ccsig.ingest.c2pa.cawg_statement, which
`ccsig scan` uses too), with ``ccsig:preferenceSystem ccsig:cawg``, the entries as written
(``ccsig:asWritten``) and ``ccsig:source``. The constraint_info of constrained entries, the
warnings of reading the manifest (a certificate no one vouches for, a hash mismatch) and
entries CAWG does not define are ``rdfs:comment``s on the statement, as ccsig.lift.plus
notes values it does not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ccsig.ingest.c2pa import SYSTEM, TrainingMining, cawg_statement
from ccsig.lift.literals import Make, TripleOrQuad, uuid_iri
from ccsig.lift.web_rdf import mapped_statement_triples
from ccsig.model.terms import AtomicTerm, node_label
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement

COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def lift_training_mining(
    rows: Iterable[Mapping[str, AtomicTerm | None]],
    vocabulary: str = DEFAULT_VOCABULARY,
    source: ox.NamedNode | None = None,
    make: Make[TripleOrQuad] = ox.Triple,  # type: ignore[assignment]
) -> list[TripleOrQuad]:
    """The CAWG statements of the assets in `rows`, one per asset (its first assertion)."""
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    found: dict[ox.NamedNode, str] = {}
    for row in rows:
        asset, cawg = row.get("asset"), row.get("cawg")
        if isinstance(asset, ox.NamedNode) and cawg is not None:
            found.setdefault(asset, cawg.value)
    out: list[TripleOrQuad] = []
    for subject, text in found.items():
        try:
            assertion, warnings = TrainingMining.from_json(text)
        except ValueError:
            continue  # not written by ccsig.ingest.c2pa: states nothing
        lifted: tuple[WebStatement, list[str]] = cawg_statement(assertion, vocabulary)
        statement, unknown = lifted
        iri = uuid_iri(SYSTEM, node_label(subject), statement.as_written, vocab.iri)
        out.extend(
            mapped_statement_triples(
                subject, statement.parsed, ontology, iri, SYSTEM, statement.as_written, source, make
            )
        )
        notes: list[str] = [statement.note] if statement.note else []
        comments: list[str] = list(warnings) + list(unknown) + notes
        out.extend(make(iri, COMMENT, ox.Literal(comment)) for comment in comments)
    return out
