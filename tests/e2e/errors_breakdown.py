#!/usr/bin/env python3
"""errors_breakdown.py PERFGATE FIXTURES

The report's errors by status and message, and its header, checked against the tools' own
files read here independently (expected values come from the inputs, not from perfgate):

  k6 NDJSON (mixed-stages/out.json): http_reqs points with expected_response "false", counted
      by endpoint ("METHOD name"), status and error / error_code tag; their share of all
      http_reqs; the header's start = the first point's time, to the second
  Locust (mixed/run_failures.csv): Occurrences per Method, Name and Error; their share of the
      stats file's Aggregated Request Count
  autocannon (flaky-500s-c4-d3.json): statusCodeStats counts of codes 400 and above
  wrk (flaky-non2xx.txt, hang-some-timeouts.txt): the "Non-2xx or 3xx responses" line, and the
      "Socket errors" line's non-zero kinds

Each run is reported on its own (`report --dump-context`), and then all of them at once, in
which the rows are ordered by count, largest first. Also: --context KEY=VALUE items come back
in order, and the rows render as one Markdown table row each. Exit 0 when all match.
"""
import csv
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone

perfgate, fixtures = sys.argv[1], sys.argv[2]
failures = []


def check(what, got, expected):
    if got != expected:
        failures.append(f"{what}: got {got!r}, expected {expected!r}")


def context(*args):
    p = subprocess.run([perfgate, "report", "--dump-context", *args], capture_output=True,
                       check=False)
    if p.returncode != 0:
        sys.exit(f"perfgate report {' '.join(args)} exited {p.returncode}: {p.stderr!r}")
    return json.loads(p.stdout)


def rows_of(ctx):
    return sorted((e["run"], e["endpoint"], e["status"], e["message"], e["count"]["value"])
                  for e in ctx["errors"])


expected_all = []

# k6: every http_reqs point that k6 tagged as not an expected response
k6 = os.path.join(fixtures, "k6/mixed-stages/out.json")
counts, total, first = {}, 0, None
with open(k6, encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        if o.get("type") != "Point" or o["metric"] != "http_reqs":
            continue
        tags = o["data"]["tags"]
        t = datetime.fromisoformat(o["data"]["time"].replace("Z", "+00:00"))
        first = t if first is None or t < first else first
        total += o["data"]["value"]
        if tags.get("expected_response") != "false":
            continue
        key = (f"{tags['method']} {tags.get('name', tags['url'])}", tags.get("status", ""),
               tags["error"] if "error" in tags else
               f"error_code {tags['error_code']}" if "error_code" in tags else "")
        counts[key] = counts.get(key, 0) + o["data"]["value"]
ctx = context(k6)
expected = sorted(("out.json", *k, n) for k, n in counts.items())
check("k6 rows", rows_of(ctx), expected)
for e in ctx["errors"]:
    check("k6 share", round(e["share"]["value"], 12), round(e["count"]["value"] / total, 12))
check("k6 started", ctx["started"]["text"],
      first.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"))
check("k6 tools", ctx["tools_text"], "k6, perfgate " + ctx["tool"]["version"])
expected_all += expected

# Locust: the failures file, and the Aggregated row's request count
prefix = os.path.join(fixtures, "locust/mixed/run")
with open(prefix + "_stats.csv", encoding="utf-8") as f:
    requests = next(int(r["Request Count"]) for r in csv.DictReader(f) if r["Name"] == "Aggregated")
with open(prefix + "_failures.csv", encoding="utf-8") as f:
    expected = sorted(("run", f"{r['Method']} {r['Name']}", "", r["Error"], float(r["Occurrences"]))
                      for r in csv.DictReader(f))
ctx = context(prefix + "_stats.csv")
check("locust rows", rows_of(ctx), expected)
for e in ctx["errors"]:
    check("locust share", round(e["share"]["value"], 12), round(e["count"]["value"] / requests, 12))
expected_all += expected

# autocannon: status codes of 400 and above
ac = os.path.join(fixtures, "autocannon/flaky-500s-c4-d3.json")
with open(ac, encoding="utf-8") as f:
    stats = json.load(f)["statusCodeStats"]
expected = sorted(("flaky-500s-c4-d3.json", None, code, "", float(v["count"]))
                  for code, v in stats.items() if int(code) >= 400 and v["count"] > 0)
check("autocannon rows", rows_of(context(ac)), expected)
expected_all += expected

# wrk: the lines wrk printed
for name in ("flaky-non2xx.txt", "hang-some-timeouts.txt"):
    path = os.path.join(fixtures, "wrk", name)
    text = open(path, encoding="utf-8").read()
    expected = []
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        expected.append((name, None, "non-2xx/3xx", "", float(m.group(1))))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        for kind, n in zip(("connect", "read", "write", "timeout"), m.groups()):
            if int(n):
                expected.append((name, None, "", f"socket error: {kind}", float(n)))
    if not expected:
        failures.append(f"{name}: the fixture shows no errors to check")
    check(f"wrk {name} rows", rows_of(context(path)), sorted(expected))
    expected_all += expected

# all at once: the same rows, largest counts first; the --context items in order
ctx = context("--context", "commit=4f2a9c1", "--context", "branch=main", "--context", "note=a=b",
              k6, prefix + "_stats.csv", ac, *(os.path.join(fixtures, "wrk", n)
                                               for n in ("flaky-non2xx.txt", "hang-some-timeouts.txt")))
check("all rows", rows_of(ctx), sorted(expected_all))
counts = [e["count"]["value"] for e in ctx["errors"]]
check("largest first", counts, sorted(counts, reverse=True))
check("about", ctx["about"], [{"key": "commit", "value": "4f2a9c1"},
                              {"key": "branch", "value": "main"},
                              {"key": "note", "value": "a=b"}])
check("about_text", ctx["about_text"], "commit: 4f2a9c1, branch: main, note: a=b")
check("tools", ctx["tools_text"], "k6, locust, autocannon, wrk, perfgate " + ctx["tool"]["version"])

for f in failures:
    print("FAIL", f)
print(f"{len(expected_all)} error rows checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
