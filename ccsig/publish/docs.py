"""HTML documentation of the ccsig vocabulary, for ``ccsig vocab --format html``.

Takes: the vocabulary store (`vocabulary_store()`, the Turtle files in vocab/), the
``docs-*.rq`` loaders in queries/internal/ and vocab/context.jsonld.
Gives: `vocabulary_html()`, one self-contained HTML5 page (inline CSS, no scripts, nothing
loaded from the network): the ontology's metadata; every class and property of the ccsig
namespace with its label, definition, domain, range and super-terms; the preference values;
the CC signals and their elements; each aipref draft's categories as a nested tree; the
mappings from other preference systems; and the JSON-LD context. Every term has an HTML
id equal to its local name, so that https://w3id.org/ccsig#X lands on X. All text is
escaped, and the page is the same byte for byte for the same vocabulary.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ccsig.model.namespaces import CONTEXT_URL, NS, ONTOLOGY_IRI, PREFIXES, curie
from ccsig.model.vocabulary import vocabulary_store
from ccsig.resources import read_text

_IDS = re.compile(r' id="([^"]*)"')
OWL = PREFIXES["owl"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]

# Kinds of term, in the order the page lists them: (IRI of the kind, section id, heading).
KINDS = (
    (OWL + "Class", "sec-classes", "Classes"),
    (RDFS + "Class", "sec-classes", "Classes"),
    (OWL + "ObjectProperty", "sec-object-properties", "Object properties"),
    (OWL + "DatatypeProperty", "sec-datatype-properties", "Datatype properties"),
    (OWL + "AnnotationProperty", "sec-annotation-properties", "Annotation properties"),
    (RDF + "Property", "sec-other-properties", "Other properties"),
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;margin:0;
color:#1a1a1a;background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1.25rem}
header{border-bottom:2px solid #2b5f8a;padding-bottom:1rem}
h1{color:#2b5f8a;margin-bottom:.25rem}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
h3{margin-bottom:.25rem}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace}
code{background:#f3f5f7;padding:0 .2em;border-radius:3px}
pre{background:#f3f5f7;padding:.75rem;overflow:auto;border-radius:4px}
a{color:#2b5f8a}a:target,article:target,li:target>.node,tr:target{background:#fff4c2}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.meta dt{font-weight:600;color:#555}dl.meta dd{margin:0}
article.term{border-left:3px solid #c8d6e2;padding:.1rem 0 .1rem 1rem;margin:1.25rem 0}
.kind{font-size:.8em;color:#666;font-weight:normal}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d5d5d5;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.4rem}
ul.tree{padding-left:0}ul.tree ul{border-left:1px dashed #9bb3c7}
ul.tree li{margin:.35rem 0;position:relative}
ul.tree ul>li::before{content:"";position:absolute;left:-1.4rem;top:.8rem;width:1.1rem;
border-top:1px dashed #9bb3c7}
.node{display:block}.node .title{font-weight:600}.node .def{display:block;color:#444}
nav ul{columns:2}footer{color:#666;font-size:.9em;margin-top:3rem;padding-bottom:2rem}
""".strip()


@dataclass
class _Term:
    iri: str
    kinds: list[str]
    label: str
    definition: str
    domain: list[str]
    range: list[str]
    domain_includes: list[str]
    range_includes: list[str]
    supers: list[str]
    see_also: list[str]


@dataclass
class _Category:
    iri: str
    label: str
    title: str
    definition: str
    broader: str | None
    position: int


@dataclass
class _Scheme:
    iri: str
    name: str
    label: str
    definition: str
    source: str | None
    categories: list[_Category] = field(default_factory=list)


