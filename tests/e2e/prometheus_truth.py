#!/usr/bin/env python3
"""prometheus_truth.py PERFGATE RUN_DIR...

Prometheus's own answers against perfgate's. Each RUN_DIR (fixtures/prometheus/steady, .../restart)
holds what fixtures/prometheus/make-fixtures.sh saved during one real load test: the load tool's
output (autocannon-work.json, whose start and finish are the run's window), the raw samples of
that window (`raw-*.json`: an instant query of `metric[Dms]` at the window's end, so the very
samples Prometheus's functions saw), and truth.json: Prometheus's answers to PromQL queries at
the window's end over [Dms].

perfgate reads the load tool's output and the raw samples as one run (`perfgate show --json`,
and `perfgate check` with a budget for the merged selections a PromQL `sum` makes), and every
answer of Prometheus must come back:

  increase(c[D]), rate(c[D])                  a counter's total and rate, per label set
  sum(increase(...)), sum(rate(...))          the sum of those
  histogram_quantile(q, sum by (le) (rate(b{route="/work"}[D])))
                                              p(100q) of the histogram selected by route
  1 - avg without (cpu) (rate(node_cpu_seconds_total{mode="idle"}[D]))
                                              cpu_utilization's avg
  1 - avg_over_time(MemAvailable) / avg_over_time(MemTotal)
                                              memory_utilization's avg
  avg/max/min/last_over_time(g[D])            a gauge's mean, max, min, last
  sum(rate(x_sum)) / sum(rate(x_count))       the merged histogram's avg

  quantile_over_time(q, g[D])                 p(100q) of the gauge: Prometheus interpolates
                                              between the two samples around rank q(n-1),
                                              perfgate's histogram gives a sample's value within
                                              0.1 %: both must lie between those two samples

Tolerance otherwise: a relative 1e-12 (and 1e-12 absolute near zero). perfgate runs the same
operations as Prometheus (extrapolatedRate, bucketQuantile), but rate() divides each bucket by
the range before bucketQuantile interpolates, and avg/sum add in Prometheus's order (series
order, Kahan summation in newer versions): the same reals, rounded in a different order, differ
in the last bits. Nothing else may differ. resets(), count_over_time() and ratios of two
queries are not perfgate aggregations and are skipped (listed). Exit 0 when all match, 1 otherwise, 77 when no RUN_DIR
exists.
"""
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

REL = 1e-12


def close(a, b):
    if a is None or b is None:
        return False
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= REL * max(abs(a), abs(b), 1e-300) or abs(a - b) <= 1e-12


def key(metric, tags):
    return (metric, tuple(sorted(tags.items())))


def show(perfgate, files):
    out = subprocess.run([perfgate, "show", "--json"] + files, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"perfgate show failed ({out.returncode}):\n{out.stderr}")
    run = json.loads(out.stdout)["runs"]
    if len(run) != 1:
        sys.exit(f"expected one run, got {[r['label'] for r in run]}")
    run = run[0]
    series = {}
    for group in ("series", "counters", "gauges"):
        for s in run[group]:
            series[key(s["metric"], s["tags"])] = s
    return series


