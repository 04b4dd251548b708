"""Locations, side by side: files as base IRIs, URLs as IRIs, sites and request paths.

Takes: file paths and URLs as written. Gives: the base IRI a file is read with, a URL as
an IRI (percent-encoding what IRIs may not hold), the site (scheme, host, port) whose
robots.txt governs a URL, and the path with query that robots.txt and tdmrep.json rules
are matched against.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

__all__ = ["base_iri_for", "request_path", "site_of", "url_iri"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def base_iri_for(path: str) -> str:
    """The base IRI a file (`-`: standard input) is read with: its file: URL."""
    return "file:///dev/stdin" if path == "-" else Path(path).resolve().as_uri()


def url_iri(url: str) -> ox.NamedNode:
    """`url` as an IRI, with what an IRI may not hold (spaces, quotes, ...) percent-encoded."""
    try:
        return ox.NamedNode(url)
    except ValueError:
        return ox.NamedNode(quote(url, safe=":/?#[]@!$&'()*+,;=%~"))


def site_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, lower-cased, default port left out."""
    start = url.find("://")
    end = len(url)
    if start >= 0:
        for mark in "/?#":
            found = url.find(mark, start + 3)
            if 0 <= found < end:
                end = found
    return _site_of(url[:end])  # a crawl has many pages per site: parse each site once


@lru_cache(maxsize=65536)
def _site_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS[scheme] else "")


def request_path(path: str) -> str:
    """The path (and query) to match: a full URL is reduced to it; empty means '/'."""
    if "://" in path:
        try:
            parts = urlsplit(path)
        except ValueError:
            pass
        else:
            path = parts.path + ("?" + parts.query if parts.query else "")
    return path or "/"
