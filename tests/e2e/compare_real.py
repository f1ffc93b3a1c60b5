#!/usr/bin/env python3
"""`perfgate compare` on real repeated runs whose truth is known by construction.

Usage: compare_real.py PERFGATE FIXTURES_DIR

The runs (fixtures/k6/aa-*, ab-*; fixtures/{wrk,autocannon,locust}/compare/) were made by the
real tools against a test server whose /slow endpoint was the same (A/A) or made slower by a
known factor, +30 % or +5 % (A/B). What must hold (issue 16, docs/statistics.md):
  - every A/A comparison is "no change" or "inconclusive", never a regression or improvement;
  - +30 % is a regression: from one run a side with exact histograms (k6 raw stream), from
    five runs a side for the tools that print only percentiles;
  - +5 % with a 10 % threshold is never a regression;
  - one run a side of a summary-only tool is inconclusive and says how many runs it needs;
  - a one-run interval of a quantile contains the order statistics that scipy's binomial
    ranks pick from the raw samples, and is no wider than the histogram's bucket error.
"""
import gzip
import json
import os
import subprocess
import sys

perfgate, fixtures = sys.argv[1], sys.argv[2]
from checklib import check, finish


def compare(base, cand, *extra):
    p = subprocess.run([perfgate, "compare", "--verdict", "-", *extra, *base, "--", *cand],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1, 3):
        print(p.stderr)
        raise SystemExit(f"perfgate compare exited {p.returncode}")
    doc = json.loads(p.stdout)
    check(doc["exit_code"] == p.returncode, f"exit code {p.returncode} vs JSON {doc['exit_code']}")
    return p.returncode, doc


def rows(doc, endpoint=None):
    return {r["metric"]: r for r in doc["rows"] if r["endpoint"] == endpoint}


def name(paths):
    return "+".join(os.path.relpath(p, fixtures) for p in paths)


def never_decided_wrongly(base, cand, what, *extra):
    code, doc = compare(base, cand, *extra)
    bad = [(r["endpoint"], r["metric"], r["verdict"], r["change"]) for r in doc["rows"]
           if r["verdict"] in ("regression", "improvement")]
    check(not bad and code != 1, f"{what} {name(base)} vs {name(cand)}: {bad} (exit {code})")
    return doc


def regression(base, cand, metrics, what):
    code, doc = compare(base, cand)
    got = rows(doc)
    for m in metrics:
        check(got[m]["verdict"] == "regression",
              f"{what} {name(base)} vs {name(cand)}: {m} is {got[m]['verdict']} "
              f"({got[m]['change']}, {got[m]['change_interval']})")
    check(code == 1, f"{what}: exit {code}, want 1")
    return doc


# ---- k6 raw streams: exact histograms, one run a side decides ----
k6 = os.path.join(fixtures, "k6")
if not os.path.isdir(os.path.join(k6, "aa-slow-vu20-rep1")):
    print("SKIP: fixtures/k6/aa-* missing")
    sys.exit(77)


def k6run(folder, f="out.json.gz"):
    return os.path.join(k6, folder, f)


aa = [k6run(f"aa-slow-vu20-rep{i}") for i in (1, 2, 3)]
ab30 = [k6run(f"ab-slow-vu20-scale1.30-rep{i}") for i in (1, 2)]
ab05 = [k6run(f"ab-slow-vu20-scale1.05-rep{i}") for i in (1, 2)]
for i in range(3):
    for j in range(3):
        if i != j:
            never_decided_wrongly([aa[i]], [aa[j]], "k6 A/A")
never_decided_wrongly(aa[:2], aa[2:], "k6 A/A, 2 runs against 1")
for b in aa:
    for c in ab30:
        regression([b], [c], ["p50", "p90", "p95", "mean", "throughput"], "k6 +30 %")
    for c in ab05:
        never_decided_wrongly([b], [c], "k6 +5 % at a 10 % threshold", "--threshold", "10%")
regression(aa, ab30, ["p50", "p90", "p95", "mean"], "k6 +30 %, 3 runs against 2")

