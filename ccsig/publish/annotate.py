"""Add a CC signal to a dataset description without disturbing anything already there.

Takes: a DCAT, schema.org or Croissant file (Turtle, TriG, N-Triples, N-Quads or JSON-LD),
a content-usage expression and, when the file describes more than one dataset, the IRI
of the one to annotate.
Gives: an `Annotation` holding the new text of the file (the caller writes it), the asset
annotated, whether anything changed, and warnings. Nothing is written here.

The edit is textual so that comments, layout and key order survive: Turtle-family files
get the statement appended at the end, JSON-LD files get one member inserted into the
dataset's object (and the ``ccsig`` prefix into the top-level context when needed). Only an
anonymous blank node in Turtle or TriG, which appended text cannot name, forces the graph
to be re-serialised. Whatever the route, the result is parsed again and must be the
original graph plus exactly the one new triple, or nothing is returned.

Why one module of ~550 lines: the Turtle and JSON-LD editors share the choose, parse,
check and read-back steps and their private state (`_Parsed`); split in two, both halves
would import a third module of private helpers and a reader would follow one edit across
three files. The JSON-LD text positions live in ccsig.ingest.json_spans.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox

from ccsig.errors import InputError
from ccsig.ingest import json_spans as js
from ccsig.ingest.blank_nodes import relabel
from ccsig.ingest.html import block_json, read_page
from ccsig.ingest.readers import (
    embedded_kind,
    guess_format,
    input_format_of,
    read_bytes,
    resolve_contexts,
    syntax_errors,
)
from ccsig.ingest.urls import base_iri_for
from ccsig.lift.literals import is_string_literal
from ccsig.model.expression import parse_expression
from ccsig.model.namespaces import CONTENT_USAGE, NS, PREFIXES, RDF_TYPE
from ccsig.model.terms import Node, Subject, Term, rdflib_term
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, dataset_classes
from ccsig.validation.run import shapes_for, validate_quads

_NAMES = tuple(
    ox.NamedNode(iri)
    for iri in (
        "https://schema.org/name",
        "http://schema.org/name",
        "http://purl.org/dc/terms/title",
    )
)
EDITABLE = "Turtle, TriG, N-Triples, N-Quads and JSON-LD"
_COMMENT = "# CC signal added by ccsig annotate"
_PROBE = "urn:ccsig:annotate-probe"
# Parsing again under this base tells IRIs written relative to the file's location apart.
_ELSEWHERE = "http://ccsig-annotate.invalid/"


@dataclass(frozen=True)
class Annotation:
    text: str  # the whole new file; equal to the original when nothing changed
    asset: str  # the dataset's IRI, or a description of its blank node
    changed: bool
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Parsed:
    quads: list[ox.Quad]
    prefixes: dict[str, str]
    base: str | None  # the base IRI in force at the end of the file


def annotate(
    path: str,
    expression: str,
    asset: str | None = None,
    input_format: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    replace: bool = False,
    force: bool = False,
) -> Annotation:
    """Read `path` (``-`` for standard input) and add ``ccsig:contentUsage`` to one dataset;
    with `replace`, its one existing expression is replaced instead. An expression that
    `ccsig validate` would report as a violation is refused unless `force`."""
    return annotate_text(
        path, read_bytes(path), expression, asset, input_format, vocabulary, replace, force
    )


def annotate_text(
    path: str,
    data: bytes,
    expression: str,
    asset: str | None = None,
    input_format: str | None = None,
    vocabulary: str = DEFAULT_VOCABULARY,
    replace: bool = False,
    force: bool = False,
) -> Annotation:
    """As `annotate`, over the bytes of a file; `path` names it and sets its base IRI."""
    input_format = input_format_of(path, input_format, data)
    if embedded_kind(path, input_format) == "html":
        return _annotate_page(path, data, expression, asset, vocabulary, replace, force)
    fmt = guess_format(path, input_format)
    if fmt == ox.RdfFormat.RDF_XML:
        raise InputError(path, f"annotate edits {EDITABLE} files, not RDF/XML; convert it first")
    warnings = _expression_warnings(expression, vocabulary, force)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    original = _parse(path, data, fmt)
    subject = _choose(path, original.quads, asset)
    described = _describe(subject, original.quads)
    existing = [
        q.object for q in original.quads if q.subject == subject and q.predicate == CONTENT_USAGE
    ]
    if any(isinstance(o, ox.Literal) and o.value == expression for o in existing):
        return Annotation(text, described, False, warnings)
    if existing and replace:
        new_text = _replaced(path, text, fmt, original.quads, subject, existing, expression)
        return Annotation(new_text, described, True, warnings)
    if existing:
        # TODO: an RDF 1.2 triple term has no .value (AttributeError)
        raise InputError(
            path,
            f"{_named(subject, described)} already has a content-usage expression "
            f"({existing[0].value!r}); annotate adds one unless given --replace",  # type: ignore[union-attr]
        )
    if fmt == ox.RdfFormat.JSON_LD:
        new_text = _edit_jsonld(path, text, fmt, original, subject, expression)
    else:
        new_text, more = _edit_rdf_text(path, text, fmt, original, subject, expression)
        warnings.extend(more)
    return Annotation(new_text, described, True, warnings)


def _annotate_page(
    path: str,
    data: bytes,
    expression: str,
    asset: str | None,
    vocabulary: str,
    replace: bool,
    force: bool,
) -> Annotation:
    """An HTML page: the one JSON-LD script block that describes the dataset is edited
    as a JSON-LD file is, in place; the rest of the page is kept byte for byte."""
    page = read_page(data, base_iri_for(path))
    if page.encoding != "utf-8":
        raise InputError(path, f"annotate edits UTF-8 pages; this one is {page.encoding}")
    node = None
    if asset is not None and asset.startswith("_:"):
        raise InputError(path, "on a page, name the dataset to annotate by its IRI, not _:LABEL")
    if asset is not None:
        try:
            node = ox.NamedNode(asset)
        except ValueError as e:
            raise InputError("", f"the asset {asset!r} is not an absolute IRI ({e})") from None
    chosen = []
    for block in page.blocks:
        block_json(path, block)
        quads = _parse(path, block.text.encode("utf-8"), ox.RdfFormat.JSON_LD).quads
        if (asset is None and _datasets(quads)) or (
            node is not None and any(q.subject == node for q in quads)
        ):
            chosen.append(block)
    if not chosen:
        what = f"<{asset}>" if asset else "a dcat:Dataset or schema:Dataset"
        raise InputError(path, f"no application/ld+json script block in the page describes {what}")
    if len(chosen) > 1:
        lines = ", ".join(str(b.line) for b in chosen)
        raise InputError(
            path,
            f"the script blocks at lines {lines} each describe "
            + (f"<{asset}>" if asset else "a dataset")
            + "; annotate edits one (name it with --asset, or merge the blocks)",
        )
    block = chosen[0]
    if block.start < 0:
        raise InputError(f"{path}:{block.line}", "cannot find the script block's text to edit")
    edited = annotate_text(
        path,
        block.text.encode("utf-8"),
        expression,
        asset,
        "json-ld",
        vocabulary,
        replace,
        force,
    )
    if "</script" in edited.text.lower():
        raise InputError(path, "the edited block would hold </script; nothing written")
    text = page.text[: block.start] + edited.text + page.text[block.end :]
    return Annotation(text, edited.asset, edited.changed, edited.warnings)


# ------------------------------------------------------------------ choosing


def _expression_warnings(expression: str, vocabulary: str, force: bool) -> list[str]:
    """What `ccsig validate` would say of a dataset carrying `expression`: its violations
    refuse the annotation (unless `force`), its warnings are repeated."""
    parsed = parse_expression(expression, vocabulary)
    if not parsed.parsed and not force:
        raise InputError(
            "", f"the expression {expression!r} does not parse: {parsed.error}; nothing written"
        )
    asset = ox.BlankNode("asset")
    quads = [
        ox.Quad(asset, RDF_TYPE, ox.NamedNode(PREFIXES["dcat"] + "Dataset")),
        ox.Quad(asset, CONTENT_USAGE, ox.Literal(expression)),
    ]
    results = validate_quads(quads, vocabulary, "", "fast", shapes_for(()))
    violations = [r.message for r in results if r.severity == "violation"]
    if violations and not force:
        raise InputError(
            "",
            f"ccsig validate would report a violation, so nothing is written "
            f"(--force writes it anyway): {violations[0]}",
        )
    warnings = [r.message for r in results if r.severity != "violation" or force]
    if not parsed.members:
        warnings.append("the expression states no preference at all")
    return list(dict.fromkeys(warnings))


def _choose(path: str, quads: list[ox.Quad], asset: str | None) -> Node:
    if asset is not None and asset.startswith("_:"):
        return _blank_node(path, quads, asset[2:])
    if asset is not None:
        try:
            node = ox.NamedNode(asset)
        except ValueError as e:
            raise InputError("", f"the asset {asset!r} is not an absolute IRI ({e})") from None
        if not any(q.subject == node for q in quads):
            raise InputError(path, f"<{asset}> is not the subject of any statement in the file")
        return node
    datasets = _datasets(quads)
    if len(datasets) == 1 and isinstance(datasets[0], ox.NamedNode | ox.BlankNode):
        return datasets[0]
    if not datasets:
        raise InputError(
            path,
            "no subject is typed dcat:Dataset or schema:Dataset; "
            "name the asset to annotate with --asset IRI",
        )
    labels = _labels(quads)
    listed = ", ".join(f"<{d.value}>" if isinstance(d, ox.NamedNode) else f"_:{labels[d]}"
                       for d in datasets)  # fmt: skip
    raise InputError(
        path,
        f"{len(datasets)} datasets ({listed}); name the one to annotate with --asset IRI "
        "(or _:LABEL, as validate and check name a blank node)",
    )


def _labels(quads: list[ox.Quad]) -> dict[Term, str]:
    """Each blank node of `quads` (labels as written) by the label every other command
    prints for it (ccsig.ingest.blank_nodes: from the data, the same every run)."""
    labels: dict[Term, str] = {}
    for before, after in zip(quads, relabel(quads), strict=True):
        for old, new in ((before.subject, after.subject), (before.object, after.object)):
            if isinstance(old, ox.BlankNode) and isinstance(new, ox.BlankNode):
                labels[old] = new.value
    return labels


def _blank_node(path: str, quads: list[ox.Quad], label: str) -> Node:
    """The blank node validate and check print as ``_:label``."""
    for node, name in _labels(quads).items():
        if name == label and any(q.subject == node for q in quads):
            return cast(Node, node)
    raise InputError(
        path, f"no blank node of the file is _:{label} (validate and check print the labels)"
    )


def _datasets(quads: list[ox.Quad]) -> list[Subject]:
    """The subjects typed with a class whose instances are datasets (from vocab/), in order."""
    classes = dataset_classes()
    return list(
        dict.fromkeys(
            q.subject
            for q in quads
            # TODO: an RDF 1.2 triple term has no .value (AttributeError)
            if q.predicate == RDF_TYPE and q.object.value in classes  # type: ignore[union-attr]
        )
    )


def _describe(subject: Node, quads: list[ox.Quad]) -> str:
    if isinstance(subject, ox.NamedNode):
        return subject.value
    # TODO: an RDF 1.2 triple term has no .value (AttributeError)
    names = [q.object.value for q in quads if q.subject == subject and q.predicate in _NAMES]  # type: ignore[union-attr]
    return f"the blank node named {names[0]!r}" if names else "a blank node"


def _named(subject: Node, described: str) -> str:
    return f"<{described}>" if isinstance(subject, ox.NamedNode) else described


# ------------------------------------------------------------------ parsing and checking


def _parse(path: str, data: bytes, fmt: ox.RdfFormat, base: str | None = None) -> _Parsed:
    """Parse keeping blank-node labels as written (appended text may name them)."""
    if fmt == ox.RdfFormat.JSON_LD:
        data = resolve_contexts(path, data, False)
    parser = ox.parse(
        data, format=fmt, base_iri=base or base_iri_for(path), rename_blank_nodes=False
    )
    with syntax_errors(path):
        quads = list(parser)
    return _Parsed(quads, dict(parser.prefixes), parser.base_iri)


def _check(
    path: str,
    new_text: str,
    fmt: ox.RdfFormat,
    original: list[ox.Quad],
    subject: Node,
    expression: str,
) -> bool:
    """Whether `new_text` is the original graph plus exactly (subject, contentUsage, expression).

    Compared up to blank-node renaming; the literal may carry the document's default
    language (JSON-LD ``@language``), which ccsig reads like a plain string.
    """
    after = _read_back(path, new_text, fmt)
    if after is None:
        return False
    added = {
        q.object
        for q in after
        if q.predicate == CONTENT_USAGE
        and is_string_literal(q.object)
        and q.object.value == expression
        and q.graph_name == ox.DefaultGraph()
    }
    for literal in added:
        expected = [*original, ox.Quad(subject, CONTENT_USAGE, literal, ox.DefaultGraph())]
        if _canonical(expected) == _canonical(after):
            return True
    return False


def _read_back(path: str, new_text: str, fmt: ox.RdfFormat) -> list[ox.Quad] | None:
    """The quads of an edited text, or None when it no longer parses."""
    try:
        return _parse(path, new_text.encode("utf-8"), fmt).quads
    except InputError:
        return None


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _refuse_unchecked(path: str) -> InputError:
    return InputError(
        path,
        "the edited file would not read back as the original statements plus the new one; "
        "nothing written (please report this file)",
    )


# ------------------------------------------------------------------ replacing


def _replaced(
    path: str,
    text: str,
    fmt: ox.RdfFormat,
    original: list[ox.Quad],
    subject: Node,
    existing: list[Term],
    expression: str,
) -> str:
    """The text with the asset's one expression replaced where it is written.

    The old value is found as a quoted string; it must occur exactly once, so that the
    edit cannot touch another dataset using the same expression. The result must read
    back as the original graph with that one literal changed (language tag kept).
    """
    if len(existing) != 1 or not isinstance(existing[0], ox.Literal):
        raise InputError(path, f"the asset has {len(existing)} content-usage values; edit by hand")
    old = existing[0]
    json_like = fmt == ox.RdfFormat.JSON_LD
    quoted = json.dumps(old.value, ensure_ascii=False) if json_like else _turtle_string(old.value)
    found = text.count(quoted)
    if found != 1:
        where = "nowhere as a plain quoted string" if found == 0 else f"{found} times"
        raise InputError(
            path,
            f"the expression {old.value!r} is written {where} in the file, so --replace "
            "cannot tell which to change; edit by hand",
        )
    fresh = json.dumps(expression, ensure_ascii=False) if json_like else _turtle_string(expression)
    new_text = text.replace(quoted, fresh, 1)
    literal = (
        ox.Literal(expression, language=old.language)
        if old.language
        else ox.Literal(expression, datatype=old.datatype)
    )
    expected = [
        q for q in original if not (q.subject == subject and q.predicate == CONTENT_USAGE)
    ] + [ox.Quad(subject, CONTENT_USAGE, literal, ox.DefaultGraph())]
    after = _read_back(path, new_text, fmt)
    if after is None or _canonical(after) != _canonical(expected):
        raise _refuse_unchecked(path)
    return new_text


def _turtle_string(value: str) -> str:
    """A string as Turtle and N-Triples write it: double quotes, escapes where needed."""
    return str(ox.Literal(value))


# ------------------------------------------------------------------ Turtle family


def _edit_rdf_text(
    path: str,
    text: str,
    fmt: ox.RdfFormat,
    original: _Parsed,
    subject: Node,
    expression: str,
) -> tuple[str, list[str]]:
    """Append the statement; re-serialise only for an anonymous blank node."""
    lines_like_turtle = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    if isinstance(subject, ox.BlankNode):
        if lines_like_turtle and not _written_label(text, subject.value):
            return _reserialised(path, text, fmt, original, subject, expression)
        written = str(subject)
    else:
        written = f"<{_iri_as_written(path, text, fmt, original, subject.value)}>"
    newline = "\r\n" if "\r\n" in text else "\n"
    block = [_COMMENT]
    bound = original.prefixes.get("ccsig") if lines_like_turtle else None
    if lines_like_turtle and bound is None:
        block.append(f"@prefix ccsig: <{NS}> .")
    predicate = "ccsig:contentUsage" if lines_like_turtle and bound in (None, NS) else None
    block.append(f"{written} {predicate or str(CONTENT_USAGE)} {ox.Literal(expression)} .")
    lead = newline if text and not text.endswith(("\n", "\r")) else ""
    new_text = text + lead + (newline if text else "") + newline.join(block) + newline
    if not _check(path, new_text, fmt, original.quads, subject, expression):
        raise _refuse_unchecked(path)
    return new_text, []


def _written_label(text: str, label: str) -> bool:
    """Whether ``_:label`` occurs in the text, so appended text can name the same node."""
    return re.search(rf"_:{re.escape(label)}(?![\w\-\u00b7]|\.[\w\-\u00b7])", text) is not None


def _iri_as_written(path: str, text: str, fmt: ox.RdfFormat, original: _Parsed, iri: str) -> str:
    """The IRI, or a relative reference when the file names it relative to its own location.

    A relative reference keeps meaning the same dataset when the file moves; it is
    resolved against the base in force at the end of the file, where the text goes.
    """
    doc = base_iri_for(path)
    if not (iri.startswith("file:///") and doc.startswith("file:///")) or original.base is None:
        return iri
    moved_doc = _ELSEWHERE + doc[len("file:///") :]
    moved = _parse(path, text.encode("utf-8"), fmt, base=moved_doc)
    subjects = {q.subject for q in moved.quads}
    if ox.NamedNode(iri) in subjects or ox.NamedNode(_moved(iri)) not in subjects:
        return iri
    return _relative(original.base, iri) or iri


def _moved(iri: str) -> str:
    return _ELSEWHERE + iri[len("file:///") :]


def _relative(base: str, target: str) -> str | None:
    """A relative reference that resolves against `base` to `target`, if there is one."""
    b, t = urlsplit(base), urlsplit(target)
    if (b.scheme, b.netloc) != (t.scheme, t.netloc) or not t.path.startswith("/"):
        return None
    if t.path == b.path and t.query == b.query:
        reference = ""
    else:
        directory = b.path.rsplit("/", 1)[0] + "/"
        reference = posixpath.relpath(t.path, directory)
        if reference == ".":
            reference = "./"
        elif t.path.endswith("/"):
            reference += "/"
        if ":" in reference.split("/", 1)[0]:
            reference = "./" + reference
        if t.query:
            reference += "?" + t.query
    if t.fragment or target.endswith("#"):
        reference += "#" + t.fragment
    return reference if reference and urljoin(base, reference) == target else None


def _reserialised(
    path: str,
    text: str,
    fmt: ox.RdfFormat,
    original: _Parsed,
    subject: ox.BlankNode,
    expression: str,
) -> tuple[str, list[str]]:
    """Turtle or TriG written anew with rdflib: appended text cannot name ``[ ... ]`` nodes."""
    import rdflib

    trig = fmt == ox.RdfFormat.TRIG
    graph: rdflib.Graph = rdflib.Dataset() if trig else rdflib.Graph(bind_namespaces="none")
    new = ox.Quad(subject, CONTENT_USAGE, ox.Literal(expression), ox.DefaultGraph())
    for q in [*original.quads, new]:
        triple = (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object))
        if isinstance(graph, rdflib.Dataset) and isinstance(q.graph_name, ox.NamedNode):
            graph.graph(rdflib.URIRef(q.graph_name.value)).add(triple)
        else:
            graph.add(triple)
    for prefix, namespace in original.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if "ccsig" not in original.prefixes:
        graph.bind("ccsig", NS)
    # Relative IRIs stay relative: write them against the file's own directory and drop
    # the @base line that would pin them to where the file is now.
    base = original.base or base_iri_for(path)
    moved = _parse(path, text.encode("utf-8"), fmt, base=_ELSEWHERE + base_iri_for(path)[8:])
    pinned = base.startswith("file:") and moved.base != original.base
    directory = base.rsplit("/", 1)[0] + "/" if pinned else base
    new_text = graph.serialize(format="trig" if trig else "turtle", base=directory)
    if pinned:
        new_text = new_text.replace(f"@base <{directory}> .\n", "", 1)
    if not _check(path, new_text, fmt, original.quads, subject, expression):
        raise _refuse_unchecked(path)
    return new_text, [
        f"{path}: the dataset is an anonymous blank node ([ ... ]) that appended text cannot "
        "name, so the file was re-serialised: its comments and layout are not kept"
    ]


# ------------------------------------------------------------------ JSON-LD


def _edit_jsonld(
    path: str,
    text: str,
    fmt: ox.RdfFormat,
    original: _Parsed,
    subject: Node,
    expression: str,
) -> str:
    """Insert the member into the dataset's object, and ``ccsig`` into the context if needed."""
    tree = js.parse_spans(text)
    target = _dataset_object(path, text, tree, subject)
    value = json.dumps(expression)
    full = CONTENT_USAGE.value
    attempts: list[tuple[list[js.Insertion], str]] = []
    binding = _ccsig_binding(path, tree, text)
    if binding == "same":
        attempts.append(([], "ccsig:contentUsage"))
    elif binding == "unbound":
        context_edit = _bind_ccsig(text, tree)
        if context_edit:
            attempts.append((context_edit, "ccsig:contentUsage"))
    # The full IRI needs no context; it also covers contexts nested below the top level.
    attempts.append(([], full))
    for context_edit, key in attempts:
        new_text = js.apply(text, [*context_edit, js.add_member(text, target, key, value)])
        if _check(path, new_text, fmt, original.quads, subject, expression):
            return new_text
    raise _refuse_unchecked(path)


