"""ccsig: machine-checkable Creative Commons CC signals.

The library API, for use from a notebook or another tool:

>>> from ccsig import parse_expression
>>> parse_expression("train-genai=n;exceptions=cc-cr-ec").effective["train-genai"]
'disallow'

Heavy dependencies (rdflib, pyshacl) are imported only by the stages that need
them, so parsing expressions stays fast.
"""

from ccsig.model.expression import ParsedExpression, parse_expression
from ccsig.model.vocabulary import DEFAULT_VOCABULARY, Ontology, Vocabulary, load_ontology

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_VOCABULARY",
    "Ontology",
    "ParsedExpression",
    "Vocabulary",
    "__version__",
    "load_ontology",
    "parse_expression",
]
