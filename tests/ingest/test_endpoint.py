"""Remote SPARQL endpoints, against a real Oxigraph server started on 127.0.0.1.

`check` and `query` with --endpoint must answer exactly as they do over the same data
read from files; `infer --update-endpoint` must write what `infer` would print.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import DATA, EXAMPLES
from tests.helpers.sparql_servers import Raw, Server, Stub, answer, free_port

CATALOG = EXAMPLES / "catalog.ttl"
CROISSANT = EXAMPLES / "croissant.json"
GRAPH = "https://data.example.org/graphs/catalog"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.fixture
def catalog(server: Server) -> Server:
    server.clear()
    server.put(CATALOG)
    return server


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _without_sources(report: str) -> dict:
    """A check report with each statement's source (the file, or the endpoint) left out."""
    data = json.loads(report)
    for result in data["results"]:
        for statement in result["statements"]:
            statement.pop("source")
    return data


@pytest.mark.parametrize(
    ("category", "commit"),
    [
        ("train-genai", ()),
        ("train-genai", ("credit", "ecosystem-contribution")),
        ("ai-use", ("credit",)),
        ("search", ()),
    ],
)
def test_check_answers_as_in_process(catalog: Server, category: str, commit: tuple) -> None:
    flags = ["--for", category, "--format", "json"]
    for element in commit:
        flags += ["--commit", element]
    code, remote, err = run("check", "--endpoint", catalog.query, *flags)
    assert code == 0, err
    _, local, _ = run("check", str(CATALOG), *flags)
    assert _without_sources(remote) == _without_sources(local)
    assert {s["source"] for r in json.loads(remote)["results"] for s in r["statements"]} == {
        catalog.query
    }


def test_check_text_and_reference_engine(catalog: Server) -> None:
    flags = ["--for", "train-ai", "--commit", "credit", "--commit", "open"]
    _, local, _ = run("check", str(CATALOG), *flags)
    for engine in ("fast", "reference"):
        code, remote, err = run("check", "--endpoint", catalog.query, "--engine", engine, *flags)
        assert code == 0, err
        assert remote == local


def test_fail_on_gates_on_endpoint_data(catalog: Server) -> None:
    code, _, _ = run(
        "check", "--endpoint", catalog.query, "--for", "all", "--fail-on", "disallowed"
    )
    assert code == 1


@pytest.mark.parametrize("question", ["summary", "unsignalled", "conflicts", "decisions"])
def test_query_answers_as_in_process(catalog: Server, question: str) -> None:
    flags = ["--format", "json", "--commit", "credit"]
    if question == "decisions":
        flags += ["--bind", "category=ccsig:aipref-02.train-genai"]
    code, remote, err = run("query", question, "--endpoint", catalog.query, *flags)
    assert code == 0, err
    _, local, _ = run("query", question, str(CATALOG), *flags)
    # statements name where they were read: the file, or the endpoint
    remote = remote.replace(catalog.query, "SOURCE")
    local = local.replace(CATALOG.resolve().as_uri(), "SOURCE")

    def rows(text: str) -> list[str]:
        data = json.loads(text)
        return sorted(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])

    assert json.loads(remote)["head"] == json.loads(local)["head"]
    assert rows(remote) == rows(local)
    if question in ("summary", "decisions"):  # the example catalog has no conflicts
        assert rows(local), "the question should have answers on the example catalog"


def test_named_graphs(server: Server) -> None:
    server.clear()
    server.put(CATALOG, graph=GRAPH)
    flags = ["--for", "train-genai", "--format", "json"]
    _, local, _ = run("check", str(CATALOG), *flags)
    code, remote, err = run("check", "--endpoint", server.query, "--graph", GRAPH, *flags)
    assert code == 0, err
    assert _without_sources(remote) == _without_sources(local)
    # the default graph is empty: nothing to decide
    code, empty, _ = run("check", "--endpoint", server.query, *flags)
    assert code == 0 and json.loads(empty)["results"] == []


def test_files_and_an_endpoint_are_merged(catalog: Server) -> None:
    flags = ["--for", "train-genai", "--format", "json"]
    code, out, err = run("check", str(CROISSANT), "--endpoint", catalog.query, *flags)
    assert code == 0, err
    _, catalog_only, _ = run("check", str(CATALOG), *flags)
    _, croissant_only, _ = run("check", str(CROISSANT), *flags)
    both = json.loads(out)["results"]
    assert len(both) == len(json.loads(catalog_only)["results"]) + len(
        json.loads(croissant_only)["results"]
    )


