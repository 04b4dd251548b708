# cls-hv1: an instance of a hasValue restriction has that value.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?x ?p ?v }
WHERE { SELECT DISTINCT ?x ?p ?v WHERE {
  ?r owl:hasValue ?v ;
     owl:onProperty ?p .
  ?x a ?r .
} }
