#!/usr/bin/env python3
"""k6_summary_reported.py PERFGATE DIR_OR_FILE...

For every k6 end-of-test summary JSON (the legacy `--summary-export` file or the data that
`handleSummary` stringifies; formats/k6.md), checks that `perfgate show --json` gives back every
number k6 printed, exactly (== on floats: perfgate copies these numbers, it does not recompute
them). Expected values are read here independently with Python's json module.

  trends:     avg -> mean, min, max, med -> p50, p(N) -> pN, count -> count; none of them
              listed in "estimates"
  counters:   count -> total (http_reqs -> requests, data_received/data_sent -> bytes_in/out)
  rates:      passes -> passes, passes + fails -> total, rate (k6's value) -> rate;
              http_req_failed -> counter errors with total = passes; a submetric of it also
              -> counter requests with its endpoint and tags, total = passes + fails (one
              sample per request), unless an http_reqs submetric has those tags
  gauges:     value, min, max
  run:        rps = http_reqs.rate, requests = http_reqs.count, errors = http_req_failed.passes,
              error_rate = http_req_failed.rate, duration_s = state.testRunDurationMs / 1000
              (handleSummary) or http_reqs.count / http_reqs.rate (legacy, 1e-12 relative)
  thresholds: every threshold with its metric key, source and result (legacy true = failed,
              handleSummary ok false = failed)
  checks:     root_group checks (recursively) -> rates checks{check=NAME,group=PATH}, summed
              over checks sharing name and group
A submetric key "name{k:v,...}" maps to the series' endpoint (tag name, else url, prefixed by
the method tag) and tags (the others; empty values dropped), as formats/k6.md says.

Arguments are files or directories (every *.json in them, recursively, whose content is a k6 summary; other
files, e.g. NDJSON out.json, are skipped with a "skip" line). The machine-readable summary
(results/metadata) is skipped too. K6SUM_SELFTEST=1 moves one expected value per file by one
ulp (the first trend's avg) to show that the comparison can fail.
Exit 0 when all match, 1 on any mismatch, 77 (skip) when nothing was checked.
"""
import json
import math
import os
import subprocess
import sys

SELFTEST = os.environ.get("K6SUM_SELFTEST") == "1"

RENAME = {"http_req_duration": "latency", "http_reqs": "requests", "http_req_failed": "errors",
          "data_received": "bytes_in", "data_sent": "bytes_out"}
# perfgate's core metric names: a script's own metric of such a name is kept as "k6:NAME"
CORE = {"latency", "rps", "throughput", "requests", "errors", "unanswered", "bytes_in",
        "bytes_out", "error_rate", "concurrency"}


def model_name(base):
    """The model metric of k6 metric `base`."""
    if base in RENAME:
        return RENAME[base]
    return "k6:" + base if base in CORE else base


def percent_of_key(key):
    """'p(99.9)' -> 99.9, else None."""
    if key.startswith("p(") and key.endswith(")"):
        try:
            return float(key[2:-1])
        except ValueError:
            return None
    return None


def pkey(percent):
    text = repr(float(percent))
    if text.endswith(".0"):
        text = text[:-2]
    return "p" + text


def split_key(key):
    """'name{k:v,k2:v2}' -> (name, {k: v}) as k6 parses submetric selectors."""
    brace = key.find("{")
    if brace < 0 or not key.endswith("}"):
        return key, {}
    tags = {}
    for part in key[brace + 1:-1].split(","):
        if not part:
            continue
        k, sep, v = part.partition(":")
        k = k.strip().strip("\"'")
        v = v.strip().strip("\"'") if sep else ""
        tags[k] = v
    return key[:brace], tags


def endpoint_and_tags(tags):
    tags = {k: v for k, v in tags.items() if v != ""}
    name = tags.pop("name", None) or None
    url = tags.pop("url", None) or None
    endpoint = name or url
    method = tags.get("method")
    if endpoint is not None and method:
        if not endpoint.startswith(method + " "):
            endpoint = method + " " + endpoint
        del tags["method"]
    return endpoint, tags


