#!/usr/bin/env python3
"""validate_schemas.py PERFGATE SOURCE_DIR WORKDIR

Validates perfgate's JSON outputs against the schemas in formats/ with the jsonschema package
(Debian python3-jsonschema, an implementation independent of perfgate):
  - `show --json` of every fixture (JSON, CSV, fixtures/wrk/*.txt) against
    formats/show.schema.json;
  - `show --save-model` of the same against formats/model.schema.json.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def main():
    perfgate, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
    schemas = {name: json.load(open(os.path.join(src, "formats", name)))
               for name in ("show.schema.json", "model.schema.json")}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    inputs = []
    for top, _, files in sorted(os.walk(os.path.join(src, "fixtures"))):
        inputs += sorted(os.path.join(top, f) for f in files
                         if f.endswith((".json", ".json.gz", ".csv"))
                         or (os.path.basename(top) == "wrk" and f.endswith(".txt")))
    failed = passed = 0
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        model = os.path.join(tmp, "model.json")
        for path in inputs:
            show = subprocess.run([perfgate, "show", "--json", "--percentiles", "75,99.99",
                                   "--save-model", model, path],
                                  capture_output=True, text=True, check=True)
            for name, document in (("show.schema.json", json.loads(show.stdout)),
                                   ("model.schema.json", json.load(open(model)))):
                errors = list(jsonschema.Draft202012Validator(schemas[name])
                              .iter_errors(document))
                if errors:
                    failed += 1
                    print(f"FAIL {os.path.basename(path)} vs {name}: {errors[0].message} "
                          f"at {list(errors[0].absolute_path)}")
                else:
                    passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
