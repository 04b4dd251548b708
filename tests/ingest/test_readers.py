"""Reading RDF inputs, hostile ones included: each refusal is one line naming the file,
exit 2, and comes before any work the input could make unbounded."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccsig.cli import main
from ccsig.errors import InputError
from ccsig.ingest.readers import (
    check_xml_depth,
    check_xml_entities,
    read_quads,
    sniffed_format,
)
from tests.helpers.paths import DATA, EXAMPLES

HOSTILE = DATA / "hostile"
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://e.org/"'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _one_error_line(err: str, *expected: str) -> None:
    assert err.count("\n") == 1 and err.startswith("ccsig: error: "), err
    assert "Error" not in err and "Traceback" not in err
    for text in expected:
        assert text in err, err


# --- RDF/XML: DTD entities -----------------------------------------------------


@pytest.mark.parametrize("args", [["check", "--for", "all"], ["validate"]])
def test_billion_laughs_is_refused_at_once(args: list[str]) -> None:
    started = time.monotonic()
    code, out, err = run(args[0], str(HOSTILE / "billion-laughs.rdf.hostile"), *args[1:])
    assert time.monotonic() - started < 1
    assert code == 2 and out == ""
    _one_error_line(err, "billion-laughs.rdf.hostile:4:", "&lol1;", "nested entities")


def _rdf_xml(dtd: str, body: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{dtd}\n]>\n<rdf:RDF {RDF}>'
        f'<rdf:Description rdf:about="https://e.org/x">{body}</rdf:Description></rdf:RDF>\n'
    ).encode()


@pytest.mark.parametrize(
    ("dtd", "body", "expected"),
    [
        ('<!ENTITY x SYSTEM "file:///etc/passwd">', "<e:p>&x;</e:p>", "external entity &x;"),
        ('<!ENTITY % x SYSTEM "http://e.org/x.dtd">', "", "parameter entity %x"),
        ('<!ENTITY a "<e:p>x</e:p>">', "&a;", "holds markup"),
        # quadratic blow-up: one long entity referenced many times
        ('<!ENTITY a "' + "x" * 60_000 + '">', "<e:p>" + "&a;" * 100_000 + "</e:p>", "x.rdf:"),
    ],
)
def test_dangerous_entities_are_refused(tmp_path: Path, dtd: str, body: str, expected: str) -> None:
    f = tmp_path / "x.rdf"
    f.write_bytes(_rdf_xml(dtd, body))
    started = time.monotonic()
    with pytest.raises(InputError, match="^" + str(f)) as caught:
        read_quads(str(f))
    assert time.monotonic() - started < 1
    assert expected in str(caught.value)


def test_entities_that_abbreviate_iris_are_read(tmp_path: Path) -> None:
    f = tmp_path / "onto.owl"
    f.write_bytes(
        _rdf_xml(
            '<!ENTITY e "https://e.org/">',
            '<rdf:type rdf:resource="&e;Thing"/><e:label>&e;, &amp; more</e:label>',
        )
    )
    objects = {q.object.value for q in read_quads(str(f))}
    assert objects == {"https://e.org/Thing", "https://e.org/, & more"}


def test_a_document_without_dtd_is_checked_only_to_its_first_element() -> None:
    check_xml_entities("x.rdf", f"<rdf:RDF {RDF}>".encode() + b"\0 not xml at all")


# --- RDF/XML: nesting depth ---------------------------------------------------


def _nested_rdf_xml(pairs: int, chains: int = 1) -> bytes:
    """`chains` node elements, each with a chain of `pairs` nested node elements (each in
    a property element): elements nest 3 + 2 * `pairs` deep, rdf:RDF included."""
    chain = (
        '<rdf:Description rdf:about="https://e.org/d"><e:p>'
        + "<rdf:Description><e:p>" * pairs
        + "x"
        + "</e:p></rdf:Description>" * pairs
        + "</e:p></rdf:Description>\n"
    )
    return f'<?xml version="1.0"?>\n<rdf:RDF {RDF}>\n{chain * chains}</rdf:RDF>\n'.encode()


@pytest.mark.parametrize("args", [["check", "--for", "all"], ["validate"]])
def test_deeply_nested_rdf_xml_is_refused_at_once(tmp_path: Path, args: list[str]) -> None:
    # Regression: pyoxigraph's RDF/XML parser takes time in the depth for every element
    # (a 1.5 MB chain took 21 s, 4.6 MB more than 600 s).
    f = tmp_path / "deep.rdf"
    f.write_bytes(_nested_rdf_xml(100_000))  # 4.8 MB
    started = time.monotonic()
    code, out, err = run(args[0], str(f), *args[1:])
    assert time.monotonic() - started < 10
    assert code == 2 and out == ""
    # the 257th element is the 127th pair's e:p (each pair is 22 characters)
    column = len('<rdf:Description rdf:about="https://e.org/d"><e:p>') + 126 * 22 + 17 + 1
    _one_error_line(err, f"{f}:3:{column}:", "nest more than 256 deep")


def test_rdf_xml_nested_as_deep_as_allowed_is_read(tmp_path: Path) -> None:
    f = tmp_path / "deep.rdf"
    f.write_bytes(_nested_rdf_xml(126))  # 255 deep
    assert len(read_quads(str(f))) == 127
    f.write_bytes(_nested_rdf_xml(127))
    with pytest.raises(InputError, match="nest more than 256 deep"):
        read_quads(str(f))


def test_reading_rdf_xml_nested_to_the_bound_grows_linearly(tmp_path: Path) -> None:
    from tests.helpers.timing import growth

    small, large = tmp_path / "small.rdf", tmp_path / "large.rdf"
    small.write_bytes(_nested_rdf_xml(126, chains=40))
    large.write_bytes(_nested_rdf_xml(126, chains=320))
    ratio = growth(lambda: read_quads(str(small)), lambda: read_quads(str(large)))
    assert ratio < 24, f"8x the chains took {ratio:.1f}x the time"


# --- JSON-LD: local contexts ---------------------------------------------------


def _jsonld(folder: Path, context: str) -> Path:
    f = folder / "doc.jsonld"
    document = {"@context": context, "@id": "https://e.org/d", "name": "x"}
    f.write_text(json.dumps(document), encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("file:///dev/zero", "file:///dev/zero; ccsig reads local contexts only"),
        ("file:///etc/passwd", "file:///etc/passwd; ccsig reads local contexts only"),
        ("../outside.jsonld", "outside the input's folder"),
        ("/etc/passwd", "outside the input's folder"),
        ("zero", "outside the input's folder"),  # a symlink to /dev/zero
        ("fifo", "not a regular file"),
        ("big.jsonld", "larger than 1 MiB"),
    ],
)
def test_local_contexts_outside_the_folder_or_odd_are_refused(
    tmp_path: Path, context: str, expected: str
) -> None:
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "outside.jsonld").write_text('{"@context": {"name": "https://e.org/name"}}')
    (folder / "zero").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo")
    (folder / "big.jsonld").write_text('{"@context": {"name": "https://e.org/name"}}' + " " * 2**20)
    doc = _jsonld(folder, context)
    started = time.monotonic()
    code, out, err = run("validate", str(doc))
    assert time.monotonic() - started < 5
    assert code == 2 and out == ""
    _one_error_line(err, str(doc), expected)


def test_a_relative_context_in_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ctx.jsonld").write_text('{"@context": {"name": "https://e.org/name"}}')
    quads = read_quads(str(_jsonld(tmp_path, "sub/../sub/ctx.jsonld")))
    assert [q.predicate.value for q in quads] == ["https://e.org/name"]


# --- JSON-LD: contexts the user names (--context) --------------------------------

_CTX = '{"@context": {"name": "https://e.org/name"}}'


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder, and a folder of shared contexts beside it."""
    (tmp_path / "in").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "ctx.jsonld").write_text(_CTX)
    return tmp_path / "in", tmp_path / "shared"


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["check", "--for", "all"],
        ["infer", "--new-only"],
        ["query", "unsignalled"],
    ],
)
def test_a_context_folder_named_with_context_is_read(
    shared: tuple[Path, Path], args: list[str]
) -> None:
    folder, contexts = shared
    doc = _jsonld(folder, "../shared/ctx.jsonld")
    where = [str(doc)] if args[0] != "query" else [args[1], str(doc)]
    code, _, err = run(args[0], *where, *args[1 + (args[0] == "query") :])
    assert code == 2 and "outside the input's folder" in err and "--context PATH" in err
    code, out, err = run(
        args[0], *where, *args[1 + (args[0] == "query") :], "--context", str(contexts)
    )
    assert code in (0, 1) and "error" not in err, err


