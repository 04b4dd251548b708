"""WARC reading (ccsig.ingest.warc): damage is reported wherever it is, also at the end of
a file and behind a record whose Content-Length claims more than the file holds."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.ingest.warc import Damage, Response, read_responses
from tests.helpers.warc import http, member

URLS = [f"https://w.example/{n}" for n in range(6)]


def members() -> list[bytes]:
    return [member(url, http("200 OK", [])) for url in URLS]


def plain(records: list[bytes]) -> list[bytes]:
    return [gzip.decompress(record) for record in records]


def read(path: Path) -> tuple[list[str], list[Damage]]:
    found = list(read_responses(str(path)))
    urls = [item.url for item in found if isinstance(item, Response)]
    return urls, [item for item in found if isinstance(item, Damage)]


def claiming(record: bytes, length: str) -> bytes:
    return re.sub(rb"Content-Length: \d+", b"Content-Length: " + length.encode(), record, count=1)


@pytest.mark.parametrize("cut", [5, 20, 60, 120, -8, -1])
def test_a_cut_off_last_gzip_member_is_damage(tmp_path: Path, cut: int) -> None:
    records = members()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(b"".join(records[:-1]) + records[-1][:cut])
    urls, damage = read(path)
    assert urls[:5] == URLS[:5] and len(urls) <= 6
    assert len(damage) == 1, damage
    assert damage[0].offset == sum(map(len, records[:-1]))
    assert "end of the file" in damage[0].message


@pytest.mark.parametrize("cut", [10, 150, -30])
def test_a_cut_off_last_plain_record_is_damage(tmp_path: Path, cut: int) -> None:
    records = plain(members())
    path = tmp_path / "cut.warc"
    path.write_bytes(b"".join(records[:-1]) + records[-1][:cut])
    urls, damage = read(path)
    assert urls[:5] == URLS[:5] and len(damage) == 1, damage
    assert damage[0].offset == sum(map(len, records[:-1]))


def test_a_cut_off_file_compressed_whole_is_damage(tmp_path: Path) -> None:
    whole = gzip.compress(b"".join(plain(members())))
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(whole)
    assert read(path) == (URLS, [])
    path.write_bytes(whole[:-30])
    urls, damage = read(path)
    assert urls == URLS[: len(urls)] and len(damage) == 1


@pytest.mark.parametrize("length", ["999999999999999999", "5000"])
@pytest.mark.parametrize("compressed", [True, False])
def test_a_content_length_past_the_end_swallows_no_records(
    tmp_path: Path, length: str, compressed: bool
) -> None:
    records = plain(members())
    records[1] = claiming(records[1], length)
    if compressed:
        records = [gzip.compress(record) for record in records]
    path = tmp_path / ("huge.warc.gz" if compressed else "huge.warc")
    path.write_bytes(b"".join(records))
    urls, damage = read(path)
    assert urls == URLS  # the record itself, and the four after it
    assert len(damage) == 1 and damage[0].offset == len(records[0])
    assert f"Content-Length {length}" in damage[0].message


# inputs the properties below found crashing the reader, kept as regressions
@pytest.mark.parametrize("length", ["\x1c37", "\u00b237", "3\x0b7"])
def test_a_content_length_that_is_not_digits_is_no_crash(tmp_path: Path, length: str) -> None:
    records = plain(members())
    records[2] = claiming(records[2], "X")
    path = tmp_path / "odd.warc"
    path.write_bytes(
        b"".join(records).replace(b"Content-Length: X", b"Content-Length: " + length.encode())
    )
    urls, damage = read(path)  # no ValueError
    assert set(urls) <= set(URLS) and len(urls) == len(set(urls))


@pytest.mark.parametrize("name", ["clean.warc.gz", "clean.warc"])
def test_whole_files_have_no_damage(tmp_path: Path, name: str) -> None:
    records = members() if name.endswith(".gz") else plain(members())
    path = tmp_path / name
    path.write_bytes(b"".join(records))
    assert read(path) == (URLS, [])
    if name.endswith(".gz"):  # nor is an empty gzip member at the end, or one of CRLFs
        path.write_bytes(b"".join(records) + gzip.compress(b"") + gzip.compress(b"\r\n"))
        assert read(path) == (URLS, [])
    if name.endswith(".warc"):  # empty lines after the last record are no damage
        path.write_bytes(b"".join(records) + b"\r\n\r\n")
        assert read(path) == (URLS, [])


# ---------------------------------------------------------------- properties

RECORDS = members()
FILES = {"gz": b"".join(RECORDS), "plain": b"".join(plain(RECORDS))}


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(sorted(FILES)), data=st.data())
def test_a_file_cut_anywhere_reads_whole_or_says_where_not(
    tmp_path_factory: pytest.TempPathFactory, kind: str, data: st.DataObject
) -> None:
    whole = FILES[kind]
    cut = data.draw(st.integers(min_value=1, max_value=len(whole) - 1))
    path = tmp_path_factory.mktemp("cut") / f"cut.{kind}"
    path.write_bytes(whole[:cut])
    urls, damage = read(path)
    assert urls == URLS[: len(urls)]  # in order, none twice
    sizes = [len(record) for record in (RECORDS if kind == "gz" else plain(RECORDS))]
    ends = [sum(sizes[: n + 1]) for n in range(len(sizes))]
    slack = 0 if kind == "gz" else 4  # a plain record's closing CRLF CRLF may be missing
    whole_records = [n + 1 for n, end in enumerate(ends) if end - slack <= cut <= end]
    if whole_records:  # cut between records: a shorter file, nothing wrong to see
        assert (urls, damage) == (URLS[: whole_records[0]], [])
    else:
        assert damage, cut


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(sorted(FILES)),
    changes=st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=8)), max_size=4),
)
def test_damaged_bytes_never_raise_and_cost_no_more_than_they_touch(
    tmp_path_factory: pytest.TempPathFactory, kind: str, changes: list[tuple[int, bytes]]
) -> None:
    data = bytearray(FILES[kind])
    for at, new in changes:
        at %= len(data)
        data[at : at + len(new)] = new
    path = tmp_path_factory.mktemp("damaged") / f"damaged.{kind}"
    path.write_bytes(bytes(data))
    urls, damage = read(path)  # terminates, never raises
    assert len(urls) <= len(URLS) + len(changes)
    if bytes(data) != FILES[kind] and len(urls) < len(URLS) - len(changes):
        assert damage


def test_xml_bodies_are_kept_only_when_they_may_be_rsl_documents(tmp_path: Path) -> None:
    from ccsig.ingest.rsl import looks_like_rsl
    from ccsig.ingest.warc import xml_response

    rsl = (
        b'<?xml version="1.0"?>\n<rsl xmlns="https://rslstandard.org/rsl"><content url="/"/></rsl>'
    )
    path = tmp_path / "x.warc.gz"
    path.write_bytes(
        member("https://e.org/l.xml", http("200 OK", ["Content-Type: application/xml"], rsl))
        + member("https://e.org/s.svg", http("200 OK", ["Content-Type: image/svg+xml"], b"<svg/>"))
        + member("https://e.org/p", http("200 OK", ["Content-Type: text/html"], b"<rsl>"))
    )
    licence, image, page = read_responses(str(path))
    assert licence.body == rsl
    assert image.body is None
    # an HTML page's body is kept for its meta tags, but it is no XML response
    assert page.body == b"<rsl>" and not xml_response(page.head)
    assert xml_response(licence.head) and looks_like_rsl(licence.body)
