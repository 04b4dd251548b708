"""SHACL-SPARQL constraints rewritten to run once for all their focus nodes.

Takes: the text of a constraint's sh:select.
Gives: the same query with $this a variable that a graph of focus nodes binds, or the
reason it cannot be rewritten exactly (then pySHACL runs the shape).
"""

from __future__ import annotations

import re

FOCUS_GRAPH = "urn:ccsig:validate:focus"
FOCUS = "urn:ccsig:validate:focus"
# what `focus_joined` puts first in the WHERE group (in-store mode replaces it)
FOCUS_JOIN = f" GRAPH <{FOCUS_GRAPH}> {{ ?this <{FOCUS}> ?focusSet }} "

# Strings, IRIs and comments, which may hold braces and keywords that mean nothing.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[{}*]"
    r"|[?$][A-Za-z_0-9]+"
    r"|[A-Za-z_]+",
    re.S,
)
_REFUSED = {"SERVICE", "VALUES", "OPTIONAL", "MINUS", "UNION", "GRAPH", "FROM"}


def focus_joined(select: str) -> tuple[str, str | None]:
    """The query with $this made a variable that the focus graph binds first in its
    WHERE group, or a reason it cannot be rewritten so.

    SHACL pre-binds $this for each focus node in turn. Joining it to the set of focus
    nodes instead is the same query, provided every sub-select that mentions $this
    projects it (SHACL requires that) and no other variable is pre-bound.
    """
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(select)]
    words = [t for t, _ in tokens]
    upper = [w.upper() for w in words]
    if not any(w in ("$this", "?this") for w in words) or "SELECT" not in upper:
        return select, "a SPARQL SELECT that does not mention $this"
    for w in words:
        if w[0] in "?$" and w[1:] in ("PATH", "currentShape", "shapesGraph"):
            return select, f"a SPARQL constraint using {w}"
    for w in upper:
        if w in _REFUSED:
            return select, f"a SPARQL constraint using {w}"
    if upper.count("SELECT") != 1 + _projecting_subselects(words, upper):
        return select, "a sub-select that uses $this without projecting it"
    top = words[upper.index("SELECT") : words.index("{")] if "{" in words else []
    if not any(t in ("$this", "?this", "*") for t in top):
        return select, "a SPARQL constraint that does not select $this"
    if any(w[0] in "?$" and w[1:] in ("failure", "focusSet") for w in words):
        return select, "a SPARQL constraint using ?failure"
    first_brace = next((pos for t, pos in tokens if t == "{"), None)
    if first_brace is None or "SELECT" not in upper:
        return select, "a query that is not a SELECT"
    rewritten = re.sub(r"[$?]this\b", "?this", select)
    return rewritten[: first_brace + 1] + FOCUS_JOIN + rewritten[first_brace + 1 :], None


def _projecting_subselects(words: list[str], upper: list[str]) -> int:
    """How many sub-selects either project $this or do not mention it at all."""
    count = 0
    for i, w in enumerate(upper):
        if w != "SELECT" or i == upper.index("SELECT"):
            continue
        # the projection runs to the first brace; the body to the matching brace
        j = i
        while j < len(words) and words[j] != "{":
            j += 1
        projection = words[i:j]
        depth, k = 0, j
        while k < len(words):
            depth += {"{": 1, "}": -1}.get(words[k], 0)
            if depth == 0:
                break
            k += 1
        body = words[j:k]
        mentions = any(t in ("$this", "?this") for t in body)
        projects = any(t in ("$this", "?this", "*") for t in projection)
        if projects or not mentions:
            count += 1
    return count
