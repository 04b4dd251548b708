"""`ccsig scan` reads the CAWG training and data mining assertion of image responses'
C2PA manifests as a statement about the image, beside its XMP; a manifest no one vouches
for is read with a warning, a damaged one is a warning and states nothing."""

from __future__ import annotations

from pathlib import Path

from ccsig.ingest.c2pa import read_training_mining
from ccsig.scan.local import Scan
from ccsig.scan.records import ScanOptions
from tests.helpers.c2pa import damaged_manifest, signed_image, training_mining
from tests.helpers.warc import http, member

URL = "https://photos.example.com/p/1.jpg"


def _scan(tmp_path: Path, body: bytes, jobs: int = 1, **options: object) -> tuple[dict, list[str]]:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(member(URL, http("200 OK", ["Content-Type: image/jpeg"], body)))
    warnings: list[str] = []
    job = Scan(
        [str(path)],
        ScanOptions(**options),  # type: ignore[arg-type]
        warn=lambda _f, _o, message: warnings.append(message),
        jobs=jobs,
    )
    job.collect()
    (record,) = [r for r in job.records() if r["url"] == URL]
    return record, warnings


def test_an_image_responses_cawg_assertion_is_a_statement(tmp_path: Path) -> None:
    body = signed_image(
        [training_mining({"cawg.ai_generative_training": ("constrained", "ask first")})]
    )
    record, warnings = _scan(tmp_path, body, category="train-genai")
    assert len(record["sources"]) == 1, warnings
    (source,) = record["sources"]
    assert (source["system"], source["via"], source["expression"]) == (
        "cawg",
        "c2pa",
        "train-genai=n",
    )
    assert source["note"] == "cawg.ai_generative_training constrained: ask first"
    assert record["preferences"]["train-genai"] == "disallow"
    assert record["decision"] == "disallowed"
    (warning,) = warnings
    assert warning.startswith(f"{URL}: C2PA manifest does not validate (")
    assert "signingCredential.untrusted" in warning


def test_worker_processes_read_manifests_after_the_parent_has(tmp_path: Path) -> None:
    # regression: the parent's c2pa context, inherited by forked workers, is invalid there
    body = signed_image([training_mining({"cawg.data_mining": "notAllowed"})])
    assert read_training_mining(body).assertion is not None
    record, _ = _scan(tmp_path, body, jobs=2)
    assert [s["system"] for s in record["sources"]] == ["cawg"]


def test_a_damaged_manifest_is_a_warning_and_the_record_stays(tmp_path: Path) -> None:
    body = damaged_manifest(signed_image([training_mining({"cawg.data_mining": "notAllowed"})]))
    record, warnings = _scan(tmp_path, body)
    assert record["sources"] == []
    (warning,) = warnings
    assert warning.startswith(f"{URL}: C2PA manifest not readable (")