@pytest.mark.parametrize("how", ["absolute", "file-url", "relative"])
def test_a_context_file_named_with_context_is_read_however_referenced(
    shared: tuple[Path, Path], how: str
) -> None:
    from ccsig.ingest.readers import context_files, user_contexts

    folder, contexts = shared
    target = contexts / "ctx.jsonld"
    reference = {
        "absolute": str(target),
        "file-url": target.as_uri(),
        "relative": "../shared/ctx.jsonld",
    }[how]
    doc = _jsonld(folder, reference)
    with pytest.raises(InputError, match="--context"):
        read_quads(str(doc))
    for allowed in (target, contexts):  # the file itself, or its folder
        with user_contexts(context_files([allowed])):
            quads = read_quads(str(doc))
        assert [q.predicate.value for q in quads] == ["https://e.org/name"]
    with user_contexts(context_files([folder])):  # another folder permits nothing here
        with pytest.raises(InputError, match="named with --context"):
            read_quads(str(doc))


def test_a_context_url_mapped_to_a_file_is_read_offline(shared: tuple[Path, Path]) -> None:
    folder, contexts = shared
    url = "https://contexts.invalid/ctx?v=1"  # .invalid: it cannot resolve, let alone answer
    doc = _jsonld(folder, url)
    code, _, err = run("validate", str(doc))
    assert code == 2 and "remote JSON-LD context" in err
    code, out, err = run("validate", str(doc), "--context", f"{url}={contexts / 'ctx.jsonld'}")
    assert code == 0, err
    code, out, err = run("infer", str(doc), "--context", f"{url}={contexts / 'ctx.jsonld'}")
    assert code == 0 and "<https://e.org/name>" in out, err


