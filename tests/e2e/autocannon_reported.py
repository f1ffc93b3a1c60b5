#!/usr/bin/env python3
"""autocannon_reported.py PERFGATE DIR

For every autocannon JSON file in DIR (.json and .json.gz), checks that `perfgate show --json`
reproduces the numbers autocannon itself wrote, read here independently with Python's json
module (expected values come from the tool's output, not from perfgate):

  run:        concurrency = connections, duration_s = duration, requests = requests.total,
              errors = errors + 4xx + 5xx, rps = requests.mean * 1000 / sampleInt,
              error_rate = errors / (requests.total + autocannon errors)
  latency:    count (totalCount, else requests.total), min, mean, max, stddev and every
              percentile key, each exactly as printed and not marked as an estimate
  rps, throughput: the per-window summaries scaled to per second (1000 / sampleInt)
  counters:   bytes_in = throughput.total, unanswered = errors, responses per status class
A file of two documents (autocannon 9 with --warmup) is checked against its second, measured
result. A p95 that autocannon did not print must be listed in "estimates", or be missing when the
summary has no percentile at all (autocannon 0.16's rps and throughput: min, mean, max only).
Exit 0 when all match, 1 otherwise, 77 (skip) when DIR does not exist.
"""
import gzip
import json
import math
import os
import subprocess
import sys


def percent_of_key(key):
    """autocannon percentile key -> percent (FORMATS.md §3), or None."""
    if not key.startswith("p") or not key[1:2].isdigit():
        return None
    body = key[1:]
    if "_" in body:
        return float(body.replace("_", "."))
    legacy = {"999": 99.9, "9999": 99.99, "99999": 99.999}
    return legacy.get(body, float(body))


def pkey(percent):
    text = repr(float(percent))
    if text.endswith(".0"):
        text = text[:-2]
    return "p" + text


def close(a, b):
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    first, end = json.JSONDecoder().raw_decode(text)
    if text[end:].strip():
        # autocannon 9 --warmup: the warm-up result, then the measured one (nesting the
        # warm-up under "warmup"); the measured run is the one perfgate must read
        second = json.loads(text[end:])
        assert isinstance(second, dict) and "warmup" in second, path
        return second
    return first


def check_summary(errors, where, summary, series, factor, count=None):
    mean = summary.get("mean", summary.get("average"))
    want = {"mean": mean, "min": summary.get("min"), "max": summary.get("max"),
            "stddev": summary.get("stddev")}
    for stat, value in want.items():
        if value is None:
            continue
        if not close(series[stat], value * factor):
            errors.append(f"{where}: {stat} {series[stat]} != reported {value} x {factor}")
        if stat in series["estimates"]:
            errors.append(f"{where}: reported {stat} marked as an estimate")
    if count is not None and series["count"] != count:
        errors.append(f"{where}: count {series['count']} != {count}")
    reported = set()
    for key, value in summary.items():
        percent = percent_of_key(key)
        if percent is None:
            continue
        k = pkey(percent)
        reported.add(k)
        got = series["percentiles"].get(k)
        if not close(got, value * factor):
            errors.append(f"{where}: {k} {got} != reported {key}={value} x {factor}")
        if k in series["estimates"]:
            errors.append(f"{where}: reported {k} marked as an estimate")
    # an unreported p95 is an estimate between reported percentiles, or missing when the
    # summary has no percentile at all (min and max alone do not give one)
    if "p95" not in reported and "p95" not in series["estimates"] and \
            (reported or series["percentiles"].get("p95") is not None):
        errors.append(f"{where}: p95 was not reported by autocannon but is not an estimate")
    return reported


