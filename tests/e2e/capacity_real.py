#!/usr/bin/env python3
"""`perfgate capacity` on real series whose truth is known by construction.

Usage: capacity_real.py PERFGATE FIXTURES_DIR

- k6 usl-vu1 ... usl-vu64 (fixtures/k6): ten levels against a server whose /usl service time
  follows the USL with S = 8 ms, sigma = 0.03, kappa = 0.001, so N* = sqrt(0.97/0.001) = 31.1.
  The fit must give sigma within 0.015 of 0.03, kappa within 10 % of 0.001 and N* within 5 %
  of 31.1; the parameters must equal scipy's curve_fit on the throughputs k6 itself reported
  (summary-export.json, read here); the SLO crossing must lie between the last level whose
  p95 (as k6 reported it) holds and the first that does not, at the linear interpolation.
- the capacity series of wrk, autocannon and Locust in fixtures/*/capacity/ (when present):
  /limited (8 slots of 25 ms) must show its ceiling, 320 req/s, within 5 %; /usl must give
  sigma within 0.015 of 0.03, kappa within 10 % of 0.001 and N* within 15 % of 31.1 (the
  clients' own time per request differs by tool: Locust's flattens the curve's start).
- k6 arrival-rate-over (an open model asked for 2100 it/s): its load level is k6's own
  (iterations + dropped_iterations) / duration, within 1 % of 2100; --open-model reaches rules
  with their own window; the report's load levels never mix arrival rates with clients;
  --window stages with a rule's own window is refused.
"""
import json
import os
import subprocess
import sys

import numpy as np
from scipy.optimize import curve_fit

from checklib import check, finish

perfgate, fixtures = sys.argv[1], sys.argv[2]
LEVELS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)


def capacity(paths, *extra):
    p = subprocess.run([perfgate, "capacity", "--json", *extra, *paths], capture_output=True,
                       text=True)
    if p.returncode != 0:
        print(p.stderr)
        raise SystemExit(f"perfgate capacity exited {p.returncode}")
    return json.loads(p.stdout)


def usl(n, lam, sigma, kappa):
    return lam * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


k6 = [os.path.join(fixtures, "k6", f"usl-vu{v}", "summary-export.json") for v in LEVELS]
if not all(os.path.exists(p) for p in k6):
    print("SKIP: fixtures/k6/usl-vu* missing")
    sys.exit(77)
doc = capacity(k6, "--slo", "p95<40ms")
u = doc["usl"]
check(abs(u["sigma"] - 0.03) <= 0.015 and abs(u["kappa"] / 0.001 - 1) <= 0.10 and
      abs(u["n_star"] / 31.1 - 1) <= 0.05,
      f"k6 USL: sigma {u['sigma']}, kappa {u['kappa']}, N* {u['n_star']} vs 0.03, 0.001, 31.1")
summaries = [json.load(open(p))["metrics"] for p in k6]
x = np.array([m["http_reqs"]["rate"] for m in summaries])
n = np.array(LEVELS, dtype=float)
want, _ = curve_fit(usl, n, x, p0=[x[0], 0.01, 0.001], bounds=([0, 0, 0], [np.inf, 1, 1]))
check(all(abs(a - b) <= 1e-3 * abs(b) for a, b in zip((u["lambda"], u["sigma"], u["kappa"]), want)),
      f"k6 USL vs scipy: {(u['lambda'], u['sigma'], u['kappa'])} vs {tuple(want)}")
check([lv["load"] for lv in doc["levels"]] == list(LEVELS) and
      all(abs(lv["throughput"] - r) < 1e-9 * r for lv, r in zip(doc["levels"], x)),
      "k6 levels and throughputs as k6 reported them")
p95 = [m["http_req_duration"]["p(95)"] for m in summaries]
ok = [i for i, v in enumerate(p95) if v < 40]
first_bad = next(i for i, v in enumerate(p95) if v >= 40)
last_ok = max(i for i in ok if i < first_bad)
crossing = doc["slo_crossing"]
at = LEVELS[last_ok] + (40 - p95[last_ok]) * (LEVELS[first_bad] - LEVELS[last_ok]) / \
    (p95[first_bad] - p95[last_ok])
check(crossing is not None and crossing["highest_level_holding"] == LEVELS[last_ok] and
      abs(crossing["load"] - at) < 1e-6 and crossing["interpolated"],
      f"k6 SLO crossing {crossing}, k6's p95 says between {LEVELS[last_ok]} and "
      f"{LEVELS[first_bad]} at {at}")
