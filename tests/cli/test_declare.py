"""`ccsig declare`: it publishes what was written, or says what it would leave out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ccsig.cli import main


@pytest.mark.parametrize(
    ("expression", "dropped"),
    [
        ("TRAIN=n", "does not parse"),
        ("genai=n", "'genai' is not a category"),
        ("train-genai=n;exceptions=cc-by", "exceptions=cc-by names no CC signal"),
        ("train-genai=maybe", "not the token y or n"),
        ("train-genai=y;exceptions=cc-cr", "not a disallow"),
        ("train-genai=n, train-genai=y", "more than once"),
        ("", "states no preference"),
    ],
)
def test_declare_refuses_to_publish_less_than_was_written(expression: str, dropped: str) -> None:
    # regression: these printed an empty (or shortened) Content-Usage line, exit 0
    done = CliRunner().invoke(main, ["declare", expression, "--format", "header"])
    assert done.exit_code == 2, done.output
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and dropped in done.stderr
    assert "--force" in done.stderr


def test_declare_force_publishes_the_canonical_expression() -> None:
    done = CliRunner().invoke(
        main, ["declare", "train-genai=n;exceptions=cc-by", "--format", "header", "--force"]
    )
    assert done.exit_code == 0 and done.stdout == "Content-Usage: train-genai=n\n"
    assert "exceptions=cc-by names no CC signal" in done.stderr


def test_declare_publishes_a_complete_expression_without_a_word() -> None:
    done = CliRunner().invoke(
        main, ["declare", "train-genai=n;exceptions=cc-cr-ec", "--format", "header"]
    )
    assert done.exit_code == 0 and done.stderr == ""
    assert done.stdout == "Content-Usage: train-genai=n;exceptions=cc-cr-ec\n"
