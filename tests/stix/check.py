"""Checks a STIX 2.1 bundle with the OASIS validator and reads it back with the stix2
library; prints one JSON object: whether it is valid, the validator's errors and the
codes of its warnings, and the objects stix2 read, by type."""

import json
import sys

import stix2
from stix2validator import ValidationOptions, validate_file

path = sys.argv[1]
results = validate_file(path, ValidationOptions(strict=False))
errors = [str(e) for o in results.object_results for e in o.errors]
warnings = sorted({str(w).split("{")[1].split("}")[0] for o in results.object_results for w in o.warnings if "{" in str(w)})
with open(path, encoding="utf-8") as f:
    bundle = stix2.parse(f.read(), allow_custom=False)
types = {}
for o in bundle.objects:
    types[o.type] = types.get(o.type, 0) + 1
print(json.dumps({"valid": results.is_valid, "errors": errors, "warnings": warnings, "types": types}))
