# Consulting a statement (draft-ietf-aipref-vocab, "Applying Statements of Preference"):
# a category without a preference of its own takes the preference of the nearest broader
# category the statement states one for. This derives, for every preference with a
# y/n value, the categories it decides: ?preference ccsig:appliesTo ?category.
# Non-monotonic ("nearest"), so it runs once, after OWL RL reasoning has made
# skos:broaderTransitive complete; decisions.rq, conflicts.rq and signal-needed.rq read it.
# (MINUS rather than FILTER NOT EXISTS: stores evaluate it as one anti-join instead of
# one sub-query per candidate row, hundreds of times faster on large catalogs.)
PREFIX ccsig: <https://w3id.org/ccsig#>
PREFIX skos:  <http://www.w3.org/2004/02/skos/core#>

INSERT { ?preference ccsig:appliesTo ?category }
WHERE {
  # candidates: the stated category and every category narrower than it
  ?statement ccsig:preference ?preference .
  ?preference ccsig:category ?stated ;
              ccsig:value ?value .
  ?category skos:broaderTransitive? ?stated .
  MINUS {
    # ... unless the same statement states a preference on a category in between
    ?statement ccsig:preference ?preference .
    ?preference ccsig:category ?stated .
    ?statement ccsig:preference ?other .
    ?other ccsig:category ?nearer ;
           ccsig:value ?otherValue .
    ?nearer skos:broaderTransitive ?stated .
    ?category skos:broaderTransitive? ?nearer .
  }
}