# budget rules against a baseline use the same intervals (check; docs/budgets.md)
import tempfile
budget = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
budget.write('{"format": "perfgate-budget", "version": 1, "rules": ['
             '{"name": "p50", "assert": "p50 <= baseline * 1.10"},'
             '{"name": "p95", "assert": "p95 <= baseline * 1.10"},'
             '{"name": "mean", "assert": "avg <= baseline * 1.10"},'
             '{"name": "rps", "assert": "rps >= baseline * 0.90"}]}')
budget.close()


def check_budget(base, cand):
    out = subprocess.run([perfgate, "check", "-b", budget.name, "--baseline", base,
                          "--verdict", "-", cand], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    check(doc["exit_code"] == out.returncode, f"check exit {out.returncode} vs {doc['exit_code']}")
    return out.returncode, {r["rule"]: r for r in doc["results"]}


for i in range(3):
    for j in range(3):
        if i != j:
            code, res = check_budget(aa[i], aa[j])
            bad = [n for n, r in res.items() if r["status"] == "fail"]
            check(not bad and code in (0, 3), f"budget A/A {name([aa[i]])} vs {name([aa[j]])}: "
                                               f"{bad} failed (exit {code})")
    for c in ab30:
        code, res = check_budget(aa[i], c)
        check(code == 1 and all(res[n]["status"] == "fail" for n in ("p50", "p95", "mean", "rps")),
              f"budget +30 % {name([aa[i]])} vs {name([c])}: exit {code}, "
              f"{[(n, r['status']) for n, r in res.items()]}")
        check(all(res[n]["interval"]["comparison"] == "interval" for n in res),
              "budget +30 %: every rule judged on its interval")
    for c in ab05:
        code, res = check_budget(aa[i], c)
        bad = [n for n, r in res.items() if r["status"] == "fail"]
        check(not bad, f"budget +5 % against 10 % limits {name([aa[i]])} vs {name([c])}: {bad}")
os.unlink(budget.name)

# the summary export holds only what k6 printed: one run a side cannot decide
code, doc = compare([k6run("aa-slow-vu20-rep1", "summary-export.json")],
                    [k6run("ab-slow-vu20-scale1.30-rep1", "summary-export.json")])
p95 = rows(doc)["p95"]
check(code == 3 and p95["verdict"] == "inconclusive" and p95["need_runs"] == 4 and
      "4 runs a side" in p95["reason"],
      f"k6 summaries, one run a side: exit {code}, p95 {p95['verdict']}, {p95['reason']}")

# ---- one run's intervals against the raw samples ----
try:
    from scipy import stats
except ImportError:
    stats = None
if stats:
    samples = []
    with gzip.open(aa[0], "rt") as f:
        for line in f:
            if '"http_req_duration"' in line and '"Point"' in line:
                samples.append(json.loads(line)["data"]["value"])
    samples.sort()
    n = len(samples)
    _, doc = compare([aa[0]], [aa[1]])
    for m, q in (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)):
        a = 0.025
        lo = int(stats.binom.ppf(a, n, q))
        while lo >= 0 and stats.binom.cdf(lo, n, q) > a:
            lo -= 1
        lo += 1  # 1 + the largest k with P(B <= k) <= a
        hi = int(stats.binom.isf(a, n, q))
        while stats.binom.sf(hi - 1, n, q) > a:
            hi += 1
        while stats.binom.sf(hi - 2, n, q) <= a:
            hi -= 1
        x_lo, x_hi = samples[lo - 1], samples[hi - 1]
        iv = rows(doc)[m]["baseline"]["interval"]
        slack = lambda x: x * 2 ** -10 + 0.001  # one bucket at 3 digits, plus the µs
        check(iv["lo"] <= x_lo + 0.001 and iv["lo"] >= x_lo - slack(x_lo) and
              iv["hi"] >= x_hi - 0.001 and iv["hi"] <= x_hi + slack(x_hi),
              f"{m} interval {iv} vs order statistics X({lo}) = {x_lo}, X({hi}) = {x_hi}")

    # show --json gives every percentile of a run the same interval
    shown = json.loads(subprocess.run([perfgate, "show", "--json", aa[0]], capture_output=True,
                                      text=True).stdout)["runs"][0]["series"]
    lat = next(x for x in shown if x["metric"] == "latency" and x["endpoint"] is None)
    for m in ("p50", "p90", "p95", "p99"):
        iv = rows(doc)[m]["baseline"]["interval"]
        check(lat["intervals"][m] == {"lo": iv["lo"], "hi": iv["hi"]},
              f"show --json interval of {m} {lat['intervals'][m]} vs compare's {iv}")

