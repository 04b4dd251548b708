"""`validate --in-store`: the fast engine's shapes compiled to SPARQL give the fast
engine's results (a differential test over an in-process pyoxigraph store, on every
fixture, with the shipped and the steward shapes), and against a real `oxigraph serve`
the same report as copy mode and as the store's dump validated as a file, the user's
graphs untouched, also when a step fails."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccsig
from ccsig.errors import CcsigError
from ccsig.ingest.readers import read_quads
from ccsig.model.vocabulary import DEFAULT_VOCABULARY
from ccsig.validation import instore, run
from ccsig.validation.fast import Engine
from ccsig.validation.instore import StoreEngine, in_process, why_not_in_store
from ccsig.validation.run import validate_files
from ccsig.validation.shapes import load
from tests.helpers.paths import DATA, EXAMPLES
from tests.helpers.sparql_servers import Raw, Server, Stub, dump, graphs
from tests.ingest.test_endpoint import run as cli
from tests.validation.test_engines_agree import FIXTURES, catalog

SHAPES = DATA / "shapes"
STEWARD = [str(SHAPES / "steward-core.ttl"), str(SHAPES / "steward-sparql.ttl")]
STEWARD_CATALOG = SHAPES / "steward-catalog.ttl"


@pytest.fixture(scope="module")
def every_shape():  # the shipped shapes and the steward fixtures
    return load([*STEWARD, str(SHAPES / "nested-severity.ttl")])


def fast_store(quads: list[ox.Quad]) -> ox.Store:
    """The store the fast engine validates (ccsig.validation.run.validate_quads)."""
    return run.fast_store(quads, DEFAULT_VOCABULARY)[0]


def both(graph, quads: list[ox.Quad]) -> tuple[set, set]:
    store = fast_store(quads)
    fast = [s for s in graph.shapes if s.why_not_fast() is None]
    python, sparql = Engine(store), StoreEngine(in_process(store))
    return (
        {r for s in fast for r in python.validate(s)},
        {r for s in fast for r in sparql.validate(s)},
    )


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_compiled_shapes_give_the_fast_engine_s_results(path: Path, every_shape) -> None:
    assert all(why_not_in_store(s) is None for s in every_shape.shapes)
    python, sparql = both(every_shape, list(read_quads(str(path))))
    assert sparql == python


def test_on_a_generated_catalog_too(tmp_path: Path, every_shape) -> None:
    f = tmp_path / "generated.ttl"
    f.write_text(catalog(7, 60, DEFAULT_VOCABULARY, odrl=True))
    python, sparql = both(every_shape, list(read_quads(str(f))))
    assert sparql == python and len(python) > 20


_EX = "https://e.org/"
_NODES = [ox.NamedNode(_EX + n) for n in ("a", "b", "c", "agency", "theme/a", "theme/b")]
_NODES += [ox.BlankNode("x"), ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")]
_NODES += [ox.NamedNode("http://www.w3.org/ns/dcat#Distribution")]
_VALUES = [*_NODES, ox.Literal("T"), ox.Literal("T", language="en"), ox.Literal("3")]
_VALUES += [ox.Literal("train-ai=n"), ox.Literal("x=1;exceptions=cc-by"), ox.Literal("all=n")]
_PREDICATES = [
    ox.NamedNode(p)
    for p in (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/publisher",
        "http://purl.org/dc/terms/description",
        "http://purl.org/dc/terms/rights",
        "http://www.w3.org/ns/dcat#theme",
        "http://www.w3.org/ns/dcat#distribution",
        "http://www.w3.org/ns/dcat#downloadURL",
        "https://w3id.org/ccsig#contentUsage",
    )
]
_SUBJECTS = [_NODES[0], _NODES[1], _NODES[3], ox.BlankNode("x")]
_TRIPLES = st.lists(
    st.tuples(st.sampled_from(_SUBJECTS), st.sampled_from(_PREDICATES), st.sampled_from(_VALUES)),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_TRIPLES)
def test_random_graphs_agree(every_shape, triples: list[tuple]) -> None:
    quads = [ox.Quad(s, p, o) for s, p, o in triples]
    python, sparql = both(every_shape, quads)
    assert sparql == python


NESTED_DATA = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://e.org/d> a dcat:Dataset ; dct:publisher <https://e.org/p> .
<https://e.org/p> dct:title "P" .
<https://e.org/d2> a dcat:Dataset ; dct:publisher <https://e.org/q> .
<https://e.org/q> dct:description "Q" .
"""


