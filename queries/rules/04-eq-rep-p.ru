# eq-rep-p: a triple of a property also holds with every property the same as it.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { ?s ?q ?o }
WHERE { SELECT DISTINCT ?s ?q ?o WHERE {
  ?p owl:sameAs ?q .
  FILTER (?p != ?q)
  ?s ?p ?o .
} }