def test_annotate_reads_a_named_context(shared: tuple[Path, Path]) -> None:
    folder, contexts = shared
    doc = folder / "doc.jsonld"
    doc.write_text(
        json.dumps(
            {
                "@context": ["../shared/ctx.jsonld", {"schema": "https://schema.org/"}],
                "@id": "https://e.org/d",
                "@type": "schema:Dataset",
                "name": "x",
            }
        )
    )
    code, _, err = run("annotate", str(doc), "-e", "train-ai=n")
    assert code == 2 and "outside the input's folder" in err
    code, out, err = run("annotate", str(doc), "-e", "train-ai=n", "--context", str(contexts))
    assert code == 0 and "train-ai=n" in out, err


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("fifo", "not a regular file"),
        ("big", "larger than 1 MiB"),
        ("escape", "outside the input's folder"),  # a symlink in the named folder, to outside
    ],
)
def test_named_contexts_get_the_checks_of_every_local_context(
    shared: tuple[Path, Path], make: str, expected: str
) -> None:
    folder, contexts = shared
    (folder.parent / "secret.jsonld").write_text(_CTX)
    if make == "fifo":
        os.mkfifo(contexts / "x.jsonld")
    elif make == "big":
        (contexts / "x.jsonld").write_text(_CTX + " " * 2**20)
    else:
        (contexts / "x.jsonld").symlink_to(folder.parent / "secret.jsonld")
    doc = _jsonld(folder, "../shared/x.jsonld")
    started = time.monotonic()
    code, out, err = run("validate", str(doc), "--context", str(contexts))
    assert time.monotonic() - started < 5
    assert code == 2 and out == ""
    _one_error_line(err, str(doc), expected)
    if make == "fifo":  # mapped to a URL, the same
        code, _, err = run(
            "validate", str(_jsonld(folder, "https://e.org/c")),
            "--context", f"https://e.org/c={contexts / 'x.jsonld'}",
        )  # fmt: skip
        assert code == 2 and "not a regular file" in err


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("no-such-folder", "no-such-folder: --context: no such file or folder"),
        ("https://e.org/c=no-such.jsonld", "--context: no such file or folder"),
        ("https://e.org/c=.", "PATH is a folder, not a file"),
    ],
)
def test_a_context_option_naming_nothing_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    doc = _jsonld(tmp_path, "https://e.org/c")
    for args in (["validate", str(doc)], ["check", str(doc), "--for", "all"]):
        code, out, err = run(*args, "--context", value)
        assert code == 2 and out == ""
        _one_error_line(err, expected)


