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
update), each one HTTP POST. Each request has a total deadline (`timeout`, connecting and
reading the whole answer) and an answer a size bound (`max_bytes`); an answer cut short
of its Content-Length is an error. A query follows redirects within the URL's origin
only; an update follows none (a redirected POST would be sent again without its body,
or to a place the user did not name), it reports what the store answered. Failures are
one-line `CcsigError`s naming the URL.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from ccsig.errors import CcsigError
from ccsig.ingest.readers import check_xml_depth, check_xml_entities

if TYPE_CHECKING:
    import http.client

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
# Seconds a request may take, from connecting to the answer's last byte.
DEFAULT_TIMEOUT = 60.0
# The largest answer read: 512 MiB of N-Triples is about four million triples.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 1 << 16


# What a SELECT or ASK may come back as.
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RESULTS_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.5"
)


@dataclass
class Traffic:
    """Bytes sent to and received from an endpoint (bodies only), for the benchmarks."""

    sent: int = 0
    received: int = 0


@dataclass(frozen=True)
class Endpoint:
    """One SPARQL endpoint: its query URL, or its update URL (stores often have two)."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    traffic: Traffic = field(default_factory=Traffic, compare=False)

    def select(
        self, query: str, default_graph: str | None = None
    ) -> tuple[list[str], list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]]:
        """A SELECT's variables and rows (values in the variables' order), read whole;
        with `default_graph`, asked of that graph alone (``default-graph-uri``)."""
        answer = self.results(query, default_graph)
        if isinstance(answer, bool):
            raise CcsigError(f"{self.url}: answered a SELECT query with a boolean")
        return answer

    def results(
        self, query: str, default_graph: str | None = None
    ) -> tuple[list[str], list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]] | bool:
        """A SELECT's (variables, rows) or an ASK's boolean (see `select`)."""
        answer = self._results(query, default_graph)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        names = [v.value for v in answer.variables]
        try:
            rows = [tuple(row[n] for n in names) for row in answer]
        except (SyntaxError, ValueError) as e:
            raise self._garbage(e) from None
        return names, rows

    def ask(self, query: str, default_graph: str | None = None) -> bool:
        """An ASK's answer (see `select`)."""
        answer = self.results(query, default_graph)
        if not isinstance(answer, bool):
            raise CcsigError(f"{self.url}: answered an ASK query with rows")
        return answer

    def _results(
        self, query: str, default_graph: str | None
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        params = {"default-graph-uri": default_graph} if default_graph else {}
        with self._post(
            query.encode("utf-8"), "application/sparql-query", RESULTS_ACCEPT, True, params
        ) as response:
            kind = response.content_type
            body = response.read()
        if kind not in RESULT_FORMATS:
            raise CcsigError(
                f"{self.url}: answered a query with {kind}, not SPARQL results; "
                "is this a SPARQL 1.1 query endpoint?"
            )
        if RESULT_FORMATS[kind] == ox.QueryResultsFormat.XML:
            check_xml_entities(self.url, body)
        try:
            return ox.parse_query_results(body, format=RESULT_FORMATS[kind])
        except (SyntaxError, ValueError) as e:
            raise self._garbage(e) from None

    def _garbage(self, error: Exception) -> CcsigError:
        detail = " ".join(str(error).split())
        return CcsigError(f"{self.url}: the answer is not valid SPARQL results ({detail})")

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
        response = self._post(query.encode("utf-8"), "application/sparql-query", ACCEPT, True)
        kind = response.content_type
        if kind not in GRAPH_FORMATS:
            response.close()
            raise CcsigError(
                f"{self.url}: answered a CONSTRUCT with {kind}, not N-Triples, Turtle or "
                "RDF/XML; is this a SPARQL 1.1 query endpoint?"
            )
        fmt = GRAPH_FORMATS[kind]
        if fmt == ox.RdfFormat.RDF_XML:  # its DTD and depth are checked before parsing
            with response:
                data = response.read()
            check_xml_entities(self.url, data)
            check_xml_depth(self.url, data)
            return io.BytesIO(data), fmt
        return cast(IO[bytes], response), fmt

    def update(self, text: str) -> None:
        """Run one SPARQL Update request (its answer is read, and dropped)."""
        with self._post(
            text.encode("utf-8"), "application/sparql-update", "*/*", follow=False
        ) as answer:
            while answer.read(_CHUNK):
                pass

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

    def _post(
        self,
        body: bytes,
        content_type: str,
        accept: str,
        follow: bool,
        params: dict[str, str] | None = None,
    ) -> _Answer:
        """POST `body` (with `params` added to the URL's query string); with `follow`,
        redirects within the URL's origin are followed (303 by GET, the others by POSTing
        again), at most `MAX_REDIRECTS`."""
        deadline = time.monotonic() + self.timeout
        origin = _origin(self.url)
        if origin is None:
            raise CcsigError(f"{self.url}: not an http:// or https:// URL")
        url, method = self.url, "POST"
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        self.traffic.sent += len(body)
        data: bytes | None = body
        headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT}
        for _ in range(MAX_REDIRECTS + 1):
            answer = _Answer.request(self, url, method, data, headers, deadline)
            status, reason = answer.status, answer.reason
            if status in _REDIRECTS:
                location = answer.header("Location") or "nowhere"
                answer.close()
                if not follow:
                    raise CcsigError(
                        f"{self.url}: the store answered HTTP {status} {reason} (to {location}); "
                        "ccsig follows no redirect for an update, so nothing was written: "
                        "give the update endpoint's own URL"
                    )
                target = urllib.parse.urljoin(url, location)
                if _origin(target) != origin:
                    scheme, host, port = origin
                    raise CcsigError(
                        f"{self.url}: redirects to {target}, outside {scheme}://{host}:{port}; "
                        "ccsig follows redirects only within the endpoint's origin"
                    )
                url = target
                if status == 303:
                    method, data = "GET", None
                    headers = {"Accept": accept, "User-Agent": USER_AGENT}
                continue
            if status >= 300:
                detail = " ".join(answer.read(300).decode("utf-8", "replace").split())
                answer.close()
                raise CcsigError(
                    f"{self.url}: HTTP {status} {reason}" + (f": {detail}" if detail else "")
                )
            return answer
        raise CcsigError(f"{self.url}: more than {MAX_REDIRECTS} redirects")


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL; None for any other."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


