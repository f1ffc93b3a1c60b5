#!/usr/bin/env python3
"""yaml_twins.py PERFGATE SOURCE_DIR

Budgets in YAML mean what their JSON twins mean:
  - every fixtures/budgets/NAME.yaml, and every YAML budget under docs/ci/, read by PyYAML
    (an independent reader) equals NAME.json read by Python's json module;
  - both pass the JSON Schema formats/budget.schema.json (python3-jsonschema);
  - `perfgate lint --dump` compiles both to the same rules (every assertion's tree), and
    `perfgate check` of each on the k6 fixture prints the same table and exits alike;
  - in the docs, every ```yaml block that follows a ```json block holds the same data
    (a JSON block of one object per line is read as the list of them).
Exit 0 when all hold.
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

perfgate, src = sys.argv[1], sys.argv[2]
failures = []
schema = json.load(open(os.path.join(src, "formats/budget.schema.json"), encoding="utf-8"))


def run(*args):
    p = subprocess.run([perfgate, *args], capture_output=True, text=True, cwd=src, check=False)
    return p.returncode, p.stdout, p.stderr


pairs = []
for y in sorted(glob.glob(os.path.join(src, "fixtures/budgets/*.yaml")) +
                glob.glob(os.path.join(src, "docs/ci/perf/*.yaml"))):
    j = y[:-5] + ".json"
    if not os.path.exists(j):
        failures.append(f"{y}: no JSON twin {j}")
        continue
    pairs.append((os.path.relpath(j, src), os.path.relpath(y, src)))
for j, y in pairs:
    data_j = json.load(open(os.path.join(src, j), encoding="utf-8"))
    data_y = yaml.safe_load(open(os.path.join(src, y), encoding="utf-8"))
    if data_j != data_y:
        failures.append(f"{y}: PyYAML reads other data than {j}")
    if "rules" in data_j:
        for path, data in ((j, data_j), (y, data_y)):
            try:
                jsonschema.validate(data, schema)
            except jsonschema.ValidationError as e:
                failures.append(f"{path}: not valid against budget.schema.json: {e.message}")
    rc_j, out_j, err_j = run("lint", "--dump", j)
    rc_y, out_y, err_y = run("lint", "--dump", y)
    # the first line names the file; the compiled rules follow
    if (rc_j, out_j.split("\n", 1)[1:]) != (rc_y, out_y.split("\n", 1)[1:]) or rc_j != 0:
        failures.append(f"{y}: lint --dump differs from {j}:\n{out_j}{err_j}---\n{out_y}{err_y}")
    rc_j, out_j, _ = run("check", "-b", j, "fixtures/k6/mixed-stages/out.json")
    rc_y, out_y, _ = run("check", "-b", y, "fixtures/k6/mixed-stages/out.json")
    out_y = out_y.replace(y, j)
    if (rc_j, out_j) != (rc_y, out_y):
        failures.append(f"{y}: check prints or exits otherwise than {j}:\n{out_j}---\n{out_y}")

examples = 0
for md in sorted(glob.glob(os.path.join(src, "docs/*.md")) + glob.glob(os.path.join(src, "formats/*.md"))):
    text = open(md, encoding="utf-8").read()
    for m in re.finditer(r"```json\n(.*?)```\n(?:(?!```)[^\n]*\n){0,3}?```yaml\n(.*?)```", text, re.S):
        examples += 1
        raw, y = m.group(1), m.group(2)
        try:
            data_j = json.loads(raw)
        except json.JSONDecodeError:
            data_j = [json.loads(line) for line in raw.splitlines() if line.strip()]
        data_y = yaml.safe_load(y)
        where = f"{os.path.relpath(md, src)}:{text[:m.start()].count(chr(10)) + 1}"
        if data_j != data_y:
            failures.append(f"{where}: the YAML example says other than the JSON one")
        if isinstance(data_j, dict) and "rules" in data_j:
            try:
                jsonschema.validate(data_y, schema)
            except jsonschema.ValidationError as e:
                failures.append(f"{where}: the YAML example is not a valid budget: {e.message}")

for f in failures:
    print("FAIL", f)
print(f"{len(pairs)} budget twins and {examples} doc examples checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
