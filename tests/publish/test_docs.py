"""The HTML documentation of the vocabulary (ccsig.publish.docs).

Takes: the page `vocabulary_html()` writes and the vocabulary's RDF, queried here directly.
Gives: checks that the page is well-formed and self-contained, has an anchor for every
ccsig class and property, draws each aipref draft's categories as the RDF nests them,
escapes text, and comes out the same every time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from ccsig.model.namespaces import CONTEXT_URL, NS, ONTOLOGY_IRI
from ccsig.model.vocabulary import vocabulary_store
from ccsig.publish.docs import vocabulary_html
from ccsig.resources import read_text

VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base"}
PREFIXES = """
PREFIX ccsig: <https://w3id.org/ccsig#>
PREFIX owl:   <http://www.w3.org/2002/07/owl#>
PREFIX rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:  <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:  <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class TreeBuilder(HTMLParser):
    """Builds a tree of elements, failing on any end tag that does not close the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.errors == []
    assert [n.tag for n in builder.stack] == ["#document"], "unclosed elements"
    return builder.root


@pytest.fixture(scope="module")
def page() -> str:
    return vocabulary_html()


@pytest.fixture(scope="module")
def dom(page: str) -> Node:
    return parse(page)


def ids(dom: Node) -> list[str]:
    return [n.attrs["id"] for n in dom.walk() if "id" in n.attrs]


def select(query: str) -> list[dict[str, str]]:
    result = vocabulary_store().query(PREFIXES + query)
    variables = [v.value for v in result.variables]
    return [{v: row[v].value for v in variables if row[v] is not None} for row in result]


def test_page_is_well_formed_html5(page: str, dom: Node) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    (root,) = [n for n in dom.children if n.tag == "html"]
    assert [n.tag for n in root.children] == ["head", "body"]
    body_tags = [n.tag for n in root.children[1].children]
    assert body_tags == ["header", "main", "footer"]
    head = root.children[0]
    assert any(n.tag == "meta" and n.attrs.get("charset") == "utf-8" for n in head.children)
    assert any(n.tag == "title" for n in head.children)


def test_ids_are_unique(dom: Node) -> None:
    all_ids = ids(dom)
    assert len(all_ids) == len(set(all_ids))


def test_every_ccsig_class_and_property_has_an_anchor(dom: Node) -> None:
    rows = select(
        """SELECT DISTINCT ?term WHERE {
             VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty
                            owl:AnnotationProperty rdf:Property }
             ?term a ?kind .
             FILTER(isIRI(?term) && STRSTARTS(STR(?term), STR(ccsig:)))
           }"""
    )
    expected = {r["term"].removeprefix(NS) for r in rows}
    assert {"Asset", "Statement", "contentUsage", "hasElement", "mapsToRoot"} <= expected
    assert len(expected) > 40
    assert expected <= set(ids(dom))


def test_every_term_defined_by_the_ontology_has_an_anchor(dom: Node) -> None:
    """Individuals too: values, signals, elements, schemes, categories, systems, mappings."""
    rows = select(
        f"""SELECT DISTINCT ?term WHERE {{
              ?term rdfs:isDefinedBy <{ONTOLOGY_IRI}> .
              FILTER(isIRI(?term) && STRSTARTS(STR(?term), STR(ccsig:)))
            }}"""
    )
    expected = {r["term"].removeprefix(NS) for r in rows}
    assert {"cc-cr-ec", "Credit", "allow", "aipref-02", "x-robots-tag.noai"} <= expected
    assert sorted(expected - set(ids(dom))) == []


def test_anchors_of_terms_sit_on_their_documentation(dom: Node) -> None:
    by_id = {n.attrs["id"]: n for n in dom.walk() if "id" in n.attrs}
    asset = by_id["Asset"]
    assert asset.tag == "article"
    assert any("ccsig:Asset" in "".join(n.text) for n in asset.walk())
    assert by_id["cc-cr-ec"].tag == "tr" and by_id["aipref-02.all"].tag == "li"


def category_rows(scheme: str) -> list[dict[str, str]]:
    return select(
        f"""SELECT ?category ?broader ?position WHERE {{
              ?category skos:inScheme <{NS}{scheme}> ; ccsig:labelPosition ?position .
              OPTIONAL {{ ?category skos:broader ?broader }}
            }}"""
    )


def nesting(ul: Node, parent: str | None, out: dict[str, str | None], order: list[str]) -> None:
    """Each li's id -> the id of the li it is nested in; `order` is document order."""
    for li in ul.children:
        assert li.tag == "li"
        out[li.attrs["id"]] = parent
        order.append(li.attrs["id"])
        for child in li.children:
            if child.tag == "ul":
                nesting(child, li.attrs["id"], out, order)


