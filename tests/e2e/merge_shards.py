#!/usr/bin/env python3
"""merge_shards.py PERFGATE FIXTURES

`perfgate merge` against what it must equal, on real runs:

1. Time slices. The k6 stream fixtures/k6/mixed-stages/out.json is cut into three slices at
   line numbers that fall inside seconds (each slice with the stream's Metric declarations, as
   a k6 output cut in time would need). In each of the six orders, `merge --time-slices` of
   the slices must write the model JSON that `show --save-model` writes for the whole stream,
   byte for byte, apart from the lines that list sources; so must merging the slices' own
   saved models. Concurrency is the whole run's, not three times it.
2. Generators side by side. Two real k6 runs (aa-slow-vu20-rep1 and rep2, 20 VUs each) stand
   for two pods of one test. Their merge, in either order and from raw files or from each
   one's saved model, must be the bytes of `show --save-model` of both under one label apart
   from sources; and, computed here from the two models alone, every histogram's bucket
   counts, every counter and every rate's totals are the two runs' added, the concurrency
   40 VUs, the span from the earlier start to the later end.
3. Locust --json from two processes that loaded one server at the same time
   (fixtures/locust/parallel/worker-a and worker-b): in either order the same bytes apart from
   sources, bucket counts added, the reported extremes the extremes of both and the mean the
   two means weighted by their histograms' counts.
4. Percentiles cannot be merged: two wrk runs (wrk prints percentiles only) exit 2 with the
   merge conflict and write nothing.
Exit 0 when all hold, 1 otherwise.
"""
import itertools
import json
import os
import subprocess
import sys
import tempfile

from checklib import check, finish

perfgate, fixtures = sys.argv[1], sys.argv[2]


def run(*args):
    return subprocess.run([perfgate] + list(args), capture_output=True, text=True)


def without_sources(path):
    """The model JSON's lines, without those that list where the data came from."""
    with open(path) as f:
        return [line for line in f if not line.lstrip().startswith(('"sources":', '"source":'))]


def same_bytes(a, b, what):
    la, lb = without_sources(a), without_sources(b)
    if la == lb:
        check(True, "")
        return
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            check(False, "%s: line %d differs:\n  %s  %s" % (what, i + 1, x.strip()[:160],
                                                                    y.strip()[:160]))
            return
    check(False, "%s: %d lines against %d" % (what, len(la), len(lb)))


def saved(args, path):
    """`show --save-model path args`: the model of args, as perfgate saves it."""
    r = run("show", "--save-model", path, *args)
    check(r.returncode == 0, "show --save-model %s: exit %d %s" % (" ".join(args), r.returncode,
                                                                   r.stderr[-300:]))


def merge(out, *args):
    r = run("merge", "-o", out, *args)
    check(r.returncode == 0, "merge %s: exit %d %s" % (" ".join(args), r.returncode,
                                                       r.stderr[-300:]))
    return r


def buckets(series):
    h = series.get("histogram")
    if not h:
        return None
    c = h["counts"]
    return dict(zip(c[0::2], c[1::2]))


def key(s):
    return (s["metric"], s["endpoint"], json.dumps(s["tags"], sort_keys=True))


work = tempfile.mkdtemp(prefix="perfgate-merge-")

# ---- 1. time slices of one k6 stream ----
stream = os.path.join(fixtures, "k6", "mixed-stages", "out.json")
with open(stream) as f:
    lines = f.read().splitlines()
