"""Misspelt ccsig terms: a predicate or a class in the ccsig namespace that vocab/ does
not define (``ccsig:contentusage``, ``ccsig:ContentUsage``); and ``contentUsage`` in
another namespace (``schema:contentUsage``, ``dcat:contentUsage``), which is what a
JSON-LD key ``contentUsage`` becomes under a context with an ``@vocab`` (schema.org's,
DCAT-US's) but without ccsig's.

Takes: an input's quads, as they stream past. Gives: one warning per (subject, term),
naming the nearest term the vocabulary does define. SHACL cannot say this (it has no
target for "every triple whose predicate is in a namespace", nor a nearest match), so
both engines run this one check beside the shapes; the terms themselves come from the
vocabulary (queries/internal/vocabulary-terms.rq), not from Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ccsig.model.namespaces import NS, RDF_TYPE
from ccsig.model.terms import Term
from ccsig.model.vocabulary import CONTENT_USAGE_ELSEWHERE, defined_terms, unread
from ccsig.validation.fast import label
from ccsig.validation.shacl import Result

__all__ = ["Misspellings"]

_STRAY = CONTENT_USAGE_ELSEWHERE


class Misspellings:
    """Watches quads for ccsig: predicates and classes the vocabulary does not define."""

    def __init__(self) -> None:
        self._defined = defined_terms()
        self._found: dict[tuple[ox.NamedNode | ox.BlankNode, str, str | None], None] = {}

    def watch(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """The quads, unchanged, noting each unknown ccsig term on the way."""
        defined, found = self._defined, self._found
        for q in quads:
            p = q.predicate.value
            if p.startswith(NS):
                if p not in defined and isinstance(q.subject, ox.NamedNode | ox.BlankNode):
                    found[(q.subject, p, None)] = None
            elif p.endswith(_STRAY) and isinstance(q.subject, ox.NamedNode | ox.BlankNode):
                found[(q.subject, p, None)] = None
            elif q.predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                o = q.object.value
                if (
                    o.startswith(NS)
                    and o not in defined
                    and isinstance(q.subject, ox.NamedNode | ox.BlankNode)
                ):
                    found[(q.subject, RDF_TYPE.value, o)] = None
            yield q

    def query(self) -> str:
        """A SELECT of the (?subject, ?predicate, ?class) that `watch` would note in a
        store's default graph, to ask inside a store (in-store mode); `watch`'s tests
        restated in SPARQL, held to it by tests/validation/test_terms.py."""
        listed = ", ".join(f"<{t}>" for t in sorted(self._defined))
        stray = " || ".join(f'STRENDS(STR(?predicate), "{end}")' for end in _STRAY)
        return (
            "SELECT DISTINCT ?subject ?predicate ?class WHERE {\n"
            f'  {{ ?subject ?predicate ?o . FILTER (IF(STRSTARTS(STR(?predicate), "{NS}"),\n'
            f"      ?predicate NOT IN ({listed}), {stray})) }}\n"
            f"  UNION {{ ?subject {RDF_TYPE} ?class . BIND ({RDF_TYPE} AS ?predicate)\n"
            f'    FILTER (isIRI(?class) && STRSTARTS(STR(?class), "{NS}")\n'
            f"      && ?class NOT IN ({listed})) }}\n"
            "  FILTER (isIRI(?subject) || isBlank(?subject))\n"
            "}"
        )

    def note(self, rows: Iterable[tuple[Term | None, ...]]) -> None:
        """Note the rows of `query` (subject, predicate, class)."""
        for subject, predicate, cls in rows:
            if isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(
                predicate, ox.NamedNode
            ):
                found_class = cls.value if isinstance(cls, ox.NamedNode) else None
                self._found[(subject, predicate.value, found_class)] = None

    def results(self, file: str) -> list[Result]:
        out = []
        for subject, predicate, cls in self._found:
            message = unread(cls or predicate, cls is not None)
            assert message is not None
            out.append(
                Result(
                    severity="warning",
                    focus=label(subject) or "",
                    path=predicate,
                    message=message,
                    file=file,
                    value=cls,
                )
            )
        return out
