# cls-int1: an instance of every class of an intersection is an instance of it;
# cls-int2: an instance of an intersection is an instance of each of its classes.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { ?x a ?c }
WHERE {
  ?c owl:intersectionOf ?list .
  ?list rdf:first ?first .
  ?x a ?first .
  FILTER NOT EXISTS {
    ?list rdf:rest*/rdf:first ?member .
    FILTER NOT EXISTS { ?x a ?member }
  }
  FILTER NOT EXISTS { ?x a ?c }
} ;
INSERT { ?y a ?member }
WHERE {
  ?c owl:intersectionOf ?list .
  ?y a ?c .
  ?list rdf:rest*/rdf:first ?member .
  FILTER NOT EXISTS { ?y a ?member }
}
