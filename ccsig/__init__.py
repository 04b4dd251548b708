"""ccsig: machine-checkable Creative Commons CC signals.

The public API (typed; every function is what a `ccsig` command does):

>>> import ccsig
>>> ccsig.parse("train-genai=n;exceptions=cc-cr-ec").effective["train-genai"]
'disallow'

Heavy dependencies (rdflib, pyshacl, owlrl, pyld) are imported only by the stages that
need them, so parsing expressions stays fast. The stages live in subpackages, one per
step of the pipeline: model, ingest, lift, validate, reason, answer, report, publish,
scan, audit; `ccsig.cli` is the command line over this API.
"""

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
    "validate",
    "write_back",
    "WriteBack",
]
