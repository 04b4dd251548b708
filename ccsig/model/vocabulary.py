"""Load the shipped vocabulary (vocab/*.ttl) into typed Python objects.

Takes: the Turtle files in vocab/ and the ``vocabulary-*.rq`` loaders in queries/internal/.
Gives: an `Ontology` with every aipref vocabulary (its category labels and
hierarchy), every CC signal (its token and elements) and the preference values.
Nothing here states a category, a signal or a hierarchy: it reads them. Loading
uses pyoxigraph, which parses and queries the vocabulary in milliseconds, so
`ccsig parse` starts fast.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

if TYPE_CHECKING:
    import rdflib

from ccsig.errors import UnknownCategoryError, UnknownElementError, UnknownVocabularyError
from ccsig.model.namespaces import CONTENT_USAGE, CONTEXT_URL, NS, ONTOLOGY_IRI, curie
from ccsig.model.terms import to_rdflib
from ccsig.resources import data_files, read_text

# CC signals 0.1 and CC's own examples use the labels of aipref draft -02
# (ai-use, train-genai); later drafts dropped those categories.
DEFAULT_VOCABULARY = "aipref-02"


@dataclass(frozen=True)
class Category:
    iri: str
    label: str
    title: str
    definition: str
    parent: str | None
    position: int


@dataclass(frozen=True)
class Vocabulary:
    """The usage categories of one aipref draft, in the draft's label-table order."""

    name: str
    iri: str
    source: str | None
    categories: tuple[Category, ...]
    by_label: dict[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_label", {c.label: c for c in self.categories})

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.categories]

    def ancestors(self, label: str) -> Iterator[str]:
        """Labels of the categories `label` is a proper subset of, nearest first."""
        seen = {label}
        parent = self.by_label[label].parent
        while parent is not None and parent not in seen:
            seen.add(parent)
            yield parent
            parent = self.by_label[parent].parent

    def children(self, label: str | None) -> list[Category]:
        return [c for c in self.categories if c.parent == label]


@dataclass(frozen=True)
class Element:
    iri: str
    name: str
    title: str
    definition: str


@dataclass(frozen=True)
class Signal:
    iri: str
    token: str
    title: str
    version: str
    definition: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class MappedTerm:
    """A term of another preference system and what ccsig reads it as (vocab/mappings.ttl,
    vocab/rsl.ttl)."""

    system: str  # content-signal, tdmrep, x-robots-tag, rsl
    term: str
    label: str | None  # the aipref category label it means (the first of `labels`)
    to_root: bool  # it means the vocabulary's single root category ...
    otherwise: str | None  # ... or this label where there is none (the first of several)
    meaning: str | None  # a preference value name (allow, disallow)
    media_type_prefix: str | None  # it applies only to these media types
    labels: tuple[str, ...] = ()  # every label it means, where the vocabulary has it
    otherwise_labels: tuple[str, ...] = ()
    signal: str | None = None  # the CC signal token the term amounts to (RSL attribution)
    deprecated: bool = False  # a spelling the system does not define: read with a warning
    broader: str | None = None  # the broader term of its own system (RSL: ai-train -> ai-all)

    def label_in(self, vocabulary: Vocabulary) -> str | None:
        """The category label this term means in `vocabulary`, or None where it has none."""
        labels = self.labels_in(vocabulary)
        return labels[0] if labels else None

    def labels_in(self, vocabulary: Vocabulary) -> tuple[str, ...]:
        """Every category label this term means in `vocabulary` (often one, maybe none)."""
        if self.to_root:
            roots = vocabulary.children(None)
            if len(roots) == 1:
                return (roots[0].label,)
            labels = self.otherwise_labels or ((self.otherwise,) if self.otherwise else ())
        else:
            labels = self.labels or ((self.label,) if self.label else ())
        return tuple(label for label in labels if label in vocabulary.by_label)


