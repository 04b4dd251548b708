"""robots.txt: which paths a crawler may fetch, and the usage preferences attached to them.

Takes: the bytes (or text) of a robots.txt file, then a crawler's product token, a
path (with query) and a vocabulary name.
Gives: a `Robots` (groups of rules, and warnings a person can act on) and, per path,
a `RobotsAnswer`: may it be crawled, which group applied, the governing Content-Usage
rules, the effective preference per category label and the CC signal exceptions.

(~600 lines in one module: RFC 9309 matching and the aipref attach rules share the
groups, the patterns and the longest-match index, and are read together; `PathMatcher`,
the cache over `match` that ccsig audit evaluates millions of URLs with, reads the same
index and sits beside it.)

Parsing and matching follow RFC 9309 (the Robots Exclusion Protocol) with two extra
rules: aipref's Content-Usage (draft-ietf-aipref-attach, "Robots Exclusion Protocol
Content-Usage Rule") and Cloudflare's Content-Signal line, read like a Content-Usage
rule whose value is ``label=value`` pairs mapped through vocab/mappings.ttl.
- Groups are chosen by case-insensitive product token (letters, digits, "-" and "_",
  matched whole: agent1 and agent2 are two crawlers); groups naming the same token
  are merged; without one the ``*`` groups apply; without those nothing does.
- Allow/Disallow: the longest matching pattern (bytes of the normalised, percent-encoded
  pattern, ``*`` and ``$`` included) decides; Allow wins a tie; /robots.txt is allowed.
  ``%2A`` and ``%24`` (either case) in a pattern match a literal ``*`` and ``$`` in the
  path (RFC 9309 section 2.2.3); a ``$`` that does not end a pattern is itself.
- Preference rules match paths the same way; a rule without a path matches every path
  at length 0. Per system (Content-Usage, Content-Signal) all rules at the longest
  matching length govern; the governing rules of both systems combine most
  restrictively (ccsig.model.web.combine), as statements of different systems about one
  document do. A path that may not be crawled has no preferences.
- Only the first 500 KiB are read, as RFC 9309 section 2.5 allows.

Wildcard patterns are matched by placing their literal pieces leftmost, not by regular
expressions, so a hostile pattern such as ``/*a*a*a*a*b`` cannot make matching slow.
A `Robots` is parsed once and caches, per product token, the merged rules indexed by
their literal beginnings, so evaluating a path costs a few dict look-ups and string
searches however many rules the file has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ccsig.model import web
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology

SIZE_LIMIT = 500 * 1024  # RFC 9309 section 2.5: parse at least 500 KiB
VIA = "robots.txt"
ALLOW, DISALLOW = "allow", "disallow"
CONTENT_USAGE, CONTENT_SIGNAL = "content-usage", "content-signal"
LICENSE = "license"  # RSL 1.0: the URL of the site's licence document
RULE_LABELS = frozenset({ALLOW, DISALLOW, CONTENT_USAGE, CONTENT_SIGNAL})
PREFERENCE_LABELS = frozenset({CONTENT_USAGE, CONTENT_SIGNAL})
ANY_AGENT = "*"

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")
# RFC 9309 product token characters, and digits: real crawlers have them in their tokens
# (AI2Bot, img2dataset, MJ12bot), and a token cut at its first digit would merge the
# groups of agent1 and agent2
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_SCHEME_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_WS = " \t"
_HEX = frozenset(b"0123456789abcdefABCDEF")
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)  # RFC 3986 unreserved: an escape of one of these is decoded
# RFC 3986 unreserved and reserved characters stay as they are; "%" starts an escape;
# everything else (controls, SP, non-ASCII, "<>\^`{|} and '"') is percent-encoded.
_SAFE = frozenset(_UNRESERVED | frozenset(b":/?#[]@!$&'()*+,;="))
_NEEDS_WORK = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]")
_SHOWN_LINES = 10  # line numbers named in one warning


def normalise_path(text: str) -> str:
    """A path or path pattern in the form RFC 9309 section 2.2.2 compares: characters
    that must be percent-encoded are (UTF-8, upper-case hex), escapes of unreserved
    characters are decoded and all other escapes get upper-case hex (%2f == %2F)."""
    if _NEEDS_WORK.search(text) is None:
        return text
    data = text.encode("utf-8", "surrogatepass")
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == 0x25 and i + 2 < n and data[i + 1] in _HEX and data[i + 2] in _HEX:
            value = int(data[i + 1 : i + 3], 16)
            out.append(chr(value) if value in _UNRESERVED else f"%{value:02X}")
            i += 3
            continue
        out.append(chr(byte) if byte in _SAFE else f"%{byte:02X}")
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class PathPattern:
    """A compiled Allow/Disallow/Content-Usage path: ``*`` is any sequence, a final
    ``$`` anchors at the end; anything else matches itself after normalisation."""

    text: str  # normalised; its length in bytes ranks matches
    pieces: tuple[str, ...]  # literal pieces between the wildcards
    anchored: bool

    @classmethod
    def compile(cls, pattern: str) -> PathPattern:
        text = normalise_path(pattern)
        anchored = text.endswith("$")
        body = text[:-1] if anchored else text
        # A "$" before the end is itself, as in a path (request_path writes it %24);
        # %2A and %24 stay escapes: RFC 9309 2.2.3, the literal "*" and "$".
        body = body.replace("$", "%24")
        text = body + "$" if anchored else body
        return cls(text, tuple(body.split("*")), anchored)

    @property
    def length(self) -> int:
        return len(self.text)  # ASCII after normalisation: characters are bytes

    def matches(self, path: str) -> bool:
        """Whether the pattern matches a prefix of the normalised `path` (the whole of
        it when anchored). Each piece is placed leftmost, which is optimal."""
        pieces = self.pieces
        first = pieces[0]
        if len(pieces) == 1:
            return path == first if self.anchored else path.startswith(first)
        if not path.startswith(first):
            return False
        position = len(first)
        last = len(pieces) - 1
        for index in range(1, last):
            found = path.find(pieces[index], position)
            if found < 0:
                return False
            position = found + len(pieces[index])
        if self.anchored:
            return path.endswith(pieces[last]) and len(path) - len(pieces[last]) >= position
        return path.find(pieces[last], position) >= 0


@dataclass(frozen=True)
class Rule:
    """One rule of a group, as written and compiled."""

    kind: str  # allow, disallow, content-usage, content-signal
    value: str  # the rule value as written, comment and surrounding SP/HTAB removed
    line: int
    pattern: PathPattern | None  # None: a preference rule without a path, or an empty path
    preference: str = ""  # content-usage / content-signal: the statement after the path
    group: tuple[str, ...] | None = None  # its group's agents; None: before any group

    @property
    def length(self) -> int:
        return self.pattern.length if self.pattern is not None else 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "line": self.line}
        if self.kind in PREFERENCE_LABELS:
            out["path"] = self.pattern.text if self.pattern is not None else None
            out["preference"] = self.preference
        return out


@dataclass(frozen=True)
class Group:
    """Consecutive User-agent lines and the rules that follow them."""

    agents: tuple[str, ...]  # product tokens, lower-cased; "*" for every crawler
    rules: tuple[Rule, ...]
    line: int  # of the first User-agent line

    def to_json(self) -> dict[str, Any]:
        return {
            "agents": list(self.agents),
            "line": self.line,
            "rules": [rule.to_json() for rule in self.rules],
        }


class _Index:
    """Rules with a path, arranged to find all those of the longest matching length:
    plain prefixes by length and text (one dict look-up per distinct length), anchored
    literals by text, and patterns with wildcards by the literal text before their
    first ``*``, so only those whose beginning the path has are tried."""

    __slots__ = ("prefixes", "lengths", "exact", "wild", "wild_lengths")

    def __init__(self, rules: list[Rule]) -> None:
        self.prefixes: dict[int, dict[str, list[Rule]]] = {}
        self.exact: dict[str, list[Rule]] = {}
        self.wild: dict[int, dict[str, list[Rule]]] = {}
        for rule in rules:
            pattern = rule.pattern
            assert pattern is not None
            if len(pattern.pieces) > 1:
                first = pattern.pieces[0]
                self.wild.setdefault(len(first), {}).setdefault(first, []).append(rule)
            elif pattern.anchored:
                self.exact.setdefault(pattern.pieces[0], []).append(rule)
            else:
                by_text = self.prefixes.setdefault(pattern.length, {})
                by_text.setdefault(pattern.text, []).append(rule)
        self.lengths = sorted(self.prefixes, reverse=True)
        self.wild_lengths = sorted(self.wild)

    def longest(self, path: str) -> list[Rule]:
        """Every rule that matches `path` with the greatest length, or []."""
        best: list[Rule] = []
        length = -1
        exact = self.exact.get(path)
        if exact:
            best, length = list(exact), len(path) + 1
        size = len(path)
        for prefix_length in self.lengths:
            if prefix_length < length:
                break
            if prefix_length > size:
                continue
            found = self.prefixes[prefix_length].get(path[:prefix_length])
            if found:
                best, length = list(found), prefix_length  # never ties with an exact match
                break
        for first_length in self.wild_lengths:
            if first_length > size:
                break
            for rule in self.wild[first_length].get(path[:first_length], ()):
                assert rule.pattern is not None
                if rule.length >= length and rule.pattern.matches(path):
                    if rule.length > length:
                        best, length = [rule], rule.length
                    else:
                        best.append(rule)
        return best


@dataclass(frozen=True)
class _Selection:
    """The merged rules that apply to one product token, indexed for matching."""

    group: str | None
    access: _Index  # Allow/Disallow with a path
    # per system (content-usage, content-signal): the rules with a path, and those without
    preferences: tuple[tuple[_Index, tuple[Rule, ...]], ...]


@dataclass(frozen=True)
class Robots:
    """A parsed robots.txt; pass it to `evaluate` once per path."""

    groups: tuple[Group, ...]
    warnings: tuple[str, ...] = ()
    location: str | None = None
    size: int = 0  # bytes of the file as given, before the limit
    # Content-Signal lines before the first User-agent line: every crawler's, where its
    # group has none of its own
    global_rules: tuple[Rule, ...] = ()
    licenses: tuple[tuple[str, int], ...] = ()  # License: lines (RSL), (URL, line)
    _cache: dict[Any, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "size": self.size,
            "groups": [group.to_json() for group in self.groups],
            "warnings": list(self.warnings),
        }
        if self.global_rules:
            out["global_rules"] = [rule.to_json() for rule in self.global_rules]
        if self.licenses:
            out["licenses"] = [{"url": url, "line": line} for url, line in self.licenses]
        if self.location is not None:
            out["location"] = self.location
        return out

    def _select(self, token: str) -> _Selection:
        selection = self._cache.get(token)
        if selection is None:
            selection = self._cache[token] = _select(self.groups, token, self.global_rules)
        return selection

    def _statement(self, rule: Rule, vocabulary: str) -> web.WebStatement:
        key = (rule.line, vocabulary)
        statement = self._cache.get(key)
        if statement is None:
            statement = self._cache[key] = _statement(rule, vocabulary, self.location)
        return statement


@dataclass(frozen=True)
class RobotsAnswer:
    agent: str
    path: str
    crawl: bool
    group: str | None  # matched token as written in the file (lower-cased), "*" or None
    rules: tuple[str, ...]  # governing Content-Usage preferences as written (path removed)
    statements: tuple[web.WebStatement, ...]  # governing Content-Usage + Content-Signal
    preferences: dict[str, str]  # web.combine(statements)
    # web.combine_exceptions(statements): label -> the CC signal that lifts a disallow
    exceptions: dict[str, str] = field(default_factory=dict)
    licenses: tuple[str, ...] = ()  # the URLs of the file's License: lines (RSL documents)

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "path": self.path,
            "crawl": self.crawl,
            "group": self.group,
            "rules": list(self.rules),
            "preferences": self.preferences,
            "exceptions": self.exceptions,
            "statements": [statement.to_json() for statement in self.statements],
            "licenses": list(self.licenses),
        }


def product_token(agent: str) -> str:
    """The product token a User-agent value or crawler name starts with, lower-cased:
    ``*`` alone (or before whitespace) is every crawler; ``ExampleBot/2.1`` is
    ``examplebot``, ``MJ12bot/1.4`` is ``mj12bot`` (digits belong to the token, as
    crawler-commons and Protego match them); a value that starts with no token
    character gives ""."""
    agent = agent.strip()
    if agent == ANY_AGENT or (agent.startswith(ANY_AGENT) and agent[1:2].isspace()):
        return ANY_AGENT
    match = _TOKEN.match(agent)
    return match.group(0).lower() if match else ""


def _lines_named(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:_SHOWN_LINES])
    more = len(numbers) - _SHOWN_LINES
    return f"{shown} and {more} more" if more > 0 else shown


def _split_path(value: str) -> tuple[str | None, str]:
    """A preference rule value -> (path or None, statement of preference)."""
    if not value.startswith("/"):
        return None, value
    end = len(value)
    for separator in _WS:
        found = value.find(separator)
        if 0 <= found < end:
            end = found
    return value[:end], value[end:].strip(_WS)


def parse_robots(data: bytes | str, location: str | None = None, size: int | None = None) -> Robots:
    """Parse a robots.txt file; never raises on any input.

    `size`: the whole file's size in bytes when `data` is only its beginning: a reader
    need keep no more than ``SIZE_LIMIT + 1`` bytes (the byte after the limit tells
    whether the limit cuts a line)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    size = max(len(raw), size or 0)
    warnings: list[str] = []
    if size > SIZE_LIMIT:
        after = raw[SIZE_LIMIT : SIZE_LIMIT + 1]
        raw = raw[:SIZE_LIMIT]
        if after not in (b"\r", b"\n") and not raw.endswith((b"\r", b"\n")):
            cut = max(raw.rfind(b"\n"), raw.rfind(b"\r"))
            raw = raw[: cut + 1]  # a line cut by the limit is not read at all
        warnings.append(
            f"robots.txt is {size} bytes: only the first {SIZE_LIMIT} bytes (500 KiB) were "
            f"parsed, the rest was ignored"
        )
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace")
        warnings.append("robots.txt is not valid UTF-8: invalid bytes were read as U+FFFD")

    groups: list[tuple[list[str], list[Rule], int]] = []
    global_rules: list[Rule] = []
    licenses: list[tuple[str, int]] = []
    odd_values: dict[str, list[int]] = {}  # a Content-Signal value phrase -> its lines
    no_colon: list[int] = []
    outside: list[int] = []
    no_token: list[int] = []
    odd_paths: list[int] = []
    for number, line in enumerate(_LINE_END.split(text), start=1):
        comment = line.find("#")
        if comment >= 0:
            line = line[:comment]
        colon = line.find(":")
        if colon < 0:
            if line.strip():
                no_colon.append(number)
            continue
        label = line[:colon].strip(_WS).lower()
        value = line[colon + 1 :].strip(_WS)
        if label == "user-agent":
            if not groups or groups[-1][1]:  # a rule was seen: this line starts a group
                groups.append(([], [], number))
            token = product_token(value)
            if token:
                groups[-1][0].append(token)
            else:
                no_token.append(number)
            continue
        if label == LICENSE:  # RSL: a record of the file, like Sitemap, wherever it is
            if value:
                licenses.append((value, number))
            continue
        if label not in RULE_LABELS:
            continue  # Sitemap, Crawl-delay, ...: other records, which do not end a group
        if not groups and label != CONTENT_SIGNAL:
            outside.append(number)
            continue
        if label in PREFERENCE_LABELS:
            path, preference = _split_path(value)
            pattern = PathPattern.compile(path) if path is not None else None
            if label == CONTENT_SIGNAL:
                _note_values(preference, number, odd_values)
            agents = tuple(groups[-1][0]) if groups else None
            rule = Rule(label, value, number, pattern, preference, agents)
            (groups[-1][1] if groups else global_rules).append(rule)
        else:
            if value and not value.startswith(("/", "*")):
                odd_paths.append(number)
            pattern = PathPattern.compile(value) if value else None
            groups[-1][1].append(Rule(label, value, number, pattern))

    if no_colon:
        warnings.append(f"lines without a colon were ignored: line {_lines_named(no_colon)}")
    if outside:
        warnings.append(
            f"rules before the first User-agent line were ignored: line {_lines_named(outside)}"
        )
    if no_token:
        warnings.append(
            f"User-agent lines that name no product token match no crawler: "
            f"line {_lines_named(no_token)}"
        )
    for phrase, numbers in odd_values.items():
        warnings.append(f"Content-Signal {phrase}: line {_lines_named(numbers)}")
    relative = [n for url, n in licenses if not url.lower().startswith(("http://", "https://"))]
    if relative:
        warnings.append(
            f"License lines whose value is not an absolute http(s) URL name no RSL document: "
            f"line {_lines_named(relative)}"
        )
    if odd_paths:
        warnings.append(
            f"Allow/Disallow paths that start with neither / nor * match no path: "
            f"line {_lines_named(odd_paths)}"
        )
    return Robots(
        tuple(Group(tuple(agents), tuple(rules), line) for agents, rules, line in groups),
        tuple(warnings),
        location,
        size,
        tuple(global_rules),
        tuple(licenses),
    )


