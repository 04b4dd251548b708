"""OWL 2 RL equality (owl:sameAs) for the fast engine: reason over one node per class.

Takes: a pyoxigraph store holding data (its default graph, as the rules read it) and a
way to run the other OWL RL rules over it.
Gives: the same store with what the rules and the equality rules eq-sym, eq-trans,
eq-rep-s, eq-rep-p and eq-rep-o conclude: every two nodes that owl:sameAs joins,
directly or through others, are the same as each other, and every triple about one of
them (as subject, predicate or object) holds of each of the others.

The equality rules themselves are queries/rules/01-eq-sym-trans.ru .. 04-eq-rep-p.ru,
which ccsig.answer.instore runs inside a SPARQL store; this is their restatement for
speed, and tests/reason/test_equality.py holds the two to the same closure. Why: over a
class of k nodes the SPARQL path ``(owl:sameAs|^owl:sameAs)+`` walks the k² pairs it has
already concluded from each of the k nodes (k³: a 200-node chain took 28 s to confirm
closed), and every copy is joined again with the k members on each pass of the rules.
Here union-find finds the classes in one pass over the sameAs triples; every member is
replaced by its class's representative, so the other rules run over one node per class
(their cost does not grow with k); and only at the end is each triple about a
representative copied to every member, once: the cost is then that of what the closure
holds (k² sameAs pairs, k copies of what is said of a class), about 5 µs a triple.

Left out, as they say nothing a question reads: the reflexive pairs of eq-ref
(``x owl:sameAs x`` for every node), and sameAs to a literal (which cannot be a subject).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import product

import pyoxigraph as ox

__all__ = ["OWL_SAME_AS", "reason_with_equality", "same_as_classes"]

OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
_DEFAULT = ox.DefaultGraph()
Node = ox.NamedNode | ox.BlankNode
# the rules name these namespaces' terms: a class holding one is represented by it
_RULE_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
)


def same_as_classes(pairs: Iterable[tuple[object, object]]) -> list[list[Node]]:
    """The classes of two or more nodes the (subject, object) sameAs `pairs` join, each
    with its representative first (union-find, linear)."""
    parent: dict[Node, Node] = {}

    def root(n: Node) -> Node:
        parent.setdefault(n, n)
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for s, o in pairs:
        if s != o and isinstance(s, Node) and isinstance(o, Node):
            a, b = root(s), root(o)
            if a != b:
                parent[a] = b
    classes: dict[Node, list[Node]] = {}
    for n in parent:
        classes.setdefault(root(n), []).append(n)
    out = []
    for c in classes.values():
        if len(c) > 1:
            first = min(range(len(c)), key=lambda i: not _named_by_rules(c[i]))
            out.append([c[first], *c[:first], *c[first + 1 :]])
    return out


def _named_by_rules(n: Node) -> bool:
    return isinstance(n, ox.NamedNode) and n.value.startswith(_RULE_NAMESPACES)


def _unequal_same_as(store: ox.Store) -> list[tuple[object, object]]:
    return [
        (q.subject, q.object)
        for q in store.quads_for_pattern(None, OWL_SAME_AS, None, _DEFAULT)
        if q.subject != q.object and not isinstance(q.object, ox.Literal)
    ]


def reason_with_equality(store: ox.Store, rules: Callable[[], int]) -> int:
    """Run `rules` (the other OWL RL rules, to their fixpoint, returning how many runs
    added triples) over `store` with equality as the module says; returns how many
    steps added triples."""
    pairs = _unequal_same_as(store)
    if not pairs:
        return rules()
    changes = 0
    everyone: list[list[Node]] = []
    while pairs:
        # the representatives of classes found before are members again: classes merge
        classes = same_as_classes(pairs + [(c[0], n) for c in everyone for n in c[1:]])
        _reduce(store, classes)
        everyone = classes
        changes += 1 + rules()
        pairs = _unequal_same_as(store)  # a rule may have concluded sameAs (prp-fp, ...)
    _expand(store, everyone)
    return changes


def _touching(store: ox.Store, n: Node) -> set[ox.Quad]:
    quads = set(store.quads_for_pattern(n, None, None, _DEFAULT))
    quads.update(store.quads_for_pattern(None, None, n, _DEFAULT))
    if isinstance(n, ox.NamedNode):
        quads.update(store.quads_for_pattern(None, n, None, _DEFAULT))
    return quads


def _reduce(store: ox.Store, classes: list[list[Node]]) -> None:
    """Replace every member of a class by its representative (the first)."""
    to: dict[object, Node] = {n: c[0] for c in classes for n in c[1:]}
    old: set[ox.Quad] = set()
    for c in classes:
        for n in c[1:]:
            old |= _touching(store, n)
    new = []
    for q in old:
        s, p, o = (to.get(t, t) for t in (q.subject, q.predicate, q.object))
        if not isinstance(p, ox.NamedNode) or (p == OWL_SAME_AS and s == o):
            continue  # a property the same as a blank node; a node the same as itself
        new.append(ox.Quad(s, p, o, _DEFAULT))  # type: ignore[arg-type]
    for q in old:
        store.remove(q)
    store.extend(new)


def _expand(store: ox.Store, classes: list[list[Node]]) -> None:
    """Copy every triple about a representative to each member of its class, and say
    that every two members are the same. (The copies are generated as the store takes
    them: a list of a million quads costs more in the garbage collector's passes over
    it than in making them.)"""
    members: dict[object, list[Node]] = {c[0]: c for c in classes}
    about: set[ox.Quad] = set()
    for c in classes:
        about |= _touching(store, c[0])

    def copies() -> Iterator[ox.Quad]:
        for c in classes:
            for x in c:
                for y in c:
                    if x != y:
                        yield ox.Quad(x, OWL_SAME_AS, y, _DEFAULT)
        for q in about:
            if q.predicate == OWL_SAME_AS:
                continue  # the pairs above; a member the same as itself says nothing
            for s, p, o in product(
                members.get(q.subject, (q.subject,)),
                members.get(q.predicate, (q.predicate,)),
                members.get(q.object, (q.object,)),
            ):
                if isinstance(p, ox.NamedNode):
                    yield ox.Quad(s, p, o, _DEFAULT)

    store.extend(copies())