SCHEMES = [f"aipref-0{i}" for i in range(1, 8)]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_draft_is_drawn_as_its_tree(dom: Node, scheme: str) -> None:
    (section,) = [n for n in dom.walk() if n.attrs.get("id") == scheme]
    (tree,) = [n for n in section.walk() if n.tag == "ul" and "tree" in n.attrs.get("class", "")]
    assert tree.attrs["data-vocabulary"] == scheme
    drawn: dict[str, str | None] = {}
    order: list[str] = []
    nesting(tree, None, drawn, order)
    rows = category_rows(scheme)
    assert rows, f"{scheme} has no categories"
    expected = {
        r["category"].removeprefix(NS): r.get("broader", "").removeprefix(NS) or None for r in rows
    }
    assert drawn == expected
    positions = {r["category"].removeprefix(NS): int(r["position"]) for r in rows}
    for parent in set(drawn.values()):
        siblings = [c for c in order if drawn[c] == parent]
        assert siblings == sorted(siblings, key=positions.__getitem__)


def test_aipref_02_tree(dom: Node) -> None:
    (tree,) = [n for n in dom.walk() if n.attrs.get("data-vocabulary") == "aipref-02"]
    drawn: dict[str, str | None] = {}
    order: list[str] = []
    nesting(tree, None, drawn, order)
    p = "aipref-02."
    assert drawn == {
        p + "all": None,
        p + "train-ai": p + "all",
        p + "train-genai": p + "train-ai",
        p + "ai-use": p + "all",
        p + "search": p + "all",
    }
    assert order == [p + x for x in ("all", "train-ai", "train-genai", "ai-use", "search")]


def test_tree_nodes_show_label_title_and_definition(page: str) -> None:
    for row in select(
        """SELECT ?label ?title ?definition WHERE {
             ?c a ccsig:UsageCategory ; skos:notation ?label ; skos:prefLabel ?title ;
                skos:definition ?definition }"""
    ):
        for key in ("label", "title", "definition"):
            assert html.escape(" ".join(row[key].split())) in page


def test_signals_values_and_mappings_are_shown(dom: Node, page: str) -> None:
    by_id = {n.attrs["id"]: n for n in dom.walk() if "id" in n.attrs}
    for token, elements in {
        "cc-cr": {"Credit"},
        "cc-cr-dc": {"Credit", "DirectContribution"},
        "cc-cr-ec": {"Credit", "EcosystemContribution"},
        "cc-cr-op": {"Credit", "Open"},
    }.items():
        links = {n.attrs["href"] for n in by_id[token].walk() if n.tag == "a"}
        assert {"#" + e for e in elements} <= links
        assert not {"#" + e for e in {"DirectContribution", "EcosystemContribution", "Open"}} & (
            links - {"#" + e for e in elements}
        )
    for value in ("allow", "disallow", "unknown"):
        assert by_id[value].tag == "tr"
    noimageai = "".join(t for n in by_id["x-robots-tag.noimageai"].walk() for t in n.text)
    assert "train-ai" in noimageai and "image/" in noimageai