def _ccsig_binding(path: str, tree: js.JsonNode, text: str) -> str:
    """What the top-level context makes of ``ccsig:``: "same" (this NS), "unbound" or "other"."""
    if not isinstance(tree, js.JsonObject) or tree.get("@context") is None:
        return "none"
    context = json.loads(text.encode("utf-8"))["@context"]
    probe = {"@context": context, "@id": _PROBE, "ccsig:contentUsage": "x"}
    parsed = _parse(path, json.dumps(probe).encode("utf-8"), ox.RdfFormat.JSON_LD)
    # JSON-LD has no triple terms (pyoxigraph reads no JSON-LD-star)
    predicates = {q.predicate.value for q in parsed.quads if cast(Node, q.subject).value == _PROBE}
    if predicates == {CONTENT_USAGE.value}:
        return "same"
    if predicates == {"ccsig:contentUsage"}:
        return "unbound"
    return "other"


def _bind_ccsig(text: str, tree: js.JsonNode) -> list[js.Insertion]:
    """Insertions declaring ``"ccsig": NS`` in the top-level @context, as its shape allows."""
    assert isinstance(tree, js.JsonObject)
    context = tree.get("@context")
    namespace = json.dumps(NS)
    entry = "{" + f'"ccsig":{js.spacing(text)}{namespace}' + "}"
    if isinstance(context, js.JsonObject):
        return [js.add_member(text, context, "ccsig", namespace)]
    if isinstance(context, js.JsonArray):
        objects = [item for item in context.items if isinstance(item, js.JsonObject)]
        if objects:
            return [js.add_member(text, objects[-1], "ccsig", namespace)]
        return [js.add_item(text, context, entry)]
    if isinstance(context, js.JsonLeaf) and isinstance(context.value, str):
        return js.wrap_in_array(text, context, entry)
    return []