declarations = [l for l in lines if '"type":"Metric"' in l]
points = [l for l in lines if '"type":"Metric"' not in l]
cuts = [0, len(points) // 3 + 17, 2 * len(points) // 3 + 5, len(points)]
slices = []
for i in range(3):
    path = os.path.join(work, "slice%d.json" % (i + 1))
    with open(path, "w") as f:
        f.write("\n".join(declarations + points[cuts[i]:cuts[i + 1]]) + "\n")
    slices.append(path)
whole = os.path.join(work, "whole.json")
saved(["run=" + stream], whole)
for order in itertools.permutations(slices):
    out = os.path.join(work, "slices-merged.json")
    merge(out, "--time-slices", "--label", "run", *order)
    same_bytes(whole, out, "time slices in the order %s" % [os.path.basename(p) for p in order])
models = []
for i, path in enumerate(slices):
    models.append(os.path.join(work, "slice%d-model.json" % (i + 1)))
    saved(["run=" + path], models[-1])
out = os.path.join(work, "slice-models-merged.json")
merge(out, "--time-slices", *reversed(models))
same_bytes(whole, out, "the slices' saved models")
with open(whole) as f:
    concurrency = json.load(f)["runs"][0].get("concurrency")
with open(out) as f:
    check(json.load(f)["runs"][0].get("concurrency") == concurrency,
          "time slices: concurrency is not the whole run's %s" % concurrency)

# ---- 2. two k6 runs side by side ----
pods = [os.path.join(fixtures, "k6", "aa-slow-vu20-rep%d" % i, "out.json.gz") for i in (1, 2)]
together = os.path.join(work, "together.json")
saved(["pods=" + p for p in pods], together)
pod_models = []
for i, p in enumerate(pods):
    pod_models.append(os.path.join(work, "pod%d.json" % i))
    saved(["pods=" + p], pod_models[-1])
for inputs, what in ((pods, "raw files"), (list(reversed(pods)), "raw files, reversed"),
                     (pod_models, "saved models"), (list(reversed(pod_models)),
                                                     "saved models, reversed")):
    out = os.path.join(work, "pods-merged.json")
    merge(out, "--label", "pods", *inputs)
    same_bytes(together, out, "two pods from %s" % what)
with open(out) as f:
    merged = json.load(f)["runs"][0]
runs = []
for p in pod_models:
    with open(p) as f:
        runs.append(json.load(f)["runs"][0])
check(merged["concurrency"] == runs[0]["concurrency"] + runs[1]["concurrency"] == 40,
      "two pods: concurrency %s, expected 20 + 20" % merged["concurrency"])
check(merged["start"] == min(r["start"] for r in runs) and
      merged["end"] == max(r["end"] for r in runs), "two pods: the span is not the union")
parts = [{key(s): s for s in r["series"]} for r in runs]
series_checked = 0
for s in merged["series"]:
    k = key(s)
    mine = [p[k] for p in parts if k in p]
    if s["kind"] == "trend" and buckets(s) is not None:
        want = {}
        for m in mine:
            for value, count in buckets(m).items():
                want[value] = want.get(value, 0) + count
        check(buckets(s) == want, "two pods: the buckets of %s are not the runs' added" % (k,))
        check(s["histogram"]["total_count"] == sum(m["histogram"]["total_count"] for m in mine),
              "two pods: the count of %s" % (k,))
        series_checked += 1
    elif s["kind"] in ("counter", "rate"):
        for field in ("total", "passes"):
            if field in s:
                check(s[field] == sum(m.get(field, 0) for m in mine),
                      "two pods: %s of %s is not the runs' added" % (field, k))
        series_checked += 1
check(series_checked > 20, "two pods: only %d series compared" % series_checked)

# ---- 3. Locust --json from two processes side by side ----
locust = [os.path.join(fixtures, "locust", "parallel", w, "run.json")
          for w in ("worker-a", "worker-b")]
out = os.path.join(work, "locust-merged.json")
merge(out, "--label", "locust", *locust)
out_reversed = os.path.join(work, "locust-merged-reversed.json")
merge(out_reversed, "--label", "locust", *reversed(locust))
same_bytes(out, out_reversed, "locust processes in the other order")
single = []
for i, p in enumerate(locust):
    single.append(os.path.join(work, "locust%d.json" % i))
    saved(["locust=" + p], single[-1])
with open(out) as f:
    merged = {key(s): s for s in json.load(f)["runs"][0]["series"]}
one = []
for p in single:
    with open(p) as f:
        one.append({key(s): s for s in json.load(f)["runs"][0]["series"]})
compared = 0
for k, s in merged.items():
    if buckets(s) is None:
        continue
    parts = [part[k] for part in one if k in part]
    want = {}
    for part in parts:
        for value, count in buckets(part).items():
            want[value] = want.get(value, 0) + count
    check(buckets(s) == want, "locust: the buckets of %s are not the processes' added" % (k,))
    compared += 1
    reported = [p.get("reported", {}) for p in parts]
    mine = s.get("reported", {})
    if len(parts) == 2 and all("min" in r and "max" in r for r in reported):
        check(mine.get("min") == min(r["min"] for r in reported) and
              mine.get("max") == max(r["max"] for r in reported),
              "locust: the extremes of %s are not the processes' extremes" % (k,))
    if len(parts) == 2 and all("mean" in r for r in reported):
        n = [p["histogram"]["total_count"] for p in parts]
        want_mean = (n[0] * reported[0]["mean"] + n[1] * reported[1]["mean"]) / (n[0] + n[1])
        check(abs(mine.get("mean", float("nan")) - want_mean) <= 1e-12 * abs(want_mean),
              "locust: the mean of %s is %s, the weighted means give %s"
              % (k, mine.get("mean"), want_mean))
check(compared >= 3, "locust: only %d histograms compared" % compared)

# ---- 4. percentiles are never merged ----
wrk = sorted(os.path.join(fixtures, "wrk", f) for f in os.listdir(os.path.join(fixtures, "wrk"))
             if f.endswith(".txt"))[:2]
out = os.path.join(work, "wrk-merged.json")
r = run("merge", "-o", out, "--label", "wrk", *wrk)
check(r.returncode == 2, "wrk: merging percentiles exited %d, expected 2" % r.returncode)
check("cannot merge" in r.stderr, "wrk: no merge conflict reported: %s" % r.stderr[-200:])
check(not os.path.exists(out), "wrk: a model was written despite the conflict")

finish("merge")
