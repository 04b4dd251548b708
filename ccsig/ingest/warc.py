"""Reading WARC files: the HTTP responses in them, past any damage.

Takes: the path of a WARC file, plain or gzip-compressed (one member per record, as
crawlers write them, or one member for the whole file).
Gives: `Response`s in file order (offset, target URI, status, the HTTP header section
and, for the policy documents /robots.txt and /.well-known/tdmrep.json and for HTML pages
and images (whose meta tags and XMP state preferences), the body) and
`Damage` items for stretches that could not be read.

FastWARC parses; it stops at the first byte it cannot read. Then this module looks for
the next record (a gzip member whose first bytes decompress to ``WARC/``, or a
``WARC/1.`` line in a plain file), reports the stretch in between as one `Damage` and
goes on from there, so garbage and truncated members cost the records they hold and no
more. FastWARC also stops without an error where a file is cut off and inside a record
whose Content-Length runs past its data (``999999999999999999`` would swallow every
record after it); so where it stops short of the end of the file, that is damage too,
and reading goes on at the next record (after the end of the record's gzip member, or
inside the content a plain record claims). Memory stays flat: one record's head (and a
policy document's body) at a time.
"""

from __future__ import annotations

import mmap
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ccsig.ingest.robots import SIZE_LIMIT as ROBOTS_SIZE_LIMIT

HEAD_LIMIT = 64 * 1024  # bytes of HTTP header section read before a record is given up
BODY_LIMIT = 1024 * 1024  # bytes of a policy document kept
POLICY_PATHS = ("/robots.txt", "/.well-known/tdmrep.json")
# robots.txt is read to its limit and the byte after it (does the limit cut a line?):
# a scan keeps no more than that per capture
_BODY_LIMITS = {"/robots.txt": ROBOTS_SIZE_LIMIT + 1}
# Responses of these media types keep their body too: pages' meta tags, images' XMP.
EMBEDDED_TYPES = (
    b"text/html",
    b"application/xhtml+xml",
    b"image/jpeg",
    b"image/png",
    b"image/tiff",
    b"image/webp",
)
_CONTENT_TYPE = re.compile(rb"\ncontent-type[ \t]*:[ \t]*([^\r\n;, \t]+)", re.IGNORECASE)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_DIGITS = re.compile(r"[0-9]+")
_FIRST_READ = 8192
_RESPONSE = WarcRecordType.response
_UNTYPED = (WarcRecordType.unknown, WarcRecordType.no_type)


@dataclass(frozen=True)
class Response:
    """One HTTP response record."""

    offset: int  # of the record (its gzip member) in the file
    url: str
    status: int | None  # None when the status line cannot be read
    head: bytes  # the status line and header fields, without the empty line
    # policy documents, pages, images: at most BODY_LIMIT bytes (robots.txt: 500 KiB + 1)
    body: bytes | None = None
    body_size: int = 0  # bytes of the whole body when (the start of) it was kept
    date: str | None = None  # WARC-Date as written: when the response was captured


@dataclass(frozen=True)
class Damage:
    """A stretch of a file that holds no readable record, or a record given up."""

    offset: int
    message: str


def is_policy_path(path: str) -> bool:
    return path in POLICY_PATHS


def read_responses(
    path: str,
    want_body: frozenset[str] | None = None,
    start: int = 0,
    end: int | None = None,
    reads: list[int] | None = None,
) -> Iterator[Response | Damage]:
    """The HTTP responses of one WARC file in order, with `Damage` where it cannot be read.

    `want_body`: URL paths whose bodies are kept (default: the policy documents).
    `start`, `end`: read a byte range only, as if the file began at `start` (a record
    start, or 0) and ended before the first record read at or after `end`. A damaged
    stretch that begins before that record is reported in full, whatever its length:
    the reader of a range owns the stretches that begin in it.
    `reads`: a list that gets the offset of every record read (the first one at or
    after `end` included), to tell where two readings of a file agree.
    """
    size = os.path.getsize(path)
    if size == 0 or start >= size:
        return
    wanted = frozenset(POLICY_PATHS) if want_body is None else want_body
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        gzipped = data[:3] == _GZIP_MAGIC
        damaged_from: int | None = None  # a damaged stretch begins here, not yet reported
        error = ""
        while True:
            f.seek(start)
            last: int | None = None
            length: str | None = None
            tail: tuple[str, int, int] | None = None
            reported: int | None = None
            try:
                for record in ArchiveIterator(f, parse_http=False):
                    if damaged_from is not None:
                        yield Damage(damaged_from, f"{error}; skipped to offset {start}")
                        damaged_from = None
                    last = record.stream_pos
                    if reads is not None:
                        reads.append(last)
                    if end is not None and last >= end:
                        return
                    # to find where a damaged stretch after it begins
                    length = record.headers.get("Content-Length")
                    if record.record_type != _RESPONSE:
                        if record.record_type in _UNTYPED:
                            reported = last
                            yield Damage(last, "WARC record without a known WARC-Type; skipped")
                        continue
                    item = _response(record, wanted)
                    if item is not None:
                        yield item
                # FastWARC ends quietly where a file is cut off, and inside a record
                # whose Content-Length runs past the data: did it read to the end?
                tail = _unread_tail(data, start, last, length, gzipped, reported)
                if tail is None:
                    return
            except (OSError, ValueError) as e:
                problem = " ".join(str(e).split()) or type(e).__name__
            if tail is not None:
                if damaged_from is None:
                    error, damaged_from = tail[0], tail[1]
                search_from = tail[2]
            else:
                if damaged_from is None:  # a new damaged stretch: where does it begin?
                    error = problem
                    if last is None:
                        damaged_from = start
                    elif gzipped:
                        damaged_from = _record_end(data, last)
                    else:
                        damaged_from = _plain_end(data, last, length)
                # past the record read last, even when its end cannot be found: read
                # again, it would be given twice (and its damage reported twice)
                search_from = start + 1 if last is None else max(damaged_from, last + 1)
            following = _next_record(data, search_from, gzipped)
            if following is None:
                yield Damage(
                    damaged_from, f"{error}; skipped to the end of the file ({size} bytes)"
                )
                return
            start = following


