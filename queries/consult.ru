# Consulting a statement (draft-ietf-aipref-vocab, "Applying Statements of Preference"):
# a category without a preference of its own takes the preference of the nearest broader
# category the statement states one for. This derives, for every preference with a
# y/n value, the categories it decides: ?preference ccsig:appliesTo ?category.
# Non-monotonic ("nearest"), so it runs once, after OWL RL reasoning has made
# skos:broaderTransitive complete; decisions.rq, conflicts.rq and signal-needed.rq read it.
PREFIX ccsig: <https://w3id.org/ccsig#>
PREFIX skos:  <http://www.w3.org/2004/02/skos/core#>

INSERT { ?preference ccsig:appliesTo ?category }
WHERE {
  ?statement ccsig:preference ?preference .
  ?preference ccsig:category ?stated ;
              ccsig:value ?value .
  # candidates: the stated category and the narrower ones of the same scheme
  ?stated skos:inScheme ?scheme .
  ?category skos:inScheme ?scheme .
  FILTER (?category = ?stated || EXISTS { ?category skos:broaderTransitive ?stated })
  FILTER NOT EXISTS {
    # a preference of the same statement on a category between ?category and ?stated
    ?statement ccsig:preference ?other .
    ?other ccsig:category ?nearer ;
           ccsig:value ?otherValue .
    ?nearer skos:broaderTransitive ?stated .
    FILTER (?nearer = ?category || EXISTS { ?category skos:broaderTransitive ?nearer })
  }
}