def content_signal_notes(preference: str) -> list[str]:
    """What a Content-Signal value says that is not yes/no: accepted spellings (allow,
    disallow: vocab/mappings.ttl) and values that state nothing, as warning phrases."""
    pairs = signal_pairs(preference)
    ontology = load_ontology()
    notes = [
        f"value {p} is not Content-Signal's spelling"
        for p in web.odd_spellings(CONTENT_SIGNAL, pairs)
    ]
    for label, value in pairs:
        mapping = ontology.mapped(CONTENT_SIGNAL, value) if value is not None else None
        if mapping is None or mapping.meaning is None:
            notes.append(f"{label}={value} states nothing (values are yes or no)")
    return notes


def _note_values(preference: str, number: int, odd: dict[str, list[int]]) -> None:
    """Record the lines of `content_signal_notes`."""
    for phrase in content_signal_notes(preference):
        odd.setdefault(phrase, []).append(number)


def _select(groups: tuple[Group, ...], token: str, global_rules: tuple[Rule, ...]) -> _Selection:
    chosen = [group for group in groups if token and token != ANY_AGENT and token in group.agents]
    name: str | None = token
    if not chosen:
        chosen = [group for group in groups if ANY_AGENT in group.agents]
        name = ANY_AGENT if chosen else None
    rules = [rule for group in chosen for rule in group.rules]
    access = [rule for rule in rules if rule.kind in (ALLOW, DISALLOW) and rule.pattern]
    preferences = []
    for system in (CONTENT_USAGE, CONTENT_SIGNAL):
        of_system = [rule for rule in rules if rule.kind == system]
        if not of_system:  # Content-Signal before any group: for every crawler
            of_system = [rule for rule in global_rules if rule.kind == system]
        with_path = [rule for rule in of_system if rule.pattern is not None]
        everywhere = tuple(rule for rule in of_system if rule.pattern is None)
        preferences.append((_Index(with_path), everywhere))
    return _Selection(name, _Index(access), tuple(preferences))


