"""`ccsig.publish.declare`: every rendering of a declaration says what the expression says.

The ODRL policy is checked against an independent ODRL validator
(../shared/reference/odrl/odrl-engine-shacl.ttl, SHACL shapes from the ODRL-Engine
project), loaded from disk; the robots.txt group and the header are parsed back.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF

from ccsig.errors import CcsigError
from ccsig.ingest.headers import parse_header_lines
from ccsig.ingest.robots import evaluate, parse_robots
from ccsig.model.expression import parse_expression
from ccsig.model.vocabulary import duty_actions, load_ontology
from ccsig.publish.declare import FORMATS, declaration, written_action
from tests.helpers.paths import REFERENCE_DIR, requires_reference

ODRL = rdflib.Namespace("http://www.w3.org/ns/odrl/2/")

CASES = [
    ("train-genai=n;exceptions=cc-cr-ec", "aipref-02"),
    ("all=n;exceptions=cc-cr, train-genai=n;exceptions=cc-cr-ec", "aipref-02"),
    ("all=n, train-ai=n;exceptions=cc-cr-dc, search=y", "aipref-02"),
    ("all=y, ai-use=n", "aipref-02"),
    ("train-ai=n;exceptions=cc-cr-op, search=y", "aipref-07"),
    ("train-ai=n, search=n;exceptions=cc-cr", "aipref-07"),
    ("search=y, train-ai=n;exceptions=cc-cr-dc, bogus=n, search=n;exceptions=cc-cr", "aipref-07"),
]
IDS = [f"{vocabulary}:{expression}" for expression, vocabulary in CASES]


def _graph(triples: list[ox.Triple]) -> rdflib.Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.fixture(scope="module")
def odrl_shapes() -> rdflib.Graph:
    folder = requires_reference("odrl")
    path = folder / "odrl-engine-shacl.ttl"
    if not path.is_file():
        pytest.skip(f"reference material {path} not found")
    return rdflib.Graph().parse(path, format="turtle")


def test_the_cases_cover_every_signal() -> None:
    used = {
        token
        for expression, vocabulary in CASES
        for token in parse_expression(expression, vocabulary).exceptions.values()
    }
    assert used == set(load_ontology().signals)


@pytest.mark.parametrize(("expression", "vocabulary"), CASES, ids=IDS)
def test_odrl_policy_conforms_to_the_odrl_engine_shapes(
    expression: str, vocabulary: str, odrl_shapes: rdflib.Graph
) -> None:
    from pyshacl import validate

    graph = _graph(declaration(expression, vocabulary).odrl())
    conforms, _, text = validate(graph, shacl_graph=odrl_shapes, inference="none")
    assert conforms, text


def test_the_odrl_shapes_reject_a_broken_policy(odrl_shapes: rdflib.Graph) -> None:
    # Guard for the test above: a duty without an action must not conform.
    from pyshacl import validate

    graph = _graph(declaration("train-ai=n;exceptions=cc-cr", "aipref-07").odrl())
    for duty in list(graph.subjects(RDF.type, ODRL.Duty)):
        graph.remove((duty, ODRL.action, None))
    conforms, _, _ = validate(graph, shacl_graph=odrl_shapes, inference="none")
    assert not conforms


@pytest.mark.parametrize(("expression", "vocabulary"), CASES, ids=IDS)
def test_odrl_rules_follow_the_effective_preferences(expression: str, vocabulary: str) -> None:
    d = declaration(expression, vocabulary)
    ontology = load_ontology()
    vocab = ontology.vocabulary(vocabulary)
    parsed = parse_expression(expression, vocabulary)
    graph = _graph(d.odrl())
    policy = rdflib.URIRef(d.uid)
    assert (policy, RDF.type, ODRL.Set) in graph
    assert graph.value(policy, ODRL.uid) == policy
    assert rdflib.URIRef("https://w3id.org/ccsig") in set(graph.objects(policy, ODRL.profile))

    actions_to_elements = {action: iri for iri, action in duty_actions().items()}
    seen = set()
    for link, expected_value in ((ODRL.permission, None), (ODRL.prohibition, "disallow")):
        for rule in graph.objects(policy, link):
            (action,) = graph.objects(rule, ODRL.action)
            category = next(c for c in vocab.categories if written_action(c) == str(action))
            seen.add(category.label)
            value = parsed.effective[category.label]
            signal = parsed.effective_exceptions.get(category.label)
            duties = [graph.value(duty, ODRL.action) for duty in graph.objects(rule, ODRL.duty)]
            if link == ODRL.prohibition:
                # prohibitions are exactly the plain disallows
                assert value == expected_value and signal is None and duties == []
            elif signal is None:
                assert value == "allow" and duties == []
            else:
                assert value == "disallow"
                elements = sorted(actions_to_elements[str(a)] for a in duties)
                assert elements == sorted(e.iri for e in ontology.signals[signal].elements)
    known = {label for label, value in parsed.effective.items() if value != "unknown"}
    assert seen == known


def test_odrl_uid_is_deterministic_and_can_be_given() -> None:
    a = declaration("train-ai=n, search=y", "aipref-07")
    b = declaration("search=y, train-ai=n, foo=y", "aipref-07")
    assert a.uid == b.uid and a.uid.startswith("urn:uuid:")
    assert declaration("train-ai=n", "aipref-07").uid != a.uid
    assert declaration("train-ai=n, search=y", "aipref-05").uid != a.uid
    given = declaration("train-ai=n", "aipref-07", uid="https://example.org/policy/1")
    assert (
        rdflib.URIRef("https://example.org/policy/1"),
        RDF.type,
        ODRL.Set,
    ) in _graph(given.odrl())
    with pytest.raises(CcsigError):
        declaration("train-ai=n", "aipref-07", uid="not an iri")


def test_two_policies_merged_keep_their_rules_apart() -> None:
    one = declaration("train-ai=n", "aipref-07").odrl()
    two = declaration("train-ai=y", "aipref-07").odrl()
    graph = _graph(one + two)
    rules = list(graph.objects(None, ODRL.permission)) + list(graph.objects(None, ODRL.prohibition))
    assert len(rules) == 2 and len(set(rules)) == 2


def test_no_preference_gives_no_policy() -> None:
    with pytest.raises(CcsigError, match="no preference"):
        declaration("Train-AI=n", "aipref-07").odrl()
    assert declaration("", "aipref-07").header() == "Content-Usage:"


@pytest.mark.parametrize(("expression", "vocabulary"), CASES, ids=IDS)
def test_header_and_robots_parse_back(expression: str, vocabulary: str) -> None:
    d = declaration(expression, vocabulary)
    original = parse_expression(expression, vocabulary)

    name, _, value = d.header().partition(":")
    assert name == "Content-Usage"
    back = parse_expression(value.strip(), vocabulary)
    assert back.effective == original.effective
    assert back.effective_exceptions == original.effective_exceptions

    fields, warnings = parse_header_lines(d.header() + "\r\n")
    assert warnings == [] and [n.lower() for n, _ in fields] == ["content-usage"]

    lines = d.robots().splitlines()
    assert lines[0] == "User-Agent: *"
    name, _, value = lines[1].partition(":")
    assert name == "Content-Usage"
    assert parse_expression(value.strip(), vocabulary).effective == original.effective
    answer = evaluate(parse_robots(d.robots()), "ExampleBot", "/any/path", vocabulary)
    assert answer.crawl and answer.rules == (d.canonical,)
    assert answer.preferences == original.effective


@pytest.mark.parametrize(("expression", "vocabulary"), CASES, ids=IDS)
def test_text_tells_every_category(expression: str, vocabulary: str) -> None:
    d = declaration(expression, vocabulary)
    text = d.text()
    vocab = load_ontology().vocabulary(vocabulary)
    for category in vocab.categories:
        assert f"{category.title} ({category.label})" in text
    for token in parse_expression(expression, vocabulary).effective_exceptions.values():
        signal = load_ontology().signals[token]
        assert signal.title in text
        assert all(f"- {e.title}:" in text for e in signal.elements)
    assert d.robots().splitlines()[1] in text and all(
        len(line) <= 100 for line in text.splitlines() if "Vocabulary:" not in line
    )


class _Checker(HTMLParser):
    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize(("expression", "vocabulary"), CASES, ids=IDS)
def test_html_is_well_formed(expression: str, vocabulary: str) -> None:
    d = declaration(expression, vocabulary)
    checker = _Checker()
    checker.feed(d.html())
    checker.close()
    assert checker.errors == [] and checker.stack == []
    text = "".join(checker.text)
    assert d.header() in text
    for category in load_ontology().vocabulary(vocabulary).categories:
        assert category.title in text


def test_html_escapes_what_it_shows() -> None:
    # A hostile label is dropped by parsing; the expression as written never reaches the page.
    d = declaration('train-ai=n;exceptions=cc-cr, x="<script>alert(1)</script>"', "aipref-07")
    page = d.html()
    assert "<script>" not in page
    # Characters that are markup in HTML are escaped where they occur (the apostrophes of
    # the vocabulary's definitions, for one).
    assert "&#x27;" in page and "'s " not in page.split("<body>")[1]
    assert "&lt;" not in page  # nothing needed escaping except the quotes


def test_rdf_is_the_lifted_canonical_statement() -> None:
    d = declaration("train-genai=n;exceptions=cc-cr-ec, foo=y")
    graph = _graph(d.rdf())
    ccsig = rdflib.Namespace("https://w3id.org/ccsig#")
    (literal,) = graph.objects(None, ccsig.contentUsage)
    assert str(literal) == "train-genai=n;exceptions=cc-cr-ec"
    assert (None, RDF.type, ccsig.Statement) in graph
    assert (None, ccsig.exception, ccsig["cc-cr-ec"]) in graph


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(fmt: str) -> None:
    out = declaration("all=n;exceptions=cc-cr, search=y").render(fmt)
    assert out and out.endswith("\n")
    if fmt == "odrl":
        graph = rdflib.Graph().parse(data=out, format="turtle")
        assert len(list(graph.subjects(RDF.type, ODRL.Set))) == 1
    with pytest.raises(ValueError):
        declaration("search=y").render("pdf")


def test_reference_folder_location() -> None:
    # The shapes test skips only when this file is absent.
    if not (REFERENCE_DIR / "odrl" / "odrl-engine-shacl.ttl").is_file():
        pytest.skip("reference material 'odrl' not found")
    assert (REFERENCE_DIR / "odrl" / "odrl-engine-shacl.ttl").stat().st_size > 0


def test_every_signal_element_has_a_duty_action_in_the_vocabulary() -> None:
    from ccsig.model.vocabulary import load_ontology

    elements = {e.iri for e in load_ontology().elements.values()}
    assert set(duty_actions()) == elements and len(elements) == 4


def test_the_declare_command(tmp_path) -> None:
    from click.testing import CliRunner

    from ccsig.cli import main
    from ccsig.publish.declare import FORMATS as DECLARE_FORMATS

    assert DECLARE_FORMATS == FORMATS
    runner = CliRunner()
    out = runner.invoke(main, ["declare", "train-genai=n;exceptions=cc-cr", "--format", "header"])
    assert out.exit_code == 0 and out.stdout == "Content-Usage: train-genai=n;exceptions=cc-cr\n"
    target = tmp_path / "policy.ttl"
    done = runner.invoke(main, ["declare", "all=n", "--format", "odrl", "-o", str(target)])
    assert done.exit_code == 0 and "odrl:Prohibition" in target.read_text()
    bad = runner.invoke(main, ["declare", "all=n", "--vocabulary", "nope"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
