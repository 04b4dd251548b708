"""vocab/cawg.ttl covers every CAWG entry in every aipref draft: each entry/draft pair is
either matched to categories that exist there, with a reason, or one of the pairs the
file's header says are not mapped on purpose."""

from __future__ import annotations

from ccsig.model.vocabulary import load_ontology, training_mining_entries

ENTRIES = ("data_mining", "ai_inference", "ai_generative_training", "ai_training")
# The header's "Not mapped, on purpose" list, and the pairs matched only by a wider category
# (skos:broadMatch, never read).
UNMAPPED = {
    *(("ai_training", d) for d in ("aipref-04", "aipref-05", "aipref-06", "aipref-07")),
    *(("ai_inference", d) for d in ("aipref-03", "aipref-05", "aipref-06", "aipref-07")),
}
ONLY_WIDER = {
    *(("ai_training", d) for d in ("aipref-01", "aipref-02", "aipref-03")),
    ("ai_inference", "aipref-04"),
}


def test_both_spellings_of_every_entry_are_known() -> None:
    entries = training_mining_entries()
    assert set(entries) == {f"{p}.{e}" for p in ("cawg", "c2pa") for e in ENTRIES}
    for e in ENTRIES:
        assert entries[f"cawg.{e}"] is entries[f"c2pa.{e}"]


def test_every_entry_is_mapped_or_left_out_on_purpose_in_every_draft() -> None:
    ontology = load_ontology()
    entries = training_mining_entries()
    for e in ENTRIES:
        entry = entries[f"cawg.{e}"]
        for name, vocab in ontology.vocabularies.items():
            matches = [m for m in entry.matches if m.vocabulary == name]
            if (e, name) in UNMAPPED:
                assert matches == [], (e, name)
                continue
            assert matches, f"{e} has no match in {name} and is not listed as unmapped"
            for m in matches:
                assert m.label in vocab.by_label, (e, name, m.label)
                assert m.reason.strip(), (e, name, m.label)
            assert bool(entry.read_labels(name)) == ((e, name) not in ONLY_WIDER), (e, name)


def test_every_use_has_a_meaning_and_constrained_is_a_disallow() -> None:
    ontology = load_ontology()
    meanings = {u: ontology.mapped("cawg", u) for u in ("allowed", "notAllowed", "constrained")}
    assert {u: m.meaning for u, m in meanings.items() if m} == {
        "allowed": "allow",
        "notAllowed": "disallow",
        "constrained": "disallow",
    }


def test_the_specific_entries_are_parts_of_data_mining() -> None:
    entries = training_mining_entries()
    root = entries["cawg.data_mining"]
    assert root.broader is None and root.depth == 0
    for e in ("ai_inference", "ai_generative_training", "ai_training"):
        assert entries[f"cawg.{e}"].broader == root.iri
        assert entries[f"cawg.{e}"].depth == 1
