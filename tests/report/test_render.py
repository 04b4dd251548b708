"""Rendering reports: JSON written in blocks is the JSON written whole."""

from __future__ import annotations

import json

import pytest

from ccsig.report import render


@pytest.mark.parametrize("results", [0, 1, 5])
def test_json_lines_in_blocks_are_the_whole_text(results: int) -> None:
    data = {"a": 1, "results": [{"n": n, "s": "é\n"} for n in range(results)], "z": [2]}
    blocks = list(render.json_lines_blocks(data, "results", lines=2))
    assert "".join(blocks) == render.to_json_lines(data, "results")
    assert json.loads("".join(blocks)) == data
    assert len(blocks) >= 3 + results // 2  # written as it comes, not whole
