#!/usr/bin/env python3
"""`--window steady` and `--window stages` on real runs whose truth is known by construction.

Usage: steady_window.py PERFGATE FIXTURES_DIR [SHARED_DIR]

fixtures/k6/warm-vu10-30s (k6) and fixtures/locust/compare/warm-u10-30s (Locust) ran against a
server whose GET /warm answers in a fixed 60 ms for the first 6 s after the first /warm request
it sees, then in about 20 ms. The steady window MSER-5 finds must start within two intervals
(2 s) of that switch. For k6 the windowed numbers are then checked against the raw samples,
read independently here: the count is the samples timed at or after the window's start, and
p50/p95/p99 are within the per-interval histograms' 1 % of the exact nearest-rank percentiles
of those samples. Runs too short for MSER-5 (10 s) and tools without intervals (wrk) must say
so and keep their whole-run numbers (window null).

`--window stages` cuts a k6 run at its stages of constant VUs. The stages are found here from
k6's own `vus` samples by the rule docs/statistics.md states (a stretch of equal samples over 5
or more 1 s intervals, less its first and last), and each stage run's count, percentiles and
throughput are checked against the raw samples inside it: on fixtures/k6/mixed-stages (a real
k6 run ramping 0 -> 10 -> 10 -> 0 VUs, NDJSON and CSV), and on the ten real runs
SHARED_DIR/k6-runs/usl-vu1 ... usl-vu64 (made one after another against one server) given one
label, which makes one run of ten stages as one k6 run with stages would be, ramps aside: the
ten stages must come out at 1 ... 64 VUs, and `capacity` over them must recover the USL the
server was built with (sigma 0.03, kappa 0.001, N* 31.1) within the tolerances of the
ten-run series.
"""
import datetime
import gzip
import json
import math
import os
import subprocess
import sys

perfgate, fixtures = sys.argv[1], sys.argv[2]
shared = sys.argv[3] if len(sys.argv) > 3 else None
from checklib import check, finish


def show(*args, window="steady", command="show"):
    p = subprocess.run([perfgate, command, "--json", "--window", window, *args],
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


# ---- stages ----
def raw_k6(path):
    """k6's own vus samples and http_req_duration samples of an NDJSON output: (time, value)."""
    vus, durations = [], []
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        for line in f:
            if '"Point"' not in line:
                continue
            if '"metric":"vus"' in line:
                p = json.loads(line)["data"]
                vus.append((seconds(p["time"]), p["value"]))
            elif '"metric":"http_req_duration"' in line:
                p = json.loads(line)["data"]
                durations.append((seconds(p["time"]), p["value"]))
    return vus, durations


def raw_k6_all(paths):
    """raw_k6 of several outputs, as one run: their vus and http_req_duration samples."""
    vus, durations = [], []
    for path in paths:
        v, d = raw_k6(path)
        vus += v
        durations += d
    return vus, durations


def stages_of(vus):
    """(VUs, from, to) in seconds since the epoch: each stretch of 1 s intervals whose samples
    all say one count (a second without a sample inside it allowed, two end it), 5 intervals
    or more, less its first and last interval."""
    out, stretch = [], []
    for t, v in sorted(vus) + [(math.inf, None)]:
        if stretch and (v != stretch[0][1] or math.floor(t) - math.floor(stretch[-1][0]) > 2):
            first, last = math.floor(stretch[0][0]), math.floor(stretch[-1][0])
            if last - first + 1 >= 5 and stretch[0][1] > 0:
                out.append((stretch[0][1], first + 1, last))
            stretch = []
        stretch.append((t, v))
    return out


def check_stage(where, run, vus, lo, hi, durations):
    inside = sorted(v for t, v in durations if lo <= t < hi)
    start = seconds(run["start"])
    window = run["window"] or {}
    check(run["concurrency"] == vus and window.get("kind") == "stage" and
          abs(window.get("from_s", -1) - (lo - start)) < 1e-6 and
          abs(window.get("to_s", -1) - (hi - start)) < 1e-6,
          f"{where}: {run['label']} at {run['concurrency']} VUs, window {window}; want {vus} "
          f"VUs from {lo - start:.6f} s to {hi - start:.6f} s")
    latency = next(s for s in run["series"] if s["metric"] == "latency" and
                   s["endpoint"] is None and not s["tags"])
    check(latency["count"] == len(inside) == run["requests"] and
          abs(run["rps"] - len(inside) / (hi - lo)) < 1e-9 * len(inside),
          f"{where}: {run['label']} count {latency['count']}, requests {run['requests']}, "
          f"rps {run['rps']}; raw samples in the stage {len(inside)} over {hi - lo} s")
    for q in (50, 90, 95, 99):
        exact = inside[max(1, math.ceil(q / 100 * len(inside))) - 1]
        got = latency["percentiles"][f"p{q}"]
        check(exact <= got + 1e-9 and got <= exact * 1.01 + 0.001,
              f"{where}: {run['label']} p{q} {got} vs exact {exact} (within 1 %)")


ms = os.path.join(fixtures, "k6", "mixed-stages", "out.json")
vus, durations = raw_k6(ms)
want = stages_of(vus)
check(len(want) == 1 and want[0][0] == 10,
      f"mixed-stages: k6's vus samples give stages {want}, expected one at 10 VUs")
for path in (ms, os.path.join(fixtures, "k6", "mixed-stages", "out.csv")):
    doc, err = show(path, window="stages")
    runs = doc["runs"]
    check(len(runs) == len(want) and "1 stage at 10 VUs" in err,
          f"{path}: {len(runs)} stage runs, stderr {err.strip()}")
    for run, (v, lo, hi) in zip(runs, want):
        check_stage(path, run, v, lo, hi, durations)

# a run without VU counts over time keeps its whole-run numbers and says why
doc, err = show(os.path.join(fixtures, "k6", "mixed-stages", "summary-export.json"),
                window="stages")
check(len(doc["runs"]) == 1 and doc["runs"][0]["window"] is None and
      "no VU counts over time" in err,
      f"stages of a k6 summary: {len(doc['runs'])} runs, stderr {err.strip()}")

LEVELS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)
usl = [os.path.join(shared, "k6-runs", f"usl-vu{n}", "out.json.gz") for n in LEVELS] \
    if shared else []
