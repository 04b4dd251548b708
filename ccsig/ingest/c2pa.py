"""Read the CAWG training and data mining assertion of an asset's C2PA manifest.

Takes: the bytes of an image (a file, or a WARC response body) and its media type when known.
Gives: `read_training_mining`: the active manifest's ``cawg.training-mining`` (or C2PA 1.x
``c2pa.training-mining``) entries as written, with one-line warnings; `cawg_statement`, the
`WebStatement` they amount to through vocab/cawg.ttl.

The manifest store is read by c2pa-rs (c2pa-python), offline: remote manifests and OCSP
are never fetched, no network host is allowed, and trust is checked against no list
(ccsig ships none). A manifest that does not validate (an untrusted or self-signed
certificate, a hash that does not match the asset) is still read, with a warning naming
each failure: the assertion is what the signer said, and ccsig reports it without
vouching for it. A damaged manifest, or a file c2pa-rs cannot read, is one warning and
states nothing; a file with no manifest is silent. At most `MAX_ASSET` bytes are read.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ccsig.errors import escaped
from ccsig.model.expression import parse_expression
from ccsig.model.namespaces import NS
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, load_ontology, training_mining_entries
from ccsig.model.web import WebStatement

LABELS = ("cawg.training-mining", "c2pa.training-mining")
SYSTEM = "cawg"
VIA_C2PA = "c2pa"
MAX_ASSET = 64 << 20  # bytes of an asset handed to c2pa-rs
_MAX_MANIFEST_MB = 8  # decompressed manifest store; real ones are a few KiB to a few MiB
_SETTINGS = {
    "core": {"allowed_network_hosts": [], "max_decompressed_manifest_size_in_mb": _MAX_MANIFEST_MB},
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
}
TRAINING_MINING = ox.NamedNode(NS + "trainingMining")
_MAX_TEXT = 300  # characters of a constraint_info kept in a note


@dataclass(frozen=True)
class TrainingMining:
    """The entries of one training and data mining assertion: (entry, use, constraint_info)."""

    label: str  # cawg.training-mining or c2pa.training-mining
    entries: tuple[tuple[str, str, str | None], ...]

    @property
    def as_written(self) -> str:
        """The entries as a JSON object with sorted keys, as the manifest holds them."""
        entries: dict[str, dict[str, str]] = {}
        for name, use, info in self.entries:
            entries[name] = {"use": use} | ({"constraint_info": info} if info else {})
        return json.dumps({"entries": entries, "label": self.label}, sort_keys=True)

    def to_json(self, warnings: tuple[str, ...] = ()) -> str:
        """`as_written` with the warnings of reading it (how ingest hands it to lift)."""
        data = json.loads(self.as_written)
        return json.dumps(data | ({"warnings": list(warnings)} if warnings else {}), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> tuple[TrainingMining, tuple[str, ...]]:
        """Read `to_json` back: the assertion and the warnings; ValueError when it is not."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
            raise ValueError("not a training and data mining assertion")
        label = str(data.get("label") or LABELS[0])
        entries, _ = _entries(data["entries"])
        warnings = tuple(str(w) for w in data.get("warnings") or [] if isinstance(w, str))
        return cls(label, entries), warnings


@dataclass(frozen=True)
class C2paRead:
    assertion: TrainingMining | None  # None: no manifest, or none with the assertion
    warnings: tuple[str, ...] = ()


def looks_like_c2pa(data: bytes) -> bool:
    """Whether the bytes may hold a C2PA manifest store (its JUMBF label), cheaply."""
    return b"c2pa" in data


