#!/usr/bin/env python3
"""locust_reported.py PERFGATE DIR...

For every Locust CSV file under each DIR, checks that `perfgate show --json` returns the
numbers Locust wrote, read here independently with Python's csv module (expected values come
from the tool's files, not from perfgate). Every comparison is exact (==): perfgate must give
back the decimal Locust printed.

  stats file (also 0.x _requests/_distribution): per endpoint ("TYPE Name") and for the
      Aggregated/Total row: latency count, min, mean, max and every percentile column; rps and
      failures_per_s means; response_size mean; counters requests, errors and bytes_in
      (= round(Average Content Size x count))
  history file: concurrency = max User Count, duration = last - first Timestamp (or, when its
      last Aggregated total is below the stats file's Request Count, Locust having stopped
      flushing it, Request Count / Requests/s, and the users unknown if it shows none), the gauges
      history_rps and history_pNN (latest value, min, max); when the file is read alone, the
      run's totals from its last Aggregated row
  failures file: counter errors{error=...} per endpoint and for the run
  exceptions file: counter exceptions and exceptions{message=...}

A file that is not UTF-8 has its non-ASCII bytes compared as \\xNN escapes. A DIR that does not
exist is skipped (exit 77 when none exists). Exit 0 when all match, 1 otherwise.
"""
import csv
import io
import json
import os
import subprocess
import sys

SUFFIXES = ("_stats.csv", "_requests.csv", "_distribution.csv", "_stats_history.csv",
            "_failures.csv", "_exceptions.csv")


