"""robots.txt (ccsig.ingest.robots): RFC 9309 groups and Allow/Disallow, aipref Content-Usage
rules, Cloudflare Content-Signal lines, line syntax and the 500 KiB limit."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import UnknownVocabularyError
from ccsig.ingest.robots import (
    SIZE_LIMIT,
    PathMatcher,
    PathPattern,
    Robots,
    RobotsAnswer,
    evaluate,
    match,
    normalise_path,
    parse_robots,
    product_token,
    request_path,
    url_request_path,
)
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology

A, D, U = "allow", "disallow", "unknown"
VOCABULARIES = sorted(load_ontology().vocabularies)
LABELS = load_ontology().vocabulary(DEFAULT_VOCABULARY).labels
TRAIN_Y = {"train-ai": A, "train-genai": A}  # train-ai=y, with its sub-category
TRAIN_N = {"train-ai": D, "train-genai": D}

# draft-ietf-aipref-attach, "Example robots.txt file"
ATTACH_EXAMPLE = """\
User-Agent: *
Allow: /
Disallow: /never/
Content-Usage: train-ai=n
Content-Usage: /ai-ok/ train-ai=y

User-Agent: ExampleBot
Allow: /
Content-Usage: train-ai=y
"""


def ask(text: str | bytes, path: str = "/", agent: str = "ExampleBot", **kw) -> RobotsAnswer:
    return evaluate(parse_robots(text), agent, path, **kw)


def crawl(text: str | bytes, path: str, agent: str = "ExampleBot") -> bool:
    return ask(text, path, agent).crawl


def stated(answer: RobotsAnswer) -> dict[str, str]:
    return {label: value for label, value in answer.preferences.items() if value != U}


def without_path(value: str) -> str:
    return re.sub(r"^/[^ \t]*[ \t]*", "", value)


def assert_no_preferences(answer: RobotsAnswer) -> None:
    assert answer.rules == () and answer.statements == ()
    assert answer.preferences == dict.fromkeys(LABELS, U)


# ---------------------------------------------------------------- the attach draft


@pytest.mark.parametrize(
    ("agent", "path", "expected_crawl", "group", "rules", "expected"),
    [
        # "Sample of usage preferences for different paths"
        ("OtherBot", "/test", True, "*", ("train-ai=n",), {"train-ai": D, "train-genai": D}),
        ("OtherBot", "/never/test", False, "*", (), {}),
        (
            "OtherBot",
            "/ai-ok/test",
            True,
            "*",
            ("train-ai=y",),
            {"train-ai": A, "train-genai": A},
        ),
        # ExampleBot uses the second group: everything crawlable, train-ai=y
        ("ExampleBot", "/test", True, "examplebot", ("train-ai=y",), TRAIN_Y),
        ("ExampleBot", "/never/test", True, "examplebot", ("train-ai=y",), TRAIN_Y),
        ("examplebot", "/ai-ok/x", True, "examplebot", ("train-ai=y",), TRAIN_Y),
    ],
)
def test_attach_draft_example(agent, path, expected_crawl, group, rules, expected) -> None:
    answer = ask(ATTACH_EXAMPLE, path, agent)
    assert (answer.crawl, answer.group, answer.rules) == (expected_crawl, group, rules)
    assert stated(answer) == expected
    if not expected_crawl:
        assert_no_preferences(answer)


def test_attach_draft_simple_example() -> None:
    answer = ask("User-Agent: *\nAllow: /\nContent-Usage: train-ai=n\n", "/anything")
    assert answer.crawl and answer.rules == ("train-ai=n",)
    assert answer.preferences["train-ai"] == D


def test_the_example_is_the_one_in_the_reference_draft(reference_dir: Path) -> None:
    draft = reference_dir / "aipref" / "draft-ietf-aipref-attach-latest.md"
    if not draft.is_file():
        pytest.skip(f"reference draft not found at {draft}")
    assert ATTACH_EXAMPLE in draft.read_text(encoding="utf-8")


# ---------------------------------------------------------------- group selection


@pytest.mark.parametrize(
    ("agent", "group"),
    [
        ("ExampleBot", "examplebot"),
        ("examplebot", "examplebot"),
        ("EXAMPLEBOT", "examplebot"),
        ("ExampleBot/2.1", "examplebot"),  # the product token of a versioned name
        ("  ExampleBot ", "examplebot"),
        ("ExampleBot-Image", "*"),  # tokens match whole, not as prefixes
        ("Example", "*"),
        ("*", "*"),
        ("", "*"),
    ],
)
def test_group_is_chosen_by_case_insensitive_product_token(agent: str, group: str) -> None:
    text = "User-agent: *\nDisallow: /star\n\nUser-agent: EXAMPLEbot/1.0\nDisallow: /bot\n"
    answer = ask(text, "/bot", agent)
    assert answer.group == group
    assert answer.crawl is (group != "examplebot")


@pytest.mark.parametrize(
    "text",
    [
        "User-agent: a\nUser-agent: ExampleBot\nUser-agent: b\nDisallow: /x\n",
        "User-agent: a\n\nUser-agent: ExampleBot\n\nDisallow: /x\n",  # empty lines in between
        "User-agent: a\nSitemap: /s.xml\nUser-agent: ExampleBot\nDisallow: /x\n",
    ],
)
def test_consecutive_user_agent_lines_start_one_group(text: str) -> None:
    for agent in ("a", "ExampleBot", "b"):
        answer = ask(text, "/x", agent)
        if agent == "b" and "User-agent: b" not in text:
            continue
        assert answer.crawl is False and answer.group == agent.lower()
    groups = parse_robots(text).groups
    assert len(groups) == 1


@pytest.mark.parametrize("rule", ["Disallow: /x", "Allow: /y", "Content-Usage: train-ai=n"])
def test_a_rule_ends_the_user_agent_lines_of_a_group(rule: str) -> None:
    text = f"User-agent: a\n{rule}\nUser-agent: b\nDisallow: /z\n"
    robots = parse_robots(text)
    assert [group.agents for group in robots.groups] == [("a",), ("b",)]
    assert evaluate(robots, "a", "/z").crawl is True
    assert evaluate(robots, "b", "/z").crawl is False


def test_groups_naming_the_same_agent_are_merged() -> None:
    text = (
        "User-agent: ExampleBot\nDisallow: /one\nContent-Usage: search=n\n\n"
        "User-agent: other\nDisallow: /two\n\n"
        "User-agent: examplebot\nDisallow: /three\nContent-Usage: train-ai=n\n"
    )
    robots = parse_robots(text)
    assert [evaluate(robots, "ExampleBot", p).crawl for p in ("/one", "/two", "/three")] == [
        False,
        True,
        False,
    ]
    answer = evaluate(robots, "ExampleBot", "/")
    assert answer.rules == ("search=n", "train-ai=n")
    assert stated(answer) == {"search": D, "train-ai": D, "train-genai": D}


def test_star_groups_apply_when_no_group_names_the_agent_and_are_merged() -> None:
    text = (
        "User-agent: *\nDisallow: /one\n\nUser-agent: other\nDisallow: /two\n\n"
        "User-agent: *\nDisallow: /three\nContent-Usage: train-ai=n\n"
    )
    robots = parse_robots(text)
    answers = [evaluate(robots, "ExampleBot", p) for p in ("/one", "/two", "/three", "/four")]
    assert [answer.crawl for answer in answers] == [False, True, False, True]
    assert {answer.group for answer in answers} == {"*"}
    assert answers[3].rules == ("train-ai=n",)


def test_a_named_group_replaces_the_star_group() -> None:
    text = (
        "User-agent: *\nDisallow: /\nContent-Usage: train-ai=n\n\n"
        "User-agent: ExampleBot\nAllow: /public\n"
    )
    answer = ask(text, "/private")
    assert answer.crawl is True and answer.group == "examplebot"
    assert_no_preferences(answer)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# nothing but a comment\n",
        "Disallow: /\nContent-Usage: train-ai=n\n",  # rules outside any group
        "User-agent: other\nDisallow: /\nContent-Usage: train-ai=n\n",
    ],
)
def test_no_matching_group_and_no_star_group_means_nothing_applies(text: str) -> None:
    answer = ask(text, "/anything")
    assert answer.crawl is True and answer.group is None
    assert_no_preferences(answer)


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("*", "*"),
        ("* # any", "*"),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", "googlebot"),
        ("Example_Bot-2", "example_bot-2"),  # digits are part of a token
        ("MJ12bot/v1.4.8", "mj12bot"),
        ("*bot", ""),
        ("/bot", ""),
        ("", ""),
    ],
)
def test_product_token(value: str, token: str) -> None:
    assert product_token(value.split("#")[0]) == token


def test_user_agent_line_naming_no_token_matches_nothing_and_warns() -> None:
    robots = parse_robots("User-agent: /x\nDisallow: /\n")
    assert evaluate(robots, "ExampleBot", "/").group is None
    assert any("no product token" in warning for warning in robots.warnings)


def test_rules_before_the_first_user_agent_are_ignored_with_a_warning() -> None:
    robots = parse_robots("Disallow: /\nUser-agent: *\nDisallow: /x\n")
    assert evaluate(robots, "a", "/y").crawl is True
    assert evaluate(robots, "a", "/x").crawl is False
    assert any("before the first User-agent" in warning for warning in robots.warnings)


@pytest.mark.parametrize("other", ["Sitemap: https://example.com/s.xml", "Crawl-delay: 10", "X: y"])
def test_unknown_labels_do_not_end_a_group(other: str) -> None:
    text = f"User-agent: ExampleBot\nDisallow: /a\n{other}\nDisallow: /b\nContent-Usage: search=n\n"
    robots = parse_robots(text)
    assert len(robots.groups) == 1
    answer = evaluate(robots, "ExampleBot", "/b")
    assert answer.crawl is False
    assert evaluate(robots, "ExampleBot", "/c").rules == ("search=n",)


# ---------------------------------------------------------------- Allow / Disallow


@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        ([], "/x", True),
        (["Disallow: /"], "/", False),
        (["Disallow: /"], "/anything", False),
        (["Disallow: /a"], "/abc", False),  # a prefix
        (["Disallow: /a"], "/b", True),
        (["Disallow: /A"], "/a", True),  # paths are case-sensitive
        # longest match
        (["Disallow: /a", "Allow: /a/b"], "/a/b/c", True),
        (["Allow: /a", "Disallow: /a/b"], "/a/b/c", False),
        (["Disallow: /a/b", "Allow: /a"], "/a/b/c", False),  # order carries no meaning
        (["Allow: /", "Disallow: /private/"], "/private/x", False),
        (["Allow: /", "Disallow: /private/"], "/public", True),
        # Allow wins a tie
        (["Disallow: /same", "Allow: /same"], "/same/x", True),
        (["Allow: /same", "Disallow: /same"], "/same/x", True),
        (["Disallow: /a*", "Allow: /a/"], "/a/x", True),  # both 3 bytes
        (["Disallow: /*.php", "Allow: /a.php"], "/a.php", True),  # both 6 bytes
        # an empty Disallow (and Allow) matches nothing
        (["Disallow:"], "/x", True),
        (["Disallow: ", "Disallow:\t"], "/", True),
        (["Disallow: /", "Allow:"], "/x", False),
        # wildcards
        (["Disallow: /*.gif"], "/images/a.gif", False),
        (["Disallow: /*.gif"], "/images/a.gif.html", False),  # still a prefix match
        (["Disallow: /*.gif$"], "/images/a.gif.html", True),
        (["Disallow: /*.gif$"], "/images/a.gif", False),
        (["Disallow: /a$"], "/a", False),
        (["Disallow: /a$"], "/ab", True),
        (["Disallow: /a$"], "/a?x=1", True),  # the query is part of what is matched
        (["Disallow: /a$b"], "/a$b/c", False),  # "$" before the end is itself
        (["Disallow: /a$b"], "/a", True),
        (["Disallow: /a**b"], "/a-b", False),
        (["Disallow: /a*b*c"], "/axxbyyc", False),
        (["Disallow: /a*b*c"], "/axxcyyb", True),
        (["Disallow: /a*c$"], "/abcabc", False),
        (["Disallow: /a*c$"], "/abcab", True),
        (["Disallow: /a*ab$"], "/ab", True),  # pieces may not overlap
        (["Disallow: /a*a$"], "/a", True),
        (["Disallow: /a*a$"], "/aa", False),
        (["Disallow: *"], "/", False),
        (["Disallow: /*", "Allow: /$"], "/", True),
        (["Disallow: /*", "Allow: /$"], "/page", False),
        (["Disallow: /a*"], "/a", False),  # "*" matches nothing too
        # queries
        (["Disallow: /*?"], "/page?x=1", False),
        (["Disallow: /*?"], "/page", True),
        (["Disallow: /search?q="], "/search?q=cats", False),
        (["Disallow: /*?sessionid="], "/a?sessionid=1", False),
        (["Disallow: /*&sessionid="], "/a?sessionid=1", True),
        (["Disallow: /a#fragment"], "/a", False),  # "#" starts a comment
        # a pattern that starts with neither / nor * matches nothing
        (["Disallow: a"], "/a", True),
    ],
)
def test_allow_disallow(rules: list[str], path: str, expected: bool) -> None:
    text = "User-agent: *\n" + "\n".join(rules) + "\n"
    assert crawl(text, path) is expected


@pytest.mark.parametrize(
    ("rules", "path"),
    [
        (["Disallow: /"], "/robots.txt"),
        (["Disallow: /robots.txt"], "/robots.txt"),
        (["Disallow: /robots"], "/robots.txt?x=1"),
        (["Disallow: /*.txt$"], "/robots.txt"),
    ],
)
def test_robots_txt_is_always_allowed(rules: list[str], path: str) -> None:
    text = "User-agent: *\n" + "\n".join(rules) + "\nContent-Usage: train-ai=n\n"
    answer = ask(text, path)
    assert answer.crawl is True and answer.rules == ("train-ai=n",)


@pytest.mark.parametrize(
    "path",
    ["/robots.txt.bak", "/robots.txtx", "/ROBOTS.TXT", "/a/robots.txt"],
)
def test_only_robots_txt_itself_is_always_allowed(path: str) -> None:
    assert crawl("User-agent: *\nDisallow: /\n", path) is False


def test_match_length_counts_bytes_of_the_encoded_pattern() -> None:
    # "/ツ" is "/%E3%83%84", 10 bytes encoded (2 characters, 4 bytes in UTF-8) and so
    # longer than the 7 bytes of "/%E3%83", which also matches.
    text = "User-agent: *\nAllow: /ツ\nDisallow: /%E3%83\n"
    assert crawl(text, "/ツ/page") is True
    assert crawl(text, "/%e3%83%84/page") is True
    assert crawl(text, "/%E3%83%85") is False
    assert PathPattern.compile("/ツ").length == 10
    assert PathPattern.compile("/a*$").length == 4


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        # RFC 9309 section 2.2.2, "Examples of matching percent-encoded URI components"
        ("/foo/bar?baz=quz", "/foo/bar?baz=quz", False),
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84", False),
        ("/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84", False),
        ("/foo/bar/%62%61%7A", "/foo/bar/baz", False),
        ("/foo/bar/baz", "/foo/bar/%62%61%7A", False),
        ("/foo/bar/%E3%83%84", "/foo/bar/ツ", False),
        # the case of escapes does not matter
        ("/a%2fb", "/a%2Fb", False),
        ("/a%2Fb", "/a%2fb", False),
        ("/%e3%83%84", "/ツ", False),
        # an escaped "/" is not a "/"; escapes of unreserved characters are
        ("/a%2Fb", "/a/b", True),
        ("/a/b", "/a%2fb", True),
        ("/%7Euser", "/~user", False),
        ("/~user", "/%7euser", False),
        ("/a%3Fb", "/a?b", True),  # an escaped "?" is not the query
        # characters that must be encoded are
        ("/a b", "/a%20b", False),
        ("/a%20b", "/a b", False),
        ("/a\tb", "/a%09b", False),
        ("/a|b", "/a%7Cb", False),
        ("/a%", "/a%25", False),  # a lone "%" is "%25"
        ("/a%zz", "/a%25zz", False),
        ("/a%25", "/a%", False),
        # RFC 9309 section 2.2.3: an escaped "*" or "$" is no wildcard, no anchor, but
        # the character itself, in upper- or lower-case hex
        ("/a%2A", "/a*", False),
        ("/a%2a", "/a*", False),
        ("/a%2A", "/a%2a", False),
        ("/a%2Ab", "/axb", True),
        ("/a%24", "/a$", False),
        ("/a%24", "/a", True),  # no end anchor
        ("/a%24", "/a$b", False),
        ("/a$b", "/a$b", False),  # a "$" not at the end is itself
    ],
)
def test_percent_encoding(rule: str, path: str, expected: bool) -> None:
    assert crawl(f"User-agent: *\nDisallow: {rule}\n", path) is expected


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("/plain/path?q=1&r=*", "/plain/path?q=1&r=*"),
        ("/%41%62%2d%2E%5f%7E", "/Ab-._~"),
        ("/%2f%3a%ff", "/%2F%3A%FF"),
        ("/é", "/%C3%A9"),
        ("/<a>{b}", "/%3Ca%3E%7Bb%7D"),
        ("/%", "/%25"),
        ("/%4", "/%254"),
    ],
)
def test_normalise_path(text: str, normalised: str) -> None:
    assert normalise_path(text) == normalised


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("https://example.com/private/x?y", False),  # a URL: scheme and authority dropped
        ("private/x", False),  # a leading "/" is supplied
        ("/public#/private", True),  # a fragment is never sent
        ("", True),
    ],
)
def test_request_path_forms(path: str, expected: bool) -> None:
    answer = ask("User-agent: *\nDisallow: /private\n", path)
    assert answer.crawl is expected and answer.path == path


# ---------------------------------------------------------------- Content-Usage


@pytest.mark.parametrize(
    ("rules", "path", "governing", "expected"),
    [
        # path-less rules match every path
        (["Content-Usage: train-ai=n"], "/x", ["train-ai=n"], {"train-ai": D, "train-genai": D}),
        # the longest matching path governs; a path-less rule is length 0
        (
            ["Content-Usage: search=n", "Content-Usage: /img/ train-ai=n"],
            "/img/a.png",
            ["/img/ train-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Usage: search=n", "Content-Usage: /img/ train-ai=n"],
            "/doc/a",
            ["search=n"],
            {"search": D},
        ),
        (
            ["Content-Usage: /a/ train-ai=n", "Content-Usage: /a/b/ train-ai=y"],
            "/a/b/c",
            ["/a/b/ train-ai=y"],
            {"train-ai": A, "train-genai": A},
        ),
        (
            ["Content-Usage: /a/b/ train-ai=y", "Content-Usage: /a/ train-ai=n"],
            "/a/c",
            ["/a/ train-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        # no rule matches: no preferences
        (["Content-Usage: /img/ train-ai=n"], "/doc", [], {}),
        # "/" is a path of length 1 and beats a path-less rule
        (
            ["Content-Usage: train-ai=n", "Content-Usage: / train-ai=y"],
            "/x",
            ["/ train-ai=y"],
            {"train-ai": A, "train-genai": A},
        ),
        # rules of the same governing length all apply, most restrictive first
        (
            ["Content-Usage: train-ai=y", "Content-Usage: train-ai=n"],
            "/x",
            ["train-ai=y", "train-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Usage: /a/ train-ai=n", "Content-Usage: /a/ train-ai=y, search=y"],
            "/a/x",
            ["/a/ train-ai=n", "/a/ train-ai=y, search=y"],
            {"train-ai": D, "train-genai": D, "search": A},
        ),
        (
            ["Content-Usage: /ab search=n", "Content-Usage: /a* search=y, train-ai=y"],
            "/abc",  # different paths of the same length (3 bytes) both match
            ["/ab search=n", "/a* search=y, train-ai=y"],
            {"search": D, "train-ai": A, "train-genai": A},
        ),
        (
            ["Content-Usage: train-ai=n", "Content-Usage: train-genai=y"],
            "/x",
            ["train-ai=n", "train-genai=y"],
            {"train-ai": D, "train-genai": D},
        ),
        # the same wildcards and anchors as Allow/Disallow
        (
            ["Content-Usage: train-ai=y", "Content-Usage: /*.jpg$ train-ai=n"],
            "/photos/a.jpg",
            ["/*.jpg$ train-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Usage: train-ai=y", "Content-Usage: /*.jpg$ train-ai=n"],
            "/photos/a.jpg?size=2",
            ["train-ai=y"],
            {"train-ai": A, "train-genai": A},
        ),
        # the same percent-encoding
        (
            ["Content-Usage: /caf%C3%A9/ train-ai=n"],
            "/café/menu",
            ["/caf%C3%A9/ train-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        # HTAB also separates path and preference; SP/HTAB around both are ignored
        (
            ["Content-Usage:\t/a/\t \ttrain-ai=n \t"],
            "/a/",
            ["/a/\t \ttrain-ai=n"],
            {"train-ai": D, "train-genai": D},
        ),
        # a value not starting with "/" has no path: all of it is the preference
        (["Content-Usage: train-ai=n /a/"], "/a/", ["train-ai=n /a/"], {}),
        (["Content-Usage: *.jpg train-ai=n"], "/a.jpg", ["*.jpg train-ai=n"], {}),
        # a path without a preference governs and states nothing
        (
            ["Content-Usage: train-ai=n", "Content-Usage: /open/"],
            "/open/x",
            ["/open/"],
            {},
        ),
        # an empty value is a path-less rule stating nothing
        (["Content-Usage:", "Content-Usage: search=n"], "/", ["", "search=n"], {"search": D}),
        # a broken value states nothing but still governs
        (
            ["Content-Usage: search=n", "Content-Usage: /a train-ai=maybe,,"],
            "/a",
            ["/a train-ai=maybe,,"],
            {},
        ),
    ],
)
def test_content_usage(rules, path, governing, expected) -> None:
    answer = ask("User-agent: *\n" + "\n".join(rules) + "\n", path)
    assert answer.crawl is True
    # rules are the statements of preference, without their paths
    assert list(answer.rules) == [without_path(value) for value in governing]
    assert stated(answer) == expected
    assert answer.preferences == {
        label: expected.get(label, U) for label in LABELS
    }  # every label, always


@pytest.mark.parametrize(
    ("rules", "path"),
    [
        (["Disallow: /never/", "Content-Usage: train-ai=y"], "/never/x"),
        (["Disallow: /never/", "Content-Usage: /never/ train-ai=n"], "/never/x"),
        (["Disallow: /", "Content-Signal: search=yes"], "/x"),
        (["Disallow: /*.pdf$", "Content-Usage: /*.pdf$ train-ai=n"], "/a.pdf"),
    ],
)
def test_paths_that_may_not_be_crawled_have_no_preferences(rules, path) -> None:
    answer = ask("User-agent: *\n" + "\n".join(rules) + "\n", path)
    assert answer.crawl is False
    assert_no_preferences(answer)


def test_preference_rules_may_be_interleaved_with_allow_and_disallow() -> None:
    text = (
        "User-agent: *\nContent-Usage: /a/ train-ai=n\nDisallow: /b/\n"
        "Content-Usage: search=y\nAllow: /b/ok\n"
    )
    assert ask(text, "/a/x").rules == ("train-ai=n",)
    assert ask(text, "/b/ok").rules == ("search=y",)
    assert ask(text, "/b/no").crawl is False


def test_statements_carry_location_and_system() -> None:
    robots = parse_robots(ATTACH_EXAMPLE, location="https://example.com/robots.txt")
    answer = evaluate(robots, "OtherBot", "/ai-ok/x")
    (statement,) = answer.statements
    assert statement.system == "content-usage" and statement.via == "robots.txt"
    assert statement.as_written == "train-ai=y"
    assert statement.location == "https://example.com/robots.txt"


# ---------------------------------------------------------------- Content-Signal


@pytest.mark.parametrize(
    ("rules", "path", "content_usage", "systems", "expected"),
    [
        (
            ["Content-Signal: search=yes, ai-train=no"],
            "/x",
            [],
            ["content-signal"],
            {"search": A, "train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Signal:  search = yes ,\tai-train=no , "],  # whitespace around items
            "/x",
            [],
            ["content-signal"],
            {"search": A, "train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Signal: ai-input=no"],
            "/x",
            [],
            ["content-signal"],
            {"ai-use": D},
        ),
        (
            ["Content-Signal: search=yes", "Content-Signal: /img/ ai-train=no"],
            "/img/a",
            [],
            ["content-signal"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Signal: search=yes", "Content-Signal: /img/ ai-train=no"],
            "/doc",
            [],
            ["content-signal"],
            {"search": A},
        ),
        # Content-Usage and Content-Signal at the same length combine most restrictively
        (
            ["Content-Signal: ai-train=yes, search=yes", "Content-Usage: train-ai=n"],
            "/x",
            ["train-ai=n"],
            ["content-signal", "content-usage"],
            {"train-ai": D, "train-genai": D, "search": A},
        ),
        # longest match is found per system: a longer Content-Usage path does not
        # silence a shorter Content-Signal one, nor the other way round
        (
            ["Content-Signal: ai-train=no", "Content-Usage: /ok/ train-ai=y"],
            "/ok/x",
            ["train-ai=y"],
            ["content-signal", "content-usage"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            ["Content-Usage: train-ai=y", "Content-Signal: /no/ ai-train=no"],
            "/no/x",
            ["train-ai=y"],
            ["content-usage", "content-signal"],
            {"train-ai": D, "train-genai": D},
        ),
        (
            [
                "Content-Usage: search=n",
                "Content-Usage: /a/ search=y",
                "Content-Signal: search=no",
                "Content-Signal: /a/b/ search=yes",
            ],
            "/a/b/c",
            ["search=y"],
            ["content-usage", "content-signal"],
            {"search": A},
        ),
        # items without "=" and values other than yes/no state nothing
        (
            ["Content-Signal: ai-train, search=maybe, other=no"],
            "/x",
            [],
            ["content-signal"],
            {},
        ),
        (["Content-Signal: AI-Train=No"], "/x", [], ["content-signal"], TRAIN_N),
    ],
)
def test_content_signal(rules, path, content_usage, systems, expected) -> None:
    answer = ask("User-agent: *\n" + "\n".join(rules) + "\n", path)
    assert list(answer.rules) == content_usage  # only Content-Usage values are rules
    assert [statement.system for statement in answer.statements] == systems
    assert stated(answer) == expected


def test_content_signal_in_the_vocabulary_asked_for() -> None:
    text = "User-agent: *\nContent-Signal: search=yes, ai-train=no, ai-input=no\n"
    answer = ask(text, "/", vocabulary="aipref-07")
    assert answer.preferences == {"train-ai": D, "search": A}
    assert answer.statements[0].expression == "search=y, train-ai=n"


# ---------------------------------------------------------------- line syntax


@pytest.mark.parametrize(
    "text",
    [
        "USER-AGENT: examplebot\nDISALLOW: /x\nCONTENT-USAGE: train-ai=n\n",
        "user-agent: examplebot\ndisallow: /x\ncontent-usage: train-ai=n\n",
        "User-Agent: ExampleBot\nDisAllow: /x\nContent-usage: train-ai=n\n",
        " \tUser-agent \t: \tExampleBot \t\n\t Disallow\t :/x \n  Content-Usage :train-ai=n\t\n",
        "User-agent:ExampleBot\nDisallow:/x\nContent-Usage:train-ai=n\n",
        "User-agent: ExampleBot # the bot\nDisallow: /x # not /x/\nContent-Usage: train-ai=n # n\n",
        "# c\nUser-agent: ExampleBot\n# Disallow: /\nDisallow: /x#y\nContent-Usage: train-ai=n\n",
        "User-agent: ExampleBot\r\nDisallow: /x\r\nContent-Usage: train-ai=n\r\n",
        "User-agent: ExampleBot\rDisallow: /x\rContent-Usage: train-ai=n\r",
        "User-agent: ExampleBot\r\nDisallow: /x\rContent-Usage: train-ai=n\n",  # mixed
        "User-agent: ExampleBot\nDisallow: /x\nContent-Usage: train-ai=n",  # no final EOL
        "\ufeffUser-agent: ExampleBot\nDisallow: /x\nContent-Usage: train-ai=n\n",
        "User-agent: ExampleBot\nnonsense line\nDisallow: /x\n\n\nContent-Usage: train-ai=n\n",
    ],
)
def test_line_syntax(text: str) -> None:
    for data in (text, text.encode("utf-8")):
        robots = parse_robots(data)
        assert [group.agents for group in robots.groups] == [("examplebot",)]
        assert evaluate(robots, "ExampleBot", "/x/y").crawl is False
        answer = evaluate(robots, "ExampleBot", "/y")
        assert answer.crawl is True and answer.rules == ("train-ai=n",)
        assert answer.preferences["train-ai"] == D


def test_content_signal_label_is_case_insensitive() -> None:
    answer = ask("User-agent: *\nCONTENT-signal : ai-train=no\n", "/")
    assert answer.preferences["train-ai"] == D


def test_comment_ends_content_usage_value() -> None:
    answer = ask("User-agent: *\nContent-Usage: /a/ train-ai=n # , search=n\n", "/a/b")
    assert answer.rules == ("train-ai=n",)
    assert stated(answer) == {"train-ai": D, "train-genai": D}


def test_byte_order_mark_is_ignored_only_at_the_start() -> None:
    robots = parse_robots(b"\xef\xbb\xbfUser-agent: *\nDisallow: /x\n")
    assert robots.groups[0].agents == ("*",) and robots.warnings == ()
    assert evaluate(robots, "a", "/x").crawl is False
    # a BOM elsewhere is part of the line: the label is not "user-agent"
    robots = parse_robots(b"# c\n\xef\xbb\xbfUser-agent: *\nDisallow: /x\n")
    assert evaluate(robots, "a", "/x").group is None


def test_invalid_utf8_is_replaced_and_the_rest_is_read() -> None:
    data = b"User-agent: *\nDisallow: /\xff\xfe\nDisallow: /x\nContent-Usage: search=n\n"
    robots = parse_robots(data)
    assert any("UTF-8" in warning for warning in robots.warnings)
    assert robots.groups[0].rules[0].value == "/\ufffd\ufffd"
    assert evaluate(robots, "a", "/\ufffd\ufffd/page").crawl is False
    assert evaluate(robots, "a", "/\ufffd").crawl is True
    assert evaluate(robots, "a", "/x").crawl is False
    assert evaluate(robots, "a", "/y").rules == ("search=n",)


def test_lines_without_colon_are_ignored_with_a_warning() -> None:
    robots = parse_robots("User-agent: *\nDisallow /x\n   \nDisallow: /y\n")
    assert evaluate(robots, "a", "/x").crawl is True
    assert evaluate(robots, "a", "/y").crawl is False
    assert robots.warnings == ("lines without a colon were ignored: line 2",)


def test_valid_file_has_no_warnings() -> None:
    assert parse_robots(ATTACH_EXAMPLE).warnings == ()


# ---------------------------------------------------------------- 500 KiB


def filler(size: int) -> bytes:
    """Comment lines of exactly `size` bytes."""
    line = b"#" + b"x" * 98 + b"\n"
    return line * (size // len(line)) + b"#" * (size % len(line) - 1) + b"\n"


def test_only_the_first_500_kib_are_parsed() -> None:
    head = b"User-agent: *\nDisallow: /before\nContent-Usage: search=n\n"
    tail = b"Disallow: /after\nContent-Usage: train-ai=n\n"
    data = head + filler(SIZE_LIMIT - len(head)) + tail
    assert len(data) > SIZE_LIMIT
    robots = parse_robots(data)
    assert robots.size == len(data)
    assert evaluate(robots, "a", "/before").crawl is False
    assert evaluate(robots, "a", "/after").crawl is True
    assert evaluate(robots, "a", "/x").rules == ("search=n",)
    (warning,) = robots.warnings
    assert "512000" in warning and "the rest was ignored" in warning


def test_a_file_of_exactly_500_kib_is_read_whole() -> None:
    head = b"User-agent: *\n"
    tail = b"Disallow: /last\n"
    data = head + filler(SIZE_LIMIT - len(head) - len(tail)) + tail
    assert len(data) == SIZE_LIMIT
    robots = parse_robots(data)
    assert robots.warnings == ()
    assert evaluate(robots, "a", "/last").crawl is False


@pytest.mark.parametrize("cut", [1, 11, 12, 16])  # bytes of "Disallow: /abcd\n" inside the limit
def test_a_line_cut_by_the_limit_is_not_read(cut: int) -> None:
    head = b"User-agent: *\n"
    line = b"Disallow: /abcd\n"
    data = head + filler(SIZE_LIMIT - len(head) - cut) + line + b"Disallow: /z\n"
    robots = parse_robots(data)
    assert any("the rest was ignored" in warning for warning in robots.warnings)
    # a line cut short could have said something broader ("Disallow: /")
    assert evaluate(robots, "a", "/abcd").crawl is (cut != len(line))
    assert evaluate(robots, "a", "/z").crawl is True


def test_the_limit_counts_bytes_of_text_input() -> None:
    head = "User-agent: *\n"
    body = "#" + "é" * 200 + "\n"  # 402 bytes, 202 characters
    data = head + body * (SIZE_LIMIT // len(body.encode()) + 1) + "Disallow: /after\n"
    assert len(data) < SIZE_LIMIT < len(data.encode())
    robots = parse_robots(data)
    assert evaluate(robots, "a", "/after").crawl is True
    assert robots.warnings and "the rest was ignored" in robots.warnings[0]


# ---------------------------------------------------------------- API


def test_answer_to_json() -> None:
    robots = parse_robots(ATTACH_EXAMPLE, location="robots.txt")
    answer = evaluate(robots, "OtherBot", "/ai-ok/x?y=1")
    out = answer.to_json()
    assert list(out) == [
        "agent", "path", "crawl", "group", "rules", "preferences", "exceptions", "statements"
    ]  # fmt: skip
    assert out["exceptions"] == {}
    assert out["agent"] == "OtherBot" and out["path"] == "/ai-ok/x?y=1"
    assert out["crawl"] is True and out["group"] == "*"
    assert out["rules"] == ["train-ai=y"]
    assert out["preferences"] == answer.preferences
    assert out["statements"] == [statement.to_json() for statement in answer.statements]
    assert out["statements"][0]["expression"] == "train-ai=y"
    json.dumps(out)
    json.dumps(robots.to_json())
    assert robots.to_json()["groups"][0]["rules"][3] == {
        "kind": "content-usage",
        "value": "/ai-ok/ train-ai=y",
        "line": 5,
        "path": "/ai-ok/",
        "preference": "train-ai=y",
    }


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_vocabulary_gives_every_label(vocabulary: str) -> None:
    labels = load_ontology().vocabulary(vocabulary).labels
    for path in ("/test", "/never/x", "/ai-ok/x"):
        answer = ask(ATTACH_EXAMPLE, path, "OtherBot", vocabulary=vocabulary)
        assert list(answer.preferences) == list(labels)
    answer = ask(ATTACH_EXAMPLE, "/test", "OtherBot", vocabulary=vocabulary)
    if "train-ai" in labels:
        assert answer.preferences["train-ai"] == D


def test_unknown_vocabulary_raises() -> None:
    with pytest.raises(UnknownVocabularyError):
        ask(ATTACH_EXAMPLE, "/", vocabulary="aipref-99")


def test_robots_is_frozen_and_reusable() -> None:
    robots = parse_robots(ATTACH_EXAMPLE)
    assert isinstance(robots, Robots)
    with pytest.raises(AttributeError):
        robots.groups = ()  # type: ignore[misc]
    first = evaluate(robots, "OtherBot", "/ai-ok/1")
    for vocabulary in ("aipref-07", DEFAULT_VOCABULARY):
        evaluate(robots, "OtherBot", "/ai-ok/2", vocabulary=vocabulary)
    again = evaluate(robots, "OtherBot", "/ai-ok/1")
    assert again == first
    assert evaluate(robots, "ExampleBot", "/never/x").crawl is True
    assert robots == parse_robots(ATTACH_EXAMPLE)  # the cache is no part of equality


def test_many_rules_and_paths_are_fast() -> None:
    lines = ["User-agent: *"]
    for i in range(2000):
        lines += [f"Disallow: /d{i}/", f"Allow: /d{i}/ok*", f"Content-Usage: /p{i}/ train-ai=n"]
    lines.append("Content-Usage: search=y")
    robots = parse_robots("\n".join(lines))
    start = time.perf_counter()
    answers = [evaluate(robots, "bot", f"/p{i % 2500}/page?q={i}") for i in range(5000)]
    assert time.perf_counter() - start < 10
    assert answers[1].rules == ("train-ai=n",)
    assert answers[2100].rules == ("search=y",)


def test_hostile_wildcard_patterns_stay_fast() -> None:
    pattern = "/" + "*a" * 40 + "*b$"
    text = f"User-agent: *\nDisallow: {pattern}\nContent-Usage: {pattern} train-ai=n\n"
    robots = parse_robots(text)
    start = time.perf_counter()
    answer = evaluate(robots, "bot", "/" + "a" * 20000)
    assert time.perf_counter() - start < 1
    assert answer.crawl is True and answer.rules == ()
    assert evaluate(robots, "bot", "/" + "a" * 20000 + "b").crawl is False


# ---------------------------------------------------------------- properties


def reference_match(pattern: str, path: str) -> bool:
    """RFC 9309 wildcard matching by regular expression, for comparison."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.match(regex + (r"\Z" if anchored else ""), path, re.DOTALL) is not None


