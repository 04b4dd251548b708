"""site_of: the site (scheme, host, port) whose robots.txt governs a URL."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccsig.ingest.urls import site_of

_SCHEMES = st.sampled_from(["http", "https", "HTTPS", "Http", "ftp", "mailto"])
_HOSTS = st.sampled_from(
    ["example.org", "Example.ORG", "a-b.example", "[::1]", "[2001:DB8::1]", "127.0.0.1",
     "xn--bcher-kva.example", "h%41.example", "", "user@h.example", "u:p@H.example"]
)  # fmt: skip
_PORTS = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":", ":99999", ":x"])
_RESTS = st.sampled_from(["", "/", "/a/b?q=1", "?q", "#f", "/robots.txt", "/%7E/"])


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://Example.ORG/a", "https://example.org"),
        ("HTTP://example.org:80/", "http://example.org"),
        ("https://example.org:8443?q", "https://example.org:8443"),
        ("https://u:p@[2001:DB8::1]:443/x", "https://[2001:db8::1]"),
        ("ftp://example.org/", None),
        ("https://example.org:99999/", None),
        ("not a url", None),
    ],
)
def test_site_of(url: str, site: str | None) -> None:
    assert site_of(url) == site


@given(scheme=_SCHEMES, host=_HOSTS, port=_PORTS, rest=_RESTS)
def test_a_site_is_its_own_site(scheme: str, host: str, port: str, rest: str) -> None:
    """What site_of gives, it gives back as it is, and so for any URL on that site: the
    audit takes a site of its table for its own site without parsing it again."""
    site = site_of(f"{scheme}://{host}{port}{rest}")
    if site is not None:
        assert site_of(site) == site
        assert site_of(site + rest) == site
