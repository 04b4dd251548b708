# Lifting, statement by statement: one ccsig:Statement for every (asset IRI,
# ccsig:contentUsage literal) pair in the default graph that has none yet.
# Run by ccsig.lift.literals.lift_store after each input is loaded; blank-node assets are
# lifted by ccsig/lift.py itself (STR() of a blank node is an error).
# Reads the graph <urn:ccsig:lifting>, which ccsig.lift.literals fills with what parsing found
# once per distinct expression (?parsed: its preference nodes, parse error, duplicate
# labels, vocabulary), and <urn:ccsig:lifting> ccsig:source ?source for the input
# being lifted. Everything else is per occurrence, so it is done here, in the store.
# Statement IRIs are urn:uuid (RFC 9562 version 8) from the SHA-1 of
#   asset IRI \n literal's lexical form \n its language tag \n vocabulary IRI
# exactly as ccsig.lift.literals.statement_iri mints them for blank-node assets and for
# engines that lift in Python: lifting the same data twice gives the same graph.
PREFIX ccsig: <https://w3id.org/ccsig#>

INSERT {
  ?statement a ccsig:Statement ;
             ccsig:about ?asset ;
             ccsig:expression ?literal ;
             ccsig:vocabulary ?vocabulary ;
             ccsig:source ?source ;
             ccsig:preference ?preference ;
             ccsig:parseError ?error ;
             ccsig:duplicateLabel ?duplicate .
}
WHERE {
  GRAPH <urn:ccsig:lifting> {
    ?parsed ccsig:expression ?literal ;
            ccsig:vocabulary ?vocabulary .
  }
  ?asset ccsig:contentUsage ?literal .
  FILTER (isIRI(?asset))
  MINUS { ?lifted ccsig:about ?asset ; ccsig:expression ?literal ; ccsig:vocabulary ?vocabulary }
  BIND (SHA1(CONCAT(STR(?asset), "\n", STR(?literal), "\n", LANG(?literal), "\n",
                    STR(?vocabulary))) AS ?hash)
  # version nibble 8; variant bits 10: the 17th hex digit becomes 8, 9, a or b
  BIND (IRI(CONCAT("urn:uuid:", SUBSTR(?hash, 1, 8), "-", SUBSTR(?hash, 9, 4), "-8",
                   SUBSTR(?hash, 14, 3), "-",
                   SUBSTR("89ab89ab89ab89ab",
                          STRLEN(STRBEFORE("0123456789abcdef", SUBSTR(?hash, 17, 1))) + 1, 1),
                   SUBSTR(?hash, 18, 3), "-", SUBSTR(?hash, 21, 12))) AS ?statement)
  OPTIONAL { GRAPH <urn:ccsig:lifting> { <urn:ccsig:lifting> ccsig:source ?source } }
  OPTIONAL { GRAPH <urn:ccsig:lifting> { ?parsed ccsig:preference ?preference } }
  OPTIONAL { GRAPH <urn:ccsig:lifting> { ?parsed ccsig:parseError ?error } }
  OPTIONAL { GRAPH <urn:ccsig:lifting> { ?parsed ccsig:duplicateLabel ?duplicate } }
}