if usl and all(os.path.exists(p) for p in usl):
    vus, durations = raw_k6_all(usl)
    want = stages_of(vus)
    check([w[0] for w in want] == list(LEVELS),
          f"usl-vu*: k6's vus samples give stages at {[w[0] for w in want]}")
    inputs = [f"series={p}" for p in usl]
    doc, _ = show(*inputs, window="stages")
    check([r["label"] for r in doc["runs"]] == [f"series@{n}VUs" for n in LEVELS],
          f"usl-vu* as one run: stage runs {[r['label'] for r in doc['runs']]}")
    for run, (v, lo, hi) in zip(doc["runs"], want):
        check_stage("usl-vu* as one run", run, v, lo, hi, durations)
    cap, _ = show(*inputs, window="stages", command="capacity")
    u = cap["usl"]
    check([lv["load"] for lv in cap["levels"]] == list(LEVELS) and
          abs(u["sigma"] - 0.03) <= 0.015 and abs(u["kappa"] / 0.001 - 1) <= 0.10 and
          abs(u["n_star"] / 31.1 - 1) <= 0.05,
          f"capacity of the stages: loads {[lv['load'] for lv in cap['levels']]}, sigma "
          f"{u['sigma']}, kappa {u['kappa']}, N* {u['n_star']} vs 0.03, 0.001, 31.1")

    # a model saved after --window stages keeps its stages: read again with --window stages,
    # it is not split a second time
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "stages.json")
        subprocess.run([perfgate, "show", "--window", "stages", "--save-model", saved, *inputs],
                       capture_output=True, check=True)
        again, err = show(saved, window="stages")
        check([r["label"] for r in again["runs"]] == [r["label"] for r in doc["runs"]] and
              [r["requests"] for r in again["runs"]] == [r["requests"] for r in doc["runs"]]
              and "cannot be applied" not in err,
              f"a saved stage model read with --window stages: "
              f"{[r['label'] for r in again['runs']]}, stderr {err.strip()}")
        # with a baseline, each stage is judged against the baseline's stage at its VUs (the
        # labels say the VUs): the candidate's 8, 16 and 32 VUs against a baseline series that
        # also has 4 VUs, the same runs, so every stage equals its baseline exactly
        budget = os.path.join(tmp, "same.json")
        with open(budget, "w") as f:
            json.dump({"format": "perfgate-budget", "version": 1, "rules": [
                {"name": "p95 as the baseline's", "assert": "p95 <= baseline * 1.0001",
                 "comparison": "point"},
                {"name": "count as the baseline's", "assert": "count <= baseline"}]}, f)
        verdict = os.path.join(tmp, "verdict.json")
        pick = lambda ns: [f"series={usl[LEVELS.index(n)]}" for n in ns]
        base = [a for x in pick((4, 8, 16, 32)) for a in ("--baseline", x)]
        p = subprocess.run([perfgate, "check", "--window", "stages", "-b", budget, *base,
                            "--verdict", verdict, *pick((8, 16, 32))], capture_output=True,
                           text=True)
        results = json.load(open(verdict))["results"] if os.path.exists(verdict) else []
        check(p.returncode == 0 and len(results) == 6 and
              all(r["status"] == "pass" for r in results),
              f"stages against a baseline's stages: exit {p.returncode}, "
              f"{[(r['run'], r['status']) for r in results]}")

    # three runs at 20 VUs one after another, under one label: the gaps between them end each
    # stage (no idle seconds in a level), three stages at the same count
    reps = [os.path.join(shared, "k6-runs", f"aa-slow-vu20-rep{k}", "out.json.gz")
            for k in (1, 2, 3)]
    if all(os.path.exists(p) for p in reps):
        vus, durations = raw_k6_all(reps)
        want = stages_of(vus)
        doc, _ = show(*[f"s={p}" for p in reps], window="stages")
        check([r["label"] for r in doc["runs"]] == ["s@20VUs", "s@20VUs#2", "s@20VUs#3"] and
              len(want) == 3,
              f"three runs at 20 VUs: {[r['label'] for r in doc['runs']]}, expected 3 stages")
        for run, (v, lo, hi) in zip(doc["runs"], want):
            check_stage("aa-slow reps as one run", run, v, lo, hi, durations)
else:
    print("note: ../shared/k6-runs/usl-vu* absent: the ten-stage run is not checked")

finish("steady and stage windows on real runs")