def signal_pairs(preference: str) -> list[tuple[str, str | None]]:
    """``search=yes, ai-train=no`` -> [("search", "yes"), ("ai-train", "no")]; items
    without "=" state nothing and are dropped; labels and values are lower-cased."""
    pairs: list[tuple[str, str | None]] = []
    for item in preference.split(","):
        label, equals, value = item.partition("=")
        if equals:
            pairs.append((label.strip(_WS).lower(), value.strip(_WS).lower()))
    return pairs


def _statement(rule: Rule, vocabulary: str, location: str | None) -> web.WebStatement:
    if rule.kind == CONTENT_SIGNAL:
        if rule.group is None:
            where = "outside any User-agent group: every crawler's"
        else:
            where = "in the group of " + (", ".join(rule.group) or "no product token")
        return web.mapped(
            CONTENT_SIGNAL,
            signal_pairs(rule.preference),
            rule.preference,
            via=VIA,
            vocabulary=vocabulary,
            location=location,
            note=f"line {rule.line}, {where}",
        )
    return web.content_usage(rule.preference, via=VIA, vocabulary=vocabulary, location=location)


def request_path(path: str) -> str:
    """The path and query of a request, normalised for matching: a scheme and
    authority are dropped, as is a fragment; a path not starting with "/" gets one."""
    match = _SCHEME_AUTHORITY.match(path)
    if match:
        path = path[match.end() :]
    fragment = path.find("#")
    if fragment >= 0:
        path = path[:fragment]
    if not path.startswith("/"):
        path = "/" + path
    # "*" and "$" in a path are characters, written as patterns match them literally
    return normalise_path(path).replace("*", "%2A").replace("$", "%24")


