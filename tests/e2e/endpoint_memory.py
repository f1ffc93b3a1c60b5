#!/usr/bin/env python3
"""--endpoint-memory folds endpoints exactly, says so, and gives the same bytes for any --jobs.

Usage: endpoint_memory.py PERFGATE REPO_ROOT

On a generated k6 NDJSON input of 700 endpoints (tests/bench/make_k6_ndjson.py, about 6 MiB,
built from the real k6 run in fixtures/k6/mixed-stages), the model saved with no limit
(--endpoint-memory 0) is the reference; the model saved with a limit of 2 MiB must show:

1. DIAG_ENDPOINTS_FOLDED, once, naming the number of endpoints folded and kept, which match
   the models; exit status 0.
2. The whole-run series unchanged (every histogram bucket, counter and timeline).
3. Every endpoint that was kept: all its series unchanged.
4. '(other endpoints)': for each (metric, tags), the histogram is the bucket-by-bucket sum of
   the folded endpoints' histograms in the reference (total, min, max too), counters and rates
   the sums of theirs: nothing lost, nothing counted twice. Computed here from the reference
   model, not by perfgate.
5. --jobs 1, 2 and 3: byte-identical model, stdout and stderr; an endpoint a budget rule
   names (one the fold took before) keeps all its series unchanged under `check -b`; the same
   input as k6 CSV:
   --jobs 1 and 2 identical, a fold, and the whole-run series unchanged.
6. No fold without the option on this input (the default is 128 MiB); a bad size is a usage
   error (exit 2) naming the option.
Exit 0 when all hold, 1 otherwise.
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import make_many_endpoints  # noqa: E402

OTHER = "(other endpoints)"


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def key(s):
    return (s["metric"], json.dumps(s.get("tags", {}), sort_keys=True))


def main():
    perfgate, root = sys.argv[1:3]
    failures = []

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "many.ndjson")
        make_many_endpoints(root, src, 6, 4)

        def model(limit, jobs, name):
            path = os.path.join(tmp, name)
            args = [perfgate, "show", "--jobs", str(jobs), "--save-model", path]
            if limit is not None:
                args += ["--endpoint-memory", limit]
            rc, out, err = run(args + [src])
            with open(path, "rb") as f:
                raw = f.read()
            return rc, out, err, raw

        rc, _, err, raw = model("0", 1, "full.json")
        if rc != 0 or b"folded" in err:
            failures.append("no limit: exit %d, stderr %r" % (rc, err[:300]))
        full = json.loads(raw)["runs"][0]["series"]

        results = {j: model("2M", j, "folded%d.json" % j) for j in (1, 2, 3)}
        for j in (2, 3):
            if results[j][1:] != results[1][1:] or results[j][0] != results[1][0]:
                failures.append("--endpoint-memory 2M: --jobs %d differs from --jobs 1" % j)
        rc, _, err, raw = results[1]
        folded = json.loads(raw)["runs"][0]["series"]
        text = err.decode()
        m = re.search(r"many\.ndjson: warning: the per-endpoint series passed --endpoint-memory "
                      r"\(2 MiB\) after (\d+) samples: (\d+) endpoints with the fewest requests "
                      r"were folded into '\(other endpoints\)' .*?, (\d+) kept", text)
        if rc != 0 or not m or text.count("--endpoint-memory (") != 1:
            failures.append("2M: exit %d, expected one fold warning, got %r" % (rc, text[:600]))

        ref_eps = {s["endpoint"] for s in full if s.get("endpoint")}
        got_eps = {s["endpoint"] for s in folded if s.get("endpoint")}
        kept = got_eps - {OTHER}
        gone = ref_eps - kept
        if OTHER not in got_eps or not kept or not gone or not kept < ref_eps:
            failures.append("endpoints: %d in the reference, %d kept, %d folded, other %s"
                            % (len(ref_eps), len(kept), len(gone), OTHER in got_eps))
        if m and (int(m.group(2)) != len(gone) or int(m.group(3)) != len(kept)):
            failures.append("the warning says %s folded, %s kept; the models say %d, %d"
                            % (m.group(2), m.group(3), len(gone), len(kept)))

        def by_key(series, pred):
            return {(s.get("endpoint"),) + key(s): s for s in series if pred(s)}

        # 2. and 3.: whole-run series and kept endpoints unchanged
        for what, pred in (("whole run", lambda s: not s.get("endpoint")),
                           ("kept endpoints", lambda s: s.get("endpoint") in kept)):
            a, b = by_key(full, pred), by_key(folded, pred)
            if a.keys() != b.keys():
                failures.append("%s: series differ: %s" % (what, sorted(a.keys() ^ b.keys())[:5]))
            diff = [k for k in a.keys() & b.keys() if a[k] != b[k]]
            if diff or not a:
                failures.append("%s: %d of %d series changed, e.g. %s"
                                % (what, len(diff), len(a), diff[:3]))

        # 4. '(other endpoints)' is the exact sum of the folded ones
        want = collections.defaultdict(lambda: {"counts": collections.Counter(), "n": 0,
                                                "min": None, "max": None, "total": 0.0,
                                                "passes": 0.0, "kind": None})
        for s in full:
            if s.get("endpoint") not in gone:
                continue
            w = want[key(s)]
            w["kind"] = s["kind"]
            h = s.get("histogram")
            if h:
                c = h["counts"]
                for i in range(0, len(c), 2):
                    w["counts"][c[i]] += c[i + 1]
                if h["total_count"]:
                    w["n"] += h["total_count"]
                    w["min"] = h["min"] if w["min"] is None else min(w["min"], h["min"])
                    w["max"] = h["max"] if w["max"] is None else max(w["max"], h["max"])
            w["total"] += s.get("total", 0)
            w["passes"] += s.get("passes", 0)
        other = {key(s): s for s in folded if s.get("endpoint") == OTHER}
        if set(other) != set(want):
            failures.append("other: series %s, expected %s" % (sorted(other)[:4], sorted(want)[:4]))
        checked = 0
        for k in set(other) & set(want):
            s, w = other[k], want[k]
            h = s.get("histogram")
            if h:
                c = h["counts"]
                got = collections.Counter({c[i]: c[i + 1] for i in range(0, len(c), 2)})
                if got != w["counts"] or h["total_count"] != w["n"] or \
                   (w["n"] and (h["min"] != w["min"] or h["max"] != w["max"])):
                    failures.append("other %s: histogram is not the sum of the folded ones" % (k,))
                checked += w["n"]
            if s.get("total", 0) != w["total"] or s.get("passes", 0) != w["passes"]:
                failures.append("other %s: total %r passes %r, expected %r %r"
                                % (k, s.get("total"), s.get("passes"), w["total"], w["passes"]))
        if checked == 0:
            failures.append("other: no histogram sample was checked")

        # 5a. an endpoint a budget rule names is never folded: its series stay as they were
        if gone:
            named = sorted(gone)[0]
            budget = os.path.join(tmp, "budget.json")
            with open(budget, "w") as f:
                json.dump({"format": "perfgate-budget", "version": 1, "rules": [
                    {"name": "named", "endpoint": named, "assert": "p95 < 100000ms"}]}, f)
            path = os.path.join(tmp, "checked.json")
            rc, _, err = run([perfgate, "check", "-b", budget, "--endpoint-memory", "2M",
                              "--save-model", path, src])
            with open(path) as f:
                checked = json.load(f)["runs"][0]["series"]
            mine = by_key(checked, lambda s: s.get("endpoint") == named)
            ref = by_key(full, lambda s: s.get("endpoint") == named)
            if rc != 0 or not ref or mine != ref or b"folded into" not in err:
                failures.append("budget-named endpoint %r: exit %d, %d of %d series kept as "
                                "they were; %r" % (named, rc, sum(mine.get(k) == v for k, v in
                                                                  ref.items()), len(ref),
                                                   err[:300]))

        # 5b. k6 CSV goes through the same stream: same bytes for any --jobs, totals unchanged
        csv = os.path.join(tmp, "many.csv")
        make_many_endpoints(root, csv, 6, 4, "csv")
        got = {}
        for lim, j in (("0", 1), ("2M", 1), ("2M", 2)):
            path = os.path.join(tmp, "csv-%s-%d.json" % (lim, j))
            rc, out, err = run([perfgate, "show", "--jobs", str(j), "--endpoint-memory", lim,
                                "--save-model", path, csv])
            with open(path, "rb") as f:
                got[lim, j] = (rc, out, err, f.read())
        if got["2M", 1] != got["2M", 2] or b"folded into '(other endpoints)'" not in got["2M", 1][2]:
            failures.append("CSV: --jobs 2 differs or no fold warning: %r" % got["2M", 1][2][:300])
        totals = [[s for s in json.loads(got[k][3])["runs"][0]["series"] if not s.get("endpoint")]
                  for k in (("0", 1), ("2M", 1))]
        if totals[0] != totals[1] or not totals[0]:
            failures.append("CSV: the whole-run series changed under --endpoint-memory 2M")

        # 6. the default keeps every endpoint here; bad sizes are usage errors
        rc, _, err = run([perfgate, "show", "--jobs", "1", src])
        if rc != 0 or b"--endpoint-memory (" in err:
            failures.append("default: exit %d, stderr %r" % (rc, err[:300]))
        for bad in ("12X", "", "-1", "1.5M", "M", "99999999999G"):
            rc, out, err = run([perfgate, "show", "--endpoint-memory", bad, src])
            if rc != 2 or b"--endpoint-memory" not in err or out:
                failures.append("--endpoint-memory %r: exit %d, %r" % (bad, rc, err[:200]))
        for good in ("1024", "64K", "64KiB", "3M", "1G", "2GB"):
            rc, _, err = run([perfgate, "show", "--endpoint-memory", good, src])
            if rc != 0:
                failures.append("--endpoint-memory %r: exit %d, %r" % (good, rc, err[:200]))

    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: %d endpoints kept, %d folded exactly, same bytes for --jobs 1, 2, 3"
              % (len(kept), len(gone)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
