"""The shipped ontology checked as an artefact: it parses, it is consistent under
OWL RL, every term is labelled, defined and attributed, and what Python reads from
it matches what the aipref drafts and CC signals 0.1 say."""

from __future__ import annotations

import json

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ccsig.model.namespaces import NS, ONTOLOGY_IRI
from ccsig.model.vocabulary import load_ontology
from ccsig.resources import data_files, read_text

CCSIG = rdflib.Namespace(NS)
OWLRL_ERRORS = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    graph = rdflib.Graph()
    for f in data_files("vocab", ".ttl"):
        graph.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return graph


def test_ontology_header(vocab: rdflib.Graph) -> None:
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in vocab
    assert vocab.value(ontology, OWL.versionIRI) is not None
    assert vocab.value(ontology, OWL.versionInfo) is not None


def test_owl_rl_closure_is_consistent(vocab: rdflib.Graph) -> None:
    closure = rdflib.Graph() + vocab
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(m) for m in closure.objects(None, OWLRL_ERRORS.error)]
    assert errors == []
    assert len(closure) > len(vocab)


def test_owl_rl_detects_a_planted_inconsistency(vocab: rdflib.Graph) -> None:
    # Guard for the test above: the same check must fail when something is wrong.
    broken = rdflib.Graph() + vocab
    broken.add((CCSIG["cc-cr"], OWL.sameAs, CCSIG["cc-cr-ec"]))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(broken)
    assert list(broken.objects(None, OWLRL_ERRORS.error))


