# cls-int1: an instance of every class of an intersection is an instance of it.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { ?x a ?c }
WHERE { SELECT DISTINCT ?x ?c WHERE {
  ?c owl:intersectionOf ?list .
  ?list rdf:first ?first .
  ?x a ?first .
  FILTER NOT EXISTS {
    ?list rdf:rest*/rdf:first ?member .
    FILTER NOT EXISTS { ?x a ?member }
  }
} }