def test_severities_inside_nested_shapes(every_shape, tmp_path: Path) -> None:
    # nested-severity.ttl. Regression: the fast engine counted only a Violation inside a
    # shape reached through sh:node as failing the node, and ccsig's reading of pySHACL
    # counted the nested sh:detail results as results; SHACL (2.3.1: a node conforms when
    # it "produces no validation results") and pySHACL's own report say otherwise
    python, sparql = both(every_shape, list(read_quads(str(STEWARD_CATALOG))))
    assert sparql == python
    data = tmp_path / "nested.ttl"
    data.write_text(NESTED_DATA)
    shapes = [str(SHAPES / "nested-severity.ttl")]
    fast = validate_files([str(data)], shapes=shapes)
    assert fast.results == validate_files([str(data)], shapes=shapes, engine="reference").results
    found = {(r.focus, r.message) for r in fast.results}
    assert found == {
        ("https://e.org/d", "A described agent publishes it."),  # p: a Warning inside
        ("https://e.org/d2", "A described agent publishes it."),
        ("https://e.org/d2", "An advised agent publishes it."),  # a Warning node shape
    }
    python, sparql = both(every_shape, list(read_quads(str(data))))
    assert sparql == python


def test_the_steward_fixtures_reach_every_constraint_and_agree_with_pyshacl() -> None:
    fast = validate_files([str(STEWARD_CATALOG)], shapes=STEWARD)
    reference = validate_files([str(STEWARD_CATALOG)], shapes=STEWARD, engine="reference")
    assert fast.results == reference.results
    messages = {r.message for r in fast.results}
    for expected in ("One plain title.", "Not a node.", "No rights statement here.",
                     "A theme from the list.", "Two expressions, for the test.",
                     "At most two string descriptions.", "A titled publisher."):  # fmt: skip
        assert expected in messages
    assert any("carries no content-usage expression" in m for m in messages)
    assert any(m.startswith("Each distribution") for m in messages)


def _one_shape(tmp_path: Path, body: str) -> ccsig.validation.shapes.Shape:
    f = tmp_path / "shape.ttl"
    f.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://e.org/> .\n" + body
    )
    graph = load([str(f)])
    return next(s for s in graph.shapes if s.label() == "https://e.org/S")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^a" ; '
         'sh:message "m" ] .', "sh:pattern is not evaluated by the fast engine"),
        ('ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 7 ; '
         'sh:message "m" ] .', "a count above 3"),
        ('ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ; '
         'sh:message "m" ] . ex:N sh:sparql [ sh:message "n" ; '
         'sh:select "SELECT $this WHERE { $this ex:q ?x }" ] .',
         "a SPARQL constraint reached through sh:node"),
    ],
)  # fmt: skip
def test_what_the_store_cannot_evaluate_is_named(tmp_path: Path, body: str, reason: str) -> None:
    why = why_not_in_store(_one_shape(tmp_path, body))
    assert why is not None and reason in why


def test_a_shape_without_focus_nodes_finds_nothing(tmp_path: Path) -> None:
    shape = _one_shape(
        tmp_path,
        "ex:S sh:targetClass ex:C ; "
        'sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "m" ] .',
    )
    assert StoreEngine(in_process(ox.Store())).validate(shape) == []
    assert instore.compile_shape(shape).core is not None


# ----------------------------------------------------------- against oxigraph serve


def in_store(server: Server, *args: str) -> list[str]:
    return ["validate", "--endpoint", server.query, "--update-endpoint", server.update,
            "--in-store", *args]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "flags"),
    [
        (EXAMPLES / "catalog.ttl", ["--format", "json"]),
        (EXAMPLES / "catalog.ttl", ["--format", "json", "--vocabulary", "aipref-07"]),
        (EXAMPLES / "broken" / "catalog.ttl", ["--format", "text"]),
        (STEWARD_CATALOG, ["--format", "json", *(f"--shapes={s}" for s in STEWARD)]),
    ],
    ids=["catalog", "aipref-07", "broken", "steward"],
)
def test_in_store_reports_as_copy_mode_and_as_the_dump_and_leaves_the_store_as_it_was(
    server: Server, tmp_path: Path, data: Path, flags: list[str]
) -> None:
    server.clear()
    server.put(data)
    server.put(EXAMPLES / "unsigned-catalog.ttl", "https://data.example.org/graphs/other")
    before = dump(server)
    copy_code, copied, err = cli("validate", "--endpoint", server.query, *flags)
    assert copy_code in (0, 1), err
    code, inside, err = cli(*in_store(server, *flags))
    assert code == copy_code, err
    assert inside == copied  # byte-identical
    assert dump(server) == before and graphs(server) == {"https://data.example.org/graphs/other"}
    # the store's default graph, dumped to a file and validated as one
    dumped = tmp_path / "dump.nt"
    dumped.write_bytes(store_dump(server))
    code, from_file, err = cli("validate", str(dumped), *flags)
    assert code == copy_code, err
    assert from_file.replace(str(dumped), server.query) == copied


def store_dump(server: Server) -> bytes:
    from ccsig.ingest.endpoint import Endpoint

    stream, fmt = Endpoint(server.query).triples()
    with stream:
        return ox.serialize(ox.parse(stream, format=fmt), format=ox.RdfFormat.N_TRIPLES)