@settings(max_examples=500, deadline=None)
@given(
    pattern=st.text(alphabet="/ab*$", max_size=10).map(lambda text: "/" + text),
    path=st.text(alphabet="/ab$", max_size=12).map(lambda text: "/" + text),
)
def test_wildcard_matching_agrees_with_regular_expressions(pattern: str, path: str) -> None:
    normalised = request_path(path)  # matches() takes a path as request_path gives it
    assert PathPattern.compile(pattern).matches(normalised) == reference_match(pattern, path)


@settings(max_examples=300, deadline=None)
@given(
    rules=st.lists(
        st.tuples(
            st.sampled_from(["Allow", "Disallow", "Content-Usage", "Content-Signal"]),
            st.text(alphabet="/ab*$", max_size=6).map(lambda text: "/" + text),
        ),
        max_size=12,
    ),
    path=st.text(alphabet="/ab", max_size=8).map(lambda text: "/" + text),
)
def test_longest_match_agrees_with_trying_every_rule(rules, path) -> None:
    statement = {"Content-Usage": "search=y, x{}=?1", "Content-Signal": "search=yes, x{}=no"}
    lines = ["User-agent: *"]
    for number, (kind, pattern) in enumerate(rules):
        lines.append(f"{kind}: {pattern} " + statement.get(kind, "").format(number))
    answer = ask("\n".join(lines), path)

    def longest(kinds: set[str]) -> list[tuple[str, str]]:
        matching = [
            (kind, pattern)
            for kind, pattern in rules
            if kind in kinds and PathPattern.compile(pattern).matches(path)
        ]
        most = max((len(pattern) for _, pattern in matching), default=-1)
        return [(kind, pattern) for kind, pattern in matching if len(pattern) == most]

    access = longest({"Allow", "Disallow"})
    assert answer.crawl is (not access or any(kind == "Allow" for kind, _ in access))
    governing = longest({"Content-Usage"}) + longest({"Content-Signal"})
    expected = [
        (kind, statement[kind].format(number))
        for number, (kind, pattern) in enumerate(rules)
        if (kind, pattern) in governing
    ]
    if not answer.crawl:
        expected = []
    assert [(s.system.title(), s.as_written) for s in answer.statements] == expected
    assert list(answer.rules) == [written for kind, written in expected if kind == "Content-Usage"]


