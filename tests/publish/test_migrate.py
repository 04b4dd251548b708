"""ccsig.publish.migrate: expressions carried across aipref drafts, with what changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.errors import CcsigError, InputError
from ccsig.model.expression import parse_expression
from ccsig.model.namespaces import CONTENT_USAGE
from ccsig.model.vocabulary import load_ontology
from ccsig.publish.migrate import matches, migrate_expression, migrate_file
from tests.helpers.paths import EXAMPLES

DRAFTS = sorted(load_ontology().vocabularies)


def test_minus_02_train_genai_is_close_to_minus_07_train_ai() -> None:
    done = migrate_expression("train-genai=n;exceptions=cc-cr-ec", "aipref-07", "aipref-02")
    assert done.migrated == "train-ai=n;exceptions=cc-cr-ec"
    [label] = done.labels
    assert (label.label, label.relation, label.targets) == ("train-genai", "close", ("train-ai",))
    assert "generate content" in label.reason
    assert done.outcomes == {"changed"}


def test_minus_02_train_ai_has_only_a_narrower_counterpart_in_minus_07() -> None:
    done = migrate_expression("train-ai=n", "aipref-07", "aipref-02")
    assert done.migrated == "train-ai=n"
    assert [m.relation for m in done.labels] == ["narrower"]
    assert "no counterpart" in done.labels[0].reason or "not covered" in done.labels[0].reason


def test_a_label_without_counterpart_is_lost_and_said() -> None:
    done = migrate_expression("ai-use=n, search=y", "aipref-07", "aipref-02")
    assert done.migrated == "search=y"
    assert [m.relation for m in done.labels] == ["none", "close"]
    assert "lost" in done.outcomes
    assert any("ai-use (aipref-02) has no counterpart in aipref-07" in w for w in done.warnings())


def test_a_root_preference_reaches_every_category_it_contains() -> None:
    assert migrate_expression("all=n", "aipref-07").migrated == "train-ai=n, search=n"
    assert migrate_expression("all=n", "aipref-03").migrated == "bots=n"  # renamed, exact
    assert migrate_expression("all=n", "aipref-03").outcomes == set()


def test_a_wider_target_category_is_not_given_a_preference() -> None:
    # -07 train-ai (generative) lies inside -02 train-ai (any AI training): -02 train-ai
    # and all get nothing, only train-genai does
    done = migrate_expression("train-ai=n", "aipref-02", "aipref-07")
    assert done.migrated == "train-genai=n"


def test_unknown_labels_are_left_out_with_the_parse_warning() -> None:
    done = migrate_expression("genai=n, search=y", "aipref-07", "aipref-02")
    assert done.migrated == "search=y"
    assert "lost" in done.outcomes
    assert any("'genai' is not a category of aipref-02" in w for w in done.warnings())


def test_an_unparsable_expression_is_refused() -> None:
    with pytest.raises(CcsigError, match="not a content-usage expression"):
        migrate_expression("train-ai=", "aipref-07")


def test_every_relation_has_a_reason_and_reads_both_ways() -> None:
    inverse = {"exact": "exact", "close": "close", "broader": "narrower", "narrower": "broader"}
    for a in DRAFTS:
        for b in DRAFTS:
            if a == b:
                continue
            there = {(m.source, m.target): m for m in matches(a, b)}
            back = {(m.target, m.source): m for m in matches(b, a)}
            assert there.keys() == back.keys(), (a, b)
            for key, m in there.items():
                assert m.reason, (a, b, key)
                assert back[key].relation == inverse[m.relation], (a, b, key)


def test_migrating_to_the_same_draft_changes_nothing() -> None:
    done = migrate_expression("train-genai=n;exceptions=cc-cr, search=y", "aipref-02")
    assert done.migrated == "train-genai=n;exceptions=cc-cr, search=y"
    assert done.outcomes == set()


_VALUES = st.sampled_from(["y", "n", "n;exceptions=cc-cr", "n;exceptions=cc-cr-ec"])


@st.composite
def _expressions(draw: st.DrawFn) -> tuple[str, str]:
    draft = draw(st.sampled_from(DRAFTS))
    labels = load_ontology().vocabulary(draft).labels
    chosen = draw(st.lists(st.sampled_from(labels), unique=True, max_size=len(labels)))
    return draft, ", ".join(f"{label}={draw(_VALUES)}" for label in chosen)


@settings(max_examples=150, deadline=None)
@given(_expressions(), st.sampled_from(DRAFTS))
def test_exact_and_narrower_carry_preferences_soundly(
    written: tuple[str, str], target: str
) -> None:
    """Every preference the migrated expression states is the effective preference of a
    source category it matches exactly, closely, or lies inside; the result parses with
    no warning; migrating to the same draft keeps every effective preference."""
    source, expression = written
    done = migrate_expression(expression, target, source)
    before = parse_expression(expression, source)
    after = parse_expression(done.migrated, target)
    assert after.warnings == ()
    carried = {
        (m.target, m.source)
        for m in matches(source, target)
        if m.relation in ("exact", "close", "narrower")
    }
    for label, value in after.preferences.items():
        if value == "unknown":
            continue
        assert any(
            before.effective[s] == value
            and before.effective_exceptions.get(s) == after.exceptions.get(label)
            for t, s in carried
            if t == label
        ), (expression, source, target, done.migrated)
    if source == target:
        assert after.effective == before.effective


# ------------------------------------------------------------------ files


def _literals(path: Path) -> list[str]:
    fmt = ox.RdfFormat.JSON_LD if path.suffix == ".json" else ox.RdfFormat.TURTLE
    data = path.read_bytes()
    if fmt == ox.RdfFormat.JSON_LD:
        from ccsig.ingest.readers import resolve_contexts

        data = resolve_contexts(str(path), data, False)
    return sorted(
        q.object.value
        for q in ox.parse(data, format=fmt, base_iri="http://x/")
        if q.predicate == CONTENT_USAGE
    )


def test_a_turtle_catalog_keeps_its_layout(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.ttl"
    shutil.copy(EXAMPLES / "catalog.ttl", catalog)
    done = migrate_file(str(catalog), "aipref-07")
    before, after = catalog.read_text().splitlines(), done.text.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed and all("ccsig:contentUsage" in a for a, _ in changed)
    assert '"train-ai=n;exceptions=cc-cr-ec"' in done.text
    assert done.changed and "lost" in done.outcomes  # ai-use has no -07 counterpart


def test_a_json_ld_catalog_keeps_its_layout(tmp_path: Path) -> None:
    croissant = tmp_path / "croissant.json"
    shutil.copy(EXAMPLES / "croissant.json", croissant)
    done = migrate_file(str(croissant), "aipref-07")
    original = croissant.read_text()
    assert done.text == original.replace(
        '"train-genai=n;exceptions=cc-cr-ec, search=y"',
        '"train-ai=n;exceptions=cc-cr-ec, search=y"',
    )
    json.loads(done.text)
    assert done.migrations[0].migrated == "train-ai=n;exceptions=cc-cr-ec, search=y"


def test_an_expression_also_written_elsewhere_is_refused(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        '<http://x/d> ccsig:contentUsage "all=n" ; dct:description "all=n" .\n'
    )
    with pytest.raises(InputError, match="also written elsewhere"):
        migrate_file(str(catalog), "aipref-07")


def test_a_long_quoted_expression_is_changed_too(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        '<http://x/d> ccsig:contentUsage """all=n""" .\n'
    )
    assert '"""train-ai=n, search=n"""' in migrate_file(str(catalog), "aipref-07").text


def test_a_single_quoted_expression_cannot_be_found_and_says_so(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n<http://x/d> ccsig:contentUsage 'all=n' .\n"
    )
    with pytest.raises(InputError, match="not written as a plain quoted string"):
        migrate_file(str(catalog), "aipref-07")


@settings(max_examples=40, deadline=None)
@given(st.lists(_expressions(), min_size=1, max_size=4), st.sampled_from(DRAFTS))
def test_every_literal_of_a_catalog_is_migrated_like_its_expression(
    written: list[tuple[str, str]], target: str
) -> None:
    import tempfile

    source = written[0][0]
    expressions = [e for d, e in written if d == source and e]
    if not expressions:
        return
    lines = ["@prefix ccsig: <https://w3id.org/ccsig#> .", "# kept"]
    lines += [f'<http://x/d{i}> ccsig:contentUsage "{e}" .' for i, e in enumerate(expressions)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.ttl"
        path.write_text("\n".join(lines) + "\n")
        done = migrate_file(str(path), target, source)
        path.write_text(done.text)
        after = dict(
            (q.subject.value, q.object.value)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        )
    assert done.text.splitlines()[1] == "# kept"
    for i, e in enumerate(expressions):
        migrated = migrate_expression(e, target, source).migrated
        assert after[f"http://x/d{i}"] == (migrated or e)


def test_a_new_value_equal_to_an_old_one_kept_elsewhere_is_left_alone(tmp_path: Path) -> None:
    # -07 -> -02: "train-ai=y" becomes "train-genai=y", the very text another dataset
    # already has (unknown in -07, so kept); both end up the same, neither is touched twice
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        '<http://x/a> ccsig:contentUsage "train-genai=n" .\n'
        '<http://x/b> ccsig:contentUsage "train-ai=y" .\n'
        '<http://x/c> ccsig:contentUsage "train-genai=y" .\n'
    )
    done = migrate_expression("train-ai=y", "aipref-02", "aipref-07")
    assert done.migrated == "train-genai=y"
    text = migrate_file(str(catalog), "aipref-02", "aipref-07").text
    assert '<http://x/b> ccsig:contentUsage "train-genai=y"' in text
    assert '<http://x/c> ccsig:contentUsage "train-genai=y"' in text  # unknown in -07: kept


def test_blank_node_datasets_are_matched_by_position(tmp_path: Path) -> None:
    catalog = tmp_path / "c.ttl"
    catalog.write_text(
        "@prefix ccsig: <https://w3id.org/ccsig#> .\n"
        '[] ccsig:contentUsage "all=n" .\n'
        '[] ccsig:contentUsage "all=y" .\n'
        '_:x ccsig:contentUsage "search=y" ; ccsig:about _:x .\n'
    )
    text = migrate_file(str(catalog), "aipref-07").text
    assert '[] ccsig:contentUsage "train-ai=n, search=n" .' in text
    assert '[] ccsig:contentUsage "train-ai=y, search=y" .' in text


@settings(max_examples=30, deadline=None)
@given(st.lists(_expressions(), min_size=1, max_size=4), st.sampled_from(DRAFTS))
def test_every_literal_of_a_json_ld_catalog_is_migrated_like_its_expression(
    written: list[tuple[str, str]], target: str
) -> None:
    import tempfile

    source = written[0][0]
    expressions = [e for d, e in written if d == source and e]
    if not expressions:
        return
    document = {
        "@context": {"ccsig": "https://w3id.org/ccsig#"},
        "@graph": [
            {"@id": f"http://x/d{i}", "ccsig:contentUsage": e} for i, e in enumerate(expressions)
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.jsonld"
        path.write_text(json.dumps(document, indent=1))
        done = migrate_file(str(path), target, source)
    after = json.loads(done.text)
    assert after["@context"] == document["@context"]
    for i, e in enumerate(expressions):
        migrated = migrate_expression(e, target, source).migrated
        assert after["@graph"][i]["ccsig:contentUsage"] == (migrated or e)
