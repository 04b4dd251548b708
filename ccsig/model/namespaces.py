"""Every namespace and well-known IRI ccsig names, in one place.

Takes: nothing. Gives: namespace strings, the pyoxigraph nodes the pipeline writes
most, the prefixes ccsig writes and reads (Turtle, tables, --bind values) and the one
IRI -> CURIE shortener. A leaf module: it imports nothing of ccsig.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

__all__ = [
    "CONTENT_USAGE",
    "CONTEXT_URL",
    "DCT",
    "NS",
    "ODRL",
    "ONTOLOGY_IRI",
    "OWL_THING",
    "PREFIXES",
    "RDFS",
    "RDF_DIRLANGSTRING",
    "RDF_LANGSTRING",
    "RDF_TYPE",
    "TDM",
    "XSD_STRING",
    "curie",
]

NS = "https://w3id.org/ccsig#"
ONTOLOGY_IRI = "https://w3id.org/ccsig"
CONTEXT_URL = "https://w3id.org/ccsig/context.jsonld"
ODRL = "http://www.w3.org/ns/odrl/2/"
TDM = "http://www.w3.org/ns/tdmrep#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"

# Prefixes ccsig writes and reads in Turtle, tables and --bind values.
PREFIXES = {
    "ccsig": NS,
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": DCT,
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": XSD,
}

RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_LANGSTRING = ox.NamedNode(RDF + "langString")
# RDF 1.2: a language-tagged string with a base direction ("..."@en--ltr)
RDF_DIRLANGSTRING = ox.NamedNode(RDF + "dirLangString")
XSD_STRING = ox.NamedNode(XSD + "string")
CONTENT_USAGE = ox.NamedNode(NS + "contentUsage")


def curie(iri: str, prefixes: Mapping[str, str] = PREFIXES, *, bare: bool = True) -> str | None:
    """`prefix:local` for the first prefix whose namespace starts `iri`, else None.

    `bare=False` keeps a namespace IRI itself (an empty local name) unshortened.
    """
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (bare or iri != ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return None
