"""`ccsig.publish.annotate`: a signal is added to a dataset and nothing already in the file is lost.

The five Croissant files under ../shared/reference/croissant are annotated as they are
and must still pass mlcroissant's own validator afterwards.
"""

from __future__ import annotations

import difflib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ccsig.api import check
from ccsig.errors import InputError
from ccsig.ingest import json_spans as js
from ccsig.ingest.readers import read_quads
from ccsig.model.namespaces import CONTENT_USAGE
from ccsig.publish.annotate import annotate, annotate_text
from ccsig.reason.engine import open_engine
from tests.helpers.paths import DATA as TEST_DATA
from tests.helpers.paths import REFERENCE_DIR

DATA = TEST_DATA / "annotate"
EXPRESSION = "train-genai=n;exceptions=cc-cr-ec"
CROISSANT = REFERENCE_DIR / "croissant"
CROISSANT_FILES = sorted(CROISSANT.glob("*.json")) if CROISSANT.is_dir() else []
LETTERS = "https://data.example.org/letters"
MAPS = "https://data.example.org/maps"


def _mlcroissant() -> str:
    """mlcroissant's command, beside this interpreter (the test extra installs it)."""
    beside = Path(sys.executable).with_name("mlcroissant")
    return str(beside) if beside.exists() else shutil.which("mlcroissant") or "mlcroissant"


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _written(tmp_path: Path, source: Path, text: str) -> Path:
    """The annotated text saved beside copies of the source's neighbours (local contexts)."""
    for neighbour in source.parent.iterdir():
        if neighbour.is_file():
            shutil.copy(neighbour, tmp_path / neighbour.name)
    out = tmp_path / source.name
    out.write_text(text, encoding="utf-8", newline="")
    return out


def _only_inserted(before: str, after: str) -> bool:
    """Whether `after` is `before` with characters inserted and none removed or changed."""
    remaining = iter(after)
    return all(char in remaining for char in before)


