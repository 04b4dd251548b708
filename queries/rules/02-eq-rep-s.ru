# eq-rep-s: what is said of a node is said of every node the same as it.
# (sameAs triples themselves are 01-eq-sym-trans's: copying them here would join each
# class of k nodes k³ times.)
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?y ?p ?o }
WHERE { SELECT DISTINCT ?y ?p ?o WHERE {
  ?x owl:sameAs ?y .
  FILTER (?x != ?y)
  ?x ?p ?o .
  FILTER (?p != owl:sameAs)
} }
