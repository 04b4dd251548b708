"""ccsig: machine-checkable Creative Commons CC signals.

The public API (typed; every function is what a `ccsig` command does):

>>> import ccsig
>>> ccsig.parse("train-genai=n;exceptions=cc-cr-ec").effective["train-genai"]
'disallow'

Heavy dependencies (rdflib, pyshacl, owlrl, pyld) are imported only by the stages that
need them, so parsing expressions stays fast. The stages live in subpackages, one per
step of the pipeline: model, ingest, lift, validate, reason, answer, report, publish,
scan, audit; `ccsig.cli` is the command line over this API.

The names below are resolved when first used (PEP 562), so ``import ccsig`` and
``import ccsig.<stage>`` cost nothing beyond what they use: importing ccsig.api at once
pulled in every stage and its libraries, about 0.35 s before any command ran.
"""

from __future__ import annotations

import importlib as _importlib
import sys as _sys
import types as _types

# typing.TYPE_CHECKING, without importing typing (20 ms) for a bare `import ccsig`; mypy
# reads any name TYPE_CHECKING as true
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ccsig.api import (
        Annotation,
        AuditResult,
        CheckReport,
        Closure,
        Declaration,
        FileMigration,
        HeaderReport,
        Loaded,
        Migration,
        ParsedExpression,
        Prepared,
        QueryResult,
        RobotsReport,
        RslReport,
        Source,
        ValidationReport,
        WriteBack,
        annotate,
        audit,
        audit_urls,
        check,
        declare,
        header,
        infer,
        load,
        migrate,
        migrate_catalog,
        parse,
        prepare_query,
        query,
        robots,
        rsl,
        validate,
        write_back,
    )
    from ccsig.errors import CcsigError, IncompleteDeclarationError, InputError
    from ccsig.model.expression import parse_expression
    from ccsig.model.vocabulary import DEFAULT_VOCABULARY, Ontology, Vocabulary, load_ontology

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_VOCABULARY",
    "Annotation",
    "AuditResult",
    "CcsigError",
    "CheckReport",
    "Closure",
    "Declaration",
    "FileMigration",
    "HeaderReport",
    "IncompleteDeclarationError",
    "InputError",
    "Loaded",
    "Migration",
    "Ontology",
    "ParsedExpression",
    "Prepared",
    "QueryResult",
    "RobotsReport",
    "RslReport",
    "Source",
    "ValidationReport",
    "Vocabulary",
    "__version__",
    "annotate",
    "audit",
    "audit_urls",
    "check",
    "declare",
    "header",
    "infer",
    "load",
    "load_ontology",
    "migrate",
    "migrate_catalog",
    "parse",
    "parse_expression",
    "prepare_query",
    "query",
    "robots",
    "rsl",
    "validate",
    "write_back",
    "WriteBack",
]

# Where each public name lives (the same imports as the TYPE_CHECKING block above;
# tests/test_layers.py keeps the two and __all__ equal). Everything ccsig.api exports
# comes from there; the rest from the small modules below it, so `ccsig.load_ontology`
# or `ccsig.CcsigError` does not load the whole API.
_HOMES: dict[str, str] = {
    **{name: "ccsig.errors" for name in ("CcsigError", "IncompleteDeclarationError", "InputError")},
    "parse_expression": "ccsig.model.expression",
    **{
        name: "ccsig.model.vocabulary"
        for name in ("DEFAULT_VOCABULARY", "Ontology", "Vocabulary", "load_ontology")
    },
}
_HOMES.update((name, "ccsig.api") for name in __all__ if name not in _HOMES)
del _HOMES["__version__"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value  # once resolved, an ordinary module attribute
    return value


class _Package(_types.ModuleType):
    """The ccsig package, whose public names win over its subpackages' names.

    Importing a subpackage binds it as an attribute of its parent: the audit stage
    (ccsig.audit/) would hide `ccsig.audit`, the function, whenever it was imported
    first. The eager package bound the function after its imports; this keeps it so.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOMES and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