def vocabulary_html(store: ox.Store | None = None) -> str:
    """The HTML documentation page of the vocabulary in `store` (default: the shipped one)."""
    store = vocabulary_store() if store is None else store
    terms = _terms(store)
    sections = [
        ("sec-terms", "Classes and properties", _terms_section(terms)),
        ("sec-values", "Preference values", _values_section(store)),
        ("sec-signals", "CC signals", _signals_section(store)),
        ("sec-vocabularies", "aipref usage vocabularies", _vocabularies_section(store)),
        ("sec-mappings", "Other preference systems", _mappings_section(store)),
        ("sec-context", "JSON-LD context", _context_section()),
    ]
    shown = {html.unescape(i) for _, _, content in sections for i in _IDS.findall(content)}
    others = _others_section(store, shown)
    if others:
        sections.insert(-1, ("sec-other-terms", "Other terms", others))
    meta = _ontology(store)
    title = meta.get("title") or ONTOLOGY_IRI
    nav = "".join(f'<li><a href="#{sid}">{_e(heading)}</a></li>' for sid, heading, _ in sections)
    body = "\n".join(
        f'<section id="{sid}">\n<h2>{_e(heading)}</h2>\n{content}\n</section>'
        for sid, heading, content in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f"{_header(meta)}\n<main>\n"
        f'<nav aria-label="Contents"><h2>Contents</h2><ul>{nav}</ul></nav>\n'
        f"{body}\n</main>\n"
        "<footer><p>Generated by ccsig (<code>ccsig vocab --format html</code>) from the "
        "vocabulary's RDF.</p></footer>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------- queries


def _rows(store: ox.Store, name: str) -> Iterator[dict[str, str]]:
    """The answers of queries/internal/docs-NAME.rq, as variable -> value (unbound left out)."""
    result = store.query(read_text("queries", f"internal/docs-{name}.rq"))
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    for row in result:
        yield {v: row[v].value for v in variables if row[v] is not None}


def _iris(value: str | None) -> list[str]:
    return sorted(set(value.split())) if value else []


def _ontology(store: ox.Store) -> dict[str, str]:
    rows = sorted(_rows(store, "ontology"), key=lambda r: r["ontology"] != ONTOLOGY_IRI)
    return rows[0] if rows else {"ontology": ONTOLOGY_IRI}


def _terms(store: ox.Store) -> list[_Term]:
    by_iri: dict[str, _Term] = {}
    for r in _rows(store, "terms"):
        term = by_iri.get(r["term"])
        if term is None:
            term = by_iri[r["term"]] = _Term(
                iri=r["term"],
                kinds=[],
                label=r.get("label", ""),
                definition=r.get("definition", ""),
                domain=_iris(r.get("domain")),
                range=_iris(r.get("range")),
                domain_includes=_iris(r.get("domainIncludes")),
                range_includes=_iris(r.get("rangeIncludes")),
                supers=_iris(r.get("super")),
                see_also=_iris(r.get("seeAlso")),
            )
        term.kinds.append(r["kind"])
    order = [k for k, _, _ in KINDS]
    for term in by_iri.values():
        term.kinds.sort(key=lambda k: order.index(k) if k in order else len(order))
    return sorted(by_iri.values(), key=lambda t: (_local(t.iri).lower(), t.iri))


# ---------------------------------------------------------------- sections


def _header(meta: dict[str, str]) -> str:
    iri = meta.get("ontology", ONTOLOGY_IRI)
    rows = [("IRI", _link(iri, iri))]
    if "versionIRI" in meta:
        rows.append(("Version IRI", _link(meta["versionIRI"], meta["versionIRI"])))
    if "versionInfo" in meta:
        rows.append(("Version", _e(meta["versionInfo"])))
    if "prefix" in meta or "namespace" in meta:
        ns = f"<code>{_e(meta.get('namespace', NS))}</code>"
        rows.append(("Namespace", f"<code>{_e(meta.get('prefix', 'ccsig'))}:</code> {ns}"))
    if "license" in meta:
        rows.append(("Licence", _link(meta["license"], meta["license"])))
    sources = _iris(meta.get("sources"))
    if sources:
        rows.append(("Sources", ", ".join(_link(s, s) for s in sources)))
    rows.append(("JSON-LD context", _link(CONTEXT_URL, CONTEXT_URL)))
    description = meta.get("description", "")
    return (
        f"<header>\n<h1>{_e(meta.get('title') or iri)}</h1>\n"
        f"{_dl(rows)}\n" + (f"<p>{_e(description)}</p>\n" if description else "") + "</header>"
    )


def _terms_section(terms: list[_Term]) -> str:
    """Classes, then each kind of property; a term of several kinds is listed once."""
    order = [k for k, _, _ in KINDS]
    groups: dict[str, list[_Term]] = {}
    for term in terms:
        groups.setdefault(term.kinds[0] if term.kinds[0] in order else order[-1], []).append(term)
    subs: dict[str, list[str]] = {}
    used_with: dict[str, list[str]] = {}
    for term in terms:
        for s in term.supers:
            subs.setdefault(s, []).append(term.iri)
        for d in term.domain + term.domain_includes:
            used_with.setdefault(d, []).append(term.iri)
    out: list[str] = []
    seen: set[str] = set()
    for kind, sid, heading in KINDS:
        members = groups.get(kind, [])
        if not members or sid in seen:
            if members:  # rdfs:Class joins owl:Class under one heading
                out.extend(_term(t, subs, used_with) for t in members)
            continue
        seen.add(sid)
        index = ", ".join(
            f'<a href="#{_e(_local(t.iri))}"><code>{_e(_local(t.iri))}</code></a>' for t in members
        )
        out.append(f'<h3 id="{sid}">{_e(heading)}</h3>\n<p>{index}</p>')
        out.extend(_term(t, subs, used_with) for t in members)
    return "\n".join(out)


def _term(term: _Term, subs: dict[str, list[str]], used_with: dict[str, list[str]]) -> str:
    local = _local(term.iri)
    kinds = ", ".join(_curie(k) for k in term.kinds)
    is_class = term.kinds[0] in (OWL + "Class", RDFS + "Class")
    rows = [("IRI", _link(term.iri, term.iri)), ("Type", _e(kinds))]
    listed = [
        ("Sub-class of" if is_class else "Sub-property of", term.supers),
        ("Super-class of" if is_class else "Super-property of", sorted(subs.get(term.iri, []))),
        ("Domain", term.domain),
        ("Domain includes", term.domain_includes),
        ("Range", term.range),
        ("Range includes", term.range_includes),
        ("Properties with this domain", sorted(set(used_with.get(term.iri, [])))),
        ("See also", term.see_also),
    ]
    rows.extend((name, _refs(iris)) for name, iris in listed if iris)
    return (
        f'<article class="term" id="{_e(local)}">\n'
        f"<h4>{_e(term.label or local)} <code>ccsig:{_e(local)}</code></h4>\n"
        f"<p>{_e(term.definition)}</p>\n{_dl(rows)}\n</article>"
    )


def _values_section(store: ox.Store) -> str:
    rows = sorted(_rows(store, "values"), key=lambda r: (r["name"], r["value"]))
    body = "".join(
        f'<tr id="{_e(_local(r["value"]))}"><td><code>{_e(r["name"])}</code></td>'
        f"<td>{_code(r.get('token'))}</td><td>{_ref(r['value'])}</td>"
        f"<td>{_e(r.get('definition', ''))}</td></tr>\n"
        for r in rows
    )
    return (
        "<p>The outcome aipref assigns to a usage category. The token is what an expression "
        "writes (<code>train-ai=n</code>); <em>unknown</em> has none.</p>\n"
        "<table>\n<thead><tr><th>Value</th><th>Token</th><th>IRI</th><th>Definition</th>"
        f"</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"
    )


def _signals_section(store: ox.Store) -> str:
    signals: dict[str, dict[str, str]] = {}
    members: dict[str, set[str]] = {}
    elements: dict[str, dict[str, str]] = {}
    for r in _rows(store, "signals"):
        signals.setdefault(r["signal"], r)
        members.setdefault(r["signal"], set()).add(r["element"])
        elements.setdefault(r["element"], r)
    names = {iri: r["elementName"] for iri, r in elements.items()}
    signal_rows = "".join(
        f'<tr id="{_e(_local(iri))}"><td><code>{_e(r["token"])}</code></td>'
        f"<td>{_e(r.get('title', ''))}</td><td>{_e(r.get('version', ''))}</td>"
        f"<td>{_element_list(members[iri], names)}</td>"
        f"<td>{_e(r.get('definition', ''))}{_see(r.get('seeAlso'))}</td></tr>\n"
        for iri, r in sorted(signals.items(), key=lambda kv: (kv[1]["token"], kv[0]))
    )
    element_rows = "".join(
        f'<tr id="{_e(_local(iri))}"><td><code>{_e(r["elementName"])}</code></td>'
        f"<td>{_e(r.get('elementTitle', ''))}</td>"
        f"<td>{_e(r.get('elementDefinition', ''))}{_see(r.get('elementSeeAlso'))}</td></tr>\n"
        for iri, r in sorted(elements.items(), key=lambda kv: (kv[1]["elementName"], kv[0]))
    )
    return (
        "<p>A CC signal is the <code>exceptions</code> parameter of a disallow, for example "
        "<code>train-genai=n;exceptions=cc-cr-ec</code>: the use is welcome from reusers who "
        "meet every element of the signal.</p>\n"
        "<table>\n<thead><tr><th>Token</th><th>Title</th><th>Version</th><th>Elements</th>"
        f"<th>Definition</th></tr></thead>\n<tbody>\n{signal_rows}</tbody>\n</table>\n"
        '<h3 id="sec-elements">Signal elements</h3>\n'
        "<table>\n<thead><tr><th>Name</th><th>Title</th><th>Definition</th></tr></thead>\n"
        f"<tbody>\n{element_rows}</tbody>\n</table>"
    )


def _element_list(iris: Iterable[str], names: dict[str, str]) -> str:
    ordered = sorted(iris, key=lambda i: (names.get(i, ""), i))
    return ", ".join(
        f'<a href="#{_e(_local(i))}"><code>{_e(names.get(i, _local(i)))}</code></a>'
        for i in ordered
    )


def _vocabularies_section(store: ox.Store) -> str:
    schemes: dict[str, _Scheme] = {}
    for r in _rows(store, "categories"):
        scheme = schemes.get(r["vocabulary"])
        if scheme is None:
            scheme = schemes[r["vocabulary"]] = _Scheme(
                iri=r["vocabulary"],
                name=r["name"],
                label=r.get("vocabularyLabel", r["name"]),
                definition=r.get("vocabularyDefinition", ""),
                source=r.get("source"),
            )
        if "category" in r and all(c.iri != r["category"] for c in scheme.categories):
            scheme.categories.append(
                _Category(
                    iri=r["category"],
                    label=r["label"],
                    title=r.get("title", r["label"]),
                    definition=r.get("definition", ""),
                    broader=r.get("broader"),
                    position=int(r["position"]),
                )
            )
    out = [
        "<p>One SKOS concept scheme per draft of draft-ietf-aipref-vocab. A category's label is "
        "what expressions write; a category nested under another is a proper subset of it "
        "(<code>skos:broader</code>), and lists in the order of the draft's label table.</p>"
    ]
    for scheme in sorted(schemes.values(), key=lambda s: (s.name, s.iri)):
        out.append(_scheme(scheme))
    return "\n".join(out)


def _scheme(scheme: _Scheme) -> str:
    categories = sorted(scheme.categories, key=lambda c: (c.position, c.label, c.iri))
    iris = {c.iri for c in categories}
    children: dict[str | None, list[_Category]] = {}
    for c in categories:
        # a broader category outside the scheme (or a missing one) makes a top category
        children.setdefault(c.broader if c.broader in iris else None, []).append(c)
    source = f"<p>Source: {_link(scheme.source, scheme.source)}</p>\n" if scheme.source else ""
    return (
        f'<section class="scheme" id="{_e(_local(scheme.iri))}">\n'
        f'<h3>{_e(scheme.name)} <span class="kind">{_e(scheme.label)}</span></h3>\n'
        f"<p>{_e(scheme.definition)}</p>\n{source}"
        f"{_tree(scheme.name, None, children, set())}\n</section>"
    )


def _tree(
    name: str,
    parent: str | None,
    children: dict[str | None, list[_Category]],
    seen: set[str],
) -> str:
    items = []
    for c in children.get(parent, []):
        if c.iri in seen:  # a cycle in skos:broader: draw each category once
            continue
        seen.add(c.iri)
        below = _tree(name, c.iri, children, seen) if children.get(c.iri) else ""
        items.append(
            f'<li id="{_e(_local(c.iri))}"><span class="node"><code>{_e(c.label)}</code> '
            f'<span class="title">{_e(c.title)}</span>'
            f'<span class="def">{_e(c.definition)}</span></span>{below}</li>'
        )
    if not items:
        return ""
    attrs = f' class="tree" data-vocabulary="{_e(name)}"' if parent is None else ""
    return f"<ul{attrs}>" + "".join(items) + "</ul>"


def _mappings_section(store: ox.Store) -> str:
    systems: dict[str, dict[str, str]] = {}
    terms: dict[str, dict[str, dict[str, str]]] = {}
    for r in _rows(store, "mappings"):
        systems.setdefault(r["system"], r)
        if "mapped" in r:
            terms.setdefault(r["system"], {}).setdefault(r["mapped"], r)
    out = [
        "<p>ccsig reads these systems' terms as aipref preferences, so the category "
        "hierarchy, combining and CC signals apply to them as to any Content-Usage "
        "statement (vocab/mappings.ttl).</p>"
    ]
    for iri, s in sorted(systems.items(), key=lambda kv: (kv[1]["systemName"], kv[0])):
        rows = "".join(
            f'<tr id="{_e(_local(m))}"><td><code>{_e(t["term"])}</code></td>'
            f"<td>{_mapping_target(t)}</td><td>{_mapping_meaning(t)}</td>"
            f"<td>{_e(t.get('definition', ''))}</td></tr>\n"
            for m, t in sorted(terms.get(iri, {}).items(), key=lambda kv: (kv[1]["term"], kv[0]))
        )
        table = (
            "<table>\n<thead><tr><th>Term</th><th>Category</th><th>Value</th>"
            f"<th>Definition</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
            if rows
            else "<p>Its terms are aipref's own; nothing is mapped.</p>"
        )
        out.append(
            f'<section class="system" id="{_e(_local(iri))}">\n'
            f"<h3>{_e(s.get('systemLabel', s['systemName']))} "
            f"<code>{_e(s['systemName'])}</code></h3>\n"
            f"<p>{_e(s.get('systemDefinition', ''))}{_see(s.get('systemSeeAlso'))}</p>\n"
            f"{table}\n</section>"
        )
    return "\n".join(out)


def _mapping_target(t: dict[str, str]) -> str:
    if t.get("root") == "true":
        text = "the vocabulary's single root category"
        if "otherwise" in t:
            return f"{text}; otherwise <code>{_e(t['otherwise'])}</code>"
        return text
    return _code(t.get("label"))


def _mapping_meaning(t: dict[str, str]) -> str:
    parts = []
    if "meaning" in t:
        parts.append(_ref(t["meaning"]))
    if "mediaTypePrefix" in t:
        parts.append(f"for media types <code>{_e(t['mediaTypePrefix'])}*</code>")
    return " ".join(parts)


def _context_section() -> str:
    text = read_text("vocab", "context.jsonld")
    terms = json.loads(text).get("@context", {})
    count = sum(1 for k in terms if not k.startswith("@"))
    usage = _e(json.dumps({"@context": CONTEXT_URL}))
    return (
        f"<p>JSON-LD documents use ccsig's terms through the context at "
        f"{_link(CONTEXT_URL, CONTEXT_URL)} (<code>{usage}</code>). "
        "ccsig ships a copy and resolves that URL (over http or https) from it, without "
        f"going to the network. It defines {count} terms and prefixes:</p>\n"
        f"<pre><code>{html.escape(text.rstrip())}</code></pre>"
    )


def _others_section(store: ox.Store, shown: set[str]) -> str:
    """Terms the ontology defines that no other section documents, in a table."""
    rows = [
        r
        for r in sorted(_rows(store, "individuals"), key=lambda r: (_local(r["term"]), r["term"]))
        if _local(r["term"]) not in shown
    ]
    if not rows:
        return ""
    body = "".join(
        f'<tr id="{_e(_local(r["term"]))}"><td><code>ccsig:{_e(_local(r["term"]))}</code></td>'
        f"<td>{_e(r.get('label', ''))}</td><td>{_refs(_iris(r.get('types')))}</td>"
        f"<td>{_e(r.get('definition', ''))}"
        + "".join(f" (see {_ref(i)})" for i in _iris(r.get("seeAlso")))
        + "</td></tr>\n"
        for r in rows
    )
    return (
        "<table>\n<thead><tr><th>Term</th><th>Label</th><th>Type</th><th>Definition</th>"
        f"</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"
    )


# ---------------------------------------------------------------- helpers


def _e(text: str) -> str:
    """Escaped text, with the line breaks of Turtle's long strings folded into spaces."""
    return html.escape(" ".join(text.split()))


def _local(iri: str) -> str:
    return iri.removeprefix(NS) if iri.startswith(NS) else iri.rsplit("#", 1)[-1].rsplit("/")[-1]


def _curie(iri: str) -> str:
    return curie(iri, bare=False) or iri


def _ref(iri: str) -> str:
    """A link to a term: within the page for ccsig terms, to the term's IRI otherwise."""
    href = "#" + _local(iri) if iri.startswith(NS) else iri
    return f'<a href="{_e(href)}"><code>{_e(_curie(iri))}</code></a>'


def _refs(iris: Iterable[str]) -> str:
    return ", ".join(_ref(i) for i in iris)


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _see(iri: str | None) -> str:
    return f" (see {_link(iri, iri)})" if iri else ""


def _code(text: str | None) -> str:
    return f"<code>{_e(text)}</code>" if text else ""


def _dl(rows: list[tuple[str, str]]) -> str:
    """A definition list; the values are HTML already."""
    items = "".join(f"<dt>{_e(name)}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="meta">{items}</dl>'