def _record_end(data: mmap.mmap, offset: int) -> int:
    """Where the gzip member at `offset` ends (`offset` itself when it cannot be read)."""
    inflate = zlib.decompressobj(31)
    position = offset
    try:
        while not inflate.eof and position < len(data):
            chunk = data[position : position + 65536]
            inflate.decompress(chunk, 0)
            position += len(chunk)
    except zlib.error:
        return offset
    if not inflate.eof:
        return offset
    return position - len(inflate.unused_data)


def _unread_tail(
    data: mmap.mmap,
    start: int,
    last: int | None,
    length: str | None,
    gzipped: bool,
    reported: int | None = None,
) -> tuple[str, int, int] | None:
    """After FastWARC stopped without an error, reading from `start`: None when it read
    to the end of the file (empty lines and NUL padding aside), else (what is wrong,
    where the damaged stretch begins, where to look for the next record). `reported`:
    the offset of a record already reported as damaged."""
    if last is None:
        if _blank(data, start):
            return None
        return "no WARC record could be read here", start, start + 1
    if not gzipped:
        head_end = data.find(b"\r\n\r\n", last)
        if head_end < 0:
            if reported == last:  # a head without WARC-Type: said already
                return None
            return "the file ends inside this record's header (it is cut off)", last, last + 1
        claimed = _content_length(length)
        if claimed is not None and head_end + 4 + claimed > len(data):
            return (
                f"Content-Length {claimed} runs past the end of the file "
                f"({len(data)} bytes): the record is cut off or claims more than it holds",
                last,
                head_end + 4,  # the records it would swallow are read
            )
        end = _plain_end(data, last, length)
        if _blank(data, end):
            return None
        if _WARC_LINE.match(data[end : end + 10]):
            return "the file ends inside this record (it is cut off)", end, end + 1
        return "bytes that are no WARC record", end, end + 1
    # the gzip member that holds the record read last: the record's own (one member per
    # record), or, in a file compressed as a whole, the first one past it
    position = last if data[last : last + 3] == _GZIP_MAGIC else start
    while True:
        end = _record_end(data, position)
        if end == position:  # a member that does not end: cut off, or not gzip
            if data[position : position + 3] != _GZIP_MAGIC:
                return "bytes that are no gzip member", position, position + 1
            return (
                "the file ends inside this record's gzip member (it is cut off)",
                position,
                max(position, last) + 1,
            )
        if end > last or end >= len(data):
            break
        position = end
    end = _blank_members(data, end)
    if _blank(data, end):
        return None
    if _record_end(data, end) == end:  # what follows is cut off, or no gzip member
        return _unread_tail(data, end, end, None, True)
    # a whole member after it that FastWARC did not read: it read the record's content
    # past its member, as far as its Content-Length said
    claimed = _content_length(length)
    return (
        f"Content-Length {claimed if claimed is not None else '(none)'} runs past the end "
        f"of the record's gzip member at offset {end}",
        last,
        end,
    )


def _blank_members(data: mmap.mmap, position: int) -> int:
    """Past the gzip members at `position` that hold nothing but empty lines (some
    writers end a file with one): where the first other one, or other bytes, begin."""
    while data[position : position + 3] == _GZIP_MAGIC:
        inflate = zlib.decompressobj(31)
        try:
            content = inflate.decompress(data[position : position + 4096], 4096)
        except zlib.error:
            return position
        if not inflate.eof or _NOT_BLANK.search(content):
            return position
        position += min(4096, len(data) - position) - len(inflate.unused_data)
    return position


