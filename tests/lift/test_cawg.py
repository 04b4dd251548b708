"""`ccsig.lift.cawg`: an image's CAWG training and data mining assertion (its C2PA
manifest) is a statement about the file that `ccsig check` decides on, on both engines,
(streamed or loaded), and combines with a PLUS statement of the same image as any two
statements do."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from PIL import Image

import ccsig
from ccsig.errors import InputWarning
from ccsig.model.namespaces import NS
from ccsig.reason.engine import ENGINES
from tests.helpers.c2pa import damaged_manifest, signed_image, training_mining
from tests.helpers.images import plus_packet

ALL_NOT_ALLOWED = {
    "cawg.data_mining": "notAllowed",
    "cawg.ai_inference": "notAllowed",
    "cawg.ai_generative_training": "notAllowed",
    "cawg.ai_training": "notAllowed",
}


def _photo(tmp_path: Path, entries: dict[str, object], name: str = "photo.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(signed_image([training_mining(entries)]))
    return path


@pytest.mark.parametrize(
    ("entries", "vocabulary", "category", "decision"),
    [
        ({"cawg.ai_generative_training": "notAllowed"}, "aipref-02", "train-genai", "disallowed"),
        ({"cawg.ai_generative_training": "notAllowed"}, "aipref-02", "search", "unknown"),
        ({"cawg.ai_generative_training": "allowed"}, "aipref-07", "train-ai", "allowed"),
        (
            {"cawg.ai_generative_training": ("constrained", "ask")},
            "aipref-07",
            "train-ai",
            "disallowed",
        ),
        ({"cawg.data_mining": "notAllowed"}, "aipref-02", "search", "disallowed"),
        ({"cawg.ai_inference": "notAllowed"}, "aipref-02", "ai-use", "disallowed"),
        ({"cawg.ai_training": "notAllowed"}, "aipref-02", "train-ai", "unknown"),
        (ALL_NOT_ALLOWED, "aipref-05", "train-ai", "disallowed"),
    ],
)
def test_check_decides_on_an_images_cawg_assertion(
    tmp_path: Path, entries: dict[str, object], vocabulary: str, category: str, decision: str
) -> None:
    path = _photo(tmp_path, entries)
    report = ccsig.check([str(path)], category, vocabulary=vocabulary)
    assert [(d.asset, d.decision) for d in report.results] == [(path.resolve().as_uri(), decision)]


# The reference engine reads images through the same lifting query (test_plus.py runs it on
# PLUS); here it would cost ~40 s of CI for no other path.
@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "reference"])
def test_the_streamed_and_the_loaded_reading_agree(tmp_path: Path, engine: str) -> None:
    path = _photo(
        tmp_path, {"cawg.data_mining": "allowed", "cawg.ai_generative_training": "notAllowed"}
    )
    for stream in (True, False):
        for category, decision in (("train-genai", "disallowed"), ("search", "allowed")):
            report = ccsig.check([str(path)], category, engine=engine, stream=stream)
            assert [d.decision for d in report.results] == [decision], (stream, category)


def test_the_statement_says_its_system_entries_note_and_warning(tmp_path: Path) -> None:
    path = _photo(tmp_path, {"cawg.ai_generative_training": ("constrained", "licence: see site")})
    closure = ccsig.infer([str(path)])
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in closure.triples)
    rows = list(
        store.query(
            f"""PREFIX ccsig: <{NS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?written (GROUP_CONCAT(?comment; separator="|") AS ?comments) WHERE {{
              ?s ccsig:preferenceSystem ccsig:cawg ; ccsig:asWritten ?written ;
                 ccsig:about <{path.resolve().as_uri()}> ; rdfs:comment ?comment }}
            GROUP BY ?written"""
        )
    )
    assert len(rows) == 1
    assert '"cawg.ai_generative_training": {"constraint_info": "licence: see site"' in (
        rows[0]["written"].value
    )
    comments = rows[0]["comments"].value.split("|")
    assert "cawg.ai_generative_training constrained: licence: see site" in comments
    assert any("signingCredential.untrusted" in c for c in comments)


@pytest.mark.parametrize(
    ("plus", "cawg"),
    [("DMI-PROHIBITED-GENAIMLTRAINING", "allowed"), ("DMI-ALLOWED", "notAllowed")],
)
def test_plus_and_cawg_in_one_image_combine_most_restrictively(
    tmp_path: Path, plus: str, cawg: str
) -> None:
    source = io.BytesIO()
    Image.new("RGB", (16, 12)).save(source, "JPEG", xmp=plus_packet(plus))
    path = tmp_path / "both.jpg"
    path.write_bytes(_sign(source.getvalue(), {"cawg.ai_generative_training": cawg}))
    report = ccsig.check([str(path)], "train-genai")
    assert [d.decision for d in report.results] == ["disallowed"]
    closure = ccsig.infer([str(path)])
    systems = {
        t.object.value.rsplit("#", 1)[1]
        for t in closure.triples
        if t.predicate.value == NS + "preferenceSystem"
    }
    assert systems == {"plus", "cawg"}


def test_a_damaged_manifest_states_nothing_and_check_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "damaged.jpg"
    path.write_bytes(damaged_manifest(signed_image([training_mining(ALL_NOT_ALLOWED)])))
    with pytest.warns(InputWarning, match=r"damaged\.jpg: C2PA manifest not readable \("):
        report = ccsig.check([str(path)], "train-genai")
    assert [d.decision for d in report.results] in ([], ["unknown"])


def _sign(jpeg: bytes, entries: dict[str, object]) -> bytes:
    """`jpeg` (with whatever XMP it has) signed with a manifest stating `entries`."""
    import c2pa

    from tests.helpers.c2pa import ACTIONS, signer_pems

    chain, key = signer_pems()
    context = c2pa.Context.from_dict(
        {"verify": {"verify_after_sign": False}, "builder": {"thumbnail": {"enabled": False}}}
    )
    manifest = {"assertions": [ACTIONS, training_mining(entries)]}
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    out = io.BytesIO()
    with c2pa.Builder(manifest, context=context) as builder:
        builder.sign(signer, "image/jpeg", io.BytesIO(jpeg), out)
    return out.getvalue()
