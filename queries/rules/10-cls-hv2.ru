# cls-hv2: whatever has the value of a hasValue restriction is an instance of it.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?x a ?r }
WHERE { SELECT DISTINCT ?x ?r WHERE {
  ?r owl:hasValue ?v ;
     owl:onProperty ?p .
  ?x ?p ?v .
} }