def test_standard_input_may_name_contexts_in_named_folders(
    shared: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, contexts = shared
    monkeypatch.chdir(folder.parent)
    data = json.dumps({"@context": "shared/ctx.jsonld", "@id": "https://e.org/d", "name": "x"})
    result = CliRunner().invoke(main, ["validate", "-", "--input-format", "json-ld"], input=data)
    assert result.exit_code == 2 and "on standard input" in result.stderr
    result = CliRunner().invoke(
        main,
        ["validate", "-", "--input-format", "json-ld", "--context", str(contexts)],
        input=data,
    )
    assert result.exit_code == 0, result.stderr


# --- RDF-star triple terms -----------------------------------------------------

STAR = (
    "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
    '<https://e.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; ccsig:contentUsage "all=n" .\n'
    '# a comment with << in it, and "<<" in a string:\n'
    '<https://e.org/x> <https://e.org/note> "<< not a term" .\n'
    "<https://e.org/x> <https://e.org/says> "
    '<<( <https://e.org/d> ccsig:contentUsage "all=y" )>> .\n'
)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["check", "--for", "all"],
        ["check", "--for", "all", "--engine", "reference"],
        ["infer", "--new-only"],
    ],
)
def test_triple_terms_are_refused_with_their_place(tmp_path: Path, args: list[str]) -> None:
    f = tmp_path / "star.ttl"
    f.write_text(STAR)
    code, out, err = run(args[0], str(f), *args[1:])
    assert code == 2 and out == ""
    _one_error_line(err, f"{f}:5:40:", "RDF-star triple term")


def test_double_angle_brackets_in_strings_and_comments_are_data(tmp_path: Path) -> None:
    f = tmp_path / "plain.ttl"
    f.write_text(STAR.rsplit("<https://e.org/x> <https://e.org/says>", 1)[0])
    assert len(read_quads(str(f))) == 3


# --- gzip ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["catalog.ttl.gz", "closure.nt.gz"])
def test_gzipped_rdf_is_read_with_the_inner_extension(tmp_path: Path, name: str) -> None:
    import gzip

    import pyoxigraph as ox

    plain = read_quads(str(EXAMPLES / "catalog.ttl"))
    fmt = ox.RdfFormat.TURTLE if ".ttl" in name else ox.RdfFormat.N_TRIPLES
    f = tmp_path / name
    f.write_bytes(gzip.compress(ox.serialize(plain, format=fmt)))
    assert len(read_quads(str(f))) == len(plain)
    code, out, err = run("check", str(f), "--for", "train-genai", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)["results"]) == 8


def test_gzip_piped_on_standard_input_is_read() -> None:
    import gzip

    data = gzip.compress((EXAMPLES / "catalog.ttl").read_bytes())
    result = CliRunner().invoke(main, ["validate", "-"], input=data)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "croissant.json",
        "landing-page.html",
        "catalog.ttl",
        "data.json",
        "../tests/data/annotate/catalog.rdf",
    ],
)
def test_standard_input_is_read_in_the_format_its_text_shows(name: str) -> None:
    # `ccsig check - < croissant.json` was read as Turtle: "-:1:1: { is not a valid subject"
    path = EXAMPLES / name
    piped = CliRunner().invoke(main, ["check", "-", "--for", "train-genai", "--format", "json"],
                               input=path.read_bytes())  # fmt: skip
    named = CliRunner().invoke(main, ["check", str(path), "--for", "train-genai", "--format",
                                      "json"])  # fmt: skip
    assert piped.exit_code == named.exit_code == 0, piped.stderr + named.stderr
    decisions = [(r["decision"], r["asset"].startswith("_:")) for r in
                 json.loads(named.stdout)["results"]]  # fmt: skip
    assert [(r["decision"], r["asset"].startswith("_:")) for r in
            json.loads(piped.stdout)["results"]] == decisions  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'\xef\xbb\xbf  {"@id": "x"}', "json-ld"),
        (b"[{}]", "json-ld"),
        (b"<!DOCTYPE html><html></html>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>', "html"),
        (
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            "xml",
        ),
        (b"<http://e.org/s> <http://e.org/p> <http://e.org/o> .", "turtle"),
        (b"<s> <p> '<html>' .", "turtle"),
        (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", "turtle"),
        (b"", "turtle"),
    ],
)
def test_sniffed_format(text: bytes, expected: str) -> None:
    assert sniffed_format(text) == expected