check(doc["breaking_point"] is not None and 16 <= doc["breaking_point"]["load"] <= 32,
      f"k6 breaking point {doc['breaking_point']} (the peak is near 31)")
# the chart: measured throughput and p95, the fitted curve, and the SLO's crossing line
import tempfile
import xml.etree.ElementTree as ElementTree
with tempfile.TemporaryDirectory() as tmp:
    p = subprocess.run([perfgate, "capacity", "--slo", "p95<40ms", "--charts", tmp, *k6],
                       capture_output=True, text=True)
    svg = os.path.join(tmp, "capacity.svg")
    check(p.returncode == 0 and os.path.exists(svg) and "(4 series)" in p.stdout,
          f"capacity --charts: exit {p.returncode}, {p.stdout.splitlines()[:1]}")
    if os.path.exists(svg):
        check(ElementTree.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg",
              "capacity.svg is an SVG document")
# an open model: k6's constant-arrival-rate at 2100 it/s for 15 s (fixtures/k6/arrival-rate-over,
# its script.js), which dropped a third of its iterations. Its load level is the rate k6 was
# asked for, (iterations + dropped_iterations) / duration from k6's own counts; one level is
# no series, and the message says the level (the only real open-model run there is)
over = os.path.join(fixtures, "k6", "arrival-rate-over", "summary-export.json")
if os.path.exists(over):
    p = subprocess.run([perfgate, "capacity", over], capture_output=True, text=True)
    import re
    found = re.search(r"at ([0-9.]+) it/s\)", p.stderr)
    metrics = json.load(open(over))["metrics"]
    offered = metrics["iterations"]["count"] + metrics["dropped_iterations"]["count"]
    duration = metrics["iterations"]["count"] / metrics["iterations"]["rate"]
    check(p.returncode == 2 and found and abs(float(found.group(1)) - offered / duration) <
          0.5 and abs(offered / duration / 2100 - 1) < 0.01,
          f"open model: {p.stderr.strip()}; k6's counts give {offered / duration} it/s, the "
          f"script asked for 2100")
    # --open-model reaches rules with their own window too (they read a copy of the inputs
    # cut to it). usl-vu8 stands in as a second level here: under the flag its level is its
    # iterations per second (782). A rule at 1000 it/s lies between the two levels.
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        budget = os.path.join(tmp, "open.json")
        with open(budget, "w") as f:
            json.dump({"format": "perfgate-budget", "version": 1, "rules": [
                {"name": "plain", "capacity": {"at": 1000}, "assert": "rps >= 1rps"},
                {"name": "windowed", "capacity": {"at": 1000}, "assert": "rps >= 1rps",
                 "window": "whole"}]}, f)
        verdict = os.path.join(tmp, "verdict.json")
        p = subprocess.run([perfgate, "check", "--open-model", "-b", budget, "--verdict",
                            verdict, over, k6[3]], capture_output=True, text=True)
        results = json.load(open(verdict))["results"] if os.path.exists(verdict) else []
        check(p.returncode == 0 and [r["status"] for r in results] == ["pass", "pass"] and
              all(r["capacity"]["interpolated"] for r in results),
              f"--open-model with a rule's own window: exit {p.returncode}, "
              f"{[(r['rule'], r['status'], r.get('message')) for r in results]}")
        # the report's load levels put arrival rates and numbers of clients on no one axis
        p = subprocess.run([perfgate, "report", "--dump-context", over, k6[3], k6[9]],
                           capture_output=True, text=True)
        context = json.loads(p.stdout) if p.returncode == 0 else {}
        check(p.returncode == 0 and context.get("load_levels", 0) is None,
              f"report of an open run beside closed ones: exit {p.returncode}, load_levels "
              f"{context.get('load_levels', 'absent')}")
        # --window stages and a rule's own window are refused together
        p = subprocess.run([perfgate, "check", "--window", "stages", "-b", budget, over],
                           capture_output=True, text=True)
        check(p.returncode == 2 and "leave out one or the other" in p.stderr,
              f"--window stages with a rule window: exit {p.returncode}, {p.stderr.strip()}")
few = capacity(k6[:5])
check(few["usl"] is None and "6 load levels" in few["usl_why"],
      f"five levels: usl {few['usl']}, why {few['usl_why']}")

