"""ccsig audit: which URLs of a training set may be used, by what their sites said when
they were crawled — `table` (captures by host and time), `inputs` (URLs, streamed),
`judge` (a record per URL, cached by what decides it), `summary`, `local` and `spark` (engines),
`run` (one audit, end to end)."""