def read_training_mining(data: bytes, media_type: str | None = None) -> C2paRead:
    """The training and data mining assertion of the asset's active manifest, if any."""
    if not looks_like_c2pa(data):
        return C2paRead(None)
    if len(data) > MAX_ASSET:
        return C2paRead(None, (f"larger than {MAX_ASSET} bytes; its C2PA manifest is not read",))
    import c2pa  # only now: loading c2pa-rs takes ~240 ms

    try:
        with c2pa.Reader(media_type or None, io.BytesIO(data), None, _context()) as reader:
            store = json.loads(reader.json())
    except c2pa.C2paError.ManifestNotFound:
        return C2paRead(None)
    except (c2pa.C2paError, ValueError, OSError) as e:
        if "remote manifest" in str(e).lower():  # c2pa-rs names the URL it would fetch
            where = str(e).rsplit(" ", 1)[-1] if " url " in str(e) else "elsewhere"
            problem = f"its C2PA manifest is remote ({where}); ccsig does not fetch it"
            return C2paRead(None, (problem,))
        problem = f"C2PA manifest not readable ({_one_line(e)}); nothing read from it"
        return C2paRead(None, (problem,))
    if not isinstance(store, dict):
        return C2paRead(None, ("C2PA manifest store is not a JSON object; nothing read from it",))
    manifests = store.get("manifests")
    active = manifests.get(store.get("active_manifest")) if isinstance(manifests, dict) else None
    if not isinstance(active, dict):
        return C2paRead(None, ("C2PA manifest store has no active manifest; nothing read from it",))
    found = [
        a
        for a in active.get("assertions") or []
        if isinstance(a, dict) and str(a.get("label", "")).split(".v")[0] in LABELS
    ]
    if not found:
        return C2paRead(None)
    warnings: list[str] = []
    failures = [
        f"{s.get('code')}: {s.get('explanation') or ''}".rstrip(": ")
        for s in store.get("validation_status") or []
        if isinstance(s, dict) and s.get("code")
    ]
    if failures:
        warnings.append(
            "C2PA manifest does not validate ("
            + "; ".join(failures)
            + "); its training and data mining assertion is read as the signer stated it"
        )
    label = str(found[0].get("label")).split(".v")[0]
    data_map = found[0].get("data")
    if isinstance(data_map, dict) and isinstance(data_map.get("entries"), dict):
        data_map = data_map["entries"]  # C2PA 1.x and CAWG manifests as written
    if not isinstance(data_map, dict):
        warnings.append(f"{label} holds no map of entries; nothing read from it")
        return C2paRead(None, tuple(warnings))
    entries, problems = _entries(data_map)
    warnings.extend(f"{label}: {p}" for p in problems)
    if len(found) > 1:
        warnings.append(f"{len(found)} training and data mining assertions; only the first is read")
    return C2paRead(TrainingMining(label, entries), tuple(warnings))


def training_mining_ntriples(read: C2paRead, base: str) -> bytes:
    """The assertion as an N-Triples line ``<base> ccsig:trainingMining "{json}"`` (what
    ccsig.lift.cawg lifts), or nothing."""
    if read.assertion is None:
        return b""
    triple = ox.Triple(
        ox.NamedNode(base), TRAINING_MINING, ox.Literal(read.assertion.to_json(read.warnings))
    )
    return ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES) or b""


def cawg_statement(
    assertion: TrainingMining,
    vocabulary: str = DEFAULT_VOCABULARY,
    location: str | None = None,
) -> tuple[WebStatement, list[str]]:
    """What `assertion` states, through vocab/cawg.ttl, and warnings for entries and uses
    CAWG does not define. Where two entries reach one category the narrower entry decides,
    then the more restrictive use; constrained uses keep their constraint_info as the note."""
    ontology = load_ontology()
    labels = ontology.vocabulary(vocabulary).labels
    known = training_mining_entries()
    tokens = ontology.value_tokens
    chosen: dict[str, tuple[int, int, str]] = {}  # label -> (depth, restrictive, token)
    problems: list[str] = []
    notes: list[str] = []
    for name, use, info in assertion.entries:
        entry = known.get(name)
        value = ontology.mapped(SYSTEM, use)
        if entry is None:
            problems.append(f"{assertion.label} entry {name!r} is not a CAWG entry; ignored")
            continue
        if value is None or value.meaning not in tokens:
            problems.append(f"{assertion.label} {name}: use {use!r} is not a CAWG use; ignored")
            continue
        if use == "constrained":
            notes.append(f"{name} constrained" + (f": {info[:_MAX_TEXT]}" if info else ""))
        rank = (entry.depth, int(value.meaning == "disallow"), tokens[value.meaning])
        for label in entry.read_labels(vocabulary):
            if label not in chosen or rank[:2] > chosen[label][:2]:
                chosen[label] = rank
    expression = ", ".join(f"{label}={chosen[label][2]}" for label in labels if label in chosen)
    statement = WebStatement(
        SYSTEM,
        VIA_C2PA,
        assertion.as_written,
        parse_expression(expression, vocabulary),
        location=location,
        note="; ".join(notes) or None,
    )
    return statement, problems


def _entries(data: dict[str, Any]) -> tuple[tuple[tuple[str, str, str | None], ...], list[str]]:
    entries: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    for name, entry in sorted(data.items()):
        if name == "metadata":
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("use"), str):
            problems.append(f"entry {name!r} has no use; ignored")
            continue
        # the CDDL spells it constraint_info, the prose constraints_info
        info = entry.get("constraint_info", entry.get("constraints_info"))
        entries.append((str(name), entry["use"], info if isinstance(info, str) else None))
    return tuple(entries), problems


_CONTEXTS: dict[int, Any] = {}


def _context() -> Any:
    """One offline c2pa Context per process: c2pa-python invalidates its handles in a
    forked child (`ccsig scan --jobs`), so a parent's context is not reused there."""
    import c2pa

    context = _CONTEXTS.get(os.getpid())
    if context is None or not context.is_valid:
        _CONTEXTS.clear()
        context = _CONTEXTS[os.getpid()] = c2pa.Context.from_dict(_SETTINGS)
    return context


def _one_line(error: BaseException) -> str:
    return escaped(" ".join(str(error).split())[:200]) or type(error).__name__
