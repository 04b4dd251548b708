"""Every example expression of draft-ietf-aipref-vocab-01 ... -07 and of the CC signals
README, with the outcome the text states, under the vocabulary of that draft.

The expressions are hard-coded (they are short); `test_every_example_is_covered`
checks against ../shared/reference that none was missed or mistyped.
"""

from __future__ import annotations

import re

import pytest

from ccsig.model.expression import parse_expression
from tests.helpers.paths import REFERENCE_DIR, requires_reference

A, D, U = "allow", "disallow", "unknown"

# (vocabulary, where the example is, expression, parsed?, explicit preferences stated)
# Categories not listed are expected "unknown".
EXAMPLES = [
    # -01 §6 Exemplary Serialization Format: allow AI training, disallow genAI training.
    ("aipref-01", "§6", "ai=y, genai=n", True, {"ai": A, "genai": D}),
    # -01 §6.5 Processing Algorithm: duplicates; "the following expresses no preferences".
    ("aipref-01", "§6.5", 'ai=y, ai="n", genai=n, genai, tdm=n, tdm=()', True, {}),
    # -02 §6 Exemplary Serialization Format.
    ("aipref-02", "§6", "train-ai=y, train-genai=n", True, {"train-ai": A, "train-genai": D}),
    # -02 §6.5 Processing Algorithm: "the following expresses no preferences".
    (
        "aipref-02",
        "§6.5",
        'train-ai=y, train-ai="n", train-genai=n, train-genai, all=n, all=()',
        True,
        {},
    ),
    # -03 §6 Exemplary Serialization Format.
    ("aipref-03", "§6", "train-ai=y, train-genai=n", True, {"train-ai": A, "train-genai": D}),
    # -03 §6.5 Processing Algorithm: "the following expresses no preferences".
    (
        "aipref-03",
        "§6.5",
        'train-ai=y, train-ai="n", train-genai=n, train-genai, bots=n, bots=()',
        True,
        {},
    ),
    # -03 §6.5: "the following train-ai preference has parameters even though no
    # preference is expressed". As printed, with the trailing ";", it is not an RFC 9651
    # Dictionary at all (a parameter key must follow ";"), so it does not parse; the
    # stated outcome for train-ai (no preference) holds all the same. Same in -04...-07.
    ("aipref-03", "§6.5", 'train-ai;has;parameters="?";', False, {}),
    # -04 §6 Exemplary Serialization Format: allow automated processing, disallow train-ai.
    ("aipref-04", "§6", "bots=y, train-ai=n", True, {"bots": A, "train-ai": D}),
    # -04 §6.5 Processing Algorithm: "the following expresses no preferences".
    (
        "aipref-04",
        "§6.5",
        'train-ai=y, train-ai="n", search=n, search, bots=n, bots=()',
        True,
        {},
    ),
    ("aipref-04", "§6.5", 'train-ai;has;parameters="?";', False, {}),  # see -03 above
    # -05 §6 Exemplary Serialization Format: allow train-ai, disallow search.
    ("aipref-05", "§6", "train-ai=y, search=n", True, {"train-ai": A, "search": D}),
    # -05 §6.5 Processing Algorithm: "the following expresses no preferences".
    ("aipref-05", "§6.5", 'train-ai=y, train-ai="n", search=n, search', True, {}),
    ("aipref-05", "§6.5", 'train-ai;has;parameters="?";', False, {}),  # see -03 above
    # -06 §6 Exemplary Serialization Format.
    ("aipref-06", "§6", "train-ai=y, search=n", True, {"train-ai": A, "search": D}),
    # -06 §6.5 Processing Algorithm: "preferences are unknown" (a Boolean and a String).
    ("aipref-06", "§6.5", 'train-ai=y, train-ai, search=n, search="n"', True, {}),
    ("aipref-06", "§6.5", 'train-ai;has;parameters="?";', False, {}),  # see -03 above
    # -07 §6 Exemplary Serialization Format.
    ("aipref-07", "§6", "train-ai=y, search=n", True, {"train-ai": A, "search": D}),
    # -07 §6.5.1 Multiple Preferences: "all preferences being unknown".
    ("aipref-07", "§6.5.1", 'train-ai=y, train-ai, search=n, search="n"', True, {}),
    # -07 §6.5.2 Preference Parameters: "carries no parameters, and a preference to allow".
    ("aipref-07", "§6.5.2", "train-ai;allow=n, train-ai=y", True, {"train-ai": A}),
    ("aipref-07", "§6.5.2", 'train-ai;has;parameters="?";', False, {}),  # see -03 above
]