def _removed_or_changed(before: str, after: str) -> list[str]:
    """Original lines that do not reappear unchanged, ignoring one comma gained at the end."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    added = {line[2:] for line in diff if line.startswith("+ ")}
    removed = [line[2:] for line in diff if line.startswith("- ")]
    return [line for line in removed if line.rstrip() + "," not in added]


def _added(tmp_path: Path, source: Path, text: str) -> tuple[Path, ox.Triple]:
    """Write `text` where a copy of `source` was read: it must hold one triple more."""
    old = read_quads(str(_written(tmp_path, source, source.read_text(encoding="utf-8"))))
    out = _written(tmp_path, source, text)
    new = read_quads(str(out))
    assert len(new) == len(old) + 1
    (added,) = [q for q in new if q.predicate == CONTENT_USAGE]
    assert _canonical([q for q in new if q is not added]) == _canonical(old)
    return out, ox.Triple(added.subject, added.predicate, added.object)


# ------------------------------------------------------------------ real Croissant files


@pytest.mark.parametrize("source", CROISSANT_FILES, ids=lambda p: p.name)
def test_croissant_file_is_annotated_in_place(source: Path, tmp_path: Path) -> None:
    result = annotate(str(source), EXPRESSION)
    original = source.read_text(encoding="utf-8")
    assert result.changed and result.warnings == []
    assert result.asset.startswith("the blank node named ")
    assert _removed_or_changed(original, result.text) == []
    assert _only_inserted(original, result.text)
    assert result.text.endswith("\n") == original.endswith("\n")
    out, triple = _added(tmp_path, source, result.text)
    assert triple.object.value == EXPRESSION
    assert triple.object.language == "en"  # Croissant contexts set "@language": "en"

    validated = subprocess.run(
        [_mlcroissant(), "validate", "--jsonld", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert validated.returncode == 0, validated.stderr[-2000:]

    engine = open_engine([out])
    rows = engine.select(
        "PREFIX ccsig: <https://w3id.org/ccsig#> "
        "SELECT ?dataset ?expression WHERE { ?s a ccsig:Statement ; ccsig:about ?dataset ; "
        "ccsig:expression ?expression . ?dataset a <https://schema.org/Dataset> }"
    )
    assert [row["expression"].value for row in rows] == [EXPRESSION]


def test_croissant_files_are_present() -> None:
    if not CROISSANT.is_dir():
        pytest.skip(f"reference material 'croissant' not found at {CROISSANT}")
    assert len(CROISSANT_FILES) == 5


# ------------------------------------------------------------------ Turtle family


def test_several_datasets_need_an_asset() -> None:
    with pytest.raises(InputError) as e:
        annotate(str(DATA / "catalog.ttl"), EXPRESSION)
    assert f"<{LETTERS}>" in str(e.value) and f"<{MAPS}>" in str(e.value)
    assert "--asset" in str(e.value)


def test_turtle_gets_the_statement_appended(tmp_path: Path) -> None:
    source = DATA / "catalog.ttl"
    result = annotate(str(source), EXPRESSION, asset=MAPS)
    original = source.read_text()
    assert result.asset == MAPS and result.changed
    assert result.text.startswith(original)  # comments and layout untouched
    appended = result.text[len(original) :]
    assert "@prefix ccsig: <https://w3id.org/ccsig#> ." in appended
    assert f'<{MAPS}> ccsig:contentUsage "{EXPRESSION}" .' in appended
    _, triple = _added(tmp_path, source, result.text)
    assert triple.subject == ox.NamedNode(MAPS)


def test_unknown_asset_is_refused() -> None:
    with pytest.raises(InputError, match="not the subject"):
        annotate(str(DATA / "catalog.ttl"), EXPRESSION, asset="https://data.example.org/nope")
    with pytest.raises(InputError, match="not an absolute IRI"):
        annotate(str(DATA / "catalog.ttl"), EXPRESSION, asset="letters")


@pytest.mark.parametrize(
    ("name", "written"), [("relative.ttl", "<data/letters>"), ("based.ttl", "<letters>")]
)
def test_relative_iris_stay_relative_when_the_file_moves(
    name: str, written: str, tmp_path: Path
) -> None:
    source = DATA / name
    result = annotate(str(source), EXPRESSION)
    assert f"{written} ccsig:contentUsage" in result.text
    moved = tmp_path / "elsewhere" / name
    moved.parent.mkdir()
    moved.write_text(result.text)
    quads = read_quads(str(moved))
    (annotated,) = [q.subject for q in quads if q.predicate == CONTENT_USAGE]
    datasets = [q.subject for q in quads if q.object.value.endswith("#Dataset")]
    assert datasets == [annotated]
    assert annotated.value.startswith(moved.parent.as_uri())


def test_prefix_already_bound_is_reused() -> None:
    result = annotate(str(DATA / "bound.ttl"), EXPRESSION, asset=LETTERS)
    appended = result.text[len((DATA / "bound.ttl").read_text()) :]
    assert "@prefix" not in appended
    assert f'<{LETTERS}> ccsig:contentUsage "{EXPRESSION}" .' in appended


def test_prefix_bound_elsewhere_gives_the_full_iri() -> None:
    result = annotate(str(DATA / "rebound.ttl"), EXPRESSION)
    appended = result.text[len((DATA / "rebound.ttl").read_text()) :]
    assert "@prefix" not in appended
    assert f"<{LETTERS}> <https://w3id.org/ccsig#contentUsage> " in appended


def test_labelled_blank_node_is_named_by_its_label(tmp_path: Path) -> None:
    source = DATA / "labelled.ttl"
    result = annotate(str(source), EXPRESSION)
    assert result.asset == "the blank node named 'Letters'"
    assert result.text.startswith(source.read_text())
    assert f'_:letters ccsig:contentUsage "{EXPRESSION}" .' in result.text
    _, triple = _added(tmp_path, source, result.text)
    assert isinstance(triple.subject, ox.BlankNode)


def test_anonymous_blank_node_is_reserialised_with_a_warning(tmp_path: Path) -> None:
    source = DATA / "anonymous.ttl"
    result = annotate(str(source), EXPRESSION)
    assert result.changed
    assert any("comments and layout are not kept" in w for w in result.warnings)
    assert "@prefix dct: <http://purl.org/dc/terms/>" in result.text  # the file's prefixes
    _added(tmp_path, source, result.text)


def test_n_triples_get_full_iris(tmp_path: Path) -> None:
    source = DATA / "dataset.nt"
    result = annotate(str(source), EXPRESSION)
    original = source.read_text()
    assert not original.endswith("\n") and result.text.startswith(original + "\n")
    assert result.text.endswith(
        f'<{LETTERS}> <https://w3id.org/ccsig#contentUsage> "{EXPRESSION}" .\n'
    )
    _added(tmp_path, source, result.text)


def test_trig_statement_goes_to_the_default_graph(tmp_path: Path) -> None:
    source = DATA / "dataset.trig"
    result = annotate(str(source), EXPRESSION)
    out = _written(tmp_path, source, result.text)
    (added,) = [q for q in read_quads(str(out)) if q.predicate == CONTENT_USAGE]
    assert added.graph_name == ox.DefaultGraph()


def test_rdf_xml_is_refused() -> None:
    with pytest.raises(InputError, match="annotate edits Turtle, TriG, N-Triples, N-Quads"):
        annotate(str(DATA / "catalog.rdf"), EXPRESSION)


def test_standard_input_is_turtle(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (DATA / "labelled.ttl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = annotate("-", EXPRESSION)
    assert result.text.startswith(data.decode()) and "_:letters ccsig:contentUsage" in result.text


# ------------------------------------------------------------------ JSON-LD


def _jsonld(name: str, tmp_path: Path, asset: str | None = None) -> tuple[str, str]:
    source = DATA / name
    result = annotate(str(source), EXPRESSION, asset=asset)
    assert result.changed
    original = source.read_text(encoding="utf-8")
    assert _only_inserted(original, result.text)
    _, triple = _added(tmp_path, source, result.text)
    assert triple.object.value == EXPRESSION
    assert triple.subject == ox.NamedNode(asset or LETTERS)
    return original, result.text


def test_context_object_gains_the_prefix(tmp_path: Path) -> None:
    _, text = _jsonld("context-object.jsonld", tmp_path)
    document = json.loads(text)
    assert document["@context"]["ccsig"] == "https://w3id.org/ccsig#"
    assert list(document)[-1] == "ccsig:contentUsage"
    assert '\n  "ccsig:contentUsage": "train-genai=n;exceptions=cc-cr-ec"\n}' in text


def test_context_array_last_object_gains_the_prefix(tmp_path: Path) -> None:
    original, text = _jsonld("context-array.jsonld", tmp_path)
    assert json.loads(text)["@context"][1]["ccsig"] == "https://w3id.org/ccsig#"
    assert "1850–1900" in text and "\\u2013" not in text  # non-ASCII text left as written
    assert '\n\t"ccsig:contentUsage": ' in text  # tab indentation copied


def test_context_array_of_urls_gains_an_object(tmp_path: Path) -> None:
    _, text = _jsonld("context-array-strings.jsonld", tmp_path)
    assert json.loads(text)["@context"] == [
        "context-local.jsonld",
        {"ccsig": "https://w3id.org/ccsig#"},
    ]


def test_context_url_becomes_an_array(tmp_path: Path) -> None:
    _, text = _jsonld("context-string.jsonld", tmp_path)
    assert '"@context": ["context-local.jsonld", {"ccsig": "https://w3id.org/ccsig#"}],' in text


def test_ccsig_context_needs_no_prefix(tmp_path: Path) -> None:
    original, text = _jsonld("context-ccsig.jsonld", tmp_path)
    assert json.loads(text)["@context"] == json.loads(original)["@context"]
    assert '"ccsig:contentUsage": ' in text


def test_prefix_defined_elsewhere_gives_the_full_iri(tmp_path: Path) -> None:
    original, text = _jsonld("context-rebound.jsonld", tmp_path)
    assert json.loads(text)["@context"] == json.loads(original)["@context"]
    assert '"https://w3id.org/ccsig#contentUsage": ' in text


def test_graph_document(tmp_path: Path) -> None:
    _, text = _jsonld("graph.jsonld", tmp_path, asset=MAPS)
    graph = json.loads(text)["@graph"]
    assert "ccsig:contentUsage" not in graph[0] and graph[1]["ccsig:contentUsage"] == EXPRESSION


def test_dataset_nested_in_a_catalog(tmp_path: Path) -> None:
    _, text = _jsonld("nested-catalog.jsonld", tmp_path, asset=MAPS)
    document = json.loads(text)
    assert document["dataset"][1]["ccsig:contentUsage"] == EXPRESSION
    assert document["dct:relation"] == {"@id": MAPS}  # the bare reference is not the target
    assert '\n            "ccsig:contentUsage": ' in text


def test_compact_one_line_json(tmp_path: Path) -> None:
    source = DATA / "compact.json"
    result = annotate(str(source), EXPRESSION)
    assert result.text == (
        '{"@context":{"@vocab":"https://schema.org/","ccsig":"https://w3id.org/ccsig#"},'
        '"@type":"Dataset","name":"Letters","creator":{"@type":"Person","name":"A"},'
        f'"ccsig:contentUsage":"{EXPRESSION}"}}'
    )
    _added(tmp_path, source, result.text)


def test_same_expression_changes_nothing() -> None:
    source = DATA / "annotated.jsonld"
    result = annotate(str(source), EXPRESSION)
    assert not result.changed and result.text == source.read_text()


def test_different_expression_is_refused() -> None:
    with pytest.raises(InputError) as e:
        annotate(str(DATA / "annotated.jsonld"), "all=n")
    assert f"({EXPRESSION!r})" in str(e.value) and "unless given --replace" in str(e.value)


def test_bad_expression_is_refused() -> None:
    with pytest.raises(InputError, match="does not parse"):
        annotate(str(DATA / "context-object.jsonld"), "train-genai=n;;")


def test_unknown_label_is_written_with_a_warning() -> None:
    result = annotate(str(DATA / "context-object.jsonld"), "bogus=n")
    assert result.changed and '"ccsig:contentUsage": "bogus=n"' in result.text
    assert any('"bogus" is not a usage category' in w for w in result.warnings)  # validate's


def test_an_expression_validate_calls_a_violation_is_refused_unless_forced() -> None:
    """Issue 11 item 7: annotate and validate agree on what may be written."""
    path = str(DATA / "context-object.jsonld")
    with pytest.raises(InputError, match="would report a violation.*not a CC signal"):
        annotate(path, "train-genai=n;exceptions=cc-by")
    forced = annotate(path, "train-genai=n;exceptions=cc-by", force=True)
    assert forced.changed and '"train-genai=n;exceptions=cc-by"' in forced.text
    assert any("not a CC signal" in w for w in forced.warnings)


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(InputError) as e:
        annotate(str(DATA / "invalid.json"), EXPRESSION)
    assert e.value.location.endswith("invalid.json:5:1")


def test_annotate_text_over_bytes() -> None:
    data = (DATA / "compact.json").read_bytes()
    result = annotate_text(str(DATA / "compact.json"), data, EXPRESSION)
    assert result.text.startswith('{"@context":{"@vocab"')


# ------------------------------------------------------------------ the span walker


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, {"b": null}], "c": "\\u00e9\\"", "d": {}}',
        "[ ]",
        '\ufeff{"x":1.5e3}',
        '{\n  "k" :\n    [true, false]\n}\n',
    ],
)
def test_spans_cover_the_values(text: str) -> None:
    tree = js.parse_spans(text)
    for obj in js.objects(tree):
        assert text[obj.start] == "{" and text[obj.end - 1] == "}"
        for member in obj.members:
            assert json.loads(text[member.key_start : member.key_end]) == member.key
            span = text[member.value.start : member.value.end]
            assert json.loads(span) is not None or span == "null"


def test_insertions_follow_the_style() -> None:
    text = '{\n    "a": 1,\n    "b": [\n        2\n    ]\n}'
    tree = js.parse_spans(text)
    assert isinstance(tree, js.JsonObject)
    array = tree.get("b")
    assert isinstance(array, js.JsonArray)
    out = js.apply(text, [js.add_member(text, tree, "c", "3"), js.add_item(text, array, "4")])
    assert out == '{\n    "a": 1,\n    "b": [\n        2,\n        4\n    ],\n    "c": 3\n}'
    empty = js.parse_spans("{}")
    assert isinstance(empty, js.JsonObject)
    assert js.apply("{}", [js.add_member("{}", empty, "k", '"v"')]) == '{"k": "v"}'


# ------------------------------------------------------------------ the command


def _cli(*args: str, stdin: bytes | None = None):
    from click.testing import CliRunner

    from ccsig.cli import main

    return CliRunner().invoke(main, ["annotate", *args], input=stdin)


def test_command_writes_to_standard_output_and_leaves_the_file_alone(tmp_path: Path) -> None:
    source = tmp_path / "catalog.ttl"
    shutil.copy(DATA / "catalog.ttl", source)
    before = source.read_bytes()
    result = _cli(str(source), "--asset", LETTERS, "-e", EXPRESSION)
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
    assert result.stdout.startswith(before.decode())
    assert EXPRESSION in result.stdout


def test_command_output_file_and_in_place_keep_permissions(tmp_path: Path) -> None:
    source = tmp_path / "catalog.ttl"
    shutil.copy(DATA / "catalog.ttl", source)
    source.chmod(0o640)
    out = tmp_path / "out.ttl"
    result = _cli(str(source), "--asset", LETTERS, "-e", EXPRESSION, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert EXPRESSION in out.read_text() and EXPRESSION not in source.read_text()
    result = _cli(str(source), "--asset", LETTERS, "-e", EXPRESSION, "--in-place")
    assert result.exit_code == 0, result.output
    assert source.read_text() == out.read_text()
    # regression: atomic writes went through mkstemp and left files readable by the owner only
    assert source.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    again = _cli(str(source), "--asset", LETTERS, "-e", EXPRESSION, "--in-place")
    assert again.exit_code == 0 and "nothing to add" in again.stderr
    assert source.read_text() == out.read_text()


def test_command_reads_standard_input() -> None:
    data = (DATA / "compact.json").read_bytes()
    result = _cli("-", "--input-format", "json-ld", "-e", EXPRESSION, stdin=data)
    assert result.exit_code == 0, result.output
    assert EXPRESSION in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["catalog.ttl", "-e", EXPRESSION], "--asset"),
        (["catalog.ttl", "--asset", LETTERS, "-e", "Train-AI=n"], "does not parse"),
        (["catalog.rdf", "-e", EXPRESSION], "RDF/XML"),
        (["invalid.json", "-e", EXPRESSION], "invalid.json:"),
        (
            ["catalog.ttl", "--asset", LETTERS, "-e", EXPRESSION, "-o", "x", "--in-place"],
            "not both",
        ),
        (["-", "-e", EXPRESSION, "--in-place"], "in place"),
    ],
)
def test_command_errors_are_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    for name in ("catalog.ttl", "catalog.rdf", "invalid.json"):
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = _cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written


# ------------------------------------------------------------------ replacing


def test_replace_changes_the_one_value_where_it_is_written(tmp_path: Path) -> None:
    source = DATA / "annotated.jsonld"
    before = source.read_text()
    result = annotate(str(source), "all=n", replace=True)
    assert result.changed
    assert result.text == before.replace(f'"{EXPRESSION}"', '"all=n"')


def test_replace_in_turtle_keeps_everything_else(tmp_path: Path) -> None:
    source = tmp_path / "catalog.ttl"
    shutil.copy(DATA / "catalog.ttl", source)
    first = annotate(str(source), EXPRESSION, asset=LETTERS)
    source.write_text(first.text)
    second = annotate(str(source), "all=n", asset=LETTERS, replace=True)
    assert second.text == first.text.replace(f'"{EXPRESSION}"', '"all=n"')
    ours = {q for q in read_quads(str(source)) if q.predicate == CONTENT_USAGE}
    assert [q.object.value for q in ours] == [EXPRESSION]


def test_replace_refuses_an_expression_written_for_several_datasets(tmp_path: Path) -> None:
    source = tmp_path / "shared.ttl"
    source.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        f'<{LETTERS}> a <http://www.w3.org/ns/dcat#Dataset> ; ccsig:contentUsage "all=n" .\n'
        f'<{MAPS}> a <http://www.w3.org/ns/dcat#Dataset> ; ccsig:contentUsage "all=n" .\n'
    )
    with pytest.raises(InputError) as e:
        annotate(str(source), EXPRESSION, asset=LETTERS, replace=True)
    assert "2 times" in str(e.value)


def test_replace_refuses_several_values(tmp_path: Path) -> None:
    source = tmp_path / "two.ttl"
    source.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        f'<{LETTERS}> a <http://www.w3.org/ns/dcat#Dataset> ; ccsig:contentUsage "all=n", '
        '"search=y" .\n'
    )
    with pytest.raises(InputError) as e:
        annotate(str(source), EXPRESSION, replace=True)
    assert "2 content-usage values" in str(e.value)


def test_replace_keeps_the_language_of_a_croissant_value(tmp_path: Path) -> None:
    if not CROISSANT_FILES:
        pytest.skip(f"reference Croissant files not found at {CROISSANT}")
    source = CROISSANT_FILES[0]
    first = annotate(str(source), EXPRESSION)
    annotated = _written(tmp_path, source, first.text)
    second = annotate(str(annotated), "all=n", replace=True)
    assert second.text == first.text.replace(f'"{EXPRESSION}"', '"all=n"')
    annotated.write_text(second.text)
    (value,) = [q.object for q in read_quads(str(annotated)) if q.predicate == CONTENT_USAGE]
    assert (value.value, value.language) == ("all=n", "en")


def test_a_syntax_error_names_the_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.ttl"
    source.write_text('@prefix ex: <http://e/> .\nex:a ex:p "unterminated .\n')
    with pytest.raises(InputError) as e:
        annotate(str(source), EXPRESSION, asset="http://e/a")
    assert e.value.location == f"{source}:2:11"


# ------------------------------------------------------------------ blank-node datasets

BLANK_CATALOG = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
[] a dcat:Dataset ; dct:title "Rain gauges" .
[] a dcat:Dataset ; dct:title "Roads" .
[] a dcat:Dataset ; dct:identifier "untitled" .
"""