def decode(data):
    """Bytes to text; a file that is not UTF-8 gets every byte > 0x7F as \\xNN."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return "".join(chr(b) if b < 0x80 else "\\x%02X" % b for b in data), True


def number(text):
    text = text.strip()
    if text in ("", "N/A", "n/a", "None", "null") or text.lower() in ("nan", "-nan"):
        return None
    return float(text)


def percent_of(header):
    h = header[:-1] if header.endswith("%") else header
    try:
        p = float(h)
    except ValueError:
        return None
    return p if 0 <= p <= 100 and h[:1].isdigit() else None


def pkey(percent):
    text = repr(float(percent))
    return "p" + (text[:-2] if text.endswith(".0") else text)


def col(header, *names):
    low = [h.lower() for h in header]
    for n in names:
        if n.lower() in low:
            return low.index(n.lower())
    return None


def endpoint_of(row, header):
    t, n = col(header, "Type", "Method"), col(header, "Name")
    typ = row[t] if t is not None else ""
    name = row[n]
    if typ in ("", "None") and name in ("Aggregated", "Total"):
        return None
    if typ in ("", "None"):
        return name
    return name if name.startswith(typ + " ") else typ + " " + name


def in_set(path):
    """Whether a sibling of the same --csv prefix exists (perfgate then reads the whole set)."""
    for suffix in SUFFIXES:
        if path.endswith(suffix):
            prefix = path[: -len(suffix)]
            return any(os.path.isfile(prefix + s) for s in SUFFIXES if s != suffix)
    return False


class Checker:
    def __init__(self, perfgate):
        self.perfgate = perfgate
        self.failures = []
        self.checked = 0

    def eq(self, where, got, want):
        self.checked += 1
        if got != want:
            self.failures.append("%s: perfgate %r, Locust wrote %r" % (where, got, want))

    def show(self, path, percents):
        cmd = [self.perfgate, "show", "--json"]
        if percents:
            cmd += ["-p", ",".join(repr(float(p)).rstrip("0").rstrip(".") for p in percents)]
        out = subprocess.run(cmd + [path], capture_output=True, check=False)
        if out.returncode != 0:
            self.failures.append("%s: perfgate exit %d: %s" % (path, out.returncode,
                                                                out.stderr.decode(errors="replace")))
            return None
        runs = json.loads(out.stdout)["runs"]
        if len(runs) != 1:
            self.failures.append("%s: %d runs" % (path, len(runs)))
            return None
        return runs[0]


def find(run, group, metric, endpoint, tags=None):
    for s in run[group]:
        if s["metric"] == metric and s["endpoint"] == endpoint and s["tags"] == (tags or {}):
            return s
    return None


def check_stats(c, path, header, rows, run):
    pcts = [(i, percent_of(h)) for i, h in enumerate(header) if percent_of(h) is not None]
    ci = {k: col(header, *names) for k, names in {
        "count": ("Request Count", "# requests"), "fails": ("Failure Count", "# failures"),
        "median": ("Median Response Time",), "avg": ("Average Response Time",),
        "min": ("Min Response Time",), "max": ("Max Response Time",),
        "size": ("Average Content Size",), "rps": ("Requests/s",),
        "fps": ("Failures/s", "Requests Failed/s")}.items()}
    for row in rows:
        ep = endpoint_of(row, header)
        where = "%s %s" % (path, ep or "Aggregated")
        count = number(row[ci["count"]])
        lat = find(run, "series", "latency", ep)
        if lat is None:
            c.failures.append(where + ": no latency series")
            continue
        c.eq(where + " latency count", lat["count"], count)
        req = find(run, "counters", "requests", ep)
        c.eq(where + " requests", req and req["total"], count)
        if ci["fails"] is not None:
            err = find(run, "counters", "errors", ep)
            c.eq(where + " errors", err and err["total"], number(row[ci["fails"]]))
        if count:
            for k in ("min", "max"):
                if ci[k] is not None:
                    c.eq(where + " latency " + k, lat[k], number(row[ci[k]]))
            if ci["avg"] is not None:
                c.eq(where + " latency mean", lat["mean"], number(row[ci["avg"]]))
            has50 = False
            for i, p in pcts:
                v = number(row[i])
                if v is None:
                    continue
                has50 = has50 or p == 50
                c.eq(where + " latency " + pkey(p), lat["percentiles"].get(pkey(p)), v)
                c.eq(where + " " + pkey(p) + " not an estimate", pkey(p) in lat["estimates"], False)
            if not has50 and ci["median"] is not None:
                c.eq(where + " latency p50 (median)", lat["percentiles"].get("p50"),
                     number(row[ci["median"]]))
            if ci["size"] is not None:
                size = find(run, "series", "response_size", ep)
                c.eq(where + " response_size mean", size and size["mean"], number(row[ci["size"]]))
                b = find(run, "counters", "bytes_in", ep)
                c.eq(where + " bytes_in", b and b["total"], round(number(row[ci["size"]]) * count))
        for key, metric in (("rps", "rps"), ("fps", "failures_per_s")):
            if ci[key] is not None and number(row[ci[key]]) is not None:
                s = find(run, "series", metric, ep)
                c.eq(where + " " + metric, s and s["mean"], number(row[ci[key]]))


def stats_aggregated(history_path):
    """Request Count and Requests/s of the Aggregated row of the stats file beside a history."""
    stats = history_path[: -len("_stats_history.csv")] + "_stats.csv"
    if not os.path.exists(stats):
        return None
    with open(stats, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    name, count, rps = col(header, "Name"), col(header, "Request Count"), col(header, "Requests/s")
    for r in rows[1:]:
        if r[name] == "Aggregated":
            return number(r[count]), number(r[rps])
    return None


def check_history(c, path, header, rows, run, alone):
    t, users = col(header, "Timestamp"), col(header, "User Count")
    stamps = [number(r[t]) for r in rows if number(r[t]) is not None]
    agg = [r for r in rows if endpoint_of(r, header) is None]
    total = col(header, "Total Request Count", "Request Count")
    last_total = number(max(agg, key=lambda r: number(r[t]))[total]) if agg else None
    stats = None if alone else stats_aggregated(path)
    # Locust flushes its CSV files every 10 s and not at exit, but writes the stats file once
    # more at exit: a history whose last total is below the stats' Request Count stopped
    # early, and the run lasted Request Count / Requests/s (how Locust computes Requests/s)
    cut = stats is not None and last_total is not None and last_total < stats[0]
    expected = stats[0] / stats[1] if cut else max(stamps) - min(stamps)
    tolerance = 1e-6 if cut else 0  # perfgate keeps the run's end in whole µs
    c.eq(path + " duration_s", abs(run["duration_s"] - expected) <= tolerance, True)
    if users is not None and agg:
        most = max(number(r[users]) for r in agg if number(r[users]) is not None)
        # users seen only before any request of a cut-short history are unknown, not 0
        c.eq(path + " concurrency", run["concurrency"], None if cut and not most > 0 else most)
    gauges = {"history_rps": col(header, "Requests/s")}
    for i, h in enumerate(header):
        p = percent_of(h)
        if p is not None:
            gauges["history_" + pkey(p)] = i
    by_ep = {}
    for r in rows:
        by_ep.setdefault(endpoint_of(r, header), []).append(r)
    for ep, eprows in by_ep.items():
        for metric, i in gauges.items():
            values = [(number(r[t]), number(r[i])) for r in eprows if number(r[i]) is not None]
            if not values:
                continue
            g = find(run, "gauges", metric, ep)
            where = "%s %s %s" % (path, ep or "Aggregated", metric)
            if g is None:
                c.failures.append(where + ": no gauge")
                continue
            c.eq(where + " min", g["min"], min(v for _, v in values))
            c.eq(where + " max", g["max"], max(v for _, v in values))
            last_time = max(s for s, _ in values)
            c.eq(where + " latest", g["value"], [v for s, v in values if s == last_time][-1])
        if alone:
            last = eprows[-1]
            tc = col(header, "Total Request Count")
            if tc is not None:
                req = find(run, "counters", "requests", ep)
                c.eq("%s %s requests (last row)" % (path, ep), req and req["total"],
                     number(last[tc]))


def check_failures(c, path, header, rows, run):
    e, o = col(header, "Error"), col(header, "Occurrences")
    per, total = {}, {}
    for r in rows:
        ep = endpoint_of(r, header)
        per[(ep, r[e])] = per.get((ep, r[e]), 0) + number(r[o])
        total[r[e]] = total.get(r[e], 0) + number(r[o])
    for (ep, msg), n in per.items():
        s = find(run, "counters", "errors", ep, {"error": msg})
        c.eq("%s %s errors{%s}" % (path, ep, msg), s and s["total"], n)
    for msg, n in total.items():
        s = find(run, "counters", "errors", None, {"error": msg})
        c.eq("%s errors{%s}" % (path, msg), s and s["total"], n)


def check_exceptions(c, path, header, rows, run):
    n, m = col(header, "Count"), col(header, "Message")
    s = find(run, "counters", "exceptions", None)
    c.eq(path + " exceptions", s and s["total"], sum(number(r[n]) for r in rows))
    per = {}
    for r in rows:
        per[r[m]] = per.get(r[m], 0) + number(r[n])
    for msg, k in per.items():
        s = find(run, "counters", "exceptions", None, {"message": msg})
        c.eq("%s exceptions{%s}" % (path, msg[:40]), s and s["total"], k)


def check_file(c, path):
    with open(path, "rb") as f:
        text, _ = decode(f.read())
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    # "\r\r\n" line ends leave a trailing "\r" on the last field of a record
    records = [[x.rstrip("\r") if i == len(r) - 1 else x for i, x in enumerate(r)] for r in records]
    header, rows = records[0], records[1:]
    low = [h.lower() for h in header]
    pcts = [percent_of(h) for h in header if percent_of(h) is not None]
    run = c.show(path, pcts)
    if run is None:
        return
    if "timestamp" in low:
        check_history(c, path, header, rows, run, alone=not in_set(path))
    elif "occurrences" in low:
        check_failures(c, path, header, rows, run)
    elif "traceback" in low or "message" in low:
        check_exceptions(c, path, header, rows, run)
    else:
        check_stats(c, path, header, rows, run)


def main():
    perfgate, dirs = sys.argv[1], sys.argv[2:]
    c = Checker(perfgate)
    files = []
    for d in dirs:
        for root, _, names in os.walk(d):
            files += [os.path.join(root, n) for n in names if n.endswith(".csv")]
    if not any(os.path.isdir(d) for d in dirs):
        print("skip: none of %s exists" % ", ".join(dirs))
        return 77
    for path in sorted(files):
        check_file(c, path)
    for f in c.failures:
        print("FAIL", f)
    print("%d Locust files, %d values compared, %d mismatches" % (len(files), c.checked,
                                                                 len(c.failures)))
    return 1 if c.failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
