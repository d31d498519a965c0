"""One module per call (or measure): its CALL (schema + rules), its figures in <module>.params.json."""