def check_result(errors, where, result, run):
    sample = result.get("sampleInt", 1000)
    per_second = 1000 / sample
    if run["tool"] != "autocannon":
        errors.append(f"{where}: tool {run['tool']}")
    if run["concurrency"] != result["connections"]:
        errors.append(f"{where}: concurrency {run['concurrency']} != {result['connections']}")
    if not close(run["duration_s"], result["duration"]):
        errors.append(f"{where}: duration_s {run['duration_s']} != {result['duration']}")
    total = result["requests"]["total"]
    if run["requests"] != total:
        errors.append(f"{where}: requests {run['requests']} != {total}")
    failed = result.get("errors", 0) + result.get("4xx", 0) + result.get("5xx", 0)
    if run["errors"] != failed:
        errors.append(f"{where}: errors {run['errors']} != {failed}")
    mean_rps = result["requests"].get("mean", result["requests"].get("average"))
    if not close(run["rps"], mean_rps * per_second):
        errors.append(f"{where}: rps {run['rps']} != {mean_rps} x {per_second}")
    attempts = total + result.get("errors", 0)
    if attempts and not close(run["error_rate"], failed / attempts):
        errors.append(f"{where}: error_rate {run['error_rate']} != {failed}/{attempts}")

    series = {s["metric"]: s for s in run["series"] if s["endpoint"] is None and not s["tags"]}
    for metric in ("latency", "rps", "throughput"):
        if metric not in series:
            errors.append(f"{where}: no {metric} series")
            return
        if series[metric]["precision"] != "quantiles":
            errors.append(f"{where}: {metric} precision {series[metric]['precision']}")
    if series["latency"]["unit"] != "ms":
        errors.append(f"{where}: latency unit {series['latency']['unit']}")
    latency_count = result["latency"].get("totalCount", total)
    check_summary(errors, where + " latency", result["latency"], series["latency"], 1,
                  latency_count)
    check_summary(errors, where + " rps", result["requests"], series["rps"], per_second,
                  result.get("samples"))
    check_summary(errors, where + " throughput", result["throughput"], series["throughput"],
                  per_second, result.get("samples"))

    counters = {(c["metric"], json.dumps(c["tags"], sort_keys=True)): c["total"]
                for c in run["counters"]}
    expect = {("bytes_in", "{}"): result["throughput"].get("total"),
              ("unanswered", "{}"): result.get("errors"),
              ("timeouts", "{}"): result.get("timeouts"),
              ("sent", "{}"): result["requests"].get("sent")}
    for cls in ("1xx", "2xx", "3xx", "4xx", "5xx"):
        expect[("responses", json.dumps({"status_class": cls}))] = result.get(cls)
    for code, entry in result.get("statusCodeStats", {}).items():
        expect[("responses", json.dumps({"status": code}))] = entry["count"]
    for key, value in expect.items():
        if value is not None and counters.get(key) != value:
            errors.append(f"{where}: counter {key} {counters.get(key)} != {value}")


def main():
    perfgate, folder = sys.argv[1], sys.argv[2]
    if not os.path.isdir(folder):
        print(f"SKIP: {folder} does not exist (shared/ is not beside the checkout)")
        return 77
    files = sorted(f for f in os.listdir(folder) if f.endswith((".json", ".json.gz")))
    errors, checked, failed_results = [], 0, 0
    for name in files:
        path = os.path.join(folder, name)
        document = load(path)
        results = document if isinstance(document, list) else [document]
        percents = set()
        for r in results:
            for part in ("latency", "requests", "throughput"):
                for key in r[part]:
                    p = percent_of_key(key)
                    if p is not None:
                        percents.add(p)
        args = [perfgate, "show", "--json"]
        if percents:
            args += ["--percentiles", ",".join(repr(p) for p in sorted(percents))]
        proc = subprocess.run(args + [path], capture_output=True, text=True)
        if proc.returncode != 0:
            errors.append(f"{name}: perfgate exited {proc.returncode}: {proc.stderr}")
            failed_results += len(results)
            continue
        runs = json.loads(proc.stdout)["runs"]
        if len(runs) != len(results):
            errors.append(f"{name}: {len(runs)} runs for {len(results)} results")
            failed_results += len(results)
            continue
        for i, (result, run) in enumerate(zip(results, runs)):
            where = f"{name}[{i}]" if isinstance(document, list) else name
            if "title" in result and run["label"] != result["title"]:
                errors.append(f"{where}: label {run['label']} != title {result['title']}")
            before = len(errors)
            check_result(errors, where, result, run)
            checked += 1
            failed_results += len(errors) > before
    for e in errors:
        print("FAIL", e)
    print(f"{checked} results in {len(files)} files checked against autocannon's own numbers")
    print(f"{checked - failed_results if checked >= failed_results else 0} passed, "
          f"{failed_results} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
