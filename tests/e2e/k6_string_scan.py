#!/usr/bin/env python3
"""k6_string_scan.py PERFGATE K6_NDJSON

The k6 NDJSON fast path finds the end of a line's metric name and time strings eight bytes at
a time, and leaves a string with an escape to the generic JSON reader. This test takes the
first 3,000 Point lines of a real k6 run (K6_NDJSON: their times, values and tags as k6 wrote
them) and gives each a new metric name of 1 to 40 bytes, so that the closing quote falls at
every place in a word. In a third of the lines one character of the name is written as a
\\u00XX escape, at every position in turn, and in another third one character of the time:
k6 names metrics with [A-Za-z0-9_] and writes times in RFC 3339, so perfgate skips such a line
with a warning; a scan that missed the backslash would record it instead.

Expected values come from Python's json module reading the plain lines: for each name, the
run-wide timeline's every interval (count, sum, min, max, the latest value and its offset in
µs), which checks that each line reached the right series with the right value and time; and
the escaped lines are the ones skipped. Read with --jobs 1 and --jobs 2. Exit 0 when all match,
1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

from checklib import expected_points, rfc3339_us

LETTERS = "dur_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH"


def escaped(text, k):
    """text as a JSON string body with character k written as \\u00XX."""
    return text[:k] + "\\u%04x" % ord(text[k]) + text[k + 1:]


def make_input(source, path):
    """Writes the edited lines; returns {name: [(time_us, value), ...]} in line order."""
    declaration = None
    points = []
    with open(source, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") == "Metric" and obj["metric"] == "http_req_duration":
                declaration = obj
            elif obj.get("type") == "Point" and isinstance(obj["data"].get("value"), (int, float)):
                points.append(line.rstrip("\n"))
            if len(points) == 3000 and declaration:
                break
    if not declaration or len(points) < 3000:
        sys.exit("error: %s has too few Point lines" % source)
    names = [LETTERS[:n] for n in range(1, 41)]
    out = []
    for name in names:
        d = dict(declaration, metric=name)
        d["data"] = dict(declaration["data"], name=name, thresholds=[], submetrics=None)
        out.append(json.dumps(d, separators=(",", ":")))
    want = {}
    for i, line in enumerate(points):
        obj = json.loads(line)
        name = names[i % len(names)]
        time = obj["data"]["time"]
        name_text, time_text = name, time
        if i % 3 == 1:
            name_text = escaped(name, (i // 3) % len(name))
        elif i % 3 == 2:
            time_text = escaped(time, (i // 3) % len(time))
        prefix = '{"metric":"%s","type":"Point","data":{"time":"%s",' % (name_text, time_text)
        rest = line[line.index('"value":'):]
        edited = prefix + rest
        parsed = json.loads(edited)  # the lines stay JSON, and say what was meant
        assert parsed["metric"] == name and parsed["data"]["time"] == time
        if name_text == name and time_text == time:
            line = edited  # plain: compared below, recorded
        out.append(edited)
        if edited == line:
            want.setdefault(name, []).append((rfc3339_us(time), float(obj["data"]["value"])))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return want, len(out), len(points) - sum(len(v) for v in want.values())


def check(perfgate, path, jobs, expected, failures):
    want, lines, skipped = expected
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.json")
        res = subprocess.run([perfgate, "show", "--jobs", str(jobs), "--save-model", model, path],
                             capture_output=True, check=False)
        said = "%d of %d lines skipped" % (skipped, lines)
        if res.returncode != 0 or said.encode() not in res.stderr:
            failures.append("--jobs %d: exit %d, not '%s': %s" % (
                jobs, res.returncode, said, res.stderr.decode(errors="replace")[-300:]))
            return 0
        with open(model, encoding="utf-8") as f:
            series = json.load(f)["runs"][0]["series"]
    got = {s["metric"]: s["timeline"] for s in series
           if s["endpoint"] is None and not s["tags"] and s["metric"] in want}
    checked = 0
    for name, samples in sorted(want.items()):
        t = got.get(name)
        if t is None:
            failures.append("--jobs %d: no series %r" % (jobs, name))
            continue
        points = expected_points(t, samples)
        if points is None or len(points) != len(t["points"]) or points[0] == [0]:
            failures.append("--jobs %d: %s: perfgate %d intervals from %s, the lines give %s" % (
                jobs, name, len(t["points"]), t["start"],
                "none there" if points is None else len(points)))
            continue
        for i, (point, exp) in enumerate(zip(t["points"], points)):
            checked += 1
            if point[:len(exp)] != exp:
                failures.append("--jobs %d: %s interval %d: perfgate %r, lines give %r" % (
                    jobs, name, i, point[:6], exp))
    return checked


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    perfgate, source = sys.argv[1:]
    failures = []
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "names.ndjson")
        expected = make_input(source, path)
        for jobs in (1, 2):
            checked += check(perfgate, path, jobs, expected, failures)
    for f in failures[:30]:
        print("FAIL", f)
    print("%d intervals checked over %d names, %d escaped lines skipped, %d failures" % (
        checked, len(expected[0]), expected[2], len(failures)))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