_NOT_BLANK = re.compile(rb"[^\r\n\t \x00]")


def _blank(data: mmap.mmap, position: int) -> bool:
    """Whether the file holds nothing but empty lines and NUL padding from `position`."""
    while position < len(data):
        if _NOT_BLANK.search(data[position : position + 65536]):
            return False
        position += 65536
    return True


def _content_length(length: str | None) -> int | None:
    """A Content-Length value as a number, or None when it is not digits (SP/HTAB aside)."""
    written = (length or "").strip(" \t")
    return int(written) if _DIGITS.fullmatch(written) else None


def _plain_end(data: mmap.mmap, offset: int, length: str | None) -> int:
    """Where the uncompressed record at `offset` ends, by its Content-Length."""
    head_end = data.find(b"\r\n\r\n", offset)
    claimed = _content_length(length)
    if head_end < 0 or claimed is None:
        return offset + 1
    end = head_end + 4 + claimed
    while data[end : end + 2] == b"\r\n":
        end += 2
    return min(end, len(data))


def _next_record(data: mmap.mmap, position: int, gzipped: bool) -> int | None:
    """The offset of the next readable-looking record at or after `position`."""
    while position < len(data):
        if gzipped:
            found = data.find(_GZIP_MAGIC, position)
            if found < 0:
                return None
            try:
                head = zlib.decompressobj(31).decompress(data[found : found + 1024], 16)
            except zlib.error:
                head = b""
            if head.startswith(b"WARC/1."):
                return found
        else:
            found = data.find(b"WARC/1.", position)
            if found < 0:
                return None
            if _WARC_LINE.match(data[found : found + 10]):
                return found
        position = found + 1
    return None


def _response(record: object, wanted: frozenset[str]) -> Response | Damage | None:
    offset = record.stream_pos  # type: ignore[attr-defined]
    url = record.headers.get("WARC-Target-URI")  # type: ignore[attr-defined]
    reader = record.reader  # type: ignore[attr-defined]
    head = reader.read(_FIRST_READ)
    if not head.startswith(b"HTTP/"):
        return None  # a response record of another protocol (dns:, ftp:)
    if not url:
        return Damage(offset, "response record without WARC-Target-URI; skipped")
    end = _HEAD_END.search(head)
    while end is None and len(head) < HEAD_LIMIT:
        more = reader.read(_FIRST_READ)
        if not more:
            break
        head += more
        end = _HEAD_END.search(head, max(0, len(head) - len(more) - 3))
    if end is None and len(head) >= HEAD_LIMIT:
        return Damage(offset, f"HTTP header section longer than {HEAD_LIMIT} bytes; skipped")
    status = _status(head)
    url = url.strip().strip("<>")
    body: bytes | None = None
    body_size = 0
    path = _path_of(url)
    if path in wanted or _embedded(head[: end.start()] if end else head):
        limit = _BODY_LIMITS.get(path, BODY_LIMIT)
        rest = head[end.end() :] if end else b""
        if len(rest) <= limit:
            rest += reader.read(limit + 1 - len(rest))
        body, body_size = rest[:limit], len(rest)
        if body_size > limit and end is not None:  # the whole size, which the record says
            length = record.content_length  # type: ignore[attr-defined]
            body_size = max(body_size, length - end.end())
    date = record.headers.get("WARC-Date")  # type: ignore[attr-defined]
    head = head[: end.start()] if end else head
    return Response(offset, url, status, head, body, body_size, date)


def _embedded(head: bytes) -> bool:
    """Whether the response's (last) Content-Type is one of `EMBEDDED_TYPES`."""
    found = _CONTENT_TYPE.findall(head)
    return bool(found) and found[-1].lower() in EMBEDDED_TYPES


def _status(head: bytes) -> int | None:
    parts = head[: head.find(b"\n")].split(None, 2)
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def _path_of(url: str) -> str:
    """The path of an absolute URL, cheaply (no query, no fragment)."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return ""
    slash = url.find("/", scheme_end + 3)
    if slash < 0:
        return "/"
    end = len(url)
    for mark in "?#":
        found = url.find(mark, slash)
        if 0 <= found < end:
            end = found
    return url[slash:end]


def range_starts(path: str, step: int) -> list[int]:
    """Where to cut a file into byte ranges of about `step` bytes, for readers working
    in parallel: 0, then the next record start (as a damaged stretch is resumed) after
    every `step` bytes. A file smaller than 2 * `step`, or one gzip member, is one range.
    """
    size = os.path.getsize(path)
    if size < 2 * step or step <= 0:
        return [0]
    starts = [0]
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        gzipped = data[:3] == _GZIP_MAGIC
        nominal = step
        while nominal < size - step // 2:
            found = _next_record(data, max(nominal, starts[-1] + 1), gzipped)
            if found is None:
                break
            if found > starts[-1]:
                starts.append(found)
            nominal = max(nominal + step, found + step // 2)
    return starts
