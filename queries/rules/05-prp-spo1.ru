# prp-spo1: a triple with a sub-property also holds with its super-properties.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?x ?super ?y }
WHERE {
  ?sub rdfs:subPropertyOf ?super .
  FILTER (?sub != ?super)
  ?x ?sub ?y .
}
