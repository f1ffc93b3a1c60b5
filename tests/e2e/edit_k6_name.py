#!/usr/bin/env python3
"""edit_k6_name.py SOURCE OUTPUT SUFFIX

Writes the k6 --out json stream SOURCE to OUTPUT with SUFFIX (a Python string literal, so
control characters and noncharacters can be written as escapes: '"\\n::error x"') appended to
the `name` tag of every Point of the /slow endpoint, in k6's own compact JSON. e2e cases use
it to build hostile names from a real run at test time, instead of hand-writing a k6 file.
"""
import ast
import json
import sys

source, output, suffix = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3])
with open(output, "w") as out:
    for line in open(source):
        o = json.loads(line)
        tags = (o.get("data") or {}).get("tags") or {}
        if o.get("type") == "Point" and tags.get("name", "").endswith("/slow"):
            tags["name"] = tags["name"] + suffix
        out.write(json.dumps(o, separators=(",", ":")) + "\n")