def test_broken_or_enormous_gzip_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import gzip

    from ccsig.ingest import readers

    f = tmp_path / "cut.ttl.gz"
    f.write_bytes(gzip.compress((EXAMPLES / "catalog.ttl").read_bytes())[:-20])
    code, _, err = run("validate", str(f))
    assert code == 2
    _one_error_line(err, "cut.ttl.gz: cannot decompress gzip")
    monkeypatch.setattr(readers, "MAX_GUNZIPPED", 1000)
    f = tmp_path / "bomb.ttl.gz"
    f.write_bytes(gzip.compress(b" " * 100_000))
    code, _, err = run("validate", str(f))
    assert code == 2
    _one_error_line(err, "bomb.ttl.gz: decompresses to more than 1000 bytes")


# --- fuzzing the readers above (bounded: a few seconds) ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ccsig.ingest.readers import _first_triple_term, gunzipped, resolve_contexts  # noqa: E402

_FUZZ = settings(
    max_examples=int(os.environ.get("CCSIG_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_XML_PIECES = st.sampled_from(
    [
        '<?xml version="1.0"?>',
        "<!DOCTYPE rdf:RDF [",
        "]>",
        '<!ENTITY a "x">',
        '<!ENTITY b "&a;&a;">',
        '<!ENTITY % p "x">',
        '<!ENTITY c SYSTEM "file:///etc/passwd">',
        "%p;",
        f"<rdf:RDF {RDF}>",
        "</rdf:RDF>",
        '<rdf:Description rdf:about="https://e.org/&a;">',
        "</rdf:Description>",
        "<e:p>&a;</e:p>",
        "&c;",
        "&b;",
        "<![CDATA[&a;]]>",
        "<!-- <!ENTITY x 'y'> -->",
        "\0",
        "\ufeff",
    ]
)


def _only_input_errors(call) -> None:  # noqa: ANN001
    try:
        call()
    except InputError as e:
        assert "\n" not in str(e)


@_FUZZ
@given(pieces=st.lists(_XML_PIECES, max_size=12), junk=st.binary(max_size=20))
def test_fuzz_the_xml_entity_check(pieces: list[str], junk: bytes) -> None:
    data = "".join(pieces).encode("utf-8") + junk
    started = time.monotonic()
    _only_input_errors(lambda: check_xml_entities("f.rdf", data))
    _only_input_errors(lambda: check_xml_depth("f.rdf", data))
    assert time.monotonic() - started < 1


@_FUZZ
@given(pieces=st.lists(_XML_PIECES, max_size=12))
def test_fuzz_rdf_xml_files_read_or_fail_in_one_line(tmp_path: Path, pieces: list[str]) -> None:
    f = tmp_path / "f.rdf"
    f.write_bytes("".join(pieces).encode("utf-8"))
    _only_input_errors(lambda: read_quads(str(f)))


_TURTLE_PIECES = st.sampled_from(
    [
        "<<",
        ">>",
        "<<(",
        ")>>",
        "<https://e.org/a>",
        '"<<"',
        "'''<<'''",
        '"\\""',
        "# <<\n",
        "\n",
        " ",
        ".",
        ";",
        "_:b",
        '"x"',
        "<",
        ">",
        "'",
        '"""',
        "\\",
    ]
)


@_FUZZ
@given(pieces=st.lists(_TURTLE_PIECES, max_size=30))
def test_fuzz_the_triple_term_locator(pieces: list[str]) -> None:
    text = "".join(pieces)
    where = _first_triple_term(text)
    if where is not None:
        line, column = where
        assert text.splitlines()[line - 1][column - 1 : column + 1] == "<<"


@_FUZZ
@given(pieces=st.lists(_TURTLE_PIECES, max_size=30))
def test_fuzz_turtle_with_triple_terms_reads_or_fails_in_one_line(
    tmp_path: Path, pieces: list[str]
) -> None:
    f = tmp_path / "f.ttl"
    f.write_text("".join(pieces))
    _only_input_errors(lambda: read_quads(str(f)))


@_FUZZ
@given(data=st.binary(max_size=64), cut=st.integers(0, 64))
def test_fuzz_gzip(data: bytes, cut: int) -> None:
    import gzip

    packed = gzip.compress(data)[: cut or None]
    try:
        # a cut leaving less than the two magic bytes is not gzip: read as it is
        assert gunzipped("f.ttl.gz", packed) == (data if len(packed) > 1 else packed)
    except InputError as e:
        assert cut and "\n" not in str(e)


_CONTEXTS = st.recursive(
    st.sampled_from(
        [
            "file:///dev/zero",
            "../x.jsonld",
            "ctx.jsonld",
            "https://e.org/c",
            "/etc/passwd",
            "",
            "#",
            "?",
            "%2e%2e/x",
            "ctx.jsonld/",
            ".",
        ]
    )
    | st.dictionaries(st.sampled_from(["@import", "name", "@vocab"]), st.text(max_size=5)),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["@context", "@import", "t"]), children, max_size=2)
    ),
    max_leaves=6,
)


