"""The RSL 1.0 document a content-usage expression amounts to (`ccsig declare --format rsl`).

Takes: a parsed expression (its explicit preferences and CC signal exceptions).
Gives: an RSL document, ``<rsl xmlns="https://rslstandard.org/rsl">`` with one ``<content
url="/">``, that ccsig reads back (ccsig.ingest.rsl, ccsig.lift.rsl) to the same effective
preferences and exceptions, and what of the expression it cannot say.

Written from vocab/rsl.ttl, the same terms the reader uses, backwards: a category label is
written as the narrowest RSL usage values that mean exactly that label in the vocabulary
(-02 train-ai: ai-train; ai-use: ai-input and ai-index), never a spelling the vocabulary
marks deprecated. The first <license> states every explicit preference: allow as
<permits>, disallow as <prohibits> (a disallow with an exception too, so that an allow of
a broader category cannot reach it). For each CC signal some RSL payment type amounts to
(cc-cr: attribution), a second <license> permits the labels excepted under it with that
payment: licences are alternatives, so those labels read back as a disallow with the
signal as exception; it prohibits again what the first licence prohibits outright, so that
its permission of a broad category does not reach a narrower plain disallow. A label no
RSL value means (-02 train-genai), and an exception no
payment type amounts to (cc-cr-ec), cannot be written: `left_out` names each.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ccsig.model.expression import ParsedExpression
from ccsig.model.vocabulary import MappedTerm, Ontology, Vocabulary, load_ontology

NAMESPACE = "https://rslstandard.org/rsl"
SYSTEM = "rsl"
CONTENT_URL = "/"


def _usage_terms(ontology: Ontology) -> list[MappedTerm]:
    return [
        term
        for term in ontology.mapped_terms.values()
        if term.system == SYSTEM
        and term.meaning is None
        and term.signal is None
        and not term.deprecated
    ]


def _depth(ontology: Ontology, term: MappedTerm) -> int:
    depth, seen, current = 0, {term.term}, term
    while current.broader is not None and current.broader not in seen:
        seen.add(current.broader)
        depth += 1
        broader = ontology.mapped(SYSTEM, current.broader)
        if broader is None:
            break
        current = broader
    return depth


def usage_values(label: str, vocabulary: Vocabulary) -> list[str]:
    """The narrowest RSL usage values that mean exactly `label` in `vocabulary`."""
    ontology = load_ontology()
    exact = [t for t in _usage_terms(ontology) if t.labels_in(vocabulary) == (label,)]
    if not exact:
        return []
    deepest = max(_depth(ontology, t) for t in exact)
    return sorted(t.term for t in exact if _depth(ontology, t) == deepest)


def _payment_for(signal: str) -> str | None:
    """The RSL payment type that amounts to the CC signal `signal`, if one does."""
    for term in load_ontology().mapped_terms.values():
        if term.system == SYSTEM and term.signal == signal and not term.deprecated:
            return term.term.removeprefix("payment:")
    return None


def _values_element(parent: ET.Element, kind: str, values: list[str]) -> None:
    if values:
        element = ET.SubElement(parent, f"{{{NAMESPACE}}}{kind}", {"type": "usage"})
        element.text = " ".join(values)


def rsl_document(parsed: ParsedExpression, vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The RSL document `parsed` amounts to, and what of it RSL cannot say (one phrase
    each, for a warning)."""
    ontology = load_ontology()
    allow, disallow = ontology.value_names["y"], ontology.disallow
    left_out: list[str] = []
    permits: list[str] = []
    prohibits: list[str] = []
    excepted: dict[str, list[str]] = {}  # payment type -> the values it permits
    plain: list[str] = []  # the values of disallows without an exception RSL can write
    for label in vocabulary.labels:
        value = parsed.preferences.get(label)
        if value not in (allow, disallow):
            continue
        values = usage_values(label, vocabulary)
        if not values:
            left_out.append(f"{label}: RSL has no usage value that means it in {vocabulary.name}")
            continue
        (permits if value == allow else prohibits).extend(values)
        if value == allow:
            continue
        signal = parsed.exceptions.get(label)
        payment = _payment_for(signal) if signal is not None else None
        if signal is not None and payment is None:
            left_out.append(
                f"{label}'s exception {signal}: no RSL payment type amounts to it; written as "
                "a prohibition"
            )
        if payment is None:
            plain.extend(values)
            continue
        excepted.setdefault(payment, []).extend(values)

    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}rsl")
    content = ET.SubElement(root, f"{{{NAMESPACE}}}content", {"url": CONTENT_URL})
    licence = ET.SubElement(content, f"{{{NAMESPACE}}}license")
    _values_element(licence, "permits", permits)
    _values_element(licence, "prohibits", prohibits)
    for payment, values in excepted.items():
        alternative = ET.SubElement(content, f"{{{NAMESPACE}}}license")
        _values_element(alternative, "permits", values)
        # what the first licence prohibits outright, this one must too: its broader
        # permission would otherwise reach it
        _values_element(alternative, "prohibits", plain)
        ET.SubElement(alternative, f"{{{NAMESPACE}}}payment", {"type": payment})
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", left_out