def _checked_labels(path: Path) -> dict[str, str]:
    """Each asset, as check labels it, with its decision for train-genai."""
    return {d.asset: d.decision for d in check([str(path)], "train-genai").results}


@pytest.mark.parametrize("label", ["Roads", "Rain-gauges", None])
def test_a_blank_node_dataset_is_named_by_the_label_check_prints(
    tmp_path: Path, label: str | None
) -> None:
    # a user reads `_:Roads` in check's output and gives it back: every data.json and
    # Croissant dataset is a blank node, so without this none of several could be chosen
    source = tmp_path / "catalog.ttl"
    source.write_text(BLANK_CATALOG)
    labels = list(_checked_labels(source))
    chosen = f"_:{label}" if label else next(a for a in labels if a.startswith("_:b"))
    result = annotate(str(source), EXPRESSION, asset=chosen)
    annotated = tmp_path / "annotated.ttl"
    annotated.write_text(result.text)
    after = _checked_labels(annotated)
    said = [asset for asset, decision in after.items() if decision != "unknown"]
    if label:  # a name-derived label stays; a hash label changes with the new triple
        assert said == [chosen]
    else:
        assert len(said) == 1 and said[0].startswith("_:b")


def test_several_blank_datasets_are_listed_by_their_labels(tmp_path: Path) -> None:
    source = tmp_path / "catalog.ttl"
    source.write_text(BLANK_CATALOG)
    with pytest.raises(InputError) as e:
        annotate(str(source), EXPRESSION)
    assert "_:Roads" in str(e.value) and "_:Rain-gauges" in str(e.value)
    with pytest.raises(InputError, match="no blank node of the file is _:Rods"):
        annotate(str(source), EXPRESSION, asset="_:Rods")
