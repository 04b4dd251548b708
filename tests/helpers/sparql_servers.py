"""SPARQL servers for tests, all on 127.0.0.1: a real `oxigraph serve` (`Server`), a
one-answer stub (`Stub`) and a raw socket server that may misbehave (`Raw`); with what
tests read back of a store (`dump`, `graphs`)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from ccsig.ingest.readers import read_quads


def oxigraph_command() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An in-memory `oxigraph serve` on a free local port."""

    def __init__(self) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [oxigraph_command(), "serve", "--bind", self.base.removeprefix("http://")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                self.select("ASK {}")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    def put(self, path: Path, graph: str | None = None) -> None:
        """Replace the default graph (or `graph`) with the file (Graph Store Protocol).
        ccsig parses it (JSON-LD naming ccsig's context needs ccsig's offline copy)."""
        body = ox.serialize(read_quads(str(path)), format=ox.RdfFormat.N_QUADS)
        where = f"graph={graph}" if graph else "default"
        self._send(f"{self.base}/store?{where}", body, "application/n-triples", "PUT")

    def clear(self) -> None:
        self._send(self.update, b"DROP ALL", "application/sparql-update")

    def select(self, query: str) -> dict:
        body = self._send(self.query, query.encode(), "application/sparql-query")
        return json.loads(body)

    def _send(self, url: str, body: bytes, kind: str, method: str = "POST") -> bytes:
        request = urllib.request.Request(
            url,
            data=body,
            method=method,
            headers={"Content-Type": kind, "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Stub:
    """A one-answer HTTP server on 127.0.0.1: whatever is POSTed, it sends `body` as `kind`."""

    def __init__(self, body: bytes, kind: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server API)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class Raw:
    """A server on 127.0.0.1 that reads each request and then runs `behave(conn, path)`
    on the raw socket: it may answer slowly, wrongly, or never (`behave` None: it hangs
    until the server stops, so that no thread outlives the test)."""

    def __init__(self, behave) -> None:  # noqa: ANN001
        self.behave = behave or (lambda conn, path: self.stopped.wait(30))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.url = self.base + "/sparql"
        self.requests: list[tuple[str, bytes]] = []
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    more = conn.recv(65536)
                    if not more:  # the client went away: no thread may spin on after it
                        return
                    data += more
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    more = conn.recv(65536)
                    if not more:
                        return
                    body += more
                request_line = head.split(b"\r\n")[0].decode()
                self.requests.append((request_line, body))
                self.behave(conn, request_line.split()[1])
            except OSError:
                pass

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of _serve
        except OSError:
            pass
        self.sock.close()


def answer(conn: socket.socket, status: str, headers: dict[str, str], body: bytes) -> None:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def dump(server: Server) -> list[str]:
    """Every quad of the store, default graph and named graphs, sorted."""
    rows = server.select(
        "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    )["results"]["bindings"]
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def graphs(server: Server) -> set[str]:
    rows = server.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {r["g"]["value"] for r in rows["results"]["bindings"]}
