#!/usr/bin/env python3
"""show_readable.py PERFGATE FIXTURES

`show` prints numbers for a reader and `show --json` keeps every digit: for real runs of k6,
wrk, autocannon and Locust, every cell of every series row of the text (count, min, mean,
max, stddev, percentiles), the run's duration and request rate must be the JSON's number put
through the rule docs/cli.md states, computed here with Python's decimal module: a whole number
whole, anything else to 4 significant digits, rounded to a whole number when its integer part
is longer. Exit 0 when all match, 1 otherwise.
"""
import decimal
import json
import os
import re
import subprocess
import sys

from checklib import check, finish

perfgate, fixtures = sys.argv[1], sys.argv[2]


def readable(v):
    """The text of v by the rule: a whole number past 4 digits rounds halves away from zero
    (C's round()); 4 significant digits are printf's %.4g of the double, then its shortest
    form, as perfgate's str_format_double writes it."""
    if v == int(v):
        return str(int(v))
    d = decimal.Decimal(v)
    digits = len(str(int(abs(d)))) if abs(d) >= 1 else 0
    if digits >= 4:
        return str(int(d.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)))
    # 4 significant digits, then the shortest form of that double (as str_format_double)
    rounded = float("%.4g" % v)
    return repr(rounded).rstrip("0").rstrip(".") if "." in repr(rounded) else repr(rounded)


inputs = [os.path.join(fixtures, *p) for p in (("k6", "mixed-stages", "out.json"),
                                               ("wrk", "fast-plain.txt"),
                                               ("locust", "json-mixed", "run.json"))]
inputs += [os.path.join(fixtures, "autocannon", f) for f in sorted(os.listdir(
    os.path.join(fixtures, "autocannon"))) if f.endswith(".json")][:1]
cells = 0
for path in inputs:
    text = subprocess.run([perfgate, "show", path], capture_output=True, text=True).stdout
    doc = json.loads(subprocess.run([perfgate, "show", "--json", path], capture_output=True,
                                    text=True).stdout)
    run = doc["runs"][0]
    m = re.search(r"duration: (\S+) s", text)
    if run.get("duration_s") is not None:
        check(m and m.group(1) == readable(run["duration_s"]),
              "%s: duration %s, the rule gives %s" % (path, m and m.group(1),
                                                      readable(run["duration_s"])))
    m = re.search(r"rate: (\S+) req/s", text)
    rps = run.get("rps", {}).get("value") if isinstance(run.get("rps"), dict) else run.get("rps")
    if m and rps is not None:
        check(m.group(1) == readable(rps), "%s: rate %s, the rule gives %s" % (path, m.group(1),
                                                                              readable(rps)))
    rows = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) > 4 and line.startswith("    ") and f[1] == "*":
            rows.setdefault(f[0], f)
    for s in run["series"]:
        if s["endpoint"] is not None or s["tags"] or s["metric"] not in rows:
            continue
        row = rows.pop(s["metric"])
        # the numbers of the row, in order, without units and '~'
        shown = [c.lstrip("~") for c in row[3:] if re.match(r"^~?-?\d", c)]
        values = [s["count"]] + [s[k] for k in ("min", "mean", "max", "stddev")] + \
                 [s["percentiles"][k] for k in ("p50", "p90", "p95", "p99", "p99.9")]
        values = [v for v in values if v is not None]
        check(len(shown) == len(values), "%s %s: %d cells, %d numbers in JSON" % (
            path, s["metric"], len(shown), len(values)))
        for got, v in zip(shown, values):
            cells += 1
            check(got == readable(v), "%s %s: shown %s, JSON %r gives %s" % (
                path, s["metric"], got, v, readable(v)))
check(cells > 60, "only %d cells compared" % cells)
finish("show readable")
