"""`ccsig.lift.plus`: an image's PLUS Data Mining value is a statement about the file that
`ccsig check` decides on, on both engines, in every vocabulary, as vocab/plus.ttl says."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import ccsig
from ccsig.lift.plus import lift_data_mining
from ccsig.model.namespaces import NS
from ccsig.reason.engine import ENGINES
from tests.helpers.images import image_with_xmp, plus_packet

PLUS_VOCAB = "http://ns.useplus.org/ldf/vocab/"


def _photo(tmp_path: Path, value: str, fmt: str = "JPEG", name: str = "photo.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(image_with_xmp(fmt, plus_packet(value)))
    return path


@pytest.mark.parametrize(
    ("value", "vocabulary", "category", "decision"),
    [
        ("DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING", "aipref-02", "train-genai", "disallowed"),
        ("DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING", "aipref-02", "search", "allowed"),
        ("DMI-PROHIBITED-AIMLTRAINING", "aipref-07", "train-ai", "disallowed"),
        ("DMI-PROHIBITED-AIMLTRAINING", "aipref-07", "search", "unknown"),
        ("DMI-ALLOWED", "aipref-02", "train-genai", "allowed"),
        ("DMI-UNSPECIFIED", "aipref-02", "train-genai", "unknown"),
    ],
)
def test_check_decides_on_an_images_data_mining_value(
    tmp_path: Path, value: str, vocabulary: str, category: str, decision: str
) -> None:
    path = _photo(tmp_path, value)
    report = ccsig.check([str(path)], category, vocabulary=vocabulary)
    assert [(d.asset, d.decision) for d in report.results] == [(path.resolve().as_uri(), decision)]


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_read_it_alike(tmp_path: Path, engine: str) -> None:
    path = _photo(tmp_path, "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING")
    for category, decision in (("train-genai", "disallowed"), ("search", "allowed")):
        report = ccsig.check([str(path)], category, engine=engine)
        assert [d.decision for d in report.results] == [decision]


def test_each_image_is_its_own_asset(tmp_path: Path) -> None:
    a = _photo(tmp_path, "DMI-PROHIBITED", "PNG", "a.png")
    b = _photo(tmp_path, "DMI-ALLOWED", "WEBP", "b.webp")
    report = ccsig.check([str(a), str(b)], "train-genai")
    assert sorted((d.asset.rsplit("/", 1)[1], d.decision) for d in report.results) == [
        ("a.png", "disallowed"),
        ("b.webp", "allowed"),
    ]


def test_the_statement_records_its_system_and_the_value_as_written() -> None:
    asset = ox.NamedNode("https://img.example.org/p.jpg")
    value = ox.NamedNode(PLUS_VOCAB + "DMI-PROHIBITED")
    triples = lift_data_mining([{"asset": asset, "value": value}])
    by_predicate = {t.predicate.value: t.object for t in triples if t.subject != asset}
    assert by_predicate[NS + "preferenceSystem"] == ox.NamedNode(NS + "plus")
    assert by_predicate[NS + "asWritten"] == ox.Literal(PLUS_VOCAB + "DMI-PROHIBITED")
    assert by_predicate[NS + "about"] == asset


def test_an_unknown_value_states_nothing_and_says_so() -> None:
    asset = ox.NamedNode("https://img.example.org/q.jpg")
    triples = lift_data_mining([{"asset": asset, "value": ox.Literal("DMI-SOMETIMES")}])
    comments = [t.object.value for t in triples if t.predicate.value.endswith("#comment")]
    assert comments == ["plus:DataMining 'DMI-SOMETIMES' is not a PLUS Data Mining value; ignored"]
