"""WARC reading (ccsig.ingest.warc): damage is reported wherever it is, also at the end of
a file and behind a record whose Content-Length claims more than the file holds."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("name", ["clean.warc.gz", "clean.warc"])
def test_whole_files_have_no_damage(tmp_path: Path, name: str) -> None:
    records = members() if name.endswith(".gz") else plain(members())
    path = tmp_path / name
    path.write_bytes(b"".join(records))
    assert read(path) == (URLS, [])
    if name.endswith(".warc"):  # empty lines after the last record are no damage
        path.write_bytes(b"".join(records) + b"\r\n\r\n")
        assert read(path) == (URLS, [])
