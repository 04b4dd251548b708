# eq-rep-o: a triple whose object is a node also holds with every node the same as it.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?s ?p ?y }
WHERE { SELECT DISTINCT ?s ?p ?y WHERE {
  ?x owl:sameAs ?y .
  FILTER (?x != ?y)
  ?s ?p ?x .
  FILTER (?p != owl:sameAs)
} }
