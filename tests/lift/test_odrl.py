"""`ccsig.lift.odrl`: ODRL policies linked to datasets (schema:usageInfo, odrl:hasPolicy) are read
into statements that `ccsig check`, `ccsig validate` and both engines treat like
contentUsage statements; what `ccsig declare --format odrl` writes reads back as the same
preferences."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.answer.compliance import COMMAND_LINE_REUSER, check, reuser_triples
from ccsig.ingest.readers import read_quads
from ccsig.lift.odrl import action_terms, lift_policies_in
from ccsig.model.expression import parse_expression
from ccsig.model.namespaces import NS
from ccsig.model.vocabulary import load_ontology
from ccsig.publish.declare import declaration
from ccsig.reason.engine import ENGINES, make_engine, open_engine
from ccsig.validation.run import validate_files
from tests.helpers.paths import DATA as TEST_DATA

DATA = TEST_DATA / "odrl"
FIXTURES = sorted(DATA.iterdir())
ODRL = "http://www.w3.org/ns/odrl/2/"
ASSET = ox.NamedNode("https://example.org/d")
PREFIXES = """
@prefix ccsig: <https://w3id.org/ccsig#> .
@prefix odrl:  <http://www.w3.org/ns/odrl/2/> .
@prefix tdm:   <http://www.w3.org/ns/tdmrep#> .
@prefix ex:    <https://example.org/> .
"""


def _statements(triples: list[ox.Triple]) -> dict[str, dict[str, list[ox.Term]]]:
    """Statement IRI -> property local name -> values."""
    by_statement: dict[str, dict[str, list[ox.Term]]] = {}
    statements = {
        t.subject
        for t in triples
        if t.predicate.value.endswith("type") and t.object == ox.NamedNode(NS + "Statement")
    }
    for t in triples:
        if t.subject in statements:
            name = t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            by_statement.setdefault(t.subject.value, {}).setdefault(name, []).append(t.object)
    return by_statement


def _read(turtle: str, vocabulary: str = "aipref-02") -> list[dict[str, list[ox.Term]]]:
    quads = ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    return list(_statements(lift_policies_in(quads, vocabulary)).values())


def _expression(turtle: str, vocabulary: str = "aipref-02") -> str:
    (statement,) = _read(turtle, vocabulary)
    return statement["expression"][0].value


# ------------------------------------------------------------------ the fixtures


def test_croissant_usage_info_offer_on_a_blank_node_dataset() -> None:
    triples = lift_policies_in(read_quads(str(DATA / "croissant.jsonld")))
    (statement,) = _statements(triples).values()
    assert statement["expression"][0].value == (
        "train-genai=n;exceptions=cc-cr-ec, ai-use=n, search=y"
    )
    assert isinstance(statement["about"][0], ox.BlankNode)
    assert isinstance(statement["policy"][0], ox.BlankNode)
    assert statement["preferenceSystem"] == [ox.NamedNode(NS + "odrl")]
    assert statement["asWritten"][0].value == (
        "permission ccsig:aipref-02.search; "
        "permission ccsig:aipref-02.train-genai duty ccsig:contributeToEcosystem, odrl:attribute; "
        "prohibition ccsig:aipref-02.ai-use"
    )


def test_dcat_has_policy_catalog() -> None:
    triples = lift_policies_in(read_quads(str(DATA / "dcat-catalog.ttl")))
    found = {
        s["about"][0].value.rsplit("/", 1)[-1]: (s["expression"][0].value, s["policy"][0].value)
        for s in _statements(triples).values()
    }
    assert found == {
        "news": ("train-genai=n;exceptions=cc-cr, search=y", "https://example.org/news-policy"),
        # the partner's licence (assignee) and odrl:reproduce state nothing
        "images": ("train-ai=n", "https://example.org/images-policy"),
        "open": ("all=y", "https://example.org/open-policy"),
    }


@pytest.mark.parametrize(
    ("vocabulary", "expected"),
    [("aipref-01", "tdm=n"), ("aipref-02", "all=n"), ("aipref-07", "train-ai=n")],
)
def test_tdmrep_mine_with_compensation_reads_as_a_disallow_of_the_root(
    vocabulary: str, expected: str
) -> None:
    triples = lift_policies_in(read_quads(str(DATA / "tdmrep-policy.jsonld")), vocabulary)
    (statement,) = _statements(triples).values()
    assert statement["expression"][0].value == expected
    assert statement["asWritten"][0].value == "permission tdm:mine duty odrl:compensate"
    (comment,) = statement["comment"]
    assert "no CC signal" in comment.value and "odrl:compensate" in comment.value


def test_every_usage_category_and_tdm_mine_are_mapped_actions() -> None:
    categories = {
        c.iri: c.label for v in load_ontology().vocabularies.values() for c in v.categories
    }
    terms = action_terms()
    assert {iri: label for iri, (_, label) in terms.items() if label is not None} == categories
    assert terms["http://www.w3.org/ns/tdmrep#mine"] == ("tdm:mine", None)
    assert ODRL + "use" not in terms


# ------------------------------------------------------------------ rule semantics

RULES = {
    "prohibition": (
        "ex:p odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ] .",
        "train-ai=n",
    ),
    "permission": ("ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ] .", "train-ai=y"),
    "credit duty": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ] ] .",
        "train-ai=n;exceptions=cc-cr",
    ),
    "credit and compensation duties": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ], [ odrl:action odrl:compensate ] ] .",
        "train-ai=n;exceptions=cc-cr-dc",
    ),
    "duty of no signal": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:obtainConsent ] ] .",
        "train-ai=n",
    ),
    "signal duties and one more": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ], [ odrl:action odrl:inform ] ] .",
        "train-ai=n",
    ),
    "duty without an action": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ a odrl:Duty ] ] .",
        "train-ai=n",
    ),
    "constraint": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ; odrl:constraint"
        " [ odrl:leftOperand odrl:purpose ; odrl:operator odrl:eq ; odrl:rightOperand ex:r ] ] .",
        "train-ai=n",
    ),
    "refined action": (
        "ex:p odrl:permission [ odrl:action [ rdf:value ccsig:aipref-02.train-ai ;"
        " odrl:refinement [ odrl:leftOperand odrl:count ; odrl:operator odrl:lteq ;"
        " odrl:rightOperand 10 ] ] ] .",
        "train-ai=n",
    ),
    "constrained duty": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ; odrl:duty"
        " [ odrl:action odrl:attribute ; odrl:constraint [ odrl:leftOperand odrl:event ;"
        " odrl:operator odrl:lt ; odrl:rightOperand ex:e ] ] ] .",
        "train-ai=n",
    ),
    "prohibition wins": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ] ;"
        " odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ] .",
        "train-ai=n",
    ),
    "conditional prohibition wins over a permission": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ] ;"
        " odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ; odrl:constraint"
        " [ odrl:leftOperand odrl:purpose ; odrl:operator odrl:eq ; odrl:rightOperand ex:r ] ] .",
        "train-ai=n",
    ),
    "unconditional permission beats a conditional one": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ] ], [ odrl:action ccsig:aipref-02.train-ai ] .",
        "train-ai=y",
    ),
    "nested signals: the fewest elements": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ], [ odrl:action ccsig:releaseOpenly ] ],"
        " [ odrl:action ccsig:aipref-02.train-ai ; odrl:duty [ odrl:action odrl:attribute ] ] .",
        "train-ai=n;exceptions=cc-cr",
    ),
    "signals not nested": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ], [ odrl:action ccsig:releaseOpenly ] ],"
        " [ odrl:action ccsig:aipref-02.train-ai ;"
        " odrl:duty [ odrl:action odrl:attribute ], [ odrl:action odrl:compensate ] ] .",
        "train-ai=n",
    ),
    "tdm:mine and a category": (
        "ex:p odrl:prohibition [ odrl:action tdm:mine ] ;"
        " odrl:permission [ odrl:action ccsig:aipref-02.search ] .",
        "all=n, search=y",
    ),
    "assignee skipped": (
        "ex:p odrl:permission [ odrl:action ccsig:aipref-02.train-ai ; odrl:assignee ex:bot ] .",
        "",
    ),
    "policy-level assignee skipped": (
        "ex:p odrl:assignee ex:bot ; odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ] .",
        "",
    ),
    "unmapped action": ("ex:p odrl:permission [ odrl:action odrl:use ] .", ""),
    "category of another draft, label known": (
        "ex:p odrl:prohibition [ odrl:action ccsig:aipref-07.train-ai ] .",
        "train-ai=n",
    ),
    "category of another draft, label unknown": (
        "ex:p odrl:prohibition [ odrl:action ccsig:aipref-01.genai ] .",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(RULES))
def test_rule_semantics(case: str) -> None:
    policy, expected = RULES[case]
    turtle = "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    turtle += f"ex:d odrl:hasPolicy ex:p .\nex:p a odrl:Offer .\n{policy}\n"
    assert _expression(turtle) == expected


def test_obligations_and_unlinked_policies_are_not_read() -> None:
    assert _read("ex:p a odrl:Set ; odrl:obligation [ odrl:action odrl:compensate ] .") == []
    assert _read("ex:p a odrl:Set ; odrl:prohibition [ odrl:action tdm:mine ] .") == []
    linked = "ex:d odrl:hasPolicy ex:p .\n"
    assert _read(linked + "ex:p a odrl:Set ; odrl:obligation [ odrl:action tdm:mine ] .") == []


@pytest.mark.parametrize(
    "link", ["<https://schema.org/usageInfo>", "<http://schema.org/usageInfo>"]
)
def test_schema_org_usage_info_both_schemes(link: str) -> None:
    turtle = f"ex:d {link} [ odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ] ] ."
    assert _expression(turtle) == "train-ai=n"


def test_one_statement_per_asset_and_policy() -> None:
    statements = _read(
        "ex:d odrl:hasPolicy ex:p, ex:q ; <https://schema.org/usageInfo> ex:p .\n"
        "ex:e odrl:hasPolicy ex:p .\n"
        "ex:p odrl:prohibition [ odrl:action ccsig:aipref-02.train-ai ] .\n"
        "ex:q odrl:permission [ odrl:action ccsig:aipref-02.search ] .\n"
    )
    found = sorted(
        (s["about"][0].value[-1], s["policy"][0].value[-1], s["expression"][0].value)
        for s in statements
    )
    assert found == [("d", "p", "train-ai=n"), ("d", "q", "search=y"), ("e", "p", "train-ai=n")]


# ------------------------------------------------------------------ declare round trip

VOCABULARIES = sorted(load_ontology().vocabularies)


@st.composite
def _declared(draw: st.DrawFn) -> tuple[str, str]:
    ontology = load_ontology()
    vocabulary = draw(st.sampled_from(VOCABULARIES))
    labels = draw(
        st.lists(st.sampled_from(ontology.vocabulary(vocabulary).labels), min_size=1, unique=True)
    )
    members = []
    for label in labels:
        value = draw(st.sampled_from(["y", "n", "signal"]))
        if value == "signal":
            value = "n;exceptions=" + draw(st.sampled_from(sorted(ontology.signals)))
        members.append(f"{label}={value}")
    return ", ".join(members), vocabulary


def _round_trip(expression: str, vocabulary: str) -> None:
    d = declaration(expression, vocabulary)
    link = ox.Triple(ASSET, ox.NamedNode(ODRL + "hasPolicy"), ox.NamedNode(d.uid))
    (statement,) = _statements(lift_policies_in([link, *d.odrl()], vocabulary)).values()
    back = parse_expression(statement["expression"][0].value, vocabulary)
    original = parse_expression(expression, vocabulary)
    assert back.error is None
    assert back.effective == original.effective
    assert back.effective_exceptions == original.effective_exceptions
    assert statement["policy"] == [ox.NamedNode(d.uid)] and "comment" not in statement


@pytest.mark.parametrize(
    ("expression", "vocabulary"),
    [
        ("train-genai=n;exceptions=cc-cr-ec", "aipref-02"),
        ("all=n;exceptions=cc-cr, train-genai=n;exceptions=cc-cr-ec", "aipref-02"),
        ("all=n, train-ai=n;exceptions=cc-cr-dc, search=y", "aipref-02"),
        ("train-ai=n;exceptions=cc-cr-op, search=y", "aipref-07"),
        ("tdm=n;exceptions=cc-cr, genai=y", "aipref-01"),
    ],
)
def test_declared_policies_read_back_as_the_same_preferences(
    expression: str, vocabulary: str
) -> None:
    _round_trip(expression, vocabulary)


@settings(max_examples=60, deadline=None)
@given(_declared())
def test_any_declared_policy_reads_back(case: tuple[str, str]) -> None:
    _round_trip(*case)


# ------------------------------------------------------------------ engines, check, validate


def _decisions(engine: str, commitments: list[str]) -> list[tuple[str, str, str, list[str]]]:
    e = open_engine(FIXTURES, engine, extra=reuser_triples(commitments, COMMAND_LINE_REUSER))
    out = []
    for category in load_ontology().vocabulary("aipref-02").labels:
        for r in check(e, category, COMMAND_LINE_REUSER).results:
            asset = "_:blank" if r.asset.startswith("_:") else r.asset
            out.append((category, asset, r.decision, list(r.conditions)))
    return sorted(out)


@pytest.mark.parametrize("commitments", [[], ["credit"], ["credit", "ecosystem-contribution"]])
def test_both_engines_decide_the_same(commitments: list[str]) -> None:
    fast, reference = (_decisions(engine, commitments) for engine in ENGINES)
    assert fast == reference
    decided = {(c, a): d for c, a, d, _ in fast}
    assert decided["train-genai", "https://provider.example/books"] == "disallowed"
    assert decided["search", "https://example.org/news"] == "allowed"
    expected = "allowed" if "ecosystem-contribution" in commitments else "disallowed"
    assert decided["train-genai", "_:blank"] == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_lifting_is_idempotent_and_waits_for_the_policy(engine: str, tmp_path: Path) -> None:
    asset = tmp_path / "asset.ttl"
    asset.write_text(PREFIXES + "ex:d odrl:hasPolicy ex:p .\n")
    policy = tmp_path / "policy.ttl"
    policy.write_text(PREFIXES + "ex:p odrl:prohibition [ odrl:action ccsig:aipref-02.all ] .\n")
    query = (
        "PREFIX ccsig: <https://w3id.org/ccsig#> "
        "SELECT ?s ?source WHERE { ?s ccsig:policy ?p ; ccsig:source ?source }"
    )
    e = make_engine(engine)
    e.load(str(asset))
    assert e.select(query) == []
    e.load(str(policy))
    e.load(str(policy))  # again: new rule nodes, the same policy
    e.load(str(asset))
    (row,) = e.select(query)
    assert row["source"].value.endswith("policy.ttl")


def test_check_command_decides_from_the_policy() -> None:
    from ccsig.cli import main

    path = str(DATA / "croissant.jsonld")
    runner = CliRunner()
    args = ["check", path, "--for", "train-genai", "--format", "json", "--commit", "credit"]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    (result,) = json.loads(out.stdout)["results"]
    assert result["decision"] == "disallowed"
    out = runner.invoke(main, [*args, "--commit", "ecosystem-contribution"])
    (result,) = json.loads(out.stdout)["results"]
    assert result["decision"] == "allowed"
    assert result["conditions"] == ["credit", "ecosystem-contribution"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixtures_validate(path: Path) -> None:
    report = validate_files([str(path)])
    assert report.conforms and report.results == ()


@pytest.mark.parametrize("engine", ENGINES)
def test_policies_added_as_triples_are_read(engine: str) -> None:
    # regression: Engine.add lifted only when the triples held ccsig:contentUsage, so a
    # policy given as triples (not from a file) stated nothing
    d = declaration("train-genai=n;exceptions=cc-cr", "aipref-02")
    link = ox.Triple(ASSET, ox.NamedNode(ODRL + "hasPolicy"), ox.NamedNode(d.uid))
    e = make_engine(engine)
    e.add([link, *d.odrl(), *reuser_triples(["credit"], COMMAND_LINE_REUSER)])
    e.prepare()
    (result,) = check(e, "train-genai", COMMAND_LINE_REUSER).results
    assert (result.asset, result.decision) == (ASSET.value, "allowed")


# ------------------------------------------------------------------ ODRL AI vocabulary actions

AI_DATA = TEST_DATA / "odrl-ai"


def _read_file(path: Path, vocabulary: str) -> dict[str, list[ox.Term]]:
    (statement,) = _statements(lift_policies_in(read_quads(str(path)), vocabulary)).values()
    return statement


@pytest.mark.parametrize(
    ("vocabulary", "expected"),
    [
        ("aipref-01", "tdm=y, inference=n"),
        ("aipref-02", "all=y, ai-use=n"),
        ("aipref-03", "bots=y"),
        ("aipref-07", "train-ai=y"),
    ],
)
def test_the_drafts_second_example_reads_offline_with_the_w3c_context(
    vocabulary: str, expected: str
) -> None:
    statement = _read_file(AI_DATA / "draft-example-2.jsonld", vocabulary)
    assert statement["expression"][0].value == expected
    assert statement["about"] == [ox.NamedNode("http://example.org/asset/dataset2")]
    assert statement["policy"] == [ox.NamedNode("http://example.org/policy/002")]


def test_the_drafts_first_example_is_conditional_and_read_restrictively() -> None:
    statement = _read_file(AI_DATA / "draft-example-1.jsonld", "aipref-02")
    assert statement["expression"][0].value == "train-ai=n"
    (comment,) = statement["comment"]
    assert "odrl:ai-training" in comment.value and "condition" in comment.value


@pytest.mark.parametrize(
    ("action", "vocabulary", "expected"),
    [
        ("gen-ai", "aipref-07", "train-ai=n"),
        ("gen-ai", "aipref-02", "train-genai=n"),
        ("gen-ai", "aipref-04", "train-ai=n"),  # close: foundation models
        ("ai-training", "aipref-02", "train-ai=n"),
        ("ai-training", "aipref-07", "train-ai=n"),  # -07 train-ai is part of AI training
        ("data-mining", "aipref-07", "train-ai=n"),
        ("data-mining", "aipref-04", "bots=n"),
        ("ai-augment", "aipref-01", "inference=n"),
        ("search", "aipref-05", "search=n"),
    ],
)
def test_an_ai_action_means_its_category_in_each_draft(
    action: str, vocabulary: str, expected: str
) -> None:
    turtle = f"ex:d odrl:hasPolicy ex:p . ex:p odrl:prohibition [ odrl:action odrl:{action} ] ."
    assert _expression(turtle, vocabulary) == expected


@pytest.mark.parametrize(
    ("action", "vocabulary"),
    [("index", "aipref-02"), ("ai-augment", "aipref-04"), ("ai-augment", "aipref-07")],
)
def test_an_ai_action_without_a_counterpart_states_nothing(action: str, vocabulary: str) -> None:
    # index has no aipref counterpart; -04 ai-output is wider than ai-augment
    turtle = f"ex:d odrl:hasPolicy ex:p . ex:p odrl:prohibition [ odrl:action odrl:{action} ] ."
    assert _expression(turtle, vocabulary) == ""


def test_each_ai_action_is_read_as_one_category_and_each_category_written_as_one_action() -> None:
    from ccsig.lift.odrl import ai_action_matches

    best: dict[tuple[str, str, str], int] = {}
    for m in ai_action_matches():
        assert m.reason, m
        key = (m.action, m.vocabulary, m.relation)
        best[key] = best.get(key, 0) + 1
    # at one relation, an action relates to at most one category of a draft
    assert max(best.values()) == 1
    written: dict[tuple[str, str], set[str]] = {}
    for m in ai_action_matches():
        if m.relation == "exact":
            written.setdefault((m.vocabulary, m.label), set()).add(m.action)
    assert all(len(actions) == 1 for actions in written.values())


@pytest.mark.parametrize(
    ("expression", "vocabulary", "actions"),
    [
        ("train-ai=n", "aipref-07", {"odrl:gen-ai"}),
        (
            "all=n",
            "aipref-02",
            {
                "odrl:data-mining",
                "odrl:ai-training",
                "odrl:gen-ai",
                "odrl:ai-augment",
                "odrl:search",
            },
        ),
        ("ai-output=n", "aipref-04", {"ccsig:aipref-04.ai-output", "odrl:search"}),
    ],
)
def test_declare_writes_the_ai_actions(expression: str, vocabulary: str, actions: set[str]) -> None:
    policy = declaration(expression, vocabulary).odrl_jsonld()
    rules = [*policy.get("permission", []), *policy.get("prohibition", [])]
    assert {r["action"] for r in rules} == actions


def _round_trip_jsonld(expression: str, vocabulary: str, folder: Path) -> None:
    d = declaration(expression, vocabulary, target=ASSET.value)
    path = folder / "policy.jsonld"
    path.write_text(d.render("odrl-jsonld"))
    quads = read_quads(str(path))
    # the same graph as the Turtle policy, but the odrl:Action typing of each action
    typing = ox.NamedNode(ODRL + "Action")
    turtle = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object) for t in d.odrl() if t.object != typing
    )
    jsonld = ox.Dataset(quads)
    turtle.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    jsonld.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert set(turtle) == set(jsonld)
    (statement,) = _statements(lift_policies_in(quads, vocabulary)).values()
    back = parse_expression(statement["expression"][0].value, vocabulary)
    original = parse_expression(expression, vocabulary)
    assert back.effective == original.effective
    assert back.effective_exceptions == original.effective_exceptions
    assert statement["about"] == [ASSET] and "comment" not in statement


@pytest.mark.parametrize(
    ("expression", "vocabulary"),
    [
        ("train-genai=n;exceptions=cc-cr-ec, search=y", "aipref-02"),
        ("bots=y, train-ai=n, ai-output=n;exceptions=cc-cr", "aipref-04"),
        ("train-ai=n;exceptions=cc-cr-op, search=y", "aipref-07"),
    ],
)
def test_odrl_jsonld_reads_back_as_the_same_preferences(
    expression: str, vocabulary: str, tmp_path: Path
) -> None:
    _round_trip_jsonld(expression, vocabulary, tmp_path)


@settings(max_examples=40, deadline=None)
@given(_declared())
def test_any_declared_jsonld_policy_reads_back(case: tuple[str, str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _round_trip_jsonld(*case, Path(folder))


def test_declare_then_check_decides_from_the_jsonld_policy(tmp_path: Path) -> None:
    from ccsig.cli import main

    runner = CliRunner()
    policy = tmp_path / "policy.jsonld"
    done = runner.invoke(
        main,
        [
            "declare",
            "train-genai=n;exceptions=cc-cr",
            "--format",
            "odrl-jsonld",
            "--target",
            "https://example.org/d",
            "-o",
            str(policy),
        ],
    )
    assert done.exit_code == 0, done.output
    args = ["check", str(policy), "--for", "train-genai", "--format", "json"]
    (result,) = json.loads(runner.invoke(main, args).stdout)["results"]
    assert (result["asset"], result["decision"]) == ("https://example.org/d", "disallowed")
    (result,) = json.loads(runner.invoke(main, [*args, "--commit", "credit"]).stdout)["results"]
    assert result["decision"] == "allowed"


def test_the_shipped_odrl_context_is_w3cs_and_named_with_its_licence() -> None:
    import hashlib

    from ccsig.resources import read_text

    body = read_text("vocab", "contexts/odrl.jsonld").encode("utf-8")
    # github.com/w3c/ns odrl.jsonld (commit 494cbeed), byte for byte
    assert hashlib.sha256(body).hexdigest().startswith("8b9e1d92554fdd70")
    notes = read_text("vocab", "contexts/README.md")
    assert "W3C Software and Document License" in notes and "w3c/ns" in notes


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_both_odrl_context_urls_resolve_offline(scheme: str, tmp_path: Path) -> None:
    policy = json.loads((AI_DATA / "draft-example-2.jsonld").read_text())
    policy["@context"] = f"{scheme}://www.w3.org/ns/odrl.jsonld"
    path = tmp_path / "policy.jsonld"
    path.write_text(json.dumps(policy))
    assert _read_file(path, "aipref-02")["expression"][0].value == "all=y, ai-use=n"


def test_the_drafts_example_reads_as_written_without_an_id(tmp_path: Path) -> None:
    # the W3C ODRL context defines no `uid` term, so the policy is a blank node: still read
    policy = json.loads((AI_DATA / "draft-example-2.jsonld").read_text())
    del policy["@id"]
    path = tmp_path / "policy.jsonld"
    path.write_text(json.dumps(policy))
    statement = _read_file(path, "aipref-02")
    assert statement["expression"][0].value == "all=y, ai-use=n"
    assert statement["about"] == [ox.NamedNode("http://example.org/asset/dataset2")]