@pytest.mark.parametrize(
    ("vocabulary", "section", "expression", "parses", "stated"),
    [pytest.param(*e, id=f"{e[0]} {e[1]} {e[2]}") for e in EXAMPLES],
)
def test_draft_example(
    vocabulary: str, section: str, expression: str, parses: bool, stated: dict[str, str]
) -> None:
    parsed = parse_expression(expression.encode("ascii"), vocabulary)
    assert parsed.vocabulary == vocabulary
    assert parsed.parsed is parses, parsed.error
    assert parsed.preferences == {label: stated.get(label, U) for label in parsed.preferences}
    assert set(stated) <= set(parsed.preferences)  # every stated label is a category
    assert parsed.exceptions == {}
    if not parses:
        assert any("does not parse" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("vocabulary", "expression", "duplicates"),
    [
        ("aipref-01", 'ai=y, ai="n", genai=n, genai, tdm=n, tdm=()', ("ai", "genai", "tdm")),
        ("aipref-07", 'train-ai=y, train-ai, search=n, search="n"', ("train-ai", "search")),
        ("aipref-07", "train-ai;allow=n, train-ai=y", ("train-ai",)),
    ],
)
def test_duplicate_examples_are_reported(
    vocabulary: str, expression: str, duplicates: tuple[str, ...]
) -> None:
    parsed = parse_expression(expression, vocabulary)
    assert parsed.duplicates == duplicates
    for label in duplicates:
        assert any(repr(label) in w and "more than once" in w for w in parsed.warnings)


def test_parameters_example_without_trailing_semicolon_parses_to_unknown() -> None:
    # The -03...-07 parameters example minus its trailing ";": a Boolean true with
    # parameters, which is not a Token, so train-ai stays unknown.
    parsed = parse_expression('train-ai;has;parameters="?"', "aipref-07")
    assert parsed.parsed is True
    assert [(m.label, m.value, m.value_as_written) for m in parsed.members] == [
        ("train-ai", None, "?1")
    ]
    assert parsed.preferences == {"train-ai": U, "search": U}


# CC signals README, "Implementation" / robots.txt and HTTP header examples; CC uses
# the labels of aipref-02.
@pytest.mark.parametrize(
    ("expression", "label", "signal"),
    [
        ("ai-use=n;exceptions=cc-cr", "ai-use", "cc-cr"),
        ("train-genai=n;exceptions=cc-cr-ec", "train-genai", "cc-cr-ec"),
    ],
)
def test_cc_signals_readme_example(expression: str, label: str, signal: str) -> None:
    parsed = parse_expression(expression, "aipref-02")
    assert parsed.parsed is True
    assert parsed.preferences == {
        "all": U,
        "train-ai": U,
        "train-genai": D if label == "train-genai" else U,
        "ai-use": D if label == "ai-use" else U,
        "search": U,
    }
    assert parsed.exceptions == {label: signal}
    assert parsed.effective_exceptions == {label: signal}
    assert parsed.warnings == ()
    assert parsed.canonical() == expression


