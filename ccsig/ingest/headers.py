"""Usage preferences stated by an HTTP response and by a site's /.well-known/tdmrep.json.

Takes: the header section of an HTTP response (text or bytes, as a WARC record or a
``curl -i`` dump holds it, or (name, value) pairs already split), and the bytes of a
site's tdmrep.json with the path of the resource in question.
Gives: `WebStatement`s (ccsig.model.web) for what the response says in Content-Usage
(draft-ietf-aipref-attach), tdm-reservation / tdm-policy (W3C TDMRep) and the
X-Robots-Tag directives noai / noimageai, plus one-line warnings for whatever was
skipped; `combined` reduces them to the most restrictive preference per category label.

Nothing here raises on odd input: a WARC scanner calls it for every response. Choices
where the specifications leave room (each has a test in tests/ingest/test_headers.py):
- The header section ends at the first empty line; what follows (a body) is ignored.
  Bytes are read as ISO-8859-1, so every octet survives as one character.
- A field name is an RFC 9110 token; whitespace before the colon is removed, as a
  proxy must do for responses (RFC 9112 section 5.1); any other bad name is skipped.
- Content-Usage field lines are combined as RFC 9110 section 5.3 says (in order,
  joined by ", "), empty lines included, and parsed as one RFC 9651 dictionary.
- tdm-reservation is a singleton field. Repeated lines that all say the same (or a
  proxy's combined "1, 1") count once, as RFC 9110 section 8.6 allows for
  Content-Length; anything else but exactly 1 or 0 is a protocol error, which TDMRep
  says leaves the reservation unset. tdm-policy is recorded as the statement's note
  (also beside a 0: recording is not processing); without tdm-reservation it is ignored.
- X-Robots-Tag (and Robots-Tag, its name in draft-illyes-repext) is read per field
  line: comma-separated directives, where
  ``name: directive`` addresses that and the following directives of the line to the
  agent ``name`` (the valued directives max-snippet, unavailable_after, ... are not
  agent names). Agent names compare case-insensitively.
- Content-Type: the last member that looks like a media type (RFC 9110 section 8.3).
- Content-Signal (Cloudflare sends it as a response header too): field lines combine as
  Content-Usage's do, read as robots.txt's Content-Signal line is (ingest.robots), with a
  warning for allow/disallow spellings and values that state nothing.
- Link: links whose rel (a space-separated list, RFC 8288) has ``license`` and whose type
  is application/rsl+xml name RSL licence documents (`rsl_links`); a license link of
  another type is not RSL's. The list is split with the standard library's HTTP list
  parser and each link's parameters read as MIME parameters (quoted strings, RFC 2231).
- tdmrep.json: the first rule whose location matches wins (TDMRep: "the most specific
  match is the first in sequence"). ``*`` matches any run of characters, a final ``$``
  anchors the end, anything else is a prefix match, case-sensitive. Percent-encoded
  unreserved characters are decoded and other escapes upper-cased on both sides,
  non-ASCII is percent-encoded as UTF-8, and a literal ``$`` or ``*`` in the path is
  compared as ``%24`` / ``%2A`` (so the spec's ``/path/foo-%24`` matches ``foo-$``).
  tdm-reservation must be the JSON number 1 or 0; a rule with another value (or none)
  that matches still governs the path, with the reservation unset. A rule without a
  string location cannot match and is skipped with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from ccsig.ingest.robots import CONTENT_SIGNAL, PathPattern, content_signal_notes, signal_pairs
from ccsig.ingest.urls import request_path
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology
from ccsig.model.web import WebStatement, combine, content_usage, mapped

VIA_HEADER = "header"
VIA_TDMREP_FILE = "tdmrep.json"

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_END = re.compile(r"\r?\n\r?\n")
_AGENT = re.compile(r"[a-z0-9_.-]+")
_X_ROBOTS_AI = frozenset({"noai", "noimageai"})
# The field X-Robots-Tag, and the Robots-Tag draft-illyes-repext names it without "X-".
ROBOTS_TAG_FIELDS = ("x-robots-tag", "robots-tag")
# X-Robots-Tag directives that carry a value after a colon: not agent names.
_VALUED_DIRECTIVES = frozenset(
    {"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"}
)
_WARNING_EXCERPT = 60


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= _WARNING_EXCERPT else text[:_WARNING_EXCERPT] + "...")


# ------------------------------------------------------------------ header lines


def parse_header_lines(text: str | bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """The field lines of a header section: (lower-cased name, trimmed value) in order.

    An optional leading status line (``HTTP/...``) is skipped, CRLF and LF both end a
    line, obsolete line folding is joined with one space, and the section ends at the
    first empty line. Lines that are not fields, and fields whose value holds control
    characters other than HTAB, are skipped with a warning.
    """
    end: re.Match[bytes] | re.Match[str] | None
    if isinstance(text, bytes | bytearray):
        data = bytes(text).lstrip(b"\r\n")
        end = re.search(rb"\r?\n\r?\n", data)
        text = (data[: end.start()] if end else data).decode("iso-8859-1")
    else:
        text = text.lstrip("\r\n")
        end = _HEADER_END.search(text)
        if end:
            text = text[: end.start()]

    warnings: list[str] = []
    # Each field line as its parts: the line, then its obsolete-folding continuations.
    # Joined once at the end, so a field folded over n lines costs O(n), not O(n^2).
    logical: list[list[str]] = []
    for number, line in enumerate(text.split("\n")):
        if line.endswith("\r"):
            line = line[:-1]
        if number == 0 and line.startswith("HTTP/"):
            continue
        if line[:1] in (" ", "\t"):
            if logical:
                logical[-1].append(line.strip(" \t"))
            elif line.strip(" \t"):
                warnings.append(f"continuation line {_excerpt(line)} follows no field; skipped")
            continue
        logical.append([line])

    fields: list[tuple[str, str]] = []
    for parts in logical:
        line = _unfolded(parts)
        name, colon, value = line.partition(":")
        if not colon:
            if line:
                warnings.append(f"line {_excerpt(line)} has no colon; skipped")
            continue
        name = name.rstrip(" \t")
        if not _TOKEN.fullmatch(name):
            warnings.append(f"line {_excerpt(line)} does not start with a field name; skipped")
            continue
        name = name.lower()
        if _CONTROL.search(value):
            warnings.append(f"field {name!r}: the value has control characters; dropped")
            continue
        fields.append((name, value.strip(" \t")))
    return fields, warnings


def _unfolded(parts: list[str]) -> str:
    """A field line and its (stripped) continuation lines as one line, each fold
    replaced by one space (RFC 9112 section 5.2); empty continuations add nothing."""
    if len(parts) == 1:
        return parts[0]
    joined = " ".join([parts[0].rstrip(" \t"), *(p for p in parts[1:] if p)])
    return joined + " " if not parts[-1] else joined


# ------------------------------------------------------------------ statements


def statements_from_headers(
    fields: Iterable[tuple[str, str]],
    vocabulary: str = DEFAULT_VOCABULARY,
    agent: str | None = None,
    location: str | None = None,
) -> tuple[list[WebStatement], list[str]]:
    """What the header fields of one response state: Content-Usage, TDMRep and
    X-Robots-Tag noai / noimageai, as statements, and warnings for what was skipped.

    `agent` is the crawler's name for X-Robots-Tag directives addressed to an agent
    (``otherbot: noai``); with None only directives addressed to nobody apply.
    `location` is the URL of the response, recorded with every statement.
    """
    usage: list[str] = []
    reservations: list[str] = []
    policies: list[str] = []
    robots: list[str] = []
    content_types: list[str] = []
    signals: list[str] = []
    for name, value in fields:
        name = name.lower()
        if name == "content-usage":
            usage.append(value)
        elif name == "content-signal":
            signals.append(value)
        elif name == "tdm-reservation":
            reservations.append(value)
        elif name == "tdm-policy":
            policies.append(value)
        elif name in ROBOTS_TAG_FIELDS:
            robots.append(value)
        elif name == "content-type":
            content_types.append(value)

    statements: list[WebStatement] = []
    warnings: list[str] = []
    statement: WebStatement | None
    if usage:
        statement = content_usage(", ".join(usage), VIA_HEADER, vocabulary, location)
        statements.append(statement)
        warnings.extend(f"content-usage: {w}" for w in statement.parsed.warnings)
    if signals:
        statement, more = content_signal_statement(
            ", ".join(signals), VIA_HEADER, vocabulary, location
        )
        statements.append(statement)
        warnings.extend(more)
    if reservations:
        statements.append(_tdm_header(reservations, policies, vocabulary, location, warnings))
    elif policies:
        warnings.append("tdm-policy without tdm-reservation; ignored")
    if robots:
        media_type = _media_type(content_types)
        wanted = agent.strip().lower() if agent is not None else None
        for value in robots:
            statement = _x_robots_tag(value, wanted, media_type, vocabulary, location, warnings)
            if statement is not None:
                statements.append(statement)
    return statements, warnings


def content_signal_statement(
    value: str,
    via: str = VIA_HEADER,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
) -> tuple[WebStatement, list[str]]:
    """A Content-Signal value (``search=yes, ai-train=no``) as found in a header field or
    the content of ``<meta name="content-signal">`` (`via` says which), and warnings for
    spellings other than yes/no and values that state nothing."""
    statement = mapped(
        CONTENT_SIGNAL, signal_pairs(value), value, via, vocabulary, location=location
    )
    return statement, [f"content-signal: {note}" for note in content_signal_notes(value)]


def rsl_links(
    fields: Iterable[tuple[str, str]], base: str | None = None
) -> tuple[list[str], list[str]]:
    """The URLs of RSL licence documents the Link fields name (rel has ``license``, type
    application/rsl+xml), resolved against `base` when relative, and warnings for license
    links of another type."""
    urls: list[str] = []
    warnings: list[str] = []
    for name, value in fields:
        if name.lower() != "link":
            continue
        # only for Link fields: email and urllib.request (with http.client) take ~45 ms
        # to import
        from email.message import Message
        from urllib.request import parse_http_list

        for item in parse_http_list(value):
            target, closed, rest = item.strip().partition(">")
            if not target.startswith("<") or not closed:
                continue
            message = Message()
            message["link"] = "x" + rest
            params = {k.lower(): v for k, v in (message.get_params(header="link") or [])[1:]}
            rel = str(params.get("rel", "")).lower().split()
            if "license" not in rel:
                continue
            url = target[1:].strip()
            media_type = str(params.get("type", "")).strip().lower()
            if media_type != "application/rsl+xml":
                warnings.append(
                    f"link: a license link to {_excerpt(url)} of type "
                    f"{media_type or '(none given)'} is not an RSL document; not read"
                )
                continue
            url = urljoin(base, url) if base else url
            if url not in urls:
                urls.append(url)
    return urls, warnings


def combined(
    statements: Iterable[WebStatement], vocabulary: str = DEFAULT_VOCABULARY
) -> dict[str, str]:
    """Every category label -> the most restrictive preference the statements state."""
    return combine(statements, vocabulary)


def _tdm_header(
    reservations: list[str],
    policies: list[str],
    vocabulary: str,
    location: str | None,
    warnings: list[str],
) -> WebStatement:
    as_written = ", ".join(reservations)
    members = {m.strip(" \t") for m in as_written.split(",")}
    value = members.pop() if len(members) == 1 else None
    if value not in ("1", "0"):
        warnings.append(
            f"tdm-reservation: {_excerpt(as_written)} is neither 1 nor 0, a protocol error; "
            "the reservation is unset"
        )
    pairs = [("tdm-reservation", value)] if value in ("1", "0") else []
    note = ", ".join(policies) if policies else None
    return mapped("tdmrep", pairs, as_written, VIA_HEADER, vocabulary, location=location, note=note)


def _media_type(values: list[str]) -> str | None:
    """The media type of the content: the last member that looks like one."""
    for value in reversed(values):
        for member in reversed(value.split(",")):
            media_type = member.partition(";")[0].strip(" \t").lower()
            if "/" in media_type:
                return media_type
    return None


def _x_robots_tag(
    value: str,
    agent: str | None,
    media_type: str | None,
    vocabulary: str,
    location: str | None,
    warnings: list[str],
) -> WebStatement | None:
    """The statement of one X-Robots-Tag field line, if it has a noai / noimageai
    directive for `agent` (or for every agent)."""
    addressed_to: str | None = None
    directives: list[str] = []
    for item in value.split(","):
        item = item.strip(" \t")
        head, colon, rest = item.partition(":")
        if colon:
            head = head.strip(" \t").lower()
            if head in _VALUED_DIRECTIVES or not _AGENT.fullmatch(head):
                continue
            addressed_to, item = head, rest.strip(" \t")
        directive = item.lower()
        if directive not in _X_ROBOTS_AI:
            continue
        if addressed_to is None or addressed_to == agent:
            directives.append(directive)
        else:
            warnings.append(
                f"x-robots-tag: {directive} is addressed to {addressed_to!r}, "
                f"not {agent or 'every agent'}; skipped"
            )
    if not directives:
        return None
    statement = mapped(
        "x-robots-tag",
        [(d, None) for d in directives],
        value,
        VIA_HEADER,
        vocabulary,
        location=location,
        media_type=media_type,
    )
    unknown = load_ontology().unknown
    if all(v == unknown for v in statement.preferences.values()):
        warnings.append(
            f"x-robots-tag: {', '.join(directives)} states nothing for content of type "
            f"{media_type or '(none given)'}"
        )
    return statement


# ------------------------------------------------------------------ tdmrep.json


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def _unescape_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


def _normalise(text: str) -> str:
    """A path or pattern part in the form both are compared in."""
    if "%" in text:
        text = _ESCAPE.sub(_unescape_unreserved, text)
    if not text.isascii():
        text = "".join(
            c if c.isascii() else "".join(f"%{b:02X}" for b in c.encode("utf-8", "replace"))
            for c in text
        )
    return text.replace("$", "%24").replace("*", "%2A")


@dataclass(frozen=True)
class _Rule:
    pattern: PathPattern  # robots.txt's matcher: '*' any run, a final '$' anchors
    reservation: str | None  # "1", "0", or None when missing or not 1 / 0
    policy: str | None
    as_written: str
    warning: str | None  # why the reservation is unset

    def matches(self, path: str) -> bool:
        return self.pattern.matches(path)


def location_matches(pattern: str, path: str) -> bool:
    """Whether a tdmrep.json location pattern matches a path (with its query, if any)."""
    rule = _compile(pattern, None, None, "", None)
    return rule.matches(_normalise(path))


def _compile(
    pattern: str, reservation: str | None, policy: str | None, written: str, warning: str | None
) -> _Rule:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    parts = tuple(_normalise(part) for part in body.split("*"))
    text = "*".join(parts) + ("$" if anchored else "")  # TDMRep's own normalisation
    return _Rule(PathPattern(text, parts, anchored), reservation, policy, written, warning)


@lru_cache(maxsize=256)
def _rules(data: bytes | str) -> tuple[tuple[_Rule | str, ...], str | None]:
    """The rules of a tdmrep.json in order (a string: an entry that is no rule, why),
    or the reason the file cannot be read. Cached: one site serves many responses."""
    try:
        if isinstance(data, bytes):
            document = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
        else:
            document = json.loads(data.removeprefix("\ufeff"))
    except (ValueError, RecursionError) as e:
        return (), f"tdmrep.json is not JSON ({type(e).__name__}: {e}); ignored"
    if not isinstance(document, list):
        return (), "tdmrep.json is not a JSON array of rules; ignored"
    rules: list[_Rule | str] = []
    for number, entry in enumerate(document, start=1):
        rules.append(_rule(number, entry))
    return tuple(rules), None


def _rule(number: int, entry: Any) -> _Rule | str:
    if not isinstance(entry, dict):
        return f"tdmrep.json rule {number} is not a JSON object; skipped"
    pattern = entry.get("location")
    if not isinstance(pattern, str) or not pattern:
        return f"tdmrep.json rule {number} has no location string; skipped"
    try:
        written = json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))
    except (ValueError, RecursionError):
        written = repr(entry)
    reservation: str | None = None
    warning: str | None = None
    value = entry.get("tdm-reservation")
    if type(value) is int and value in (0, 1):
        reservation = str(value)
    elif "tdm-reservation" not in entry:
        warning = f"tdmrep.json rule {number} has no tdm-reservation; the reservation is unset"
    else:
        shown = _excerpt(json.dumps(value)) if _dumpable(value) else _excerpt(repr(value))
        warning = (
            f"tdmrep.json rule {number}: tdm-reservation {shown} is neither 1 nor 0, "
            "a protocol error; the reservation is unset"
        )
    policy = entry.get("tdm-policy")
    return _compile(
        pattern, reservation, policy if isinstance(policy, str) else None, written, warning
    )


def _dumpable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def tdmrep_statement(
    data: bytes | str,
    path: str,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
) -> tuple[WebStatement | None, list[str]]:
    """The statement of the tdmrep.json rule that governs `path`, or None when no rule
    matches or the file cannot be read (then with a warning).

    `path` is the resource's path with its query (a full URL is accepted);
    `location` is the URL of the tdmrep.json, recorded with the statement.
    """
    rules, problem = _rules(data)
    if problem is not None:
        return None, [problem]
    target = _normalise(request_path(path))
    warnings: list[str] = []
    for rule in rules:
        if isinstance(rule, str):
            warnings.append(rule)
            continue
        if not rule.matches(target):
            continue
        if rule.warning is not None:
            warnings.append(rule.warning)
        pairs = [("tdm-reservation", rule.reservation)] if rule.reservation is not None else []
        statement = mapped(
            "tdmrep",
            pairs,
            rule.as_written,
            VIA_TDMREP_FILE,
            vocabulary,
            location=location,
            note=rule.policy,
        )
        return statement, warnings
    return None, warnings