FRAGMENTS = [
    "User-agent: ",
    "user-AGENT:",
    "Allow: ",
    "Disallow:",
    "Content-Usage: ",
    "Content-Signal: ",
    "Sitemap: ",
    "*",
    "ExampleBot",
    "/",
    "/a",
    "$",
    "%2F",
    "%",
    "train-ai=n",
    "search=y",
    "ai-train=no",
    "search=yes",
    ", ",
    " ",
    "\t",
    "#",
    ":",
    "=",
    "\n",
    "\r\n",
    "\r",
    "é",
    "\ufeff",
]


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
        st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(lambda f: "".join(f).encode()),
    ),
    agent=st.one_of(st.sampled_from(["ExampleBot", "*", ""]), st.text(max_size=20)),
    path=st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join), st.text()),
    vocabulary=st.sampled_from(VOCABULARIES),
)
def test_parse_and_evaluate_never_raise(data, agent, path, vocabulary) -> None:
    robots = parse_robots(data)
    answer = evaluate(robots, agent, path, vocabulary)
    labels = load_ontology().vocabulary(vocabulary).labels
    assert list(answer.preferences) == list(labels)
    assert set(answer.preferences.values()) <= {A, D, U}
    assert not (answer.rules or answer.statements) or answer.crawl
    if answer.group is None:
        assert answer.crawl and not answer.statements
    json.dumps(answer.to_json())
    json.dumps(robots.to_json())


