"""XMP packets of real images (written by Pillow): the PLUS Data Mining value is found in
every format and form, and a hostile or broken packet is a one-line problem, never an
expansion, a fetch or a crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccsig.cli import main
from ccsig.ingest.readers import read_quads
from ccsig.ingest.xmp import Xmp, XmpProblem, data_mining_values, plus_statement, read_xmp
from tests.helpers.images import FORMATS, SUFFIXES, image_with_xmp, plus_packet
from tests.helpers.server import recording_server

PLUS_VALUE = "http://ns.useplus.org/ldf/vocab/"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", ["resource", "attribute", "text"])
def test_data_mining_value_is_read_from_every_format(fmt: str, form: str) -> None:
    xmp = read_xmp(image_with_xmp(fmt, plus_packet("DMI-PROHIBITED-AIMLTRAINING", form)))
    assert isinstance(xmp, Xmp)
    assert data_mining_values(xmp) == [PLUS_VALUE + "DMI-PROHIBITED-AIMLTRAINING"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_image_without_xmp_has_none(fmt: str) -> None:
    assert read_xmp(image_with_xmp(fmt, None)) is None


@pytest.mark.parametrize(
    ("value", "vocabulary", "expression"),
    [
        ("DMI-PROHIBITED", "aipref-02", "all=n, search=n"),
        ("DMI-PROHIBITED", "aipref-07", "train-ai=n, search=n"),
        ("DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING", "aipref-02", "all=n, search=y"),
        ("DMI-PROHIBITED-AIMLTRAINING", "aipref-02", "train-ai=n"),
        ("DMI-PROHIBITED-GENAIMLTRAINING", "aipref-02", "train-genai=n"),
        ("DMI-PROHIBITED-GENAIMLTRAINING", "aipref-07", ""),
        ("DMI-PROHIBITED-SEECONSTRAINT", "aipref-02", "all=n, search=n"),
        ("DMI-PROHIBITED-SEELINKEDRIGHTSEXPR", "aipref-02", "all=n, search=n"),
        ("DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR", "aipref-02", "all=n, search=n"),
        ("DMI-ALLOWED", "aipref-02", "all=y, search=y"),
        ("DMI-UNSPECIFIED", "aipref-02", ""),
    ],
)
def test_plus_values_map_through_the_vocabulary(
    value: str, vocabulary: str, expression: str
) -> None:
    statement, problems = plus_statement([PLUS_VALUE + value], vocabulary)
    assert (statement.expression, problems) == (expression, [])
    assert statement.system == "plus"


def test_an_unknown_value_is_a_warning_and_states_nothing() -> None:
    statement, problems = plus_statement(["DMI-MAYBE"])
    assert statement.expression == ""
    assert problems == ["plus:DataMining 'DMI-MAYBE' is not a PLUS Data Mining value; ignored"]


def test_a_broken_packet_names_its_byte_offset_and_line() -> None:
    packet = plus_packet("DMI-PROHIBITED").replace(b"</rdf:Description>", b"</rdf:Descr>")
    data = image_with_xmp("JPEG", packet)
    problem = read_xmp(data)
    assert isinstance(problem, XmpProblem)
    assert problem.message.startswith(f"XMP packet at byte {data.find(packet)}, line 9 column")
    assert "not well-formed XML" in problem.message


def test_a_file_that_is_no_image_is_a_problem() -> None:
    problem = read_xmp(b"\xff\xd8\xff\xe1 not really a JPEG")
    assert isinstance(problem, XmpProblem) and "Pillow can open" in problem.message


def _laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    return (
        plus_packet("DMI-PROHIBITED")
        .replace(b"<x:xmpmeta", f"<!DOCTYPE x:xmpmeta [{entities}]>\n<x:xmpmeta".encode(), 1)
        .replace(b"Ana Photographer", b"&lol9;")
    )


def test_billion_laughs_is_refused_without_expanding() -> None:
    started = time.monotonic()
    problem = read_xmp(image_with_xmp("PNG", _laughs()))
    assert isinstance(problem, XmpProblem) and "DTD" in problem.message
    assert time.monotonic() - started < 2


def test_an_external_entity_is_never_fetched(tmp_path: Path) -> None:
    with recording_server() as (base, requested):
        packet = (
            plus_packet("DMI-PROHIBITED")
            .replace(
                b"<x:xmpmeta",
                f'<!DOCTYPE x:xmpmeta [<!ENTITY leak SYSTEM "{base}/xxe">]>\n<x:xmpmeta'.encode(),
                1,
            )
            .replace(b"Ana Photographer", b"&leak;")
        )
        path = tmp_path / "photo.webp"
        path.write_bytes(image_with_xmp("WEBP", packet))
        result = CliRunner().invoke(main, ["check", "--for", "train-ai", str(path)])
        assert isinstance(read_xmp(path.read_bytes()), XmpProblem)
    assert requested == []
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ccsig: error: {path}: XMP packet at byte ")
    assert "DTD" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_packet_is_rdf_about_the_file(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"photo{SUFFIXES[fmt]}"
    path.write_bytes(image_with_xmp(fmt, plus_packet("DMI-PROHIBITED")))
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in read_quads(str(path))}
    assert (
        path.resolve().as_uri(),
        "http://ns.useplus.org/ldf/xmp/1.0/DataMining",
        PLUS_VALUE + "DMI-PROHIBITED",
    ) in triples


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(FORMATS))
def test_fuzzed_packets_never_raise(noise: bytes, fmt: str) -> None:
    packet = plus_packet("DMI-PROHIBITED")
    cut = len(noise) % len(packet)
    mangled = packet[:cut] + noise + packet[cut:]
    try:
        data = image_with_xmp(fmt, mangled)
    except (ValueError, UnicodeDecodeError):
        return  # Pillow will not write it (PNG iTXt must be text)
    result = read_xmp(data)
    assert result is None or isinstance(result, (Xmp, XmpProblem))
    if isinstance(result, Xmp):
        data_mining_values(result)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_fuzzed_image_bytes_never_raise(noise: bytes) -> None:
    data = image_with_xmp("JPEG", plus_packet("DMI-ALLOWED"))
    cut = len(noise) % len(data)
    result = read_xmp(data[:cut] + noise)
    assert result is None or isinstance(result, (Xmp, XmpProblem))