def test_keep_and_work_graph(server: Server) -> None:
    server.clear()
    server.put(EXAMPLES / "catalog.ttl")
    work = "urn:example:validation"
    code, _, err = cli(*in_store(server, "--work-graph", work, "--keep"))
    assert code == 0, err
    assert graphs(server) == {work}
    # the work graph holds what the fast engine's store holds (the data, lifted as a
    # file's data is, without a source, and the vocabulary), blank nodes aside
    from ccsig.ingest.endpoint import Endpoint

    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{work}> {{ ?s ?p ?o }} }}"
    _, rows = Endpoint(server.query).select(query)
    kept = [ox.Triple(*row) for row in rows]
    in_process = fast_store(list(read_quads(str(EXAMPLES / "catalog.ttl"))))
    named = [t for t in kept if not _blank(t)]
    expected = [q.triple for q in in_process if not _blank(q.triple)]
    assert sorted(map(str, named)) == sorted(map(str, expected))
    code, out, err = cli(*in_store(server, "--work-graph", work))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "already holds triples" in err


def _blank(t: ox.Triple) -> bool:
    return any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object))


def test_a_failure_midway_drops_the_work_graph(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.clear()
    server.put(EXAMPLES / "catalog.ttl")
    before = dump(server)
    asked: list[str] = []

    def broken(self: StoreEngine, shape: object) -> list:
        asked.append("x")  # the data is copied and lifted by now
        raise CcsigError(f"{server.query}: HTTP 500 Internal Server Error")

    monkeypatch.setattr(StoreEngine, "validate", broken)
    with pytest.raises(CcsigError):
        ccsig.validate(
            endpoint=server.query, update_endpoint=server.update, in_store=True, keep=True
        )
    assert asked and dump(server) == before


def test_a_shape_only_pyshacl_evaluates_is_refused_by_name(server: Server, tmp_path: Path) -> None:
    server.clear()
    server.put(EXAMPLES / "catalog.ttl")
    shape = tmp_path / "pattern.ttl"
    shape.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://steward.example/Titled> sh:targetClass <http://www.w3.org/ns/dcat#Dataset> ;"
        ' sh:property [ sh:path <http://purl.org/dc/terms/title> ; sh:pattern "^[A-Z]" ;'
        ' sh:message "Capitalise." ] .\n'
    )
    before = dump(server)
    code, out, err = cli(*in_store(server, "--shapes", str(shape)))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "https://steward.example/Titled" in err
    assert "sh:pattern" in err and "Traceback" not in err
    assert dump(server) == before


def test_a_store_that_refuses_updates_is_one_line_exit_2(server: Server) -> None:
    server.clear()
    server.put(EXAMPLES / "catalog.ttl")
    before = dump(server)
    code, out, err = cli("validate", "--endpoint", server.query, "--update-endpoint",
                         server.query, "--in-store")  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and server.query in err and "Traceback" not in err
    assert dump(server) == before


def test_blank_node_assets_are_refused(server: Server, tmp_path: Path) -> None:
    data = tmp_path / "blank.ttl"
    data.write_text('[] <https://w3id.org/ccsig#contentUsage> "all=n" .\n')
    server.clear()
    server.put(data)
    code, out, err = cli(*in_store(server))
    assert code == 2 and out == "" and "blank nodes" in err


def test_garbage_is_one_line_exit_2() -> None:
    with Stub(b"<html>a login page</html>", "text/html") as url:
        code, out, err = cli("validate", "--endpoint", url, "--update-endpoint", url, "--in-store")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "not SPARQL results" in err and url in err


def test_a_store_that_never_answers_is_given_up_at_the_timeout() -> None:
    with Raw(None) as server:
        started = time.monotonic()
        code, out, err = cli("validate", "--endpoint", server.url, "--update-endpoint",
                             server.url, "--in-store", "--timeout", "1")  # fmt: skip
    assert time.monotonic() - started < 10
    assert code == 2 and err.count("\n") == 1 and "--timeout" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--in-store"],
        ["--endpoint", "http://127.0.0.1:9/q", "--in-store"],
        ["--endpoint", "http://127.0.0.1:9/q", "--keep"],
        ["--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "http://127.0.0.1:9/u",
         "--in-store", "--engine", "reference"],
        [str(EXAMPLES / "catalog.ttl"), "--endpoint", "http://127.0.0.1:9/q",
         "--update-endpoint", "http://127.0.0.1:9/u", "--in-store"],
        [],
    ],
)  # fmt: skip
def test_usage_errors(args: list[str]) -> None:
    code, out, err = cli("validate", *args)
    assert code == 2 and out == "" and "Traceback" not in err


def test_copy_mode_joins_files_and_the_endpoint(server: Server) -> None:
    server.clear()
    server.put(EXAMPLES / "broken" / "catalog.ttl")
    code, out, err = cli("validate", str(EXAMPLES / "catalog.ttl"), "--endpoint", server.query,
                         "--format", "json")  # fmt: skip
    assert code == 1, err
    files = {r["file"] for r in json.loads(out)["results"]}
    assert server.query in files
