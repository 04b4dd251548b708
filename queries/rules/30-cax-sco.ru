# cax-sco: an instance of a class is an instance of its superclasses.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?x a ?super }
WHERE { SELECT DISTINCT ?x ?super WHERE {
  ?sub rdfs:subClassOf ?super .
  FILTER (?sub != ?super)
  ?x a ?sub .
} }
