"""In-store mode against a real `oxigraph serve` on 127.0.0.1: the same answers as copy
mode, nothing written outside the work graph (also when a step fails), and one clear
line, exit 2, for a store that refuses updates, times out or answers garbage."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import ccsig
from ccsig.answer import instore
from ccsig.errors import CcsigError
from tests.helpers.paths import EXAMPLES
from tests.helpers.sparql_servers import Raw, Server, Stub, dump, graphs
from tests.ingest.test_endpoint import run

CATALOG = EXAMPLES / "catalog.ttl"
NAMED = "https://data.example.org/graphs/other"


@pytest.fixture
def store(server: Server) -> Server:
    server.clear()
    server.put(CATALOG)
    server.put(EXAMPLES / "unsigned-catalog.ttl", NAMED)
    return server


def in_store(server: Server, *args: str) -> list[str]:
    return [*args, "--endpoint", server.query, "--update-endpoint", server.update, "--in-store"]


@pytest.mark.parametrize(
    ("category", "commit"),
    [("train-genai", ()), ("train-genai", ("credit",)), ("search", ("credit", "open"))],
)
def test_check_answers_as_copy_mode_and_leaves_the_store_as_it_was(
    store: Server, category: str, commit: tuple[str, ...]
) -> None:
    flags = ["--for", category, "--format", "json", *(f"--commit={c}" for c in commit)]
    before = dump(store)
    code, copied, err = run("check", "--endpoint", store.query, *flags)
    assert code == 0, err
    code, inside, err = run(*in_store(store, "check", *flags))
    assert code == 0, err
    assert json.loads(inside) == json.loads(copied)
    assert inside == copied  # byte-identical, too
    assert dump(store) == before


@pytest.mark.parametrize(
    "args",
    [
        ["summary"],
        ["signal-needed", "--bind", "category=train-genai"],
        ["decisions", "--bind", "category=train-genai", "--commit", "credit"],
    ],
)
def test_query_answers_as_copy_mode(store: Server, args: list[str]) -> None:
    before = dump(store)
    code, copied, err = run("query", *args, "--endpoint", store.query, "--format", "json")
    assert code == 0, err
    code, inside, err = run(*in_store(store, "query", *args, "--format", "json"))
    assert code == 0, err
    assert inside == copied
    assert dump(store) == before


def test_keep_leaves_the_work_graph_and_a_used_one_is_refused(store: Server) -> None:
    before = graphs(store)
    work = "urn:example:work"
    flags = ["--for", "train-genai", "--work-graph", work]
    code, _, err = run(*in_store(store, "check", *flags, "--keep"))
    assert code == 0, err
    assert graphs(store) == before | {work}
    code, out, err = run(*in_store(store, "check", *flags))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and store.query in err and "already holds triples" in err
    assert graphs(store) == before | {work}


def test_a_failure_midway_drops_the_work_graph(
    store: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(store)

    def broken(*args: object) -> int:
        raise CcsigError(f"{store.update}: HTTP 500 Internal Server Error")

    monkeypatch.setattr(instore, "run_rules", broken)  # after the data and lifting are in
    with pytest.raises(CcsigError):
        ccsig.check(
            [],
            "train-genai",
            endpoint=store.query,
            update_endpoint=store.update,
            in_store=True,
            keep=True,
        )
    assert dump(store) == before


def test_a_store_that_refuses_updates_is_one_line_exit_2(store: Server) -> None:
    before = dump(store)
    code, out, err = run(
        "check", "--endpoint", store.query, "--update-endpoint", store.query, "--in-store",
        "--for", "train-genai",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and store.query in err and "Traceback" not in err
    assert dump(store) == before


def test_blank_node_assets_are_refused_before_anything_is_written(
    server: Server, tmp_path: Path
) -> None:
    data = tmp_path / "blank.ttl"
    data.write_text('[] <https://w3id.org/ccsig#contentUsage> "all=n" .\n')
    server.clear()
    server.put(data)
    before = dump(server)
    code, out, err = run(*in_store(server, "check", "--for", "train-genai"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "blank nodes" in err and server.query in err
    assert dump(server) == before


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (b"<html>a login page</html>", "text/html", "not SPARQL results"),
        (b'{"head": {"vars": ["x"]}, "results": ', "application/sparql-results+json", "not valid"),
    ],
)
def test_garbage_answers_are_one_line_exit_2(body: bytes, kind: str, message: str) -> None:
    with Stub(body, kind) as url:
        code, out, err = run(
            "check", "--endpoint", url, "--update-endpoint", url, "--in-store", "--for", "all"
        )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and url in err


def test_a_store_that_never_answers_is_given_up_at_the_timeout() -> None:
    with Raw(None) as server:
        started = time.monotonic()
        code, out, err = run(
            "check", "--endpoint", server.url, "--update-endpoint", server.url, "--in-store",
            "--for", "all", "--timeout", "1",
        )  # fmt: skip
    assert time.monotonic() - started < 10
    assert code == 2 and err.count("\n") == 1 and "--timeout" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--in-store", "--for", "all"],
        ["--endpoint", "http://127.0.0.1:9/q", "--in-store", "--for", "all"],
        ["--endpoint", "http://127.0.0.1:9/q", "--keep", "--for", "all"],
        # given empty (an unset shell variable), they are given: not ignored
        ["--endpoint", "http://127.0.0.1:9/q", "--work-graph", "", "--for", "all"],
        ["--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "", "--for", "all"],
        ["--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "http://127.0.0.1:9/u",
         "--in-store", "--work-graph", "", "--for", "all"],
        [str(CATALOG), "--endpoint", "http://127.0.0.1:9/q", "--update-endpoint",
         "http://127.0.0.1:9/u", "--in-store", "--for", "all"],
    ],
)  # fmt: skip
def test_usage_errors(args: list[str]) -> None:
    code, out, err = run("check", *args)
    assert code == 2 and out == ""
    assert "cannot reach" not in err  # refused before any request


def test_bound_values_open_every_group_that_uses_them() -> None:
    import pyoxigraph as ox

    text = instore.bound(
        'SELECT ?x WHERE { VALUES ?y { 1 } ?x <p> ?r . OPTIONAL { ?r <q> "{?r}" } '
        "{ SELECT ?r WHERE { ?r <s> ?z } } }",
        {"r": ox.NamedNode("urn:r")},
    )
    assert text.count("VALUES (?r) { (<urn:r>) }") == 3
    assert "VALUES ?y { 1 }" in text and '"{?r}"' in text


def test_traffic_is_counted_and_the_work_graph_dropped(store: Server) -> None:
    stats = instore.Store(store.query, store.update, instore.fresh_work_graph())
    instore.in_store_check(stats, "train-genai", ["credit"])
    assert stats.received > 0 and stats.sent > 0
    assert stats.graph.value not in graphs(store)


def test_an_image_s_plus_values_are_read_in_the_store(server: Server) -> None:
    server.clear()
    server.put(EXAMPLES / "web" / "photo.jpg")
    flags = ["--for", "train-genai", "--format", "json"]
    code, copied, err = run("check", "--endpoint", server.query, *flags)
    assert code == 0, err
    code, inside, err = run(*in_store(server, "check", *flags))
    assert code == 0, err
    assert inside == copied and json.loads(inside)["summary"]["disallowed"] >= 1
