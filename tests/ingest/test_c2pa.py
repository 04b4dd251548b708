"""`ccsig.ingest.c2pa`: the CAWG (and C2PA 1.x) training and data mining assertion of an
image's C2PA manifest, read offline, whether or not the manifest validates; damaged and
foreign files are one warning, never an exception."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ccsig.ingest.c2pa import (
    TrainingMining,
    cawg_statement,
    read_training_mining,
    training_mining_ntriples,
)
from tests.helpers.c2pa import (
    ACTIONS,
    damaged_manifest,
    damaged_pixels,
    signed_image,
    signer_pems,
    training_mining,
)
from tests.helpers.network import no_network  # noqa: F401  (a fixture)
from tests.helpers.server import recording_server

ENTRIES = (
    "cawg.data_mining",
    "cawg.ai_inference",
    "cawg.ai_generative_training",
    "cawg.ai_training",
)
USES = ("allowed", "notAllowed", "constrained")


@pytest.fixture(scope="module")
def every_entry_and_use() -> dict[str, bytes]:
    """One signed JPEG per use, stating it for every entry (constrained with a text)."""
    out = {}
    for use in USES:
        value = (use, "licence at https://example.org/terms") if use == "constrained" else use
        out[use] = signed_image([training_mining(dict.fromkeys(ENTRIES, value))])
    return out


@pytest.mark.parametrize("use", USES)
def test_every_entry_and_use_is_read_as_written(
    every_entry_and_use: dict[str, bytes],
    use: str,
    no_network: list[object],  # noqa: F811
) -> None:
    read = read_training_mining(every_entry_and_use[use], "image/jpeg")
    assert read.assertion is not None
    assert read.assertion.label == "cawg.training-mining"
    info = "licence at https://example.org/terms" if use == "constrained" else None
    assert read.assertion.entries == tuple((name, use, info) for name in sorted(ENTRIES))


def test_a_self_signed_manifest_is_read_with_a_warning_naming_the_problem(
    every_entry_and_use: dict[str, bytes],
) -> None:
    read = read_training_mining(every_entry_and_use["notAllowed"])
    assert read.assertion is not None
    (warning,) = read.warnings
    assert "signingCredential.untrusted" in warning
    assert "read as the signer stated it" in warning


def test_a_hash_mismatch_is_named_and_the_assertion_still_read(
    every_entry_and_use: dict[str, bytes],
) -> None:
    read = read_training_mining(damaged_pixels(every_entry_and_use["notAllowed"]), "image/jpeg")
    assert read.assertion is not None
    (warning,) = read.warnings
    assert "assertion.dataHash.mismatch" in warning


@pytest.mark.parametrize(
    ("use", "vocabulary", "expression"),
    [
        ("notAllowed", "aipref-02", "all=n, ai-use=n, train-genai=n"),
        ("allowed", "aipref-02", "all=y, ai-use=y, train-genai=y"),
        ("constrained", "aipref-02", "all=n, ai-use=n, train-genai=n"),
        ("notAllowed", "aipref-01", "tdm=n, inference=n, genai=n"),
        ("notAllowed", "aipref-04", "bots=n, train-ai=n"),
        ("allowed", "aipref-07", "train-ai=y"),
    ],
)
def test_the_statement_follows_vocab_cawg(
    every_entry_and_use: dict[str, bytes], use: str, vocabulary: str, expression: str
) -> None:
    read = read_training_mining(every_entry_and_use[use])
    assert read.assertion is not None
    statement, problems = cawg_statement(read.assertion, vocabulary)
    assert problems == []
    assert (statement.system, statement.via) == ("cawg", "c2pa")
    assert sorted(statement.expression.split(", ")) == sorted(expression.split(", "))
    if use == "constrained":
        assert statement.note is not None
        assert (
            "cawg.ai_training constrained: licence at https://example.org/terms" in statement.note
        )
    else:
        assert statement.note is None


def test_the_narrower_entry_decides_where_two_reach_one_category() -> None:
    assertion = TrainingMining(
        "cawg.training-mining",
        (
            ("cawg.ai_generative_training", "notAllowed", None),
            ("cawg.data_mining", "allowed", None),
        ),
    )
    # aipref-07: data mining reaches train-ai (a part of it), generative training is train-ai
    statement, _ = cawg_statement(assertion, "aipref-07")
    assert statement.preferences["train-ai"] == "disallow"
    allowed = TrainingMining(
        "cawg.training-mining",
        (
            ("cawg.ai_generative_training", "allowed", None),
            ("cawg.data_mining", "notAllowed", None),
        ),
    )
    statement, _ = cawg_statement(allowed, "aipref-07")
    assert statement.preferences["train-ai"] == "allow"


def test_the_older_c2pa_label_and_entry_names_are_read_alike() -> None:
    data = signed_image(
        [training_mining({"c2pa.ai_generative_training": "notAllowed"}, "c2pa.training-mining")],
        "PNG",
    )
    read = read_training_mining(data, "image/png")
    assert read.assertion is not None
    assert read.assertion.label == "c2pa.training-mining"
    statement, problems = cawg_statement(read.assertion, "aipref-02")
    assert (statement.expression, problems) == ("train-genai=n", [])


def test_custom_entries_and_unknown_uses_are_warnings_and_state_nothing() -> None:
    assertion = TrainingMining(
        "cawg.training-mining",
        (("com.example.ocr", "notAllowed", None), ("cawg.data_mining", "maybe", None)),
    )
    statement, problems = cawg_statement(assertion)
    assert statement.expression == ""
    assert problems == [
        "cawg.training-mining entry 'com.example.ocr' is not a CAWG entry; ignored",
        "cawg.training-mining cawg.data_mining: use 'maybe' is not a CAWG use; ignored",
    ]


def test_a_manifest_without_the_assertion_states_nothing_and_says_nothing() -> None:
    read = read_training_mining(signed_image([]))
    assert (read.assertion, read.warnings) == (None, ())


def test_an_image_without_a_manifest_is_silent() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    assert read_training_mining(out.getvalue()).warnings == ()


def test_a_damaged_manifest_is_one_warning(every_entry_and_use: dict[str, bytes]) -> None:
    read = read_training_mining(damaged_manifest(every_entry_and_use["allowed"]), "image/jpeg")
    assert read.assertion is None
    (warning,) = read.warnings
    assert warning.startswith("C2PA manifest not readable (")
    assert "Traceback" not in warning and "_C2pa" not in warning


def test_a_remote_manifest_is_never_fetched() -> None:
    import c2pa

    chain, key = signer_pems()
    source = io.BytesIO()
    Image.new("RGB", (16, 12)).save(source, "JPEG")
    context = c2pa.Context.from_dict({"verify": {"verify_after_sign": False}})
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    with recording_server() as (base, requested):
        manifest = {"assertions": [ACTIONS, training_mining({"cawg.data_mining": "notAllowed"})]}
        with c2pa.Builder(manifest, context=context) as builder:
            builder.set_no_embed()
            builder.set_remote_url(base + "/manifest.c2pa")
            out = io.BytesIO()
            builder.sign(signer, "image/jpeg", io.BytesIO(source.getvalue()), out)
        read = read_training_mining(out.getvalue(), "image/jpeg")
        assert requested == []
    assert read.assertion is None
    assert read.warnings == (
        f"its C2PA manifest is remote ({base}/manifest.c2pa); ccsig does not fetch it",
    )


def test_an_oversized_asset_is_not_handed_to_c2pa(monkeypatch: pytest.MonkeyPatch) -> None:
    import ccsig.ingest.c2pa as reader

    monkeypatch.setattr(reader, "MAX_ASSET", 100)
    read = reader.read_training_mining(b"c2pa" * 100)
    assert read.assertion is None
    assert read.warnings == ("larger than 100 bytes; its C2PA manifest is not read",)


def test_the_assertion_survives_its_trip_through_rdf(every_entry_and_use: dict[str, bytes]) -> None:
    read = read_training_mining(every_entry_and_use["constrained"])
    line = training_mining_ntriples(read, "file:///photo.jpg").decode()
    assert line.startswith("<file:///photo.jpg> <https://w3id.org/ccsig#trainingMining> ")
    literal = json.loads(line.split(" ", 2)[2].rstrip(" .\n"))
    assertion, warnings = TrainingMining.from_json(literal)
    assert (assertion, warnings) == (read.assertion, read.warnings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=4000))
def test_arbitrary_bytes_inside_a_manifest_never_raise(junk: bytes, at: int) -> None:
    data = _SIGNED[:at] + junk + _SIGNED[at + len(junk) :]
    read = read_training_mining(data)
    assert len(read.warnings) <= 1 or read.assertion is not None


_SIGNED = signed_image([training_mining({"cawg.data_mining": "notAllowed"})])
