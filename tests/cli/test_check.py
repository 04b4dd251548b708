"""`ccsig check`: a reuser profile is read as strictly as --commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from tests.helpers.paths import EXAMPLES, ROOT

CATALOG = str(EXAMPLES / "catalog.ttl")
PREFIXES = "@prefix ccsig: <https://w3id.org/ccsig#> .\n@prefix ex: <https://example.org/> .\n"


def _check(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["check", CATALOG, "--for", "train-genai", *args])
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("profile", "unknown", "suggestion"),
    [
        ("ex:lab a ccsig:Reuser ; ccsig:commitsTo ccsig:Credt .", "ccsig:Credt", "ccsig:Credit"),
        ("ex:lab a ccsig:Reuser ; ccsig:comitsTo ccsig:Credit .", "ccsig:comitsTo", "commitsTo"),
        ("ex:lab a ccsig:Reusr ; ccsig:commitsTo ccsig:Credit .", "ccsig:Reusr", "ccsig:Reuser"),
    ],
)
def test_an_unknown_ccsig_term_in_a_profile_is_exit_2(
    tmp_path: Path, profile: str, unknown: str, suggestion: str
) -> None:
    # regression: `ccsig:commitsTo ccsig:Credt` was read as committing to nothing, exit 0,
    # while `--commit credt` is an error
    path = tmp_path / "me.ttl"
    path.write_text(PREFIXES + profile + "\n")
    code, out, err = _check("--reuser", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err and unknown in err and suggestion in err


def test_the_command_line_refuses_an_unknown_element_too() -> None:
    code, _, err = _check("--commit", "credt")
    assert code == 2 and "credt" in err


def test_a_signal_given_as_a_commitment_is_answered_with_its_elements() -> None:
    # `--commit cc-cr-ec` said only "unknown signal element"; the signal's elements come
    # from vocab/signals.ttl
    code, _, err = _check("--commit", "cc-cr-ec")
    assert code == 2 and err.count("\n") == 1
    assert "--commit credit --commit ecosystem-contribution" in err
    code, _, err = _check("--commit", "Credit")
    assert code == 2 and "did you mean 'credit'?" in err


def test_a_profile_of_known_terms_is_read(tmp_path: Path) -> None:
    path = tmp_path / "me.ttl"
    path.write_text(PREFIXES + "ex:lab a ccsig:Reuser ; ccsig:commitsTo ccsig:Credit .\n")
    code, out, _ = _check("--reuser", str(path), "--format", "json")
    assert code == 0 and '"credit"' in out


def test_standard_input_is_streamed_and_read_again_when_its_axioms_say_so() -> None:
    # the sub-property is stated after its use: the kept bytes of standard input are read
    # a second time, and the answer is the one of loading every triple
    data = (
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        '<https://e.org/a> a dcat:Dataset ; <https://e.org/usage> "all=n" ; '
        'ccsig:contentUsage "train-genai=y" .\n'
        "<https://e.org/usage> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> "
        "ccsig:contentUsage .\n"
    )
    done = CliRunner().invoke(main, ["check", "-", "--for", "train-genai", "--format", "json"],
                              input=data)  # fmt: skip
    assert done.exit_code == 0, done.output
    import json

    import ccsig

    streamed = json.loads(done.stdout)
    assert [r["decision"] for r in streamed["results"]] == ["allowed"]
    path = Path(CATALOG).parent / "catalog.ttl"
    assert (
        ccsig.check([path], "train-genai").to_json()
        == ccsig.check([path], "train-genai", stream=False).to_json()
    )


def test_the_reference_engine_refuses_a_long_same_as_chain_in_one_line(tmp_path: Path) -> None:
    # regression: `check --engine reference` on a 1,000-node owl:sameAs chain ran past 120 s
    import subprocess
    import sys

    chain = tmp_path / "chain.ttl"
    lines = ['<urn:n0> <https://w3id.org/ccsig#contentUsage> "train-genai=n" .']
    same = "<http://www.w3.org/2002/07/owl#sameAs>"
    lines += [f"<urn:n{i}> {same} <urn:n{i + 1}> ." for i in range(999)]
    chain.write_text("\n".join(lines) + "\n")
    for command in (["check", "--for", "train-genai"], ["infer"]):
        done = subprocess.run(
            [sys.executable, "-m", "ccsig.cli", *command, "--engine", "reference", str(chain)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "use --engine fast" in done.stderr
        assert "Traceback" not in done.stderr
    # the fast engine answers, following sameAs (it used to say 1 disallowed); on a
    # 300-node chain here (90,000 sameAs pairs): the 1,000-node one takes it 10 s of CPU
    chain.write_text("\n".join(lines[:300]) + "\n")
    done = CliRunner().invoke(main, ["check", str(chain), "--for", "train-genai"])
    assert done.exit_code == 0 and "300 disallowed" in done.stdout


def test_an_images_c2pa_problems_are_warnings_and_the_check_goes_on(tmp_path: Path) -> None:
    from tests.helpers.c2pa import damaged_manifest, signed_image, training_mining

    signed = signed_image([training_mining({"cawg.ai_generative_training": "notAllowed"})])
    good, bad = tmp_path / "signed.jpg", tmp_path / "damaged.jpg"
    good.write_bytes(signed)
    bad.write_bytes(damaged_manifest(signed))
    done = CliRunner().invoke(
        main, ["check", str(good), str(bad), "--for", "train-genai", "--format", "csv"]
    )
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1].split(",")[1] == "disallowed"
    untrusted, unreadable = done.stderr.splitlines()
    assert untrusted.startswith(f"ccsig: warning: {good}: C2PA manifest does not validate (")
    assert "signingCredential.untrusted" in untrusted
    assert unreadable.startswith(f"ccsig: warning: {bad}: C2PA manifest not readable (")
    assert "Traceback" not in done.stderr
    quiet = CliRunner().invoke(main, ["check", str(bad), "--for", "train-genai", "-q"])
    assert quiet.stderr == ""


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        ('<https://e.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; '
         '<https://w3id.org/ccsig#contentusage> "train-genai=n" .',
         "data.ttl", "did you mean ccsig:contentUsage?"),
        ('{"@context": {"@vocab": "http://schema.org/"}, "@id": "https://e.org/d", '
         '"@type": "Dataset", "contentUsage": "train-genai=n"}',
         "data.jsonld", "<http://schema.org/contentUsage> is not ccsig:contentUsage"),
    ],
)  # fmt: skip
def test_check_warns_of_a_predicate_meant_for_ccsig_that_nothing_reads(
    tmp_path: Path, text: str, name: str, said: str
) -> None:
    # regression: check said only "unknown" of the asset, exit 0, and nothing else
    path = tmp_path / name
    path.write_text(text)
    done = CliRunner().invoke(main, ["check", str(path), "--for", "train-genai"])
    assert done.exit_code == 0
    assert "unknown" in done.stdout
    [line] = done.stderr.splitlines()
    assert line.startswith(f"ccsig: warning: {path}: ") and said in line
    quiet = CliRunner().invoke(main, ["check", str(path), "--for", "train-genai", "-q"])
    assert quiet.stderr == ""


def test_check_of_a_clean_catalog_warns_of_nothing() -> None:
    code, _, err = _check()
    assert code == 0 and err == ""