def _defined_terms(vocab: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted(
        s for s in set(vocab.subjects()) if isinstance(s, rdflib.URIRef) and str(s).startswith(NS)
    )


def test_every_term_has_label_definition_and_is_defined_by(vocab: rdflib.Graph) -> None:
    terms = _defined_terms(vocab)
    assert len(terms) > 50
    missing = []
    for term in terms:
        label = vocab.value(term, RDFS.label) or vocab.value(term, SKOS.prefLabel)
        definition = vocab.value(term, SKOS.definition)
        defined_by = vocab.value(term, RDFS.isDefinedBy)
        if not (label and definition and defined_by == rdflib.URIRef(ONTOLOGY_IRI)):
            missing.append(str(term))
    assert missing == []


def test_every_ccsig_term_used_anywhere_is_defined(vocab: rdflib.Graph) -> None:
    """shapes/, queries/, the JSON-LD context and the code use no undefined ccsig term."""
    defined = {str(t) for t in _defined_terms(vocab)}
    used: set[str] = set()
    for graph_kind in ("shapes",):
        for f in data_files(graph_kind, ".ttl"):
            g = rdflib.Graph().parse(data=f.read_text(encoding="utf-8"), format="turtle")
            used |= {
                str(t)
                for triple in g
                for t in triple
                if isinstance(t, rdflib.URIRef) and str(t).startswith(NS) and str(t) != NS
            }
    for f in data_files("queries", ".rq"):
        text = f.read_text(encoding="utf-8")
        used |= {NS + m for m in _prefixed_names(text)}
    context = json.loads(read_text("vocab", "context.jsonld"))["@context"]
    for value in context.values():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("ccsig:"):
            used.add(NS + iri.removeprefix("ccsig:"))
    assert sorted(used - defined) == []


def _prefixed_names(text: str) -> set[str]:
    import re

    return set(re.findall(r"\bccsig:([A-Za-z][\w.-]*\w)", text))


def test_json_ld_context_expands_to_the_vocabulary() -> None:
    context = json.loads(read_text("vocab", "context.jsonld"))
    doc = {
        "@context": context["@context"],
        "@id": "https://example.org/d",
        "contentUsage": "train-ai=n",
    }
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    (value,) = g.objects(rdflib.URIRef("https://example.org/d"), CCSIG.contentUsage)
    assert str(value) == "train-ai=n" and value.datatype in (None, rdflib.XSD.string)


# --- what Python reads from the vocabulary matches the specifications --------

HIERARCHIES = {
    # draft: {label: parent}, from each draft's "proper subset" statements
    "aipref-01": {"tdm": None, "ai": "tdm", "genai": "ai", "search": "tdm", "inference": "tdm"},
    "aipref-02": {
        "all": None,
        "train-ai": "all",
        "train-genai": "train-ai",
        "ai-use": "all",
        "search": "all",
    },
    "aipref-03": {"bots": None, "train-ai": "bots", "train-genai": "train-ai", "search": "bots"},
    "aipref-04": {"bots": None, "train-ai": "bots", "ai-output": "bots", "search": "ai-output"},
    "aipref-05": {"train-ai": None, "search": None},
    "aipref-06": {"train-ai": None, "search": None},
    "aipref-07": {"train-ai": None, "search": None},
}


@pytest.mark.parametrize("name", sorted(HIERARCHIES))
def test_vocabulary_labels_and_hierarchy(name: str) -> None:
    vocab = load_ontology().vocabulary(name)
    assert {c.label: c.parent for c in vocab.categories} == HIERARCHIES[name]
    assert vocab.source and vocab.source.endswith(f"draft-ietf-aipref-vocab-{name[-2:]}/")
    assert all(c.definition for c in vocab.categories)


def test_ancestors_nearest_first() -> None:
    vocab = load_ontology().vocabulary("aipref-02")
    assert list(vocab.ancestors("train-genai")) == ["train-ai", "all"]
    assert list(vocab.ancestors("all")) == []
    assert list(load_ontology().vocabulary("aipref-07").ancestors("train-ai")) == []


def test_signals_and_elements() -> None:
    ontology = load_ontology()
    assert {t: [e.name for e in s.elements] for t, s in ontology.signals.items()} == {
        "cc-cr": ["credit"],
        "cc-cr-dc": ["credit", "direct-contribution"],
        "cc-cr-ec": ["credit", "ecosystem-contribution"],
        "cc-cr-op": ["credit", "open"],
    }
    assert {s.version for s in ontology.signals.values()} == {"0.1"}
    assert set(ontology.elements) == {
        "credit",
        "direct-contribution",
        "ecosystem-contribution",
        "open",
    }


def test_preference_values() -> None:
    ontology = load_ontology()
    assert ontology.value_names == {"y": "allow", "n": "disallow"}
    assert ontology.unknown == "unknown"
    assert ontology.disallow == "disallow"


@pytest.mark.parametrize(
    ("commitments", "satisfied"),
    [
        (["Credit"], {"cc-cr"}),
        (["Credit", "EcosystemContribution"], {"cc-cr", "cc-cr-ec"}),
        (["Credit", "DirectContribution", "Open"], {"cc-cr", "cc-cr-dc", "cc-cr-op"}),
        (["EcosystemContribution", "Open"], set()),
    ],
)
def test_commitments_satisfy_signals_by_owl_rl(
    vocab: rdflib.Graph, commitments: list[str], satisfied: set[str]
) -> None:
    g = rdflib.Graph() + vocab
    reuser = rdflib.URIRef("https://example.org/reuser")
    g.add((reuser, RDF.type, CCSIG.Reuser))
    for element in commitments:
        g.add((reuser, CCSIG.commitsTo, CCSIG[element]))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    found = {str(s).removeprefix(NS) for s in g.objects(reuser, CCSIG.satisfies)}
    assert found == satisfied


def test_terms_the_lifter_writes_are_defined(vocab: rdflib.Graph) -> None:
    import pyoxigraph as ox

    import ccsig.lift.literals

    defined = {str(t) for t in _defined_terms(vocab)}
    written = {
        v.value
        for v in vars(ccsig.lift.literals).values()
        if isinstance(v, ox.NamedNode) and v.value.startswith(NS)
    }
    assert len(written) > 10
    assert sorted(written - defined) == []