# RFC 9309 section 2.2.3, "Special characters": the examples of percent-encoded "*" and "$"
@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("/path/file-with-a-%2A.html", "/path/file-with-a-*.html"),
        ("/path/foo-%24", "/path/foo-$"),
        ("/search/%2a/", "/search/*/"),
    ],
)
def test_percent_encoded_special_characters_match_themselves(rule: str, path: str) -> None:
    text = f"User-agent: *\nDisallow: {rule}\n"
    assert crawl(text, path) is False
    assert crawl(text, path.replace("*", "x").replace("$", "x")) is True


@pytest.mark.parametrize(
    ("agent", "group", "may"),
    [
        ("agent1", "agent1", False),
        ("agent2", "agent2", True),
        ("Agent2/1.0", "agent2", True),
        ("agent", "*", True),
        ("AI2Bot", "ai2bot", False),
        ("img2dataset", "img2dataset", True),
        ("MJ12bot", "mj12bot", False),
        ("MJ", "*", True),
    ],
)
def test_product_tokens_with_digits_are_matched_whole(agent: str, group: str, may: bool) -> None:
    text = (
        "User-agent: agent1\nDisallow: /\n\nUser-agent: agent2\nAllow: /\n\n"
        "User-agent: AI2Bot\nUser-agent: MJ12bot/1.4\nDisallow: /\n\n"
        "User-agent: img2dataset\nAllow: /\n\nUser-agent: *\nAllow: /\n"
    )
    answer = ask(text, "/page", agent)
    assert (answer.group, answer.crawl) == (group, may)


