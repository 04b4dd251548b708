"""Helpers that test modules import: `paths` (where the checkout, tests/data, examples/ and
the reference specifications are) and `warc` (WARC files built for the scan tests).

Fixtures live in tests/conftest.py; test modules never import one another.
"""