def _may_crawl(selection: _Selection, path: str) -> bool:
    if path == "/robots.txt" or path.startswith("/robots.txt?"):
        return True
    longest = selection.access.longest(path)  # Allow wins a tie
    return not longest or any(rule.kind == ALLOW for rule in longest)


def _governing(selection: _Selection, path: str) -> list[Rule]:
    governing: list[Rule] = []
    for with_path, everywhere in selection.preferences:
        governing += with_path.longest(path) or everywhere
    governing.sort(key=lambda rule: rule.line)
    return governing


def evaluate(
    robots: Robots, agent: str, path: str, vocabulary: str = DEFAULT_VOCABULARY
) -> RobotsAnswer:
    """May `agent` (a product token such as ``ExampleBot``) crawl `path` (path and
    query), and which usage preferences apply there?"""
    load_ontology().vocabulary(vocabulary)  # an unknown name raises before anything else
    selection = robots._select(product_token(agent))
    crawl, governing = _match(selection, path)
    statements = tuple(robots._statement(rule, vocabulary) for rule in governing)
    return RobotsAnswer(
        agent=agent,
        path=path,
        crawl=crawl,
        group=selection.group,
        rules=tuple(rule.preference for rule in governing if rule.kind == CONTENT_USAGE),
        statements=statements,
        preferences=web.combine(statements, vocabulary),
        exceptions=web.combine_exceptions(statements, vocabulary),
        licenses=tuple(url for url, _ in robots.licenses),
    )