def test_the_cc_signal_exception_of_the_governing_rules() -> None:
    text = (
        "User-agent: *\nContent-Usage: train-genai=n;exceptions=cc-cr-ec\n"
        "Content-Usage: /plain/ train-genai=n\n"
        "Content-Usage: /both/ all=n;exceptions=cc-cr\nContent-Signal: /both/ ai-train=no\n"
    )
    answer = ask(text, "/a")
    assert answer.preferences["train-genai"] == D
    assert answer.exceptions == {"train-genai": "cc-cr-ec"}
    assert answer.to_json()["exceptions"] == {"train-genai": "cc-cr-ec"}
    assert ask(text, "/plain/x").exceptions == {}
    both = ask(text, "/both/x")  # Content-Signal's plain disallow of train-ai is not lifted
    assert both.preferences["train-ai"] == D and "train-ai" not in both.exceptions
    assert both.exceptions["search"] == "cc-cr"


# ------------------------------------------------------------------ PathMatcher (audit's cache)

_PATTERN_PIECES = st.sampled_from(["/", "/a", "/a/", "/ab", "/b", "*", "$", ".html", "/robots.txt",
                                   "%2A", "?q", "/%7Ex", "é"])  # fmt: skip
_PATTERNS = st.lists(_PATTERN_PIECES, min_size=0, max_size=4).map("".join)
_URL_PATHS = st.lists(
    st.sampled_from(
        [
            "/",
            "a",
            "b",
            "/a",
            "/ab",
            ".html",
            "?q=1",
            "#f",
            "*",
            "$",
            "%7e",
            "%2a",
            "é",
            " ",
            "robots.txt",
            "/robots.txt",
        ]
    ),  # fmt: skip
    min_size=0,
    max_size=6,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    rules=st.lists(
        st.tuples(st.sampled_from(["Allow", "Disallow", "Content-Usage"]), _PATTERNS),
        max_size=6,
    ),
    agent=st.sampled_from(["*", "examplebot"]),
    paths=st.lists(_URL_PATHS, min_size=1, max_size=12),
)
def test_path_matcher_answers_as_match(
    rules: list[tuple[str, str]], agent: str, paths: list[str]
) -> None:
    lines = ["User-agent: examplebot", "Disallow: /b", "", "User-agent: *"]
    for kind, pattern in rules:
        value = f"{pattern} train-ai=n" if kind == "Content-Usage" else pattern
        lines.append(f"{kind}: {value}")
    robots = parse_robots("\n".join(lines) + "\n")
    matcher = PathMatcher(robots, agent)
    for path in paths * 2:  # the second time from the cache
        url = "https://h.example" + path
        _number, crawl, governing = matcher.match(url)
        assert (crawl, governing) == match(robots, agent, url)


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["https", "http", "HTTP", "h-t", ""]),
    authority=st.sampled_from(["h.example", "h.example:8080", "u@h", ""]),
    path=_URL_PATHS,
)
def test_url_request_path_is_request_path(scheme: str, authority: str, path: str) -> None:
    url = f"{scheme}://{authority}{path}" if scheme else authority + path
    assert url_request_path(url) == request_path(url)


# ------------------------------------------------------ reading only the limit


_LINES = st.lists(
    st.sampled_from(
        [
            b"User-agent: *",
            b"User-agent: a1",
            b"Disallow: /x",
            b"Allow: /x/y",
            b"",
            b"# c",
            b"Content-Usage: train-ai=n",
            b"Content-Usage: /p/ search=y",
            b"\xff\xfe junk",
        ]
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_LINES, st.sampled_from([b"\n", b"\r\n", b"\r"]), st.integers(min_value=0, max_value=400))
def test_the_limit_and_one_byte_parse_as_the_whole_file(
    lines: list[bytes], end: bytes, limit: int
) -> None:
    # what lets readers keep SIZE_LIMIT + 1 bytes of a 2 GB robots.txt, not all of it
    import ccsig.ingest.robots as robots_module

    data = end.join(lines) + end
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(robots_module, "SIZE_LIMIT", limit)
        whole = parse_robots(data)
        prefix = parse_robots(data[: limit + 1], size=len(data))
    assert prefix.groups == whole.groups
    assert prefix.warnings == whole.warnings and prefix.size == whole.size == len(data)