def test_json_ld_context_section(dom: Node, page: str) -> None:
    (section,) = [n for n in dom.walk() if n.attrs.get("id") == "sec-context"]
    text = "".join(t for n in section.walk() for t in n.text)
    assert CONTEXT_URL in text
    assert '"contentUsage": { "@id": "ccsig:contentUsage" }' in text
    assert html.escape(read_text("vocab", "context.jsonld").rstrip()) in page


def test_ontology_metadata_in_the_header(dom: Node) -> None:
    (header,) = [n for n in dom.walk() if n.tag == "header"]
    text = " ".join(t for n in header.walk() for t in n.text)
    (meta,) = select(
        """SELECT ?title ?version WHERE {
             ?o a owl:Ontology ; <http://purl.org/dc/terms/title> ?title ; owl:versionIRI ?version
           }"""
    )
    assert meta["title"] in text and meta["version"] in text


def test_nothing_is_loaded_from_anywhere(page: str, dom: Node) -> None:
    tags = {n.tag for n in dom.walk()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "audio", "video"}
    assert not [n for n in dom.walk() if "src" in n.attrs or "srcset" in n.attrs]
    assert not [n for n in dom.walk() if any(k.startswith("on") for k in n.attrs)]
    (style,) = [n for n in dom.walk() if n.tag == "style"]
    css = "".join(style.text)
    assert "url(" not in css and "@import" not in css
    assert not re.search(r"<(script|link|img)\b", page, re.I)


def test_definitions_are_escaped(page: str) -> None:
    """Every definition appears escaped; none contributes a raw <, > or &."""
    definitions = [r["d"] for r in select("SELECT ?d WHERE { ?s skos:definition ?d }")]
    assert any('"' in d for d in definitions)  # the vocabulary does have text to escape
    for d in definitions:
        folded = " ".join(d.split())
        assert html.escape(folded) in page
        if set(folded) & set('<>&"'):
            assert folded not in page


def test_injected_markup_is_escaped() -> None:
    """A definition, label and notation carrying markup come out as text."""
    store = ox.Store()
    for quad in vocabulary_store():
        store.add(quad)
    evil = '<script>alert("x")</script> & <b>'
    lit = '"' + evil.replace('"', '\\"') + '"'
    store.update(
        PREFIXES
        + f"""INSERT DATA {{
             ccsig:Evil a owl:Class ; rdfs:label {lit} ; skos:definition {lit} .
             ccsig:aipref-02.evil a ccsig:UsageCategory ; skos:inScheme ccsig:aipref-02 ;
               skos:notation {lit} ; skos:prefLabel {lit} ;
               skos:definition {lit} ; ccsig:labelPosition 99 ;
               skos:broader ccsig:aipref-02.train-ai .
           }}"""
    )
    page = vocabulary_html(store)
    dom = parse(page)
    assert evil not in page and "<script" not in page
    assert html.escape(evil) in page
    by_id = {n.attrs["id"]: n for n in dom.walk() if "id" in n.attrs}
    assert "Evil" in by_id and "aipref-02.evil" in by_id
    assert not {n.tag for n in dom.walk()} & {"script", "b"}


def test_deterministic() -> None:
    assert vocabulary_html() == vocabulary_html()
    assert vocabulary_html() == vocabulary_html(vocabulary_store())


def test_vocab_format_html_writes_the_page(tmp_path) -> None:
    from click.testing import CliRunner

    from ccsig.cli import main
    from ccsig.publish.docs import vocabulary_html

    target = tmp_path / "ccsig.html"
    done = CliRunner().invoke(main, ["vocab", "--format", "html", "-o", str(target)])
    assert done.exit_code == 0 and target.read_text(encoding="utf-8") == vocabulary_html()
    assert CliRunner().invoke(main, ["vocab", "--format", "html", "--closed"]).exit_code == 2


def test_docs_queries_are_not_listed_as_questions() -> None:
    from ccsig.answer.query import questions

    assert not [q for q in questions() if q.name.startswith("docs-")]