def _match(selection: _Selection, path: str) -> tuple[bool, tuple[Rule, ...]]:
    normalised = request_path(path)
    crawl = _may_crawl(selection, normalised)
    return crawl, tuple(_governing(selection, normalised)) if crawl else ()


def match(robots: Robots, token: str, path: str) -> tuple[bool, tuple[Rule, ...]]:
    """What `evaluate` reads off the rules, alone: may the crawler with product token
    `token` (see `product_token`) crawl `path`, and the governing preference rules. For
    jobs that evaluate millions of paths and cache what a result implies (ccsig audit)."""
    return _match(robots._select(token), path)


def rule_statements(
    robots: Robots, rules: tuple[Rule, ...], vocabulary: str = DEFAULT_VOCABULARY
) -> tuple[web.WebStatement, ...]:
    """The statements of rules `match` gave, as `evaluate` gives them."""
    return tuple(robots._statement(rule, vocabulary) for rule in rules)


def paths_matter(robots: Robots, token: str) -> bool:
    """Whether `match` can give different answers for different paths of this crawler:
    False when none of the rules that apply to it has a path."""
    selection = robots._select(token)
    indexes = [selection.access, *(with_path for with_path, _ in selection.preferences)]
    return any(index.lengths or index.exact or index.wild for index in indexes)