@dataclass(frozen=True)
class Ontology:
    """Everything ccsig knows from vocab/: vocabularies, signals, preference values."""

    vocabularies: dict[str, Vocabulary]
    signals: dict[str, Signal]
    elements: dict[str, Element]
    value_names: dict[str, str]  # structured-field token ("y") -> value name ("allow")
    value_iris: dict[str, str]  # value name ("allow") -> IRI
    mapped_terms: dict[tuple[str, str], MappedTerm] = field(default_factory=dict)

    def mapped(self, system: str, term: str) -> MappedTerm | None:
        return self.mapped_terms.get((system, term))

    def vocabulary(self, name: str) -> Vocabulary:
        try:
            return self.vocabularies[name]
        except KeyError:
            raise UnknownVocabularyError(name, sorted(self.vocabularies)) from None

    @property
    def unknown(self) -> str:
        """The name of the value no token expresses ("unknown")."""
        return self._name_of(NS + "unknown")

    @property
    def disallow(self) -> str:
        """The name of the value that a CC signal exception can qualify ("disallow")."""
        return self._name_of(NS + "disallow")

    def _name_of(self, iri: str) -> str:
        return next(name for name, value in self.value_iris.items() if value == iri)

    @cached_property
    def names(self) -> dict[str, str]:
        """IRI -> the word ccsig writes for it: a category's label, a signal's token, an
        element's or a preference value's name."""
        out = {c.iri: c.label for v in self.vocabularies.values() for c in v.categories}
        out.update((s.iri, s.token) for s in self.signals.values())
        out.update((e.iri, e.name) for e in self.elements.values())
        out.update((iri, name) for name, iri in self.value_iris.items())
        return out

    @cached_property
    def value_tokens(self) -> dict[str, str]:
        """Value name ("allow") -> the structured-field token that expresses it ("y")."""
        return {name: token for token, name in self.value_names.items()}

    @cached_property
    def signals_by_iri(self) -> dict[str, Signal]:
        return {s.iri: s for s in self.signals.values()}


def _literal(term: ox.Literal | ox.NamedNode | None) -> str | None:
    return None if term is None else term.value


