"""How deeply a SPARQL query nests, measured before any engine parses it.

Takes: the text of a SPARQL query (a user's .rq file, a SHACL-SPARQL constraint) and
where it came from.
Gives: nothing, or an `InputError` naming the file, the line and the column where the
query nests deeper than `MAX_QUERY_DEPTH`.

Both SPARQL parsers ccsig runs recurse once (or more) per level: pyoxigraph's overflows
the native stack and kills the process (measured: exit 139 at 3,000 nested braces or
10,000 nested parentheses or ``!``), rdflib's runs out of Python frames at about 40.
The measure counts the levels a recursive-descent parser descends: open brackets
(``{ ( [``) and unary operators (``! + -`` where an operand is expected) not yet
closed by their bracket or operand. Strings, IRIs and comments are skipped by the
SPARQL 1.1 lexical rules (section 19.8), so brackets inside them count for nothing;
the measure is a lexer, not a parser, and says nothing else about the query.
"""

from __future__ import annotations

from ccsig.errors import InputError

# Far above any query written by hand (ccsig's own nest at most 6), far below where
# pyoxigraph overflows its stack.
MAX_QUERY_DEPTH = 256

_OPEN = "({["
_CLOSE = ")}]"
# Characters that may not appear in an IRIREF (besides controls and space).
_NOT_IN_IRI = frozenset('<>"{}|^`\\')


def check_query_nesting(text: str, source: str) -> None:
    """Raise `InputError` when `text` nests deeper than `MAX_QUERY_DEPTH` (see above)."""
    where = _too_deep(text, MAX_QUERY_DEPTH)
    if where is not None:
        line, column = where
        raise InputError(
            f"{source}:{line}:{column}",
            f"the query nests more than {MAX_QUERY_DEPTH} deep (brackets, also counted in "
            "strings, and unary operators); ccsig refuses it before a SPARQL engine "
            "overflows its stack",
        )


def query_depth(text: str) -> int:
    """The deepest nesting in `text`, by the measure above (or by bare bracket counting,
    strings and comments included, when that is deeper)."""
    return max(_scan(text, None)[0], _bare_depth(text, None)[0])


def _too_deep(text: str, bound: int) -> tuple[int, int] | None:
    """(line, column) of the first place `text` nests deeper than `bound`, or None.

    Bare bracket counting backs the lexer up: a parser that tokenizes differently from
    SPARQL's rules (pyoxigraph reads ``<`` after an operand as less-than, so ``#`` may
    start a comment where the lexer saw an IRI) would have to fool both at once."""
    at = _scan(text, bound)[1]
    if at is None:
        at = _bare_depth(text, bound)[1]
    if at is None:
        return None
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _scan(text: str, bound: int | None) -> tuple[int, int | None]:
    """(deepest level, offset where `bound` was first passed or None). One pass."""
    frames: list[int] = []  # what each open bracket added: itself and the unary run before it
    depth = 0  # levels open now, brackets and the unary runs before them
    run = 0  # unary operators since the last operand or bracket
    deepest = 0
    operand_before = False  # the previous token ends an operand: + and - there are binary
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        start = i
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            i = _string_end(text, i)
            operand_before, run = True, 0
            continue
        if c == "<":
            iri_end = _iri_end(text, i)
            if iri_end is not None:
                # Brackets inside count too: pyoxigraph reads ``1<((1))>0`` as a
                # comparison, not as the IRI SPARQL's longest-match rule would see.
                for j in range(i + 1, iri_end - 1):
                    if text[j] in "([":
                        frames.append(1)
                        depth += 1
                        if depth > deepest:
                            deepest = depth
                            if bound is not None and deepest > bound:
                                return deepest, j
                    elif text[j] in ")]" and frames:
                        depth -= frames.pop()
                i = iri_end
                operand_before, run = True, 0
                continue
            i += 2 if text.startswith("<=", i) else 1
            operand_before = False
            continue
        if c in _OPEN:
            frames.append(run + 1)
            depth += run + 1
            run = 0
            operand_before = False
            i += 1
        elif c in _CLOSE:
            if frames:
                depth -= frames.pop()
            run = 0
            operand_before = True
            i += 1
            continue
        elif c == "!" and not text.startswith("!=", i):
            run += 1
            i += 1
        elif c in "+-" and not operand_before:
            run += 1
            i += 1
        elif c.isalnum() or c in "?$_:." or ord(c) > 0x7F:
            # a name, variable, number, prefixed name or keyword: one operand-like token
            i += 1
            while i < n and (text[i].isalnum() or text[i] in "_-.:%" or ord(text[i]) > 0x7F):
                i += 1
            operand_before, run = True, 0
            continue
        else:  # any other operator or punctuation: an operand follows
            operand_before = False
            i += 1
            continue
        level = depth + run
        if level > deepest:
            deepest = level
            if bound is not None and deepest > bound:
                return deepest, start
    return deepest, None


def _bare_depth(text: str, bound: int | None) -> tuple[int, int | None]:
    """Bracket depth counting every bracket character, wherever it is."""
    depth = deepest = 0
    for i, c in enumerate(text):
        if c in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if bound is not None and deepest > bound:
                    return deepest, i
        elif c in _CLOSE and depth:
            depth -= 1
    return deepest, None


def _string_end(text: str, i: int) -> int:
    """The offset after the string literal starting at `i` (or the end of the text)."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    i += len(quote)
    n = len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        elif len(quote) == 1 and text[i] in "\r\n":
            return i  # a short string cannot span lines: the parser will say so
        else:
            i += 1
    return n


def _iri_end(text: str, i: int) -> int | None:
    """The offset after the IRIREF starting at `i`, or None when `<` is an operator."""
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if c == ">":
            return j + 1
        if c in _NOT_IN_IRI or c <= " ":
            return None
        j += 1
    return None