def _graph_triples(server: Server, graph: str) -> set[ox.Triple]:
    data = server.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def term(b: dict) -> ox.Term:
        if b["type"] == "uri":
            return ox.NamedNode(b["value"])
        if b["type"] == "bnode":
            return ox.BlankNode(b["value"])
        if "xml:lang" in b:
            return ox.Literal(b["value"], language=b["xml:lang"])
        return ox.Literal(b["value"], datatype=ox.NamedNode(b.get("datatype", XSD_STRING)))

    return {
        ox.Triple(term(r["s"]), term(r["p"]), term(r["o"])) for r in data["results"]["bindings"]
    }


def test_infer_writes_the_closure_back(catalog: Server, tmp_path: Path) -> None:
    target = "https://data.example.org/graphs/closure"
    code, out, err = run(
        "infer",
        "--endpoint",
        catalog.query,
        "--new-only",
        "--update-endpoint",
        catalog.update,
        "--update-graph",
        target,
    )
    assert code == 0, err
    assert out == ""
    assert f"to {catalog.update} in 1 request" in err
    local = tmp_path / "closure.nt"
    code, _, _ = run("infer", str(CATALOG), "--new-only", "-o", str(local))
    assert code == 0
    expected = {q.triple for q in ox.parse(path=str(local), format=ox.RdfFormat.N_TRIPLES)}
    source = ox.NamedNode(CATALOG.resolve().as_uri())

    def sourced(t: ox.Triple, where: ox.NamedNode) -> ox.Triple:
        return ox.Triple(t.subject, t.predicate, where) if t.object == source else t

    expected = {sourced(t, ox.NamedNode(catalog.query)) for t in expected}
    assert _graph_triples(catalog, target) == expected
    # and the endpoint now answers with the lifted statements in place
    code, remote, _ = run("check", "--endpoint", catalog.query, "--for", "search")
    assert code == 0 and "8 assets" in remote


def test_infer_pushes_blank_node_assets_from_files_in_one_request(server: Server) -> None:
    server.clear()
    target = "https://data.example.org/graphs/croissant"
    code, _, err = run(
        "infer", str(CROISSANT), "--update-endpoint", server.update, "--update-graph", target
    )
    assert code == 0, err
    answer = server.select(
        f"""PREFIX ccsig: <https://w3id.org/ccsig#>
        SELECT ?name WHERE {{ GRAPH <{target}> {{
          ?statement ccsig:about ?dataset . ?dataset <https://schema.org/name> ?name }} }}"""
    )
    names = {b["name"]["value"] for b in answer["results"]["bindings"]}
    assert "city-archive-transcripts" in names
    # regression: ccsig's own reuser (a ccsig:Reuser, a prov:Agent) was written into the store
    written = _graph_triples(server, target)
    assert not [t for t in written if "urn:ccsig:reuser:command-line" in t.subject.value]


def test_blank_nodes_read_from_an_endpoint_are_not_written_back(server: Server) -> None:
    server.clear()
    server.put(CROISSANT)
    target = "https://data.example.org/graphs/back"
    code, _, err = run(
        "infer",
        "--endpoint",
        server.query,
        "--new-only",
        "--update-endpoint",
        server.update,
        "--update-graph",
        target,
    )
    assert code == 0, err
    assert "blank nodes read from the endpoint were not written back" in err
    written = _graph_triples(server, target)
    assert written, "the IRI-only part of the closure is written"
    assert not any(isinstance(t.subject, ox.BlankNode) for t in written)
    assert not any(isinstance(t.object, ox.BlankNode) for t in written)


def test_unreachable_endpoint_is_one_line_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, out, err = run("check", "--endpoint", url, "--for", "train-genai")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and url in err and "cannot reach" in err


def test_http_errors_are_one_line_exit_2(server: Server) -> None:
    code, _, err = run("check", "--endpoint", server.base + "/nowhere", "--for", "search")
    assert code == 2 and err.count("\n") == 1 and "HTTP 404" in err
    code, _, err = run("infer", str(CATALOG), "--update-endpoint", server.query)
    assert code == 2 and err.count("\n") == 1 and "HTTP" in err