def tag_key(tags):
    return json.dumps(tags, sort_keys=True, ensure_ascii=False)


def legacy_type(values):
    if "passes" in values and "fails" in values:
        return "rate"
    if "count" in values and "rate" in values:
        return "counter"
    if "value" in values and "avg" not in values:
        return "gauge"
    return "trend"


def is_summary(document):
    return isinstance(document, dict) and (
        ("metrics" in document and "root_group" in document)
        or ("results" in document and "metadata" in document))


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return json.loads(data)
    except ValueError:
        return None


def same(expected, got):
    """Exact equality of a number k6 printed with perfgate's (null stays null)."""
    if expected is None:
        return got is None
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    return expected == got


class Checker:
    def __init__(self, name, run, counted):
        self.name = name
        self.run = run
        self.counted = counted  # (endpoint, tag_key) of every http_reqs submetric
        self.count = 0
        self.errors = []
        self.notes = []
        self.perturbed = not SELFTEST
        self.index = {}
        for kind in ("series", "counters", "rates", "gauges"):
            table = {}
            for entry in run.get(kind, []):
                table[(entry["metric"], entry["endpoint"], tag_key(entry["tags"]))] = entry
            self.index[kind] = table

    def fail(self, metric, endpoint, tags, stat, expected, got):
        self.errors.append(f"MISMATCH {self.name}: metric={metric} endpoint={endpoint} "
                           f"tags={tag_key(tags)} stat={stat} k6={expected!r} perfgate={got!r}")

    def compare(self, metric, endpoint, tags, stat, expected, got):
        self.count += 1
        if not same(expected, got):
            self.fail(metric, endpoint, tags, stat, expected, got)

    def find(self, kind, metric, endpoint, tags, key):
        entry = self.index[kind].get((metric, endpoint, tag_key(tags)))
        if entry is None:
            self.count += 1
            self.fail(metric, endpoint, tags, f"{kind[:-1] if kind != 'series' else 'series'}"
                      f" (from k6 {key})", "present", "absent")
        return entry

    def trend(self, key, metric, endpoint, tags, values):
        series = self.find("series", metric, endpoint, tags, key)
        if series is None:
            return
        if series["precision"] != "quantiles":
            self.fail(metric, endpoint, tags, "precision", "quantiles", series["precision"])
        estimates = set(series.get("estimates") or [])
        for stat, value in values.items():
            if stat == "thresholds":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and not self.perturbed and stat == "avg":
                value = math.nextafter(value, math.inf)
                self.perturbed = True
            percent = percent_of_key(stat)
            if stat == "avg":
                field, got = "mean", series["mean"]
            elif stat in ("min", "max", "count"):
                field, got = stat, series[stat]
            elif stat == "med":
                field, got = "p50", series["percentiles"].get("p50")
            elif percent is not None:
                field = pkey(percent)
                got = series["percentiles"].get(field)
            else:
                self.notes.append(f"note {self.name}: {key}: trend stat {stat!r} not checked")
                continue
            if value is None and field.startswith("p") and field in estimates:
                self.count += 1  # k6 printed null: perfgate may only estimate it
                continue
            self.compare(metric, endpoint, tags, f"{stat}->{field}", value, got)
            if field in estimates:
                self.fail(metric, endpoint, tags, f"{field} in estimates", "reported", "estimate")

    def counter(self, key, metric, endpoint, tags, values):
        entry = self.find("counters", metric, endpoint, tags, key)
        if entry is not None:
            self.compare(metric, endpoint, tags, "count->total", values.get("count"),
                         entry["total"])

    def rate(self, key, metric, endpoint, tags, values):
        passes, fails = values.get("passes"), values.get("fails")
        if split_key(key)[0] == "http_req_failed":  # errors: the failed requests = passes
            entry = self.find("counters", metric, endpoint, tags, key)
            if entry is not None:
                self.compare(metric, endpoint, tags, "passes->total", passes, entry["total"])
            submetric = endpoint is not None or tags
            if submetric and (endpoint, tag_key(tags)) not in self.counted:
                entry = self.find("counters", "requests", endpoint, tags, key)
                total = passes + fails if passes is not None and fails is not None else None
                if entry is not None:
                    self.compare("requests", endpoint, tags, "passes+fails->total", total,
                                 entry["total"])
            return
        entry = self.find("rates", metric, endpoint, tags, key)
        if entry is None:
            return
        self.compare(metric, endpoint, tags, "passes", passes, entry["passes"])
        total = passes + fails if passes is not None and fails is not None else None
        self.compare(metric, endpoint, tags, "passes+fails->total", total, entry["total"])
        rate = values.get("rate", values.get("value"))
        if total == 0 and entry["total"] == 0 and rate == 0 and entry["rate"] is None:
            # k6 >= v0.40 prints 0 for a rate without samples; perfgate keeps 0/0 unknown
            self.notes.append(f"note {self.name}: {key}: no samples, k6 rate 0, perfgate null")
        else:
            self.compare(metric, endpoint, tags, "rate", rate, entry["rate"])

    def gauge(self, key, metric, endpoint, tags, values):
        entry = self.find("gauges", metric, endpoint, tags, key)
        if entry is None:
            return
        for stat in ("value", "min", "max"):
            if stat in values:
                self.compare(metric, endpoint, tags, stat, values[stat], entry[stat])