# Consulting a preference expression (§7 of -01/-02, §5 of -03...-06): an unstated
# category takes the answer of the category it is a proper subset of.
HIERARCHY = [
    ("aipref-01", "tdm=n", {"tdm": D, "ai": D, "genai": D, "search": D, "inference": D}),
    ("aipref-01", "ai=n, genai=y", {"tdm": U, "ai": D, "genai": A, "search": U, "inference": U}),
    (
        "aipref-02",
        "train-ai=n, train-genai=y",
        {"all": U, "train-ai": D, "train-genai": A, "ai-use": U, "search": U},
    ),
    (
        "aipref-02",
        "all=y, train-ai=n",
        {"all": A, "train-ai": D, "train-genai": D, "ai-use": A, "search": A},
    ),
    ("aipref-03", "bots=n, train-ai=y", {"bots": D, "train-ai": A, "train-genai": A, "search": D}),
    ("aipref-04", "ai-output=n", {"bots": U, "train-ai": U, "ai-output": D, "search": D}),
    ("aipref-04", "bots=y, train-ai=n", {"bots": A, "train-ai": D, "ai-output": A, "search": A}),
    # -05...-07 are flat: nothing is inherited.
    ("aipref-05", "train-ai=n", {"train-ai": D, "search": U}),
    ("aipref-06", "search=y", {"train-ai": U, "search": A}),
    ("aipref-07", "train-ai=n", {"train-ai": D, "search": U}),
]


@pytest.mark.parametrize(
    ("vocabulary", "expression", "effective"),
    [pytest.param(*h, id=f"{h[0]} {h[1]}") for h in HIERARCHY],
)
def test_hierarchy_fallback(vocabulary: str, expression: str, effective: dict[str, str]) -> None:
    assert parse_expression(expression, vocabulary).effective == effective


def test_exception_is_inherited_from_the_nearest_stated_ancestor() -> None:
    parsed = parse_expression("all=n;exceptions=cc-cr", "aipref-02")
    assert parsed.preferences["train-genai"] == U
    assert parsed.effective["train-genai"] == D
    assert parsed.exceptions == {"all": "cc-cr"}
    assert parsed.effective_exceptions["train-genai"] == "cc-cr"
    assert parsed.effective_exceptions["search"] == "cc-cr"
    # A nearer disallow without an exception hides the inherited one...
    nearer = parse_expression("all=n;exceptions=cc-cr, train-ai=n", "aipref-02")
    assert nearer.effective["train-genai"] == D
    assert "train-genai" not in nearer.effective_exceptions
    assert nearer.effective_exceptions["ai-use"] == "cc-cr"
    # ...and so does a nearer allow.
    allowed = parse_expression("all=n;exceptions=cc-cr, train-ai=y", "aipref-02")
    assert allowed.effective["train-genai"] == A
    assert "train-genai" not in allowed.effective_exceptions


def _fenced_examples(text: str) -> set[str]:
    """The contents of ~~~ blocks without an info string (figures are ~~~ aasvg)."""
    examples, block, info = set(), None, ""
    for line in text.splitlines():
        if line.startswith("~~~"):
            if block is None:
                block, info = [], line.strip("~ ")
            else:
                if not info:
                    examples.add("\n".join(block).strip())
                block = None
        elif block is not None:
            block.append(line)
    return examples


@pytest.mark.parametrize("draft", [f"aipref-0{n}" for n in range(1, 8)])
def test_every_example_is_covered(draft: str) -> None:
    folder = requires_reference("aipref")
    text = (folder / f"draft-ietf-aipref-vocab-{draft[-2:]}.md").read_text(encoding="utf-8")
    assert _fenced_examples(text) == {e[2] for e in EXAMPLES if e[0] == draft}


def test_cc_readme_examples_are_covered() -> None:
    text = (requires_reference("cc-signals") / "README.md").read_text(encoding="utf-8")
    found = set(re.findall(r"^(?:Content-Usage: )?([a-z-]+=[yn];exceptions=[a-z-]+)$", text, re.M))
    assert found == {"ai-use=n;exceptions=cc-cr", "train-genai=n;exceptions=cc-cr-ec"}


def test_reference_dir_is_where_conftest_says(reference_dir) -> None:
    assert reference_dir == REFERENCE_DIR
