#!/usr/bin/env python3
"""`--window steady` on real runs whose warm-up is known by construction.

Usage: steady_window.py PERFGATE FIXTURES_DIR

fixtures/k6/warm-vu10-30s (k6) and fixtures/locust/compare/warm-u10-30s (Locust) ran against a
server whose GET /warm answers in a fixed 60 ms for the first 6 s after the first /warm request
it sees, then in about 20 ms. The steady window MSER-5 finds must start within two intervals
(2 s) of that switch. For k6 the windowed numbers are then checked against the raw samples,
read independently here: the count is the samples timed at or after the window's start, and
p50/p95/p99 are within the per-interval histograms' 1 % of the exact nearest-rank percentiles
of those samples. Runs too short for MSER-5 (10 s) and tools without intervals (wrk) must say
so and keep their whole-run numbers (window null).
"""
import datetime
import gzip
import json
import math
import os
import subprocess
import sys

perfgate, fixtures = sys.argv[1], sys.argv[2]
from checklib import check, finish


def show(*args):
    p = subprocess.run([perfgate, "show", "--json", "--window", "steady", *args],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr)
        raise SystemExit(f"perfgate show exited {p.returncode}")
    return json.loads(p.stdout), p.stderr


def seconds(rfc3339):
    """Seconds since the epoch of an RFC 3339 UTC time with up to 9 fractional digits."""
    head, _, frac = rfc3339.rstrip("Z").partition(".")
    t = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() + (float("0." + frac) if frac else 0.0)


# ---- k6 ----
k6 = os.path.join(fixtures, "k6", "warm-vu10-30s", "out.json.gz")
if not os.path.exists(k6):
    print("SKIP: fixtures/k6/warm-vu10-30s missing")
    sys.exit(77)
doc, _ = show(k6)
run = doc["runs"][0]
window = run["window"]
start = seconds(run["start"])
samples = []
with gzip.open(k6, "rt") as f:
    for line in f:
        if '"http_req_duration"' in line and '"Point"' in line:
            p = json.loads(line)["data"]
            samples.append((seconds(p["time"]), p["value"]))
samples.sort()
# the switch: 6 s after the first request the server saw (the first point's time is when that
# request ended, so its start is that time less its duration)
first_request = min(t - v / 1000 for t, v in samples)
truth = first_request + 6 - start
check(window is not None and window["kind"] == "steady" and abs(window["from_s"] - truth) <= 2,
      f"k6: steady window {window}, the warm-up ends {truth:.2f} s from the start")
if window:
    inside = sorted(v for t, v in samples if t >= start + window["from_s"] - 1e-6)
    latency = next(s for s in run["series"] if s["metric"] == "latency" and s["endpoint"] is None
                   and not s["tags"])
    check(latency["count"] == len(inside),
          f"k6: windowed count {latency['count']}, raw samples in the window {len(inside)}")
    for q in (50, 95, 99):
        exact = inside[max(1, math.ceil(q / 100 * len(inside))) - 1]
        got = latency["percentiles"][f"p{q}"]
        check(exact <= got + 1e-9 and got <= exact * 1.01 + 0.001,
              f"k6: windowed p{q} {got} vs exact {exact} (within the 1 % of 2 digits)")
    whole = json.loads(subprocess.run([perfgate, "show", "--json", k6], capture_output=True,
                                      text=True).stdout)["runs"][0]
    check(whole["window"] is None, "k6 without --window: window null")
    check(abs(run["duration_s"] - (window["to_s"] - window["from_s"])) < 1e-6,
          f"k6: duration {run['duration_s']} is the window's length")

# ---- Locust: the history is per second ----
lw = os.path.join(fixtures, "locust", "compare", "warm-u10-30s", "run_stats.csv")
if os.path.exists(lw):
    doc, err = show(lw)
    run = doc["runs"][0]
    # Locust's latency has no per-interval data (its history holds percentiles of a moving
    # window): the run keeps its whole-run numbers, and says where MSER-5 on its requests
    # per interval puts the steady state
    import re
    found = re.search(r"finds a steady state from ([0-9.]+) s after the start", err)
    check(run["window"] is None and found and "whole run's" in err,
          f"Locust: window {run['window']}, stderr {err.strip()}")
    window = {"from_s": float(found.group(1))} if found else None
    hist = os.path.join(os.path.dirname(lw), "run_stats_history.csv")
    import csv
    with open(hist) as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
    # the first row with requests: the first request came in the second before it
    first = next(int(r["Timestamp"]) for r in rows if int(r["Total Request Count"]) > 0) - 1
    truth = first + 6 - seconds(run["start"])
    check(window is not None and abs(window["from_s"] - truth) <= 2,
          f"Locust: steady window {window}, the warm-up ends about {truth:.2f} s from the start")

# ---- too short, or no intervals at all ----
for path, why in ((os.path.join(fixtures, "k6", "aa-slow-vu20-rep1", "out.json.gz"),
                   "not enough data"),
                  (os.path.join(fixtures, "wrk", "compare", "aa-rep1.txt"),
                   "no per-interval data")):
    if not os.path.exists(path):
        continue
    doc, err = show(path)
    check(doc["runs"][0]["window"] is None and why in err and "DIAG" not in err,
          f"{path}: window {doc['runs'][0]['window']}, stderr {err.strip()}")

finish("steady windows on real runs")