@cache
def vocabulary_store() -> ox.Store:
    """An in-memory pyoxigraph store holding the shipped vocabulary."""
    store = ox.Store()
    for f in data_files("vocab", ".ttl"):
        store.load(f.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
    return store


def _select(name: str) -> Iterator[ox.QuerySolution]:
    yield from cast(
        ox.QuerySolutions, vocabulary_store().query(read_text("queries", f"internal/{name}"))
    )


@cache
def dataset_classes() -> frozenset[str]:
    """The classes whose instances are assets by the vocabulary alone (dcat:Dataset,
    schema:Dataset in both namespaces): queries/internal/vocabulary-dataset-classes.rq."""
    return frozenset(row["class"].value for row in _select("vocabulary-dataset-classes.rq"))


@cache
def defined_terms() -> frozenset[str]:
    """Every IRI of the ccsig namespace the vocabulary defines (its classes, properties,
    signals, elements, values, categories): queries/internal/vocabulary-terms.rq."""
    return frozenset(row["term"].value for row in _select("vocabulary-terms.rq"))


@cache
def nearest_term(iri: str) -> str | None:
    """The defined ccsig term a misspelt one most likely means: one whose name differs
    only in case first (``ccsig:contentusage``), else the closest by difflib (at least
    0.6 alike); None when nothing is close. Ties go to the first name in sorted order."""
    local = iri[len(NS) :]
    best: tuple[bool, float, str] | None = None
    for term in sorted(defined_terms()):
        name = term[len(NS) :]
        score = (name.lower() == local.lower(), difflib.SequenceMatcher(None, local, name).ratio())
        if (score[0] or score[1] >= 0.6) and (best is None or score > best[:2]):
            best = (*score, term)
    return best[2] if best else None


_CONTENT_USAGE_NAME = CONTENT_USAGE.value[len(NS) :]
# how contentUsage ends in another namespace (``schema:contentUsage``)
CONTENT_USAGE_ELSEWHERE = ("/" + _CONTENT_USAGE_NAME, "#" + _CONTENT_USAGE_NAME)


def unread(term: str, is_class: bool = False) -> str | None:
    """Why nothing reads `term` (a predicate, or with `is_class` a class): a ccsig term
    the vocabulary does not define, or contentUsage in another namespace; None when it
    is neither (``check`` says so per predicate, validate per subject)."""
    if term.startswith(NS):
        if term in defined_terms():
            return None
        nearest = nearest_term(term)
        hint = (
            f"did you mean {curie(nearest)}?"
            if nearest
            else "`ccsig vocab` lists the terms it defines."
        )
        kind = "class" if is_class else "property"
        return f"{curie(term)} is not a {kind} of the ccsig vocabulary, so nothing reads it; {hint}"
    if is_class or not term.endswith(CONTENT_USAGE_ELSEWHERE):
        return None
    return (
        f"{curie(term) or f'<{term}>'} is not ccsig:{_CONTENT_USAGE_NAME}, so nothing reads it "
        f"(a JSON-LD key `{_CONTENT_USAGE_NAME}` under a context without ccsig's); add the context "
        f"{CONTEXT_URL} or write {CONTENT_USAGE.value}"
    )


@cache
def load_ontology() -> Ontology:
    rows: dict[str, list[ox.QuerySolution]] = {}
    names: dict[str, tuple[str, str | None]] = {}
    for row in _select("vocabulary-categories.rq"):
        name = row["name"].value
        rows.setdefault(name, []).append(row)
        names[name] = (row["vocabulary"].value, _literal(row["source"]))
    vocabularies = {}
    for name, cats in rows.items():
        categories = tuple(
            Category(
                iri=r["category"].value,
                label=r["label"].value,
                title=_literal(r["title"]) or r["label"].value,
                definition=_literal(r["definition"]) or "",
                parent=_literal(r["parent"]),
                position=int(r["position"].value),
            )
            for r in sorted(cats, key=lambda r: int(r["position"].value))
        )
        iri, source = names[name]
        vocabularies[name] = Vocabulary(name=name, iri=iri, source=source, categories=categories)

    elements: dict[str, Element] = {}
    signal_rows: dict[str, list[ox.QuerySolution]] = {}
    for row in _select("vocabulary-signals.rq"):
        element = Element(
            iri=row["element"].value,
            name=row["elementName"].value,
            title=_literal(row["elementTitle"]) or row["elementName"].value,
            definition=_literal(row["elementDefinition"]) or "",
        )
        elements.setdefault(element.name, element)
        signal_rows.setdefault(row["token"].value, []).append(row)
    signals = {}
    for token, srows in sorted(signal_rows.items()):
        first = srows[0]
        signals[token] = Signal(
            iri=first["signal"].value,
            token=token,
            title=_literal(first["title"]) or token,
            version=_literal(first["version"]) or "",
            definition=_literal(first["definition"]) or "",
            elements=tuple(elements[r["elementName"].value] for r in srows),
        )

    value_names: dict[str, str] = {}
    value_iris: dict[str, str] = {}
    for row in _select("vocabulary-values.rq"):
        value_iris[row["name"].value] = row["value"].value
        if row["token"] is not None:
            value_names[row["token"].value] = row["name"].value
    mapped_rows: dict[tuple[str, str], list[ox.QuerySolution]] = {}
    for row in _select("vocabulary-mappings.rq"):
        mapped_rows.setdefault((row["system"].value, row["term"].value), []).append(row)
    mapped_terms = {}
    for (system, name), mrows in mapped_rows.items():
        first = mrows[0]
        labels = tuple(dict.fromkeys(v for r in mrows if (v := _literal(r["label"]))))
        otherwise = tuple(dict.fromkeys(v for r in mrows if (v := _literal(r["otherwise"]))))
        term = MappedTerm(
            system=system,
            term=name,
            label=labels[0] if labels else None,
            to_root=_literal(first["root"]) == "true",
            otherwise=otherwise[0] if otherwise else None,
            meaning=_literal(first["meaning"]),
            media_type_prefix=_literal(first["mediaTypePrefix"]),
            labels=labels,
            otherwise_labels=otherwise,
            signal=_literal(first["signal"]),
            deprecated=_literal(first["deprecated"]) == "true",
            broader=_literal(first["broader"]),
        )
        mapped_terms[system, name] = term
    return Ontology(
        vocabularies=dict(sorted(vocabularies.items())),
        signals=signals,
        elements=dict(sorted(elements.items())),
        value_names=value_names,
        value_iris=value_iris,
        mapped_terms=mapped_terms,
    )


@cache
def category_of(vocabulary: str, label: str) -> Category:
    """A usage category of `vocabulary`, by its label (UnknownCategoryError: none)."""
    vocab = load_ontology().vocabulary(vocabulary)
    if label not in vocab.by_label:
        raise UnknownCategoryError(label, vocab.name, vocab.labels)
    return vocab.by_label[label]


def check_elements(names: Iterable[str]) -> None:
    """Raise UnknownElementError for a name that is no signal element of vocab/; a CC
    signal's token (cc-cr-ec) is answered with its elements, to commit to one by one."""
    ontology = load_ontology()
    elements = ontology.elements
    for name in names:
        if name in elements:
            continue
        signal = ontology.signals.get(name)  # by token
        hint = ""
        if signal is not None:
            parts = " ".join(f"--commit {e.name}" for e in signal.elements)
            hint = f"{name} is a CC signal, met by committing to its elements ({parts}); "
        elif name.lower() in elements:
            hint = f"did you mean {name.lower()!r}? "
        raise UnknownElementError(name, list(elements), hint)


def vocabulary_graph() -> rdflib.Graph:
    """The vocabulary as an rdflib graph, for pySHACL and owlrl."""

    return to_rdflib(vocabulary_store())


@cache
def duty_actions() -> dict[str, str]:
    """Signal element IRI -> the ODRL action of the duty that meets it (vocab/signals.ttl)."""
    rows = cast(
        ox.QuerySolutions,
        vocabulary_store().query(read_text("queries", "internal/vocabulary-duties.rq")),
    )
    return {row["element"].value: row["action"].value for row in rows}


def category_tree(vocab: Vocabulary) -> list[tuple[Category, int]]:
    """Every category of `vocab` with its depth, parents before their children."""

    def walk(parent: str | None, depth: int) -> Iterator[tuple[Category, int]]:
        for category in vocab.children(parent):
            yield category, depth
            yield from walk(category.label, depth + 1)

    return list(walk(None, 0))


@dataclass(frozen=True)
class CategoryMatch:
    """How a term of another system relates to one category of one aipref draft."""

    vocabulary: str  # the draft's notation, aipref-02
    label: str  # the category's label
    relation: str  # exact, close, narrower (the category is a part of the term), broader
    reason: str


@dataclass(frozen=True)
class TrainingMiningEntry:
    """An entry of the CAWG training and data mining assertion (vocab/cawg.ttl)."""

    iri: str
    notations: tuple[str, ...]  # cawg.data_mining, c2pa.data_mining
    broader: str | None  # the IRI of the entry it is a part of
    matches: tuple[CategoryMatch, ...]

    @property
    def depth(self) -> int:
        """How many entries it is a part of, through skos:broader (0 for data mining)."""
        entries, depth, broader = training_mining_entries(), 0, self.broader
        while broader is not None and depth < len(entries):
            depth += 1
            broader = next((e.broader for e in entries.values() if e.iri == broader), None)
        return depth

    def read_labels(self, vocabulary: str) -> tuple[str, ...]:
        """The category labels of `vocabulary` whose preference this entry's use states:
        those it matches exactly or closely, or that are a part of it (not those wider)."""
        return tuple(
            m.label
            for m in self.matches
            if m.vocabulary == vocabulary and m.relation in ("exact", "close", "narrower")
        )


@cache
def training_mining_entries() -> dict[str, TrainingMiningEntry]:
    """Every spelling of a CAWG training and data mining entry -> the entry."""
    rows: dict[str, list[ox.QuerySolution]] = {}
    for row in _select("vocabulary-cawg.rq"):
        rows.setdefault(row["entry"].value, []).append(row)
    out: dict[str, TrainingMiningEntry] = {}
    for iri, entry_rows in rows.items():
        matches = {
            CategoryMatch(
                r["scheme"].value,
                r["label"].value,
                r["relation"].value,
                _literal(r["reason"]) or "",
            )
            for r in entry_rows
            if r["relation"] is not None
        }
        entry = TrainingMiningEntry(
            iri=iri,
            notations=tuple(sorted({r["notation"].value for r in entry_rows})),
            broader=_literal(entry_rows[0]["broader"]),
            matches=tuple(sorted(matches, key=lambda m: (m.vocabulary, m.label))),
        )
        for notation in entry.notations:
            out[notation] = entry
    return out
