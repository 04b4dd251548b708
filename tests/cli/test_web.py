"""`ccsig robots` and `ccsig header`: the commands over ccsig.ingest.robots and .headers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from ccsig.cli import main

ROBOTS = """\
User-agent: *
Allow: /
Disallow: /private/
Content-Usage: train-ai=n
Content-Usage: /images/ train-ai=n;exceptions=cc-cr, search=y
Content-Signal: ai-train=no, search=yes

User-agent: ExampleBot
Disallow: /
"""


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_robots_one_path_is_one_json_object(tmp_path: Path) -> None:
    f = tmp_path / "robots.txt"
    f.write_text(ROBOTS)
    code, out, _ = run("robots", str(f), "--agent", "OtherBot", "--path", "/images/a.png",
                       "--format", "json")  # fmt: skip
    assert code == 0
    answer = json.loads(out)
    assert answer["crawl"] is True and answer["group"] == "*"
    assert answer["rules"] == ["train-ai=n;exceptions=cc-cr, search=y"]
    assert answer["preferences"]["train-genai"] == "disallow"
    assert answer["preferences"]["search"] == "allow"
    assert {s["system"] for s in answer["statements"]} == {"content-usage", "content-signal"}


def test_robots_several_paths_are_json_lines_and_stdin_works() -> None:
    code, out, _ = run("robots", "-", "--agent", "otherbot", "--path", "/", "--path",
                       "/private/x", "--format", "json", stdin=ROBOTS)  # fmt: skip
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["path"] == "/" and first["rules"] == ["train-ai=n"]
    assert second["crawl"] is False and set(second["preferences"].values()) == {"unknown"}


def test_robots_agent_group_and_text_table(tmp_path: Path) -> None:
    f = tmp_path / "robots.txt"
    f.write_text(ROBOTS)
    code, out, _ = run("robots", str(f), "--agent", "examplebot", "--path", "/a")
    assert code == 0 and "/a: may not be crawled (group examplebot)" in out


def test_robots_defaults_to_any_crawler_at_the_root(tmp_path: Path) -> None:
    # `ccsig robots robots.txt` was a usage error (--agent and --path were required)
    f = tmp_path / "robots.txt"
    f.write_text(ROBOTS)
    code, out, err = run("robots", str(f), "--format", "json")
    assert code == 0, err
    answer = json.loads(out)
    assert (answer["agent"], answer["path"], answer["group"]) == ("*", "/", "*")
    assert answer["rules"] == ["train-ai=n"]


def test_robots_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    code, _, err = run("robots", str(tmp_path / "none.txt"), "--agent", "a", "--path", "/")
    assert code == 2 and err.count("\n") == 1 and "none.txt" in err
    code, _, err = run("robots", "-", "--agent", "a", "--path", "/", "--vocabulary", "x",
                       stdin="")  # fmt: skip
    assert code == 2 and "aipref-02" in err


def test_header_combines_field_lines_and_other_systems() -> None:
    code, out, _ = run(
        "header", "Content-Usage: train-ai=y", "Content-Usage: search=n",
        "X-Robots-Tag: noai", "--format", "json",
    )  # fmt: skip
    assert code == 0
    answer = json.loads(out)
    assert answer["preferences"]["train-ai"] == "disallow"  # noai wins over train-ai=y
    assert answer["preferences"]["search"] == "disallow"
    assert {s["system"] for s in answer["statements"]} == {"content-usage", "x-robots-tag"}


def test_header_from_a_file_with_a_status_line(tmp_path: Path) -> None:
    f = tmp_path / "head.txt"
    f.write_bytes(b"HTTP/1.1 200 OK\r\ntdm-reservation: 1\r\nContent-Type: text/html\r\n\r\n")
    code, out, _ = run("header", "--file", str(f), "--format", "json")
    assert code == 0 and json.loads(out)["preferences"]["all"] == "disallow"


def test_header_needs_input() -> None:
    code, _, err = run("header")
    assert code == 2 and "--file" in err


def test_header_file_and_argument_lines_both_count(tmp_path: Path) -> None:
    f = tmp_path / "head.txt"
    f.write_bytes(b"HTTP/1.1 200 OK\r\nContent-Usage: search=n\r\n\r\nbody: not a field\r\n")
    code, out, _ = run("header", "--file", str(f), "Content-Usage: train-ai=n", "--format", "json")
    answer = json.loads(out)
    assert code == 0 and answer["preferences"]["search"] == "disallow"
    assert answer["preferences"]["train-ai"] == "disallow"
    assert len(answer["statements"]) == 1  # the two field lines are one dictionary


def test_header_as_turtle_feeds_check(tmp_path: Path) -> None:
    code, out, _ = run("header", "Content-Usage: train-genai=n;exceptions=cc-cr", "--url",
                       "https://e.org/a", "--format", "turtle")  # fmt: skip
    assert code == 0 and "ccsig:Statement" in out
    f = tmp_path / "a.ttl"
    f.write_text(out)
    code, out, _ = run("check", str(f), "--for", "train-genai", "--commit", "credit",
                       "--format", "json")  # fmt: skip
    (result,) = json.loads(out)["results"]
    assert code == 0 and result["asset"] == "https://e.org/a"
    assert result["decision"] == "allowed" and result["conditions"] == ["credit"]
    code, _, err = run("header", "Content-Usage: a=n", "--format", "turtle")
    assert code == 2 and "--url" in err


RESPONSE = "HTTP/1.1 200 OK\r\nContent-Usage: train-genai=n\r\n\r\nbody\r\n"


def test_header_dash_reads_standard_input() -> None:
    for args in (["header", "-"], ["header", "--file", "-"], ["header", "-f", "-"]):
        code, out, err = run(*args, "--format", "json", stdin=RESPONSE)
        assert code == 0 and err == "", args
        assert json.loads(out)["preferences"]["train-genai"] == "disallow", args
    code, out, _ = run("header", "-", "Content-Usage: search=n", "--format", "json",
                       stdin=RESPONSE)  # fmt: skip
    answer = json.loads(out)
    assert code == 0 and answer["preferences"]["search"] == "disallow"
    assert answer["preferences"]["train-genai"] == "disallow"


def test_header_standard_input_named_twice_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("header", "-", "--file", "-", stdin=RESPONSE)
    assert code == 2 and "standard input" in err


def test_robots_and_header_show_the_cc_signal_exception(tmp_path: Path) -> None:
    text = "User-agent: *\nContent-Usage: train-genai=n;exceptions=cc-cr-ec\n"
    code, out, _ = run("robots", "-", "--agent", "a", "--path", "/", stdin=text)
    assert code == 0 and re.search(r"train-genai +disallow +exception cc-cr-ec\n", out), out
    assert not re.search(r"search .*exception", out)
    code, out, _ = run("header", "Content-Usage: train-genai=n;exceptions=cc-cr-ec")
    assert code == 0 and re.search(r"train-genai +disallow +exception cc-cr-ec\n", out), out
    code, out, _ = run("header", "Content-Usage: train-genai=n;exceptions=cc-cr-ec",
                       "--format", "json")  # fmt: skip
    answer = json.loads(out)
    assert list(answer) == ["preferences", "exceptions", "statements", "licenses", "warnings"]
    assert answer["exceptions"] == {"train-genai": "cc-cr-ec"}
    assert answer["preferences"]["train-genai"] == "disallow"  # the same shape as before


# ---------------------------------------------------------------- RSL discovery, Content-Signal


def test_robots_reports_license_lines_in_text_and_json(tmp_path: Path) -> None:
    f = tmp_path / "robots.txt"
    f.write_text("User-Agent: *\nAllow: /\nContent-Signal: ai-train=no\n"
                 "License: https://example.com/license.xml\n")  # fmt: skip
    code, out, _ = run("robots", str(f), "--agent", "AnyBot", "--path", "/")
    assert code == 0
    assert "  license: https://example.com/license.xml" in out.splitlines()
    assert "  content-signal: ai-train=no (line 3, in the group of *)" in out.splitlines()
    code, out, _ = run("robots", str(f), "--agent", "AnyBot", "--path", "/", "--format", "json")
    assert json.loads(out)["licenses"] == ["https://example.com/license.xml"]


def test_header_reads_content_signal_and_rsl_links() -> None:
    code, out, err = run(
        "header", "Content-Signal: ai-train=no, search=allow",
        'Link: </license.xml>; rel="license"; type="application/rsl+xml"',
        "--url", "https://example.com/a", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["licenses"] == ["https://example.com/license.xml"]
    assert data["preferences"]["train-ai"] == "disallow"
    assert data["preferences"]["search"] == "allow"
    assert "'allow' (read as 'yes')" in err
