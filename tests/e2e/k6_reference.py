#!/usr/bin/env python3
"""k6_reference.py PERFGATE DIR_OR_FILE...

An independent check that perfgate reads k6's raw outputs correctly. Each argument is a k6
`--out json` NDJSON file or `--out csv` file (plain or gzip), or a directory whose files named
*.json, *.ndjson, *.csv (optionally .gz) are all checked; files of a directory that are neither
NDJSON nor CSV by content (summaries, scripts) are skipped. The format is told by content:
CSV starts with `metric_name,timestamp,metric_value`, NDJSON lines are JSON objects with
"type" "Point" or "Metric".

Expected values are computed here from the raw samples with Python's json and csv modules,
never from perfgate:

  mapping    http_req_duration -> latency (trend), http_reqs -> requests, http_req_failed ->
             errors (non-zero samples), data_received/data_sent -> bytes_in/bytes_out; other
             metrics keep their names. Trends are the NDJSON metrics declared "trend"; the CSV
             has no declarations, so there the trends are k6's built-in ones and custom metrics
             are ignored.
  endpoint   tag `name` (else `url`), prefixed by `method` + " " unless it already starts with
             it; empty tag values are absent; no name/url = no endpoint (whole run only).
  trends     per (metric, endpoint) and whole run: count (exact), min and max (at or above
             the exact value, by less than 0.001: values are kept in whole µs, rounded up),
             nearest-rank p50, p90, p95, p99, p99.9 = sorted[ceil(q*N)-1] with exact fractions;
             perfgate's value must lie in [exact, exact * 1.001 + 0.001] (3-digit histogram,
             µs rounded up): never below the exact value.
  counters   totals per (metric, endpoint) and whole run, exact (1e-9 relative when the values
             are not integers); the run's `requests` and `errors` fields.
  timeline   (perfgate show --save-model) for latency, requests and errors, whole run and per
             endpoint: every interval [start + i*W, start + (i+1)*W) holds exactly the samples
             whose time (RFC 3339 truncated to µs; CSV unix s/ms/µs/ns) falls in it: count,
             counter sum, latency min/max; the counts add up to the total.
  bad lines  NDJSON lines that do not parse (a truncated last line) are counted, and perfgate
             must report the same `N of M lines skipped`.

Prints one line per file, `ok FILE: N trends, M counters, K intervals checked`, or one line per
mismatch (metric, endpoint, stat, expected, got). Exit 0 when everything matches, 1 on any
mismatch, 2 on a usage error or an explicit file that is not k6 NDJSON/CSV, 77 (skip) when
nothing at all was checked because the inputs are absent.

K6REF_SELFTEST proves the checks can fail: a comma-separated list of perturbations applied to
the expected values of every file: `p95` (or `1`) raises the whole-run latency p95 by 1 %,
`count` adds 1 to the whole-run latency count, `requests` adds 1 to the whole-run requests
total, `timeline` moves one latency sample 4096 s later (into another interval or past the
run). Each must produce a mismatch.
"""
import csv
import gzip
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

from checklib import rfc3339_us

PERCENTILES = [("p50", "0.5"), ("p90", "0.9"), ("p95", "0.95"), ("p99", "0.99"),
               ("p99.9", "0.999")]
MAPPED = {"http_req_duration": "latency", "http_reqs": "requests", "http_req_failed": "errors",
          "data_received": "bytes_in", "data_sent": "bytes_out"}
# perfgate's core metric names: a script's own metric of such a name is kept as "k6:NAME"
CORE = {"latency", "rps", "throughput", "requests", "errors", "unanswered", "bytes_in",
        "bytes_out", "error_rate", "concurrency"}
CSV_TRENDS = {"http_req_duration", "http_req_blocked", "http_req_connecting",
              "http_req_tls_handshaking", "http_req_sending", "http_req_waiting",
              "http_req_receiving", "iteration_duration", "group_duration"}
CSV_COUNTERS = {"http_reqs", "data_received", "data_sent", "iterations"}
TIMELINE_METRICS = {"http_req_duration", "http_reqs", "http_req_failed"}
ABS_TOL = 0.001           # µs storage of ms values, rounded up: under one µs above
PCT_REL = 1e-3            # 3 significant digits
FILE_SUFFIXES = (".json", ".ndjson", ".csv", ".json.gz", ".ndjson.gz", ".csv.gz")
CSV_HEADER = b"metric_name,timestamp,metric_value"