@_FUZZ
@given(context=_CONTEXTS)
def test_fuzz_json_ld_contexts(tmp_path: Path, context: object) -> None:
    (tmp_path / "ctx.jsonld").write_text('{"@context": {"name": "https://e.org/name"}}')
    doc = tmp_path / "doc.jsonld"
    data = json.dumps({"@context": context, "@id": "https://e.org/d"}).encode()
    _only_input_errors(lambda: resolve_contexts(str(doc), data, allow_remote=False))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # found by test_fuzz_json_ld_contexts: a reference with a newline (and an escape)
        ("context-control-characters.jsonld.hostile", "context \\n\\u001b[31mred"),
        ("billion-laughs.rdf.hostile", "nested entities"),
        # found by test_fuzz_json_ld_contexts: a NUL byte gave "ValueError: embedded null byte"
        ("context-nul.jsonld.hostile", "context \\u0000 is not a file name"),
        # the attack run: parse time grew with the square of the nesting
        ("nested-chain.rdf.hostile", "nest more than 256 deep"),
    ],
)
def test_regression_corpus_fails_in_one_clean_line(name: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_quads(str(HOSTILE / name))
    message = str(caught.value)
    assert message.isprintable() and expected in message


@_FUZZ
@given(context=_CONTEXTS, named=st.sampled_from(["folder", "file", "mapping", "all"]))
def test_fuzz_json_ld_contexts_with_named_contexts(
    tmp_path: Path, context: object, named: str
) -> None:
    from ccsig.ingest.readers import context_files, user_contexts

    (tmp_path / "ctx.jsonld").write_text('{"@context": {"name": "https://e.org/name"}}')
    (tmp_path / "in").mkdir(exist_ok=True)
    doc = tmp_path / "in" / "doc.jsonld"
    specs = {
        "folder": [tmp_path],
        "file": [tmp_path / "ctx.jsonld"],
        "mapping": [f"https://e.org/c={tmp_path / 'ctx.jsonld'}"],
    }
    chosen = [s for k in specs for s in specs[k]] if named == "all" else specs[named]
    data = json.dumps({"@context": context, "@id": "https://e.org/d"}).encode()
    with user_contexts(context_files(chosen)):
        _only_input_errors(lambda: resolve_contexts(str(doc), data, allow_remote=False))
