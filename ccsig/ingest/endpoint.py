"""SPARQL 1.1 Protocol endpoints: read a store's triples, write a closure back.

Takes: an endpoint URL (and, optionally, named graphs to read or write).
Gives: `Endpoint.triples`, a binary stream of RDF (N-Triples where offered) for the engines
to load
(`Engine.load_endpoint`), and `Endpoint.insert`, which writes triples with SPARQL
Update ``INSERT DATA`` in batches.

Why copy rather than ask remotely: check and query answer over the lifted statements and
their OWL RL closure, and lifting parses expressions in Python. Reading the endpoint's
triples into the in-process engine gives exactly the in-process answers, for any SPARQL
1.1 store. `ccsig infer --update-endpoint` writes the closure back, so that other SPARQL
clients see the lifted statements and what reasoning added.

Only the user's own URLs are contacted, with the protocol's two operations (query and
update), each one HTTP POST. Failures are one-line `CcsigError`s naming the URL.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from ccsig.errors import CcsigError

USER_AGENT = "ccsig (https://w3id.org/ccsig)"
# What a CONSTRUCT may come back as: N-Triples first (streams, and every store has it).
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' old media type
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Triples per INSERT DATA request: small enough for default request-size limits of
# common stores, large enough that a million triples take a hundred requests.
BATCH = 10_000


@dataclass(frozen=True)
class Endpoint:
    """One SPARQL endpoint: its query URL, or its update URL (stores often have two)."""

    url: str
    timeout: float = 300.0

    def triples(self, graphs: Iterable[str] = ()) -> tuple[IO[bytes], ox.RdfFormat]:
        """The endpoint's default graph (or the union of `graphs`): a stream to read, and
        its syntax (N-Triples where the endpoint offers it).

        The CONSTRUCT is built from IRIs only; graph names are checked as IRIs first,
        so nothing the user typed is pasted into the query unchecked.
        """
        names = [ox.NamedNode(g) for g in _checked_iris(graphs)]
        if names:
            where = " UNION ".join(f"{{ GRAPH {g} {{ ?s ?p ?o }} }}" for g in names)
        else:
            where = "?s ?p ?o"
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"
        response = self._post(query.encode("utf-8"), "application/sparql-query", ACCEPT)
        kind = response.headers.get_content_type()
        if kind not in GRAPH_FORMATS:
            response.close()
            raise CcsigError(
                f"{self.url}: answered a CONSTRUCT with {kind}, not N-Triples, Turtle or "
                "RDF/XML; is this a SPARQL 1.1 query endpoint?"
            )
        return response, GRAPH_FORMATS[kind]

    def update(self, text: str) -> None:
        """Run one SPARQL Update request."""
        self._post(text.encode("utf-8"), "application/sparql-update", "*/*").close()

    def insert(self, triples: Iterable[ox.Triple], graph: str | None = None) -> int:
        """Write `triples` with INSERT DATA; returns the number of requests sent.

        Triples with blank nodes go in one request of their own: a blank node label
        names the same node only within one request.
        """
        target = ox.NamedNode(graph) if graph else None
        plain: list[ox.Triple] = []
        blank: list[ox.Triple] = []
        for t in triples:
            (blank if has_blank_node(t) else plain).append(t)
        batches = [plain[i : i + BATCH] for i in range(0, len(plain), BATCH)]
        if blank:
            batches.append(blank)
        for batch in batches:
            self.update(_insert_data(batch, target))
        return len(batches)

    def _post(self, body: bytes, content_type: str, accept: str) -> http.client.HTTPResponse:
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT},
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            detail = " ".join(e.read(300).decode("utf-8", "replace").split())
            raise CcsigError(
                f"{self.url}: HTTP {e.code} {e.reason}" + (f": {detail}" if detail else "")
            ) from None
        except urllib.error.URLError as e:
            raise CcsigError(f"{self.url}: cannot reach the endpoint ({e.reason})") from None
        except (TimeoutError, OSError) as e:
            raise CcsigError(f"{self.url}: {e}") from None
        except ValueError as e:  # not an http(s) URL
            raise CcsigError(f"{self.url}: {e}") from None


def _checked_iris(values: Iterable[str]) -> Iterator[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise CcsigError(f"{value!r} is not an IRI; a graph name must be one") from None
        yield value


def has_blank_node(t: ox.Triple) -> bool:
    """Whether a triple names a blank node, which only one request can mean the same by."""
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _insert_data(triples: list[ox.Triple], graph: ox.NamedNode | None) -> str:
    # pyoxigraph writes every term in N-Triples syntax, which SPARQL accepts as is.
    body = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).decode("utf-8")
    if graph is not None:
        body = f"GRAPH {graph} {{\n{body}}}"
    return f"INSERT DATA {{\n{body}}}\n"
