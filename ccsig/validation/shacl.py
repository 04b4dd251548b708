"""Validate RDF carrying CC signals against shapes/.

Takes: RDF files (any format `ccsig.ingest.readers` reads), a vocabulary name, an
engine name and any steward shape files to add to the shipped ones.
Gives: a `Report` of SHACL results, each with a severity, the focus node, the
path, a message for the steward and the file it came from, and which engine ran
which shapes.

Each file is read, its ``ccsig:contentUsage`` literals and the ODRL policies it links
to assets are lifted into statements (ccsig.lift.literals, ccsig.lift.odrl), and the file plus its
statements are validated against the shapes, with the shipped vocabulary beside the
data so shapes can see category labels and signal tokens. The "reference" engine is
pySHACL over rdflib; the "fast" engine (the default; ccsig.validation.fast and
ccsig.validation.broadcast) gives the same results, and hands every shape it cannot
evaluate exactly to the reference engine.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ccsig.errors import CcsigError
from ccsig.model.terms import to_rdflib
from ccsig.model.vocabulary import vocabulary_graph
from ccsig.resources import data_files

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

SEVERITIES = {"Violation": "violation", "Warning": "warning", "Info": "info"}
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Result:
    severity: str
    focus: str
    path: str | None
    message: str
    file: str
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        # asdict() would deep-copy every field: a third of the run on a large catalog
        return {
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "message": self.message,
            "file": self.file,
            "value": self.value,
        }


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    # (shape, engine that ran it, why not the fast one) for every targeted shape; the
    # shape is its IRI or a blank node's label. Not in to_json() unless steward shapes
    # were added, so the default report stays as it was.
    engines: tuple[tuple[str, str, str], ...] = ()
    show_engines: bool = False
    # One line per input that could not be read (file:line:col: what is wrong), with
    # keep_going; in to_json() only when there are any.
    unreadable: tuple[str, ...] = ()

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(r.severity == severity for r in self.results)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"conforms": self.conforms}
        if self.show_engines:
            out["engines"] = [
                {"shape": s, "engine": e, "reason": why} for s, e, why in self.engines
            ]
        out["results"] = [r.to_json() for r in self.results]
        if self.unreadable:
            out["unreadable"] = list(self.unreadable)
        return out


@cache
def shapes_graph() -> rdflib.Graph:
    import rdflib

    graph = rdflib.Graph()
    for f in data_files("shapes", ".ttl"):
        graph.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return graph


def _node_label(node: rdflib.term.Node | None) -> str | None:
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return str(node)


class InvalidShapes(CcsigError):
    """pySHACL cannot load the shapes graph; the message is pySHACL's, in one line."""


def validate_graph(
    data: rdflib.Graph, file: str = "", shapes: rdflib.Graph | None = None
) -> list[Result]:
    """SHACL-validate a graph that already holds its lifted statements (it is not modified),
    against `shapes` (default: the shipped shapes)."""
    import pyshacl
    import rdflib
    from pyshacl.errors import ReportableRuntimeError
    from rdflib.namespace import SH

    # The shapes read category labels and signal tokens from the vocabulary. Adding
    # its triples to a copy of the data is far cheaper than pySHACL's ont_graph
    # mixing, which clones node by node; the vocabulary holds no shape targets.
    data = data + vocabulary_graph()
    logging.getLogger("pyshacl-validate").disabled = True  # errors are raised, not logged
    try:
        _conforms, results_graph, text = pyshacl.validate(
            data,
            shacl_graph=shapes if shapes is not None else shapes_graph(),
            inference="none",
            advanced=True,
            allow_warnings=True,
            do_owl_imports=False,
        )
    except RecursionError:
        # rdflib's SPARQL parser runs out of Python frames at about 40 nested groups
        raise CcsigError(
            "the shapes nest too deeply for the reference engine (pySHACL over rdflib "
            "reached Python's recursion limit); try --engine fast"
        ) from None
    except Exception as e:
        # a shape pySHACL cannot load: its own errors, or rdflib's parser's (pyparsing,
        # not a dependency of ccsig) for a sh:select that does not parse
        if not isinstance(e, ReportableRuntimeError) and not type(e).__module__.startswith(
            "pyparsing"
        ):
            raise
        raise InvalidShapes(" ".join(str(e).split("For reference, see")[0].split())) from None
    if not isinstance(results_graph, rdflib.Graph):  # pySHACL could not run the shapes
        raise RuntimeError(f"SHACL validation failed to run: {text}")
    results = []
    # the report's own results only: those nested in a result's sh:detail (what a node
    # reached through sh:node did not conform with) are the reason for it, not results
    reports = results_graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    for r in (r for report in reports for r in results_graph.objects(report, SH.result)):
        severity = results_graph.value(r, SH.resultSeverity)
        message = results_graph.value(r, SH.resultMessage)
        value = results_graph.value(r, SH.value)
        results.append(
            Result(
                severity=SEVERITIES.get(str(severity).rsplit("#", 1)[-1], "info"),
                focus=_node_label(results_graph.value(r, SH.focusNode)) or "",
                path=_node_label(results_graph.value(r, SH.resultPath)),
                message=" ".join(str(message).split()) if message is not None else "",
                file=file,
                value=str(value) if value is not None else None,
            )
        )
    return results


def reference_results(
    quads: Sequence[ox.Quad],
    lifted: Sequence[ox.Triple],
    file: str,
    shapes: rdflib.Graph | None = None,
) -> list[Result]:
    """pySHACL over the data and its lifted statements (today's path, exactly)."""
    graph = to_rdflib(quads)
    to_rdflib(lifted, graph)
    return validate_graph(graph, file=file, shapes=shapes)