# Little's law for a closed loop without pauses: N = X R, so the think time N/X - R is about 0
# (k6's own numbers: VUs, http_reqs rate, http_req_duration avg)
for lv, m in zip(doc["levels"], summaries):
    z = lv["load"] / m["http_reqs"]["rate"] - m["http_req_duration"]["avg"] / 1000
    check(abs(lv["think_time_s"] - z) < 1e-9 and abs(z) < 0.002,
          f"k6 at {lv['load']} VUs: think time {lv['think_time_s']} s vs N/X - R = {z}")
check(doc["little_inconsistent_levels"] == 0, "k6: every level is consistent with Little's law")

# ---- the other tools ----
for tool, pattern in (("wrk", "{series}-c{n}.txt"), ("autocannon", "{series}-c{n}.json"),
                      ("locust", "{series}-u{n}/run_stats.csv")):
    d = os.path.join(fixtures, tool, "capacity")
    paths = {s: [os.path.join(d, pattern.format(series=s, n=v)) for v in LEVELS]
             for s in ("limited", "usl")}
    if not all(os.path.exists(p) for ps in paths.values() for p in ps):
        print(f"SKIP part: {d} is missing or incomplete")
        continue
    lim = capacity(paths["limited"])
    top = max(lv["throughput"] for lv in lim["levels"])
    check(abs(top / 320 - 1) <= 0.05, f"{tool} /limited ceiling {top} req/s vs 320")
    check(lim["breaking_point"] is not None and lim["breaking_point"]["load"] <= 12,
          f"{tool} /limited breaking point {lim['breaking_point']} (8 slots)")
    check(lim["knee"] is not None and 8 <= lim["knee"]["load"] <= 16,
          f"{tool} /limited knee {lim['knee']} (8 slots: latency climbs from there)")
    us = capacity(paths["usl"])["usl"]
    check(us is not None and abs(us["n_star"] / 31.1 - 1) <= 0.15 and
          abs(us["sigma"] - 0.03) <= 0.015 and abs(us["kappa"] / 0.001 - 1) <= 0.10,
          f"{tool} /usl sigma {us and us['sigma']}, kappa {us and us['kappa']}, "
          f"N* {us and us['n_star']} vs 0.03, 0.001, 31.1")
    # the SLO crossing against the tool's own p50s, read here from its files
    p50 = []
    for f in paths["usl"]:
        if tool == "wrk":
            import re
            m = re.search(r"^ +50% +([0-9.]+)(us|ms|s)$", open(f).read(), re.M)
            p50.append(float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)])
        elif tool == "autocannon":
            p50.append(float(json.load(open(f))["latency"]["p50"]))
        else:
            import csv
            p50.append(float(next(r["50%"] for r in csv.DictReader(open(f))
                                  if r["Name"] == "Aggregated")))
    cr = capacity(paths["usl"], "--slo", "p50<30ms")["slo_crossing"]
    bad = next(i for i, v in enumerate(p50) if v >= 30)
    want = LEVELS[bad - 1] + (30 - p50[bad - 1]) * (LEVELS[bad] - LEVELS[bad - 1]) / \
        (p50[bad] - p50[bad - 1])
    check(cr is not None and cr["highest_level_holding"] == LEVELS[bad - 1] and
          abs(cr["load"] - want) < 1e-6,
          f"{tool} SLO p50<30ms crossing {cr}, the tool's p50s say {LEVELS[bad - 1]}..{LEVELS[bad]} "
          f"at {want}")
    print(f"{tool}: /limited ceiling {top:.1f} req/s, /usl N* {us and us['n_star']:.1f}, "
          f"p50<30ms stops at {cr and cr['load']:.1f}")

# a series from two tools (k6 at 1..8 VUs, wrk at 12..64 connections, one server design):
# one axis of clients, and the fit still finds the constructed peak
mixed = k6[:4] + [os.path.join(fixtures, "wrk", "capacity", f"usl-c{v}.txt") for v in LEVELS[4:]]
if all(os.path.exists(p) for p in mixed):
    mx = capacity(mixed)
    check(mx["load_unit"] == "clients" and abs(mx["usl"]["n_star"] / 31.1 - 1) <= 0.15,
          f"k6 + wrk series: unit {mx['load_unit']}, N* {mx['usl']['n_star']}")

finish("capacity on real series")
