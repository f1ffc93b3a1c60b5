#!/usr/bin/env python3
"""locust_json_reported.py PERFGATE DIR...

For every Locust `--json` run under each DIR (a run.json beside Locust's console.txt, as
fixtures/locust/make-json-runs.sh makes them), checks `perfgate show --json` against numbers
that come from outside perfgate:

  - Locust's own final "Response time percentiles (approximated)" table in console.txt (the
    last one printed): every percentile column (50 % ... 100 %) of every endpoint and of the
    Aggregated row, and its "# reqs", exactly;
  - when the run also wrote --csv files (run_stats.csv), every percentile column of that file;
  - run.json read here with Python's json module: per endpoint and for the run, the counters
    requests, errors and bytes_in, the latency count (requests with a response time), min,
    max and mean (total_response_time / timed requests), exactly; and the run's span from the
    earliest start_time to the latest last_request_timestamp (to the microsecond).

A DIR without run.json is skipped (exit 77 when none has one). Exit 0 when all match, 1 otherwise.
"""
import csv
import json
import os
import subprocess
import sys

PERCENTS = ["50", "66", "75", "80", "90", "95", "98", "99", "99.9", "99.99", "100"]

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("MISMATCH " + msg)


def same(what, got, want):
    if got != want:
        fail(f"{what}: perfgate {got!r}, expected {want!r}")


def console_table(path):
    """The last percentile table of console.txt: {endpoint or None: ([11 values], reqs)}."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    starts = [i for i, l in enumerate(lines) if l.strip() == "Response time percentiles (approximated)"]
    if not starts:
        return None
    table = {}
    for line in lines[starts[-1] + 2:]:
        if line.startswith("--------|"):
            if table and None in table:
                break
            continue
        if not line.strip():
            break
        method, name = line[:9].strip(), line[9:90].strip()
        numbers = line[90:].split()
        if len(numbers) != len(PERCENTS) + 1:
            fail(f"{path}: cannot read table row {line!r}")
            continue
        values = [float(n) for n in numbers[:-1]]
        key = None if name == "Aggregated" and not method else f"{method} {name}"
        table[key] = (values, int(numbers[-1]))
    return table


def csv_table(path):
    table = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = None if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
            if row["Request Count"] == "0":
                continue
            table[key] = [float(row[p + "%"]) for p in PERCENTS]
    return table


def check_dir(perfgate, d):
    run_json = os.path.join(d, "run.json")
    out = subprocess.run([perfgate, "show", "--json", "--percentiles", ",".join(PERCENTS), run_json],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"{run_json}: perfgate exited {out.returncode}: {out.stderr}")
        return
    run = json.loads(out.stdout)["runs"][0]
    latency = {s["endpoint"]: s for s in run["series"] if s["metric"] == "latency"}
    size = {s["endpoint"]: s for s in run["series"] if s["metric"] == "response_size"}
    counters = {(c["metric"], c["endpoint"]): c["total"] for c in run["counters"]}

    def pcts(endpoint):
        return [latency[endpoint]["percentiles"].get("p" + p) for p in PERCENTS]

    console = console_table(os.path.join(d, "console.txt"))
    if console is None:
        fail(f"{d}: console.txt has no percentile table")
    else:
        for endpoint, (values, reqs) in console.items():
            if endpoint not in latency:
                fail(f"{run_json}: no latency series for {endpoint!r}")
                continue
            same(f"{run_json} {endpoint} percentiles (console.txt)", pcts(endpoint), values)
            same(f"{run_json} {endpoint} requests (console.txt)", counters[("requests", endpoint)], reqs)
    stats_csv = os.path.join(d, "run_stats.csv")
    if os.path.exists(stats_csv):
        for endpoint, values in csv_table(stats_csv).items():
            same(f"{run_json} {endpoint} percentiles (run_stats.csv)", pcts(endpoint), values)

    with open(run_json, encoding="utf-8") as f:
        entries = json.load(f)
    total = {"requests": 0, "errors": 0, "bytes_in": 0, "timed": 0, "sum": 0.0, "min": None, "max": None}
    for e in entries:
        endpoint = f"{e['method']} {e['name']}" if e["method"] else e["name"]
        timed = e["num_requests"] - e["num_none_requests"]
        want = {"requests": e["num_requests"], "errors": e["num_failures"],
                "bytes_in": e["total_content_length"]}
        for metric, value in want.items():
            same(f"{run_json} {endpoint} {metric}", counters.get((metric, endpoint)), value)
            total[metric] += value
        if e["num_requests"]:
            same(f"{run_json} {endpoint} response_size mean", size[endpoint]["mean"],
                 e["total_content_length"] / e["num_requests"])
        s = latency[endpoint]
        same(f"{run_json} {endpoint} latency count", s["count"], timed)
        if timed:
            same(f"{run_json} {endpoint} latency min", s["min"], e["min_response_time"])
            same(f"{run_json} {endpoint} latency max", s["max"], e["max_response_time"])
            same(f"{run_json} {endpoint} latency mean", s["mean"], e["total_response_time"] / timed)
            total["min"] = min(x for x in (total["min"], e["min_response_time"]) if x is not None)
            total["max"] = max(x for x in (total["max"], e["max_response_time"]) if x is not None)
        total["timed"] += timed
        total["sum"] += e["total_response_time"]
    for metric in ("requests", "errors", "bytes_in"):
        same(f"{run_json} run {metric}", counters.get((metric, None)), total[metric])
    s = latency[None]
    same(f"{run_json} run latency count", s["count"], total["timed"])
    same(f"{run_json} run latency min", s["min"], total["min"])
    same(f"{run_json} run latency max", s["max"], total["max"])
    same(f"{run_json} run latency mean", s["mean"], total["sum"] / total["timed"])
    same(f"{run_json} run response_size mean", size[None]["mean"], total["bytes_in"] / total["requests"])
    first = min(e["start_time"] for e in entries)
    last = max(e["last_request_timestamp"] for e in entries if e["last_request_timestamp"])
    # Unix seconds to µs, the nearest, halves away from zero (C's llround; Python's round()
    # would take halves to even, and Locust's float times do land on halves)
    def us(t):
        return int(t * 1e6 + 0.5)
    same(f"{run_json} duration", run["duration_s"], (us(last) - us(first)) / 1e6)
    return True


def main():
    perfgate, dirs = sys.argv[1], sys.argv[2:]
    checked = 0
    for top in dirs:
        for d, _, files in sorted(os.walk(top)):
            if "run.json" in files:
                if "console.txt" not in files:  # every fixture keeps what Locust printed
                    fail(f"{d}: run.json without the console.txt Locust printed beside it")
                    continue
                check_dir(perfgate, d)
                checked += 1
    if checked == 0:
        print("no Locust --json runs found: skipped")
        return 77
    print(f"{checked} Locust --json runs checked, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
