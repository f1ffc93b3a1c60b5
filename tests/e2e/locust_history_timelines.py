#!/usr/bin/env python3
"""locust_history_timelines.py PERFGATE FIXTURES_LOCUST SAMPLES_HISTORY

Checks every timeline perfgate builds from Locust stats history files against the rows, read
here with Python's csv module: for each series (the gauges concurrency, history_rps,
history_failures_per_s and history_pNN, the counters requests and errors, whose samples are
the growth of the cumulative Total columns) and each interval of the model JSON's timeline,
the number of samples, their sum, min, max, and the latest sample with its time. The latest
sample is the one of the latest row, and of two rows at the same second the one written later:
that is what tells whether the rows reached each series in file order.

Inputs: every run under FIXTURES_LOCUST with a history file (read with its stats file, as
`perfgate show DIR/run` does), the `mixed` run again with --group folding its 50 names
/users/N into one endpoint (several names then feed one series: every row must reach it in
file order), and every file in SAMPLES_HISTORY (histories committed by Locust users, read
alone; one of them is 906 rows per name over two hours, so its intervals are coarsened to
8 s). A SAMPLES_HISTORY that does not exist is skipped with a message.

Counters are compared exactly; gauge sums to 1e-12 relative (coarsening adds pairs of
intervals, a different order of the same additions). Exit 0 when all match, 1 otherwise.
"""
import csv
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import expected_points  # noqa: E402
from locust_reported import col, decode, endpoint_of, number, percent_of, pkey  # noqa: E402


def value(text):
    """A cell as perfgate takes it: a finite number >= 0, else no sample."""
    try:
        v = number(text)
    except ValueError:
        return None
    return v if v is not None and math.isfinite(v) and v >= 0 else None


def expected_samples(path, fold):
    """{(metric, endpoint): [(time_us, value), ...]} in the order the rows give them."""
    with open(path, "rb") as f:
        text, _ = decode(f.read())
    rows = list(csv.reader(text.splitlines()))
    header = rows[0]
    ts, users = col(header, "Timestamp"), col(header, "User Count")
    rps, fps = col(header, "Requests/s"), col(header, "Failures/s")
    count = col(header, "Total Request Count", "Request Count")
    fails = col(header, "Total Failure Count", "Failure Count")
    pcts = [(i, "history_" + pkey(percent_of(h))) for i, h in enumerate(header)
            if percent_of(h) is not None]
    before = {}  # raw name -> [requests, failures] of its previous row
    out = {}

    def add(metric, endpoint, at, v):
        out.setdefault((metric, endpoint), []).append((at, v))

    for row in rows[1:]:
        if len(row) != len(header):
            continue
        stamp = value(row[ts])
        if stamp is None:
            continue
        at = int(math.floor(stamp * 1e6 + 0.5))
        raw = endpoint_of(row, header)
        endpoint = raw
        if fold and raw is not None:
            endpoint = re.sub(fold[0], fold[1], raw)
        if raw is None and value(row[users]) is not None:
            add("concurrency", None, at, value(row[users]))
        if not (fold and raw is not None):
            for c, metric in [(rps, "history_rps"), (fps, "history_failures_per_s")] + [
                    (i, m) for i, m in pcts]:
                if c is not None and value(row[c]) is not None:
                    add(metric, endpoint, at, value(row[c]))
        prev = before.setdefault(raw, [0.0, 0.0])
        for k, (c, metric) in enumerate([(count, "requests"), (fails, "errors")]):
            now = value(row[c]) if c is not None else None
            if now is None:
                continue
            add(metric, endpoint, at, now - prev[k] if now >= prev[k] else now)
            prev[k] = now
    return out


def check(perfgate, label, path, history, fold, failures):
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.json")
        cmd = [perfgate, "show", "--save-model", model]
        if fold:
            cmd += ["--group", "%s=%s" % (fold[0], fold[1].replace("\\", ""))]
        res = subprocess.run(cmd + [path], capture_output=True, check=False)
        if res.returncode != 0:
            failures.append("%s: perfgate exit %d: %s" % (label, res.returncode,
                                                          res.stderr.decode(errors="replace")))
            return 0
        with open(model, encoding="utf-8") as f:
            series = json.load(f)["runs"][0]["series"]
    got = {(s["metric"], s["endpoint"]): s["timeline"] for s in series
           if s.get("timeline") and not s["tags"]}
    want = expected_samples(history, fold)
    checked = 0
    for key, samples in sorted(want.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        where = "%s: %s %s" % (label, key[0], key[1] or "(run)")
        t = got.get(key)
        if t is None:
            failures.append("%s: no timeline" % where)
            continue
        points = expected_points(t, samples)
        if points is None or len(points) != len(t["points"]) or points[0] == [0]:
            failures.append("%s: perfgate %d intervals of %s s from %s, the rows give %s" % (
                where, len(t["points"]), t["interval_s"], t["start"],
                "none there" if points is None else len(points)))
            continue
        for i, (point, exp) in enumerate(zip(t["points"], points)):
            if len(exp) == 1:  # no rows
                ok = point[0] == 0
            else:
                checked += 1
                sum_ok = (point[1] == exp[1] if key[0] in ("requests", "errors")
                          else math.isclose(point[1], exp[1], rel_tol=1e-12, abs_tol=1e-12))
                ok = sum_ok and point[:1] + point[2:6] == exp[:1] + exp[2:6]
            if not ok:
                failures.append("%s: interval %d: perfgate %r, rows give %r" % (
                    where, i, point[:6], exp))
    return checked


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    perfgate, fixtures, samples = sys.argv[1:]
    failures = []
    checked = 0
    for history in sorted(glob.glob(os.path.join(fixtures, "**", "run_stats_history.csv"),
                                    recursive=True)):
        prefix = history[: -len("_stats_history.csv")]
        checked += check(perfgate, os.path.relpath(prefix, fixtures), prefix, history, None,
                         failures)
    mixed = os.path.join(fixtures, "mixed", "run")
    checked += check(perfgate, "mixed --group", mixed, mixed + "_stats_history.csv",
                     (r"/users/\d+", "/users/:id"), failures)
    if os.path.isdir(samples):
        for history in sorted(glob.glob(os.path.join(samples, "*.csv"))):
            checked += check(perfgate, os.path.basename(history), history, history, None,
                             failures)
    else:
        print("skipped: %s does not exist (../shared absent)" % samples)
    for f in failures[:40]:
        print("FAIL", f)
    print("%d intervals checked, %d failures" % (checked, len(failures)))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