def test_a_graph_name_cannot_inject_sparql(catalog: Server) -> None:
    hostile = f"{GRAPH}> {{ ?s ?p ?o }} }} ; DROP ALL ; #"
    code, _, err = run("check", "--endpoint", catalog.query, "--graph", hostile, "--for", "all")
    assert code == 2 and "not an IRI" in err
    count = catalog.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count["results"]["bindings"][0]["n"]["value"]) > 0


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--for", "search"],
        ["check", str(CATALOG), "--for", "search", "--graph", GRAPH],
        ["query", "summary"],
        ["infer", str(CATALOG), "--update-graph", GRAPH],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "Error" in err


def test_an_endpoint_answering_in_turtle_is_read_too() -> None:
    # stores that do not offer N-Triples for CONSTRUCT answer with Turtle
    flags = ["--for", "train-genai", "--format", "json"]
    _, local, _ = run("check", str(CATALOG), *flags)
    with Stub(CATALOG.read_bytes(), "text/turtle; charset=utf-8") as url:
        code, remote, err = run("check", "--endpoint", url, *flags)
    assert code == 0, err
    assert _without_sources(remote) == _without_sources(local)


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (b"<html>a login page</html>", "text/html", "not N-Triples, Turtle or RDF/XML"),
        (b"<https://e.org/a> <https://e.org/p> .\n", "application/n-triples", ":1:"),
    ],
)
def test_an_answer_that_is_not_rdf_is_one_line_exit_2(body: bytes, kind: str, message: str) -> None:
    with Stub(body, kind) as url:
        code, out, err = run("check", "--endpoint", url, "--for", "search")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and url in err


# --- hostile endpoints: deadlines, size bounds, redirects, cut-off answers -------


NT = b'<https://e.org/d> <https://w3id.org/ccsig#contentUsage> "all=n" .\n'


def _timed(*args: str) -> tuple[int, str, str, float]:
    started = time.monotonic()
    code, out, err = run(*args)
    return code, out, err, time.monotonic() - started


def test_an_endpoint_that_never_answers_is_given_up_at_the_timeout() -> None:
    with Raw(None) as server:
        code, out, err, took = _timed(
            "check", "--endpoint", server.url, "--for", "all", "--timeout", "1"
        )
    assert took < 10
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and server.url in err and "within 1 s (--timeout)" in err


def test_a_trickling_endpoint_is_held_to_a_total_deadline() -> None:
    def trickle(conn: socket.socket, path: str) -> None:
        answer(conn, "200 OK", {"Content-Type": "application/n-triples"}, b"")
        for _ in range(100):
            conn.sendall(b"#")
            time.sleep(0.2)

    with Raw(trickle) as server:
        code, _, err, took = _timed(
            "check", "--endpoint", server.url, "--for", "all", "--timeout", "2"
        )
    assert took < 10
    assert code == 2 and err.count("\n") == 1 and "within 2 s (--timeout)" in err


@pytest.mark.parametrize("announce", [True, False])
def test_an_enormous_answer_is_cut_at_max_bytes(announce: bool) -> None:
    def enormous(conn: socket.socket, path: str) -> None:
        headers = {"Content-Type": "application/n-triples"}
        if announce:
            headers["Content-Length"] = str(10**12)
        answer(conn, "200 OK", headers, b"")
        for _ in range(2000):
            conn.sendall(NT * 1000)

    with Raw(enormous) as server:
        code, _, err, took = _timed(
            "check", "--endpoint", server.url, "--for", "all", "--max-bytes", "100000"
        )
    assert took < 20
    assert code == 2 and err.count("\n") == 1 and server.url in err
    assert "100000 (--max-bytes)" in err or "100000 bytes allow (--max-bytes)" in err


def test_a_body_cut_short_of_its_content_length_is_an_error() -> None:
    def cut(conn: socket.socket, path: str) -> None:
        headers = {"Content-Type": "application/n-triples", "Content-Length": "100000"}
        answer(conn, "200 OK", headers, NT * 3)

    with Raw(cut) as server:
        code, _, err = run("check", "--endpoint", server.url, "--for", "all")
    assert code == 2 and err.count("\n") == 1
    assert f"{server.url}: the answer was cut off after {len(NT) * 3} bytes of the 100000" in err


@pytest.mark.parametrize("elsewhere", ["http://127.0.0.1:1/sparql", "ftp://127.0.0.1/x"])
def test_a_query_follows_no_redirect_off_its_origin(elsewhere: str) -> None:
    def away(conn: socket.socket, path: str) -> None:
        answer(conn, "302 Found", {"Location": elsewhere, "Content-Length": "0"}, b"")

    with Raw(away) as server:
        code, _, err = run("check", "--endpoint", server.url, "--for", "all")
    assert code == 2 and err.count("\n") == 1
    assert f"redirects to {elsewhere}" in err and "only within the endpoint's origin" in err