class _Answer(io.RawIOBase):
    """One HTTP answer's body as a stream, read within the request's deadline and its
    size bound; a body cut short of its Content-Length is an error, not an end."""

    def __init__(
        self,
        endpoint: Endpoint,
        connection: http.client.HTTPConnection,
        deadline: float,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.connection = connection
        self.response: http.client.HTTPResponse | None = None
        self.expired = threading.Event()
        self.read_bytes = 0
        # The deadline holds while a read waits: at its end the socket is shut down,
        # so a server that trickles a byte at a time cannot hold ccsig.
        self.timer = threading.Timer(max(deadline - time.monotonic(), 0), self._expire)
        self.timer.daemon = True
        self.timer.start()

    @classmethod
    def request(
        cls,
        endpoint: Endpoint,
        url: str,
        method: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: float,
    ) -> _Answer:
        import http.client  # only to ask an endpoint: with email, ~35 ms to import

        parts = urllib.parse.urlsplit(url)
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        remaining = max(deadline - time.monotonic(), 0.001)
        connection = kind(parts.hostname or "", parts.port, timeout=remaining)
        answer = cls(endpoint, connection, deadline)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request(method, path, body=body, headers=headers)
            answer.response = connection.getresponse()
        except (OSError, http.client.HTTPException) as e:
            answer.close()
            if answer.expired.is_set() or isinstance(e, TimeoutError):
                raise endpoint_timeout(endpoint) from None
            reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
            raise CcsigError(f"{endpoint.url}: cannot reach the endpoint ({reason})") from None
        length = answer.response.length
        if length is not None and length > endpoint.max_bytes:
            answer.close()
            raise endpoint_too_large(endpoint, f"announces {length} bytes")
        return answer

    @property
    def status(self) -> int:
        assert self.response is not None
        return self.response.status

    @property
    def reason(self) -> str:
        assert self.response is not None
        return self.response.reason

    @property
    def content_type(self) -> str:
        assert self.response is not None
        return self.response.headers.get_content_type()

    def header(self, name: str) -> str | None:
        assert self.response is not None
        return self.response.getheader(name)

    def _expire(self) -> None:
        self.expired.set()
        sock = self.connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        import http.client  # see `request`

        assert self.response is not None
        try:
            chunk = self.response.read1(min(len(buffer), _CHUNK))
        except http.client.IncompleteRead as e:
            raise self._cut_off(len(e.partial)) from None
        except (OSError, http.client.HTTPException) as e:
            if self.expired.is_set():
                raise endpoint_timeout(self.endpoint) from None
            raise CcsigError(f"{self.endpoint.url}: the answer broke off ({e})") from None
        if self.expired.is_set():
            raise endpoint_timeout(self.endpoint)
        if not chunk:
            if self.response.length:  # bytes the Content-Length promised and never came
                raise self._cut_off(0)
            return 0
        self.read_bytes += len(chunk)
        self.endpoint.traffic.received += len(chunk)
        if self.read_bytes > self.endpoint.max_bytes:
            raise endpoint_too_large(self.endpoint, "sent more")
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _cut_off(self, partial: int) -> CcsigError:
        assert self.response is not None
        promised = self.response.getheader("Content-Length")
        got = self.read_bytes + partial
        return CcsigError(
            f"{self.endpoint.url}: the answer was cut off after {got} bytes"
            + (f" of the {promised} its Content-Length announced" if promised else "")
        )

    def close(self) -> None:
        self.timer.cancel()
        if self.response is not None:
            self.response.close()
        self.connection.close()
        super().close()


def endpoint_timeout(endpoint: Endpoint) -> CcsigError:
    return CcsigError(
        f"{endpoint.url}: no complete answer within {endpoint.timeout:g} s (--timeout)"
    )


def endpoint_too_large(endpoint: Endpoint, what: str) -> CcsigError:
    return CcsigError(
        f"{endpoint.url}: the answer {what} than {endpoint.max_bytes} bytes allow (--max-bytes)"
        if what == "sent more"
        else f"{endpoint.url}: the answer {what}, more than {endpoint.max_bytes} (--max-bytes)"
    )


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
