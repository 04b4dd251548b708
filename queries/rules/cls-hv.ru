# cls-hv1: an instance of a hasValue restriction has that value;
# cls-hv2: whatever has the value is an instance of the restriction.
# (Two operations: a FILTER inside a UNION branch would not see ?r, ?p and ?v.)
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?x ?p ?v }
WHERE {
  ?r owl:hasValue ?v ;
     owl:onProperty ?p .
  ?x a ?r .
  FILTER NOT EXISTS { ?x ?p ?v }
} ;
INSERT { ?y a ?r }
WHERE {
  ?r owl:hasValue ?v ;
     owl:onProperty ?p .
  ?y ?p ?v .
  FILTER NOT EXISTS { ?y a ?r }
}