# ---- a bucketed series (Prometheus histogram): show --json maps the ranks to `le` bounds ----
prom = os.path.join(fixtures, "prometheus", "steady", "range-http_request_duration_seconds_bucket.json")
if os.path.exists(prom):
    with open(prom) as f:
        raw = json.load(f)["data"]["result"]
    bounds = {0.0} | {float(r["metric"]["le"]) * 1000 for r in raw if r["metric"]["le"] != "+Inf"}
    shown = json.loads(subprocess.run([perfgate, "show", "--json", prom], capture_output=True,
                                      text=True).stdout)["runs"][0]["series"]
    hists = [x for x in shown if "intervals" in x]
    check(len(hists) == 2, f"prometheus: {len(hists)} histogram series")
    for x in hists:
        for key, iv in x["intervals"].items():
            v = x["percentiles"][key]
            ok = iv is not None and iv["lo"] in bounds and (iv["hi"] is None or iv["hi"] in bounds) \
                and iv["lo"] <= v and (iv["hi"] is None or v <= iv["hi"])
            check(ok, f"prometheus {x['tags'].get('route')} {key} = {v}: interval {iv} is not "
                      f"the `le` bounds around it")

# ---- the tools that print only percentiles: wrk, autocannon, Locust ----
for tool, ext in (("wrk", ".txt"), ("autocannon", ".json"), ("locust", "")):
    d = os.path.join(fixtures, tool, "compare")
    if not os.path.isdir(d):
        print(f"SKIP part: {d} missing")
        continue
    # a Locust --csv prefix is one run: its _stats.csv names the set
    run = lambda kind, i: os.path.join(d, f"{kind}-rep{i}{ext}") if ext else \
        os.path.join(d, f"{kind}-rep{i}", "run_stats.csv")
    if not all(os.path.isfile(run(k, i)) for k in ("aa", "ab-scale1.30", "ab-scale1.05")
               for i in range(1, 6)):
        print(f"SKIP part: {d} is incomplete")
        continue
    aa5 = [run("aa", i) for i in range(1, 6)]
    ab30 = [run("ab-scale1.30", i) for i in range(1, 6)]
    ab05 = [run("ab-scale1.05", i) for i in range(1, 6)]
    never_decided_wrongly(aa5[:2], aa5[2:], f"{tool} A/A 2 v 3")
    never_decided_wrongly(aa5, aa5[::-1][:4], f"{tool} A/A 5 v 4 (overlapping)")
    regression(aa5, ab30, ["p50", "mean", "throughput"], f"{tool} +30 %, 5 runs a side")
    never_decided_wrongly(aa5, ab05, f"{tool} +5 % at a 10 % threshold", "--threshold", "10%")
    code, doc = compare(aa5[:1], ab30[:1])
    p50 = rows(doc)["p50"]
    # Locust's history times its requests (a within-run throughput interval): its throughput
    # can decide from one run, so the exit code may be 1; the percentiles never can
    check(code in ((1, 3) if tool == "locust" else (3,)) and p50["verdict"] == "inconclusive"
          and p50["need_runs"] == 4 and "4 runs a side" in p50["reason"],
          f"{tool} one run a side: exit {code}, p50 {p50['verdict']}, need {p50['need_runs']}")
    print(f"{tool}: A/A, +30 % and +5 % over five runs a side, and one run a side: checked")

finish("compare on real runs")
