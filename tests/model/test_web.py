"""Statements found on the web: other systems mapped through vocab/mappings.ttl, and
most-restrictive combining (ccsig.model.web)."""

from __future__ import annotations

import pytest

from ccsig.model import web
from ccsig.model.vocabulary import load_ontology

PLUS_VALUES = (
    "DMI-UNSPECIFIED",
    "DMI-ALLOWED",
    "DMI-PROHIBITED-AIMLTRAINING",
    "DMI-PROHIBITED-GENAIMLTRAINING",
    "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
    "DMI-PROHIBITED",
    "DMI-PROHIBITED-SEECONSTRAINT",
    "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR",
    "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR",
)


def test_every_mapped_term_is_loaded_from_the_vocabulary() -> None:
    terms = load_ontology().mapped_terms
    assert set(terms) == {
        ("content-signal", "search"),
        ("content-signal", "ai-train"),
        ("content-signal", "ai-input"),
        ("content-signal", "yes"),
        ("content-signal", "no"),
        ("content-signal", "allow"),  # spellings CMS plugins write, read with a warning
        ("content-signal", "disallow"),
        ("tdmrep", "tdm-reservation"),
        ("tdmrep", "1"),
        ("x-robots-tag", "noai"),
        ("x-robots-tag", "noimageai"),
        ("odrl", "usage category"),
        ("odrl", "tdm:mine"),
        ("odrl", "permission"),
        ("odrl", "prohibition"),
        # vocab/html-meta.ttl
        ("robots-meta", "noai"),
        ("robots-meta", "noimageai"),
        # vocab/plus.ttl: a value, and the value with a second category it speaks of
        *(("plus", v) for v in PLUS_VALUES),
        *(
            ("plus", f"{v} search")
            for v in PLUS_VALUES
            if v
            not in (
                "DMI-UNSPECIFIED",
                "DMI-PROHIBITED-AIMLTRAINING",
                "DMI-PROHIBITED-GENAIMLTRAINING",
            )
        ),
    } | {("rsl", term) for term in RSL_TERMS} | {("cawg", use) for use in CAWG_USES}


CAWG_USES = ("allowed", "notAllowed", "constrained")  # vocab/cawg.ttl: the uses as values


RSL_TERMS = (
    "all", "ai-all", "ai-train", "train-ai", "ai-input", "ai-index", "search",
    "permits", "prohibits", "payment:free", "payment:attribution",
)  # fmt: skip


@pytest.mark.parametrize(
    ("vocabulary", "expression"),
    [
        ("aipref-02", "search=y, train-ai=n, ai-use=y"),
        ("aipref-07", "search=y, train-ai=n"),  # -07 has no ai-use: ai-input maps to nothing
    ],
)
def test_content_signal(vocabulary: str, expression: str) -> None:
    pairs = [("search", "yes"), ("ai-train", "no"), ("ai-input", "yes"), ("other", "no")]
    s = web.mapped("content-signal", pairs, "as written", "robots.txt", vocabulary)
    assert s.expression == expression and s.system == "content-signal"
    assert s.preferences["train-ai"] == "disallow" and s.preferences["search"] == "allow"


def test_content_signal_values_other_than_yes_and_no_state_nothing() -> None:
    s = web.mapped("content-signal", [("ai-train", "maybe")], "ai-train=maybe", "robots.txt")
    assert s.expression == "" and set(s.preferences.values()) == {"unknown"}


@pytest.mark.parametrize(
    ("vocabulary", "root"),
    [
        ("aipref-01", "tdm"),
        ("aipref-02", "all"),
        ("aipref-05", "train-ai"),
        ("aipref-07", "train-ai"),
    ],
)
def test_tdm_reservation_disallows_the_root_category_or_train_ai(vocabulary, root) -> None:
    s = web.mapped("tdmrep", [("tdm-reservation", "1")], "tdm-reservation: 1", "header", vocabulary)
    assert s.expression == f"{root}=n" and s.preferences[root] == "disallow"
    none = web.mapped("tdmrep", [("tdm-reservation", "0")], "tdm-reservation: 0", "header")
    assert set(none.preferences.values()) == {"unknown"}


def test_noai_and_noimageai() -> None:
    noai = web.mapped("x-robots-tag", [("noai", None)], "noai", "header", media_type="text/html")
    assert noai.preferences["train-genai"] == "disallow"  # the hierarchy applies
    html = web.mapped(
        "x-robots-tag", [("noimageai", None)], "noimageai", "header", media_type="text/html"
    )
    image = web.mapped(
        "x-robots-tag", [("noimageai", None)], "noimageai", "header", media_type="IMAGE/png"
    )
    assert html.expression == "" and image.expression == "train-ai=n"


def test_combining_is_most_restrictive() -> None:
    allow_all = web.content_usage("all=y", "header")
    deny_training = web.mapped("content-signal", [("ai-train", "no")], "ai-train=no", "robots.txt")
    allow_search = web.content_usage("search=y", "robots.txt")
    combined = web.combine([allow_all, deny_training, allow_search])
    assert combined == {
        "all": "allow",
        "train-ai": "disallow",
        "train-genai": "disallow",
        "ai-use": "allow",
        "search": "allow",
    }
    assert set(web.combine([]).values()) == {"unknown"}


def test_unparseable_content_usage_states_nothing_and_says_why() -> None:
    s = web.content_usage("train-ai=n,", "header", location="https://e.org/x")
    out = s.to_json()
    assert out["parsed"] is False and "error" in out and out["location"] == "https://e.org/x"
    assert set(s.preferences.values()) == {"unknown"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["train-genai=n;exceptions=cc-cr-ec"], {"train-genai": "cc-cr-ec"}),
        (["train-genai=n;exceptions=cc-cr-ec", "search=n"], {"train-genai": "cc-cr-ec"}),
        (["train-genai=n;exceptions=cc-cr-ec", "train-genai=y"], {"train-genai": "cc-cr-ec"}),
        (["train-genai=n;exceptions=cc-cr-ec", "train-ai=n"], {}),  # a plain disallow stays
        (["train-genai=n;exceptions=cc-cr", "train-genai=n;exceptions=cc-cr-ec"],
         {"train-genai": "cc-cr-ec"}),  # committing to cc-cr-ec's elements lifts both
        (["train-genai=n;exceptions=cc-cr-dc", "train-genai=n;exceptions=cc-cr-ec"],
         {"train-genai": "cc-cr-dc cc-cr-ec"}),  # no one signal has all their elements
        (["train-ai=n;exceptions=cc-cr"], {"train-ai": "cc-cr", "train-genai": "cc-cr"}),
        (["train-ai=y;exceptions=cc-cr"], {}),
    ],
)  # fmt: skip
def test_combine_exceptions(values: list[str], expected: dict[str, str]) -> None:
    statements = [web.content_usage(value, via="header") for value in values]
    assert web.combine_exceptions(statements) == expected
