# prp-trp: transitive properties chain.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?x ?p ?z }
WHERE { SELECT DISTINCT ?x ?p ?z WHERE {
  ?p a owl:TransitiveProperty .
  ?x ?p ?y .
  ?y ?p ?z .
} }
