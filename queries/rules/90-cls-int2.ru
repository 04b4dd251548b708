# cls-int2: an instance of an intersection is an instance of each of its classes.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { ?y a ?member }
WHERE { SELECT DISTINCT ?y ?member WHERE {
  ?c owl:intersectionOf ?list .
  ?y a ?c .
  ?list rdf:rest*/rdf:first ?member .
} }