def _dataset_object(path: str, text: str, tree: js.JsonNode, subject: Node) -> js.JsonObject:
    """The JSON object that describes `subject`, found by what each object parses to.

    Every candidate object gets a numbered probe member; parsing the probed text shows
    which subject each object describes, with the document's own contexts and base.
    """
    reverse_maps = {
        id(m.value)
        for o in js.objects(tree, frozenset({"@context"}))
        for m in o.members
        if m.key == "@reverse"
    }
    candidates = [
        o
        for o in js.objects(tree, frozenset({"@context"}))
        if id(o) not in reverse_maps
        and not {"@value", "@list", "@set"} & {m.key for m in o.members}
    ]
    described = _probe(path, text, candidates, range(len(candidates)))
    if described is None:  # one odd object spoils a joint probe: probe them one by one
        described = {}
        for n in range(len(candidates)):
            described.update(_probe(path, text, candidates, [n]) or {})
    if isinstance(subject, ox.NamedNode):
        matches = [candidates[n] for n, (s, _) in described.items() if s == subject]
    else:  # the one dataset is a blank node: the object without an IRI typed as a dataset
        matches = [
            candidates[n]
            for n, (s, typed) in described.items()
            if isinstance(s, ox.BlankNode) and typed
        ]
    if len(matches) > 1:  # a bare {"@id": ...} reference is not where a description goes
        matches = [o for o in matches if len(o.members) > 1] or matches
    if not matches:
        raise InputError(path, "cannot find the JSON object that describes the dataset")
    if len(matches) > 1:
        lines = ", ".join(str(js.line_column(text, o.start)[0]) for o in matches)
        raise InputError(
            path,
            f"the dataset is described by JSON objects on lines {lines}; cannot tell "
            "which one to add to",
        )
    return matches[0]


def _probe(
    path: str, text: str, candidates: list[js.JsonObject], numbers: range | list[int]
) -> dict[int, tuple[Subject, bool]] | None:
    """Probe number -> (the subject that object describes, whether it is typed a dataset)."""
    edits = [js.add_member(text, candidates[n], _PROBE, json.dumps(str(n))) for n in numbers]
    try:
        parsed = _parse(path, js.apply(text, edits).encode("utf-8"), ox.RdfFormat.JSON_LD)
    except InputError:
        return None
    typed = set(_datasets(parsed.quads))
    return {
        int(cast(ox.Literal, q.object).value): (q.subject, q.subject in typed)  # "probe": "n"
        for q in parsed.quads
        if q.predicate.value == _PROBE
    }