def collect_checks(group, sums):
    """root_group (objects in the legacy export, arrays in handleSummary) -> {(name, path)}."""
    checks = group.get("checks") or []
    groups = group.get("groups") or []
    if isinstance(checks, dict):
        checks = list(checks.values())
    if isinstance(groups, dict):
        groups = list(groups.values())
    path = group.get("path", "")
    for check in checks:
        entry = sums.setdefault((check.get("name", ""), path), [0, 0])
        entry[0] += check.get("passes", 0)
        entry[1] += check.get("fails", 0)
    for sub in groups:
        collect_checks(sub, sums)


def check_file(perfgate, path):
    """Returns (values checked or None when skipped, mismatch lines)."""
    document = load(path)
    if not is_summary(document):
        print(f"skip {path}: not a k6 summary JSON document")
        return None, []
    if "metrics" not in document or not isinstance(document["metrics"], dict):
        print(f"skip {path}: machine-readable summary (results/metadata), not checked here")
        return None, []
    metrics = document["metrics"]
    handle = any(isinstance(m, dict) and isinstance(m.get("values"), dict)
                 for m in metrics.values())

    percents = set()
    for m in metrics.values():
        values = m.get("values", {}) if handle else m
        for stat in values:
            p = percent_of_key(stat)
            if p is not None:
                percents.add(p)
    args = [perfgate, "show", "--json"]
    if percents:
        args += ["--percentiles", ",".join(pkey(p)[1:] for p in sorted(percents))]
    proc = subprocess.run(args + [path], capture_output=True, text=True)
    if proc.returncode != 0:
        return 0, [f"MISMATCH {path}: perfgate exited {proc.returncode}: {proc.stderr.strip()}"]
    runs = json.loads(proc.stdout)["runs"]
    if len(runs) != 1:
        return 0, [f"MISMATCH {path}: {len(runs)} runs, expected 1"]
    run = runs[0]
    counted = set()
    for key in metrics:
        base, raw_tags = split_key(key)
        endpoint, tags = endpoint_and_tags(raw_tags)
        if base == "http_reqs" and (endpoint is not None or tags):
            counted.add((endpoint, tag_key(tags)))
    c = Checker(path, run, counted)

    for key in sorted(metrics):
        m = metrics[key]
        values = m.get("values", {}) if handle else m
        kind = m.get("type") if handle else legacy_type(values)
        base, raw_tags = split_key(key)
        endpoint, tags = endpoint_and_tags(raw_tags)
        metric = model_name(base)
        if base == "http_req_failed" and kind != "rate":
            metric = base
        if kind == "trend":
            c.trend(key, metric, endpoint, tags, values)
        elif kind == "counter":
            c.counter(key, metric, endpoint, tags, values)
        elif kind == "rate":
            c.rate(key, metric, endpoint, tags, values)
        elif kind == "gauge":
            c.gauge(key, metric, endpoint, tags, values)
        else:
            c.notes.append(f"note {path}: {key}: unknown metric type {kind!r} not checked")

        for source, result in (m.get("thresholds") or {}).items():
            failed = (result.get("ok") is False) if isinstance(result, dict) else result is True
            want = "failed" if failed else "passed"
            got = [t["result"] for t in run.get("thresholds", [])
                   if t["metric"] == key and t["source"] == source]
            c.count += 1
            if want not in got:
                c.fail(key, None, {}, f"threshold {source!r}", want, got or "absent")

    # the run as a whole
    reqs = metrics.get("http_reqs")
    reqs = reqs.get("values", {}) if (reqs and handle) else reqs
    if reqs:
        c.compare("run", None, {}, "rps (http_reqs.rate)", reqs.get("rate"), run.get("rps"))
        c.compare("run", None, {}, "requests (http_reqs.count)", reqs.get("count"),
                  run.get("requests"))
    failed = metrics.get("http_req_failed")
    failed = failed.get("values", {}) if (failed and handle) else failed
    if failed:
        c.compare("run", None, {}, "errors (http_req_failed.passes)", failed.get("passes"),
                  run.get("errors"))
        rate = failed.get("rate", failed.get("value"))
        if rate is not None:
            c.compare("run", None, {}, "error_rate (http_req_failed.rate)", rate,
                      run.get("error_rate"))
    state = document.get("state") or {}
    if handle and state.get("testRunDurationMs") is not None:
        c.compare("run", None, {}, "duration_s (testRunDurationMs/1000)",
                  state["testRunDurationMs"] / 1000, run.get("duration_s"))
    elif not handle and reqs and reqs.get("count") is not None and reqs.get("rate"):
        want = reqs["count"] / reqs["rate"]
        got = run.get("duration_s")
        c.count += 1
        if not (isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-12)):
            c.fail("run", None, {}, "duration_s (http_reqs.count/rate)", want, got)

    # checks from root_group
    sums = {}
    collect_checks(document.get("root_group") or {}, sums)
    for (name, group), (passes, fails) in sorted(sums.items()):
        tags = {"check": name}
        if group:
            tags["group"] = group
        tags = {k: v for k, v in tags.items() if v != ""}
        entry = c.find("rates", "checks", None, tags, "root_group")
        if entry is not None:
            c.compare("checks", None, tags, "passes", passes, entry["passes"])
            c.compare("checks", None, tags, "passes+fails->total", passes + fails,
                      entry["total"])

    for note in c.notes:
        print(note)
    return c.count, c.errors


def main():
    if len(sys.argv) < 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    perfgate = sys.argv[1]
    files = []
    for arg in sys.argv[2:]:
        if os.path.isdir(arg):
            found = []
            for top, dirs, names in os.walk(arg):
                found += [os.path.join(top, f) for f in names if f.endswith(".json")]
            files += sorted(found)
        elif os.path.isfile(arg):
            files.append(arg)
        else:
            print(f"skip: {arg} absent")
    checked_files, total, failures = 0, 0, []
    for path in files:
        count, errors = check_file(perfgate, path)
        if count is None:
            continue
        checked_files += 1
        total += count
        if errors:
            for e in errors:
                print(e)
            failures.append(path)
        else:
            print(f"ok {path}: {count} values checked")
    if checked_files == 0:
        print("skip: no k6 summary checked")
        return 77
    print(f"{checked_files} k6 summaries, {total} values checked against k6's own numbers: "
          f"{checked_files - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