def unix_us(text):
    """CSV timestamp: unix s, ms, µs or ns by number of digits (or RFC 3339) -> µs."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        n = int(text)
        digits = len(text)
        if digits <= 11:
            return n * 1000000
        if digits <= 14:
            return n * 1000
        if digits <= 17:
            return n
        return n // 1000
    return rfc3339_us(text)


def endpoint_of(tags):
    def tag(k):
        v = tags.get(k)
        if v is None:
            return None
        v = v if isinstance(v, str) else str(v)
        return v if v != "" else None
    name = tag("name") or tag("url")
    if name is None:
        return None
    method = tag("method")
    if method and not name.startswith(method + " "):
        name = method + " " + name
    return name


def number(v):
    """A sample value as a finite float, or None (strings, null, booleans, NaN, inf)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def open_bytes(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw


def sniff(raw):
    """'csv', 'ndjson' or None from the content."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith(CSV_HEADER):
        return "csv"
    for line in raw[:65536].split(b"\n")[:20]:
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("type") in ("Point", "Metric") and "metric" in obj:
            return "ndjson"
        return None
    return None


class Samples:
    """Samples of one file, by k6 metric: list of (endpoint, value, time_us)."""

    def __init__(self):
        self.by_metric = {}
        self.kind = {}            # k6 metric -> trend / counter / rate / gauge
        self.bad_lines = 0
        self.total_lines = 0
        self.skipped_values = 0

    def add(self, metric, tags, value, when):
        self.by_metric.setdefault(metric, []).append((endpoint_of(tags), value, when))


def read_ndjson(raw, s):
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    s.total_lines = len(lines)
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            s.bad_lines += 1
            continue
        if not isinstance(obj, dict):
            s.bad_lines += 1
            continue
        data = obj.get("data") or {}
        metric = obj.get("metric")
        if obj.get("type") == "Metric":
            s.kind[metric] = data.get("type")
        elif obj.get("type") == "Point":
            value = number(data.get("value"))
            if value is None:
                s.skipped_values += 1
                continue
            tags = data.get("tags") or {}
            when = rfc3339_us(data.get("time")) if metric in TIMELINE_METRICS else None
            s.add(metric, tags, value, when)


def read_csv(raw, s):
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows)
    col = {name: i for i, name in enumerate(header)}
    tag_cols = [(name, i) for name, i in col.items()
                if name not in ("metric_name", "timestamp", "metric_value", "extra_tags",
                                "metadata")]
    for k in CSV_TRENDS:
        s.kind[k] = "trend"
    for k in CSV_COUNTERS:
        s.kind[k] = "counter"
    s.kind["http_req_failed"] = "rate"
    for row in rows:
        if not row:
            continue
        s.total_lines += 1
        if len(row) != len(header):
            s.bad_lines += 1
            continue
        metric = row[col["metric_name"]]
        if metric not in s.kind:
            continue                      # custom metric or gauge/rate we do not check
        try:
            value = float(row[col["metric_value"]])
        except ValueError:
            s.skipped_values += 1
            continue
        if not math.isfinite(value):
            s.skipped_values += 1
            continue
        tags = {name: row[i] for name, i in tag_cols if row[i] != ""}
        if "extra_tags" in col and row[col["extra_tags"]]:
            for kv in row[col["extra_tags"]].split("&"):
                k, _, v = kv.partition("=")
                if k and v and k not in tags:
                    tags[k] = v
        when = unix_us(row[col["timestamp"]]) if metric in TIMELINE_METRICS else None
        s.add(metric, tags, value, when)


def rank_value(sorted_vals, q):
    n = len(sorted_vals)
    r = math.ceil(Fraction(q) * n)
    r = min(max(r, 1), n)
    return sorted_vals[r - 1]


def expected(s):
    """-> trends {(metric, ep): {count,min,max,pXX}}, counters {(metric, ep): (total, integral)},
    timelines {(metric, ep): [(time, value)]}."""
    trends, counters, timelines = {}, {}, {}
    for k6name, samples in s.by_metric.items():
        kind = s.kind.get(k6name)
        model = MAPPED.get(k6name, "k6:" + k6name if k6name in CORE else k6name)
        if kind == "trend":
            groups = {}
            for ep, v, _ in samples:
                if v < 0:
                    s.skipped_values += 1
                    continue
                groups.setdefault(None, []).append(v)
                if ep is not None:
                    groups.setdefault(ep, []).append(v)
            for ep, vals in groups.items():
                vals.sort()
                st = {"count": len(vals), "min": vals[0], "max": vals[-1]}
                for key, q in PERCENTILES:
                    st[key] = rank_value(vals, q)
                trends[(model, ep)] = st
        elif kind == "counter" or (kind == "rate" and k6name == "http_req_failed"):
            totals = {}
            for ep, v, _ in samples:
                add = (1 if v != 0 else 0) if kind == "rate" else v
                for key in ((None,) if ep is None else (None, ep)):
                    t = totals.setdefault(key, [0, True])
                    t[0] += add
                    t[1] = t[1] and float(add).is_integer()
            for ep, (total, integral) in totals.items():
                counters[(model, ep)] = (int(total) if integral else total, integral)
        if k6name in TIMELINE_METRICS and kind in ("trend", "counter", "rate"):
            for ep, v, when in samples:
                if kind == "trend" and v < 0:
                    continue
                if kind == "rate":
                    v = 1 if v != 0 else 0
                for key in ((None,) if ep is None else (None, ep)):
                    timelines.setdefault((model, key), []).append((when, v))
    return trends, counters, timelines


def apply_selftest(trends, counters, timelines):
    wanted = {w.strip() for w in os.environ.get("K6REF_SELFTEST", "").split(",") if w.strip()}
    if not wanted:
        return
    lat = trends.get(("latency", None))
    if lat and (wanted & {"1", "p95"}):
        lat["p95"] *= 1.01
    if lat and "count" in wanted:
        lat["count"] += 1
    if ("requests", None) in counters and "requests" in wanted:
        total, integral = counters[("requests", None)]
        counters[("requests", None)] = (total + 1, integral)
    if "timeline" in wanted and timelines.get(("latency", None)):
        pts = timelines[("latency", None)]
        when, v = pts[0]
        pts[0] = (when + 1000000 * 4096, v)     # beyond any interval of the run


def fmt(v):
    return "null" if v is None else repr(v)


def close(exp, got, rel=1e-9, abs_tol=ABS_TOL):
    return isinstance(got, (int, float)) and abs(got - exp) <= max(rel * abs(exp), abs_tol)


def run_perfgate(perfgate, path, tmpdir):
    model_path = os.path.join(tmpdir, "model.json")
    env = dict(os.environ, NO_COLOR="1", TZ="UTC", LC_ALL="C")
    env.pop("GITHUB_ACTIONS", None)
    p = subprocess.run([perfgate, "show", "--json", "--save-model", model_path, path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"), model_path


def check_file(perfgate, path, raw, fmt_name):
    s = Samples()
    (read_ndjson if fmt_name == "ndjson" else read_csv)(raw, s)
    trends, counters, timelines = expected(s)
    apply_selftest(trends, counters, timelines)
    problems = []

    def bad(metric, ep, stat, exp, got):
        problems.append("%s: MISMATCH metric=%s endpoint=%s stat=%s expected=%s got=%s"
                        % (path, metric, fmt(ep), stat, fmt(exp), fmt(got)))

    with tempfile.TemporaryDirectory(prefix="k6ref-") as tmp:
        rc, out, err, model_path = run_perfgate(perfgate, path, tmp)
        if rc != 0:
            return ["%s: perfgate exited %d: %s" % (path, rc, err.strip())], (0, 0, 0)
        doc = json.loads(out)
        with open(model_path, encoding="utf-8") as f:
            model = json.load(f)

    runs = doc.get("runs") or []
    if len(runs) != 1:
        return ["%s: expected 1 run, got %d" % (path, len(runs))], (0, 0, 0)
    run = runs[0]

    # NDJSON lines perfgate could not read must be the ones json could not parse
    m = re.search(r"(\d+) of (\d+) lines skipped", err)
    got_bad = (int(m.group(1)), int(m.group(2))) if m else (0, None)
    if got_bad[0] != s.bad_lines:
        bad("-", None, "lines_skipped", s.bad_lines, got_bad[0])
    elif m and got_bad[1] != s.total_lines:
        bad("-", None, "lines_total", s.total_lines, got_bad[1])

    # trends
    got_series = {(x["metric"], x["endpoint"]): x for x in run.get("series", []) if not x["tags"]}
    trend_metrics = {m for m, _ in trends}
    for key in sorted(trends, key=lambda k: (k[0], k[1] or "")):
        metric, ep = key
        exp = trends[key]
        got = got_series.get(key)
        if got is None:
            bad(metric, ep, "series", "present", None)
            continue
        if got.get("count") != exp["count"]:
            bad(metric, ep, "count", exp["count"], got.get("count"))
        for stat in ("min", "max"):
            e, g = exp[stat], got.get(stat)
            eps = 1e-12 * max(1.0, abs(e))
            if not (isinstance(g, (int, float)) and e - eps <= g <= e + ABS_TOL + eps):
                bad(metric, ep, stat, e, g)
        pct = got.get("percentiles") or {}
        for name, _ in PERCENTILES:
            e, g = exp[name], pct.get(name)
            eps = 1e-12 * max(1.0, abs(e))
            if not (isinstance(g, (int, float))
                    and e - eps <= g <= e * (1 + PCT_REL) + ABS_TOL + eps):
                bad(metric, ep, name, e, g)
    for key in got_series:
        if key[0] in trend_metrics and key not in trends:
            bad(key[0], key[1], "series", "absent", "present")

    # counters
    got_counters = {(x["metric"], x["endpoint"]): x for x in run.get("counters", [])
                    if not x["tags"]}
    counter_metrics = {m for m, _ in counters}
    for key in sorted(counters, key=lambda k: (k[0], k[1] or "")):
        metric, ep = key
        total, integral = counters[key]
        got = got_counters.get(key)
        g = None if got is None else got.get("total")
        ok = (g == total) if integral else close(total, g, 1e-9, 0)
        if not ok:
            bad(metric, ep, "total", total, g)
    for key in got_counters:
        if key[0] in counter_metrics and key not in counters:
            bad(key[0], key[1], "counter", "absent", "present")
    for field in ("requests", "errors"):
        exp = counters.get((field, None), (0, True))[0]
        if run.get(field) != exp:
            bad(field, None, "run." + field, exp, run.get(field))

    # timelines
    model_series = {(x["metric"], x["endpoint"]): x for x in model["runs"][0]["series"]
                    if not x["tags"]}
    intervals = 0
    for key in sorted(timelines, key=lambda k: (k[0], k[1] or "")):
        metric, ep = key
        samples = timelines[key]
        ser = model_series.get(key)
        tl = ser.get("timeline") if ser else None
        if not tl:
            bad(metric, ep, "timeline", "present", None)
            continue
        width = int(tl["interval_s"]) * 1000000
        start = rfc3339_us(tl["start"])
        points = tl["points"]
        if start is None or start % width:
            bad(metric, ep, "timeline.start", "a multiple of %ss" % tl["interval_s"], tl["start"])
            continue
        if len(points) > 200:
            bad(metric, ep, "timeline.points", "<= 200", len(points))
        per = {}
        outside = 0
        for when, v in samples:
            if when is None:
                outside += 1
                continue
            i = (when - start) // width
            if not 0 <= i < len(points):
                outside += 1
                continue
            c = per.setdefault(i, [0, 0, math.inf, -math.inf])
            c[0] += 1
            c[1] += v
            c[2] = min(c[2], v)
            c[3] = max(c[3], v)
        if outside:
            bad(metric, ep, "timeline.samples_outside", 0, outside)
        got_total = 0
        for i, pt in enumerate(points):
            intervals += 1
            exp = per.get(i, [0, 0, None, None])
            got_total += pt[0]
            if pt[0] != exp[0]:
                bad(metric, ep, "timeline[%d].count" % i, exp[0], pt[0])
                continue
            if exp[0] == 0:
                continue
            if metric == "latency":
                for j, stat in ((2, "min"), (3, "max")):
                    if not close(exp[j], pt[j]):
                        bad(metric, ep, "timeline[%d].%s" % (i, stat), exp[j], pt[j])
            elif pt[1] != exp[1]:
                bad(metric, ep, "timeline[%d].sum" % i, exp[1], pt[1])
        if got_total != len(samples):
            bad(metric, ep, "timeline.total_count", len(samples), got_total)

    return problems, (len(trends), len(counters), intervals)


def files_of(arg):
    if os.path.isdir(arg):
        return [os.path.join(arg, n) for n in sorted(os.listdir(arg))
                if n.endswith(FILE_SUFFIXES) and os.path.isfile(os.path.join(arg, n))], True
    return [arg], False


def main(argv):
    if len(argv) < 3:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    perfgate = argv[1]
    checked = 0
    failed = False
    for arg in argv[2:]:
        if not os.path.exists(arg):
            print("skip: %s absent" % arg)
            continue
        paths, from_dir = files_of(arg)
        for path in paths:
            raw = open_bytes(path)
            kind = sniff(raw)
            if kind is None:
                if from_dir:
                    print("skip %s: not k6 NDJSON or CSV" % path)
                    continue
                print("error: %s is not k6 NDJSON or CSV output" % path, file=sys.stderr)
                return 2
            problems, (nt, nc, ni) = check_file(perfgate, path, raw, kind)
            checked += 1
            if problems:
                failed = True
                for p in problems:
                    print(p)
            else:
                print("ok %s: %d trends, %d counters, %d intervals checked" % (path, nt, nc, ni))
    if checked == 0:
        return 77
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