@pytest.mark.parametrize("status", ["301 Moved Permanently", "307 Temporary Redirect"])
def test_a_query_follows_a_redirect_within_its_origin(status: str) -> None:
    def moved(conn: socket.socket, path: str) -> None:
        if path == "/sparql":
            answer(conn, status, {"Location": "/moved", "Content-Length": "0"}, b"")
        else:
            kind = {"Content-Type": "application/n-triples", "Content-Length": str(len(NT))}
            answer(conn, "200 OK", kind, NT)

    with Raw(moved) as server:
        code, out, err = run("check", "--endpoint", server.url, "--for", "all")
        assert [r[0].split()[1] for r in server.requests] == ["/sparql", "/moved"]
        assert server.requests[1][1].startswith(b"CONSTRUCT")  # the query went along
    assert code == 0, err
    assert "1 asset" in out


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other"])
def test_an_update_is_never_redirected_and_claims_nothing(status: str) -> None:
    def moved(conn: socket.socket, path: str) -> None:
        if path == "/sparql":
            answer(conn, status, {"Location": "/elsewhere", "Content-Length": "0"}, b"")
        else:
            answer(conn, "200 OK", {"Content-Length": "0"}, b"")

    with Raw(moved) as server:
        code, _, err = run("infer", str(CATALOG), "--update-endpoint", server.url)
        assert [r[0].split()[1] for r in server.requests] == ["/sparql"]
    assert code == 2 and err.count("\n") == 1
    assert f"HTTP {status} (to /elsewhere)" in err and "nothing was written" in err
    assert "wrote" not in err


def test_an_update_endpoint_that_never_answers_is_given_up() -> None:
    with Raw(None) as server:
        code, _, err, took = _timed(
            "infer", str(CATALOG), "--update-endpoint", server.url, "--timeout", "1"
        )
    assert took < 10 and code == 2 and "within 1 s" in err


def test_an_endpoint_url_that_is_not_http_is_one_line() -> None:
    code, _, err = run("check", "--endpoint", "notaurl", "--for", "all")
    assert code == 2 and err.count("\n") == 1 and "notaurl: not an http:// or https:// URL" in err


def test_billion_laughs_from_an_endpoint_is_refused_at_once() -> None:
    body = (DATA / "hostile" / "billion-laughs.rdf.hostile").read_bytes()
    with Stub(body, "application/rdf+xml") as url:
        code, _, err, took = _timed("check", "--endpoint", url, "--for", "all")
    assert took < 5
    assert code == 2 and err.count("\n") == 1 and f"{url}:4:" in err and "nested entities" in err


def test_deeply_nested_rdf_xml_from_an_endpoint_is_refused_at_once() -> None:
    from tests.ingest.test_readers import _nested_rdf_xml

    with Stub(_nested_rdf_xml(50_000), "application/rdf+xml") as url:
        code, _, err, took = _timed("check", "--endpoint", url, "--for", "all")
    assert took < 10
    assert code == 2 and err.count("\n") == 1 and f"{url}:3:" in err and "256 deep" in err


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (b"<html>a login page</html>", "text/html", "not SPARQL results"),
        (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 1}]}}',
         "application/sparql-results+json", "not valid SPARQL results"),
        (b'{"head": {}, "boolean": true}', "application/sparql-results+json", "boolean"),
    ],
)  # fmt: skip
def test_select_answers_that_are_no_results_are_one_line(
    body: bytes, kind: str, message: str
) -> None:
    from ccsig.errors import CcsigError
    from ccsig.ingest.endpoint import Endpoint

    with Stub(body, kind) as url:
        endpoint = Endpoint(url)
        with pytest.raises(CcsigError) as err:
            endpoint.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert message in str(err.value) and url in str(err.value) and "\n" not in str(err.value)
    assert endpoint.traffic.received == len(body) and endpoint.traffic.sent > 0


def test_select_asks_of_one_default_graph(catalog: Server) -> None:
    from ccsig.ingest.endpoint import Endpoint

    endpoint = Endpoint(catalog.query)
    names, rows = endpoint.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", GRAPH)
    assert names == ["n"] and rows[0][0] is not None and rows[0][0].value == "0"
    assert endpoint.ask("ASK { ?s ?p ?o }") is True