def check_values(perfgate, files, rules):
    """Observed values of budget rules (one assertion each) from the verdict JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        budget = os.path.join(tmp, "budget.json")
        verdict = os.path.join(tmp, "verdict.json")
        with open(budget, "w") as f:
            json.dump({"version": 1, "rules": rules}, f)
        out = subprocess.run([perfgate, "check", "-b", budget, "--verdict", verdict] + files,
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f"perfgate check failed ({out.returncode}):\n{out.stderr}")
        with open(verdict) as f:
            v = json.load(f)
    return {r["rule"]: r["observed"]["value"] for r in v["results"]}


def prom_value(v):
    return float(v)


def main():
    perfgate, dirs = sys.argv[1], [d for d in sys.argv[2:] if os.path.isdir(d)]
    if not dirs:
        print("skip: no fixtures/prometheus run folder here")
        return 77
    failures = checked = 0
    skipped = []
    for d in dirs:
        truth = json.load(open(os.path.join(d, "truth.json")))
        files = [os.path.join(d, "autocannon-work.json")] + sorted(
            glob.glob(os.path.join(d, "raw-*.json")))
        series = show(perfgate, files)

        def expect(what, got, want):
            nonlocal failures, checked
            checked += 1
            if not close(got, want):
                failures += 1
                print(f"FAIL {d}: {what}: perfgate {got!r}, Prometheus {want!r}")

        rules = []
        pending = []
        pending_between = []
        for q in truth["queries"]:
            qid, result = q["id"], q["response"]["data"]["result"]
            if qid.startswith("quantile_over_time_"):
                q, metric = qid[len("quantile_over_time_"):].split("_", 1)
                raw = json.load(open(os.path.join(d, f"raw-{metric}.json")))
                for r in result:
                    labels = {k: v for k, v in r["metric"].items() if k != "__name__"}
                    values = sorted(float(x[1]) for sr in raw["data"]["result"]
                                    if {k: v for k, v in sr["metric"].items()
                                        if k != "__name__"} == labels for x in sr["values"])
                    name = f"{qid} {labels}"
                    rules.append({"name": name, "metric": metric, "tags": labels,
                                  "assert": [f"p{float(q) * 100:g} < 0"]})
                    pending_between.append((name, float(r["value"][1]), values, float(q)))
                continue
            if qid.startswith(("resets", "count_over_time", "min_over_time_up",
                               "pool_utilization")):
                skipped.append(f"{os.path.basename(d)}/{qid}")
                continue
            for r in result:
                labels = {k: v for k, v in r["metric"].items() if k != "__name__"}
                want = prom_value(r["value"][1])
                if qid.startswith(("increase_", "rate_")):
                    metric = qid.split("_", 1)[1]
                    s = series.get(key(metric, labels))
                    if s is None:
                        expect(f"{qid} {labels} (no series)", None, want)
                        continue
                    got = s["total"] if qid.startswith("increase_") else s["rate"]
                    expect(f"{qid} {labels}", got, want)
                elif qid.startswith(("avg_over_time_", "max_over_time_", "min_over_time_",
                                     "last_over_time_")):
                    fn, metric = qid.split("_over_time_")
                    s = series.get(key(metric, labels))
                    field = {"avg": "mean", "max": "max", "min": "min", "last": "value"}[fn]
                    expect(f"{qid} {labels}", s and s[field], want)
                elif qid == "cpu_utilisation":
                    labels.pop("mode", None)
                    s = series.get(key("cpu_utilization", labels))
                    expect(f"{qid} {labels}", s and s["mean"], want)
                elif qid == "memory_utilisation":
                    s = series.get(key("memory_utilization", labels))
                    expect(f"{qid} {labels}", s and s["mean"], want)
                elif qid.startswith("sum_increase_"):
                    got = math.fsum(s["total"] for k, s in series.items()
                                    if k[0] == "http_requests_total")
                    expect(qid, got, want)
                elif qid == "sum_rate_request_count":
                    # _count is the +Inf bucket (the fixture saved the buckets): its increase
                    # per second of the window
                    got = math.fsum(s["count"] for k, s in series.items()
                                    if k[0] == "http_request_duration_seconds")
                    expect(qid, got / (truth["range_ms"] / 1000), want)
                elif qid.startswith("p") and "_work_" in qid:
                    p = qid[1:qid.index("_")]
                    name = qid
                    rules.append({"name": name, "metric": "http_request_duration_seconds",
                                  "tags": {"route": "/work"},
                                  "assert": [f"p{int(p)} < 1ms"]})
                    pending.append((name, want * 1000))
                elif qid == "p95_by_route_rate":
                    name = f"p95_route_{labels['route']}"
                    rules.append({"name": name, "metric": "http_request_duration_seconds",
                                  "tags": {"route": labels["route"]}, "assert": ["p95 < 1ms"]})
                    pending.append((name, want * 1000))
                elif qid == "mean_request_duration":
                    rules.append({"name": qid, "metric": "http_request_duration_seconds",
                                  "assert": ["avg < 0.001ms"]})
                    pending.append((qid, want * 1000))
                else:
                    skipped.append(f"{os.path.basename(d)}/{qid} (not mapped)")
        if rules:
            observed = check_values(perfgate, files, rules)
            for name, want in pending:
                expect(name, observed.get(name), want)
            for name, want, values, q in pending_between:
                # quantile_over_time interpolates between the samples at ranks floor and
                # ceil of q * (n - 1); perfgate's histogram gives a sample's value (nearest
                # rank, within its 0.1 % relative error): both must lie between those two
                rank = q * (len(values) - 1)
                lo, hi = values[math.floor(rank)], values[math.ceil(rank)]
                got = observed.get(name)
                checked += 1
                if not (lo <= want <= hi and got is not None
                        and lo * (1 - 1e-3) <= got <= hi * (1 + 1e-3)):
                    failures += 1
                    print(f"FAIL {d}: {name}: perfgate {got!r}, Prometheus {want!r}, "
                          f"samples around the rank {lo!r} .. {hi!r}")
    if skipped:
        print("not compared (no perfgate aggregation of that kind): " + ", ".join(skipped))
    print(f"{checked} Prometheus answers compared, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
