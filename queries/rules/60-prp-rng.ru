# prp-rng: the object of a property is an instance of the property's range
# (literal objects cannot be subjects, so they are skipped).
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?y a ?class }
WHERE { SELECT DISTINCT ?y ?class WHERE {
  ?p rdfs:range ?class .
  ?x ?p ?y .
  FILTER (!isLiteral(?y))
} }