class PathMatcher:
    """`match` for many paths of one robots.txt and one crawler, cached (ccsig audit
    matches millions of URLs against each host's robots.txt).

    Which rules `match` finds for a path depends only on which rules match it: a plain
    pattern matches a path it begins, an anchored one the path it equals. So two paths
    that begin with the same plain patterns, equal the same anchored ones and are or
    are not /robots.txt get the same answer, and the answer is kept per such key. A
    path that begins with the literal start of a wildcard pattern is matched in full,
    uncached. tests/ingest/test_robots.py holds this equal to `match` on generated files.
    """

    __slots__ = ("_selection", "_plain", "_exact", "_wild", "_cache")
    _LIMIT = 4096
    _answers = 0  # numbers given to cached answers, never reused

    def __init__(self, robots: Robots, token: str) -> None:
        selection = self._selection = robots._select(token)
        plain: set[str] = set()
        exact: set[str] = set()
        wild: set[str] = set()
        for index in [selection.access, *(with_path for with_path, _ in selection.preferences)]:
            for by_text in index.prefixes.values():
                plain.update(by_text)
            exact.update(index.exact)
            for by_first in index.wild.values():
                wild.update(by_first)
        self._plain = tuple(sorted(plain))
        self._exact = frozenset(exact)
        self._wild = tuple(sorted(wild))
        self._cache: dict[tuple[Any, ...], tuple[int, bool, tuple[Rule, ...]]] = {}

    def patterns(self) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
        """What the cache key is made of: the plain patterns (a path begins with), the
        anchored ones (a path equals) and the literal starts of wildcard patterns (a path
        beginning with one is matched in full, uncached)."""
        return self._plain, self._exact, self._wild

    def match(self, url: str) -> tuple[int, bool, tuple[Rule, ...]]:
        """`match(robots, token, url)`, after a number that is the same for two URLs
        exactly when they got the same answer from this matcher's cache (0: uncached)."""
        return self.match_path(url_request_path(url))

    def match_path(self, path: str) -> tuple[int, bool, tuple[Rule, ...]]:
        """`match` of a request path (`url_request_path` or `request_path_at` of a URL)."""
        for first in self._wild:
            if path.startswith(first):
                return (0, *_match(self._selection, path))
        key: list[Any] = [path == "/robots.txt" or path.startswith("/robots.txt?")]
        key.append(path if path in self._exact else None)
        for text in self._plain:
            if path.startswith(text):
                key.append(text)
        found = self._cache.get(tuple(key))
        if found is None:
            if len(self._cache) >= self._LIMIT:
                self._cache.clear()
            PathMatcher._answers += 1
            answer = _match(self._selection, path)
            found = self._cache[tuple(key)] = (PathMatcher._answers, *answer)
        return found


# a path and query that request_path leaves as they are
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9\-._~:/?\[\]@!&'()+,;=]*")


def url_request_path(url: str) -> str:
    """`request_path(url)`, with a shortcut for the common absolute URL whose path and
    query need no normalising."""
    start = url.find("://")
    if start <= 0:
        return request_path(url)
    end = len(url)
    for mark in "/?#":
        found = url.find(mark, start + 3)
        if 0 <= found < end:
            end = found
    return request_path_at(url, start, end)


def request_path_at(url: str, start: int, end: int) -> str:
    """`url_request_path(url)` of a URL whose "://" is at `start` (> 0) and whose
    authority ends at `end` (its first "/", "?" or "#" after that, or its length)."""
    rest = url[end:]
    scheme = url[:start]
    # a scheme of letters is one _SCHEME_AUTHORITY ends where `end` is
    if scheme.isascii() and scheme.isalpha() and _PLAIN_PATH.fullmatch(rest) is not None:
        return rest
    return request_path(url)
