# Consulting a statement (draft-ietf-aipref-vocab, "Applying Statements of Preference"):
# a category without a preference of its own takes the preference of the nearest broader
# category the statement states one for. This derives, for every preference with a
# y/n value, the categories it decides: ?preference ccsig:appliesTo ?category.
# Non-monotonic ("nearest"), so it runs once, after OWL RL reasoning has made
# skos:broaderTransitive complete; decisions.rq, conflicts.rq and signal-needed.rq read it.
# appliesTo belongs to the preference node, so statements sharing a preference node must
# state the same other preferences, as lifting guarantees: it shares nodes only between
# statements of the same expression. That lets the work run over distinct preferences and
# sibling pairs, a few hundred in a catalog repeating a few expressions, rather than over
# every statement.
# (MINUS rather than FILTER NOT EXISTS: stores evaluate it as one anti-join instead of
# one sub-query per candidate row, hundreds of times faster on large catalogs.)
PREFIX ccsig: <https://w3id.org/ccsig#>
PREFIX skos:  <http://www.w3.org/2004/02/skos/core#>

INSERT { ?preference ccsig:appliesTo ?category }
WHERE {
  # candidates: the stated category and every category narrower than it
  { SELECT DISTINCT ?preference WHERE { ?statement ccsig:preference ?preference } }
  ?preference ccsig:category ?stated ;
              ccsig:value ?value .
  ?category skos:broaderTransitive? ?stated .
  MINUS {
    # ... unless a statement with this preference states one on a category in between
    { SELECT DISTINCT ?preference ?other WHERE { ?statement ccsig:preference ?preference, ?other } }
    ?preference ccsig:category ?stated .
    ?other ccsig:category ?nearer ;
           ccsig:value ?otherValue .
    ?nearer skos:broaderTransitive ?stated .
    ?category skos:broaderTransitive? ?nearer .
  }
}
