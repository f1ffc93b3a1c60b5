#!/usr/bin/env python3
"""Coordinated-omission flags on real runs (show --json "coordinated_omission").

Usage: omission.py PERFGATE FIXTURES_DIR SHARED_DIR

- k6 arrival-rate-over (constant-arrival-rate past the server's capacity): flagged by its
  dropped iterations, whose count must be the one k6 itself wrote in summary-export.json;
- k6 warm-vu10-30s (a closed loop whose server answers in 60 ms for 6 s, then 20 ms):
  flagged by intervals where throughput halved while latency doubled, and no longer flagged
  in its steady window (the warm-up left out);
- the k6 A/A runs (a steady closed loop): not flagged;
- wrk2 (-R) samples: labelled as corrected, never flagged.
"""
import json
import os
import subprocess
import sys

perfgate, fixtures, shared = sys.argv[1], sys.argv[2], sys.argv[3]
from checklib import check, finish


def omission(path, *extra):
    out = subprocess.run([perfgate, "show", "--json", *extra, path], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["runs"][0]["coordinated_omission"]


k6 = os.path.join(fixtures, "k6")
if not os.path.isdir(os.path.join(k6, "arrival-rate-over")):
    print("SKIP: fixtures/k6/arrival-rate-over missing")
    sys.exit(77)
over = omission(os.path.join(k6, "arrival-rate-over", "out.json.gz"))
with open(os.path.join(k6, "arrival-rate-over", "summary-export.json")) as f:
    k6_dropped = json.load(f)["metrics"]["dropped_iterations"]["count"]
check(over["flagged"] and not over["closed_loop"] and over["dropped_iterations"] == k6_dropped,
      f"arrival-rate-over: {over}, k6 counted {k6_dropped} dropped iterations")
check("dropped" in (over["note"] or ""), f"arrival-rate-over note: {over['note']}")

warm = omission(os.path.join(k6, "warm-vu10-30s", "out.json.gz"))
check(warm["flagged"] and warm["closed_loop"] and warm["spikes"] >= 4 and warm["stalls"] == 0,
      f"warm-vu10-30s: {warm} (6 s of halved throughput at tripled latency)")
steady = omission(os.path.join(k6, "warm-vu10-30s", "out.json.gz"), "--window", "steady")
check(not steady["flagged"], f"warm-vu10-30s in its steady window: {steady}")

for rep in (1, 2, 3):
    aa = omission(os.path.join(k6, f"aa-slow-vu20-rep{rep}", "out.json.gz"))
    check(aa["closed_loop"] and not aa["flagged"] and aa["intervals"] >= 5,
          f"aa-slow-vu20-rep{rep}: {aa}")

wrk2 = os.path.join(shared, "samples", "wrk2", "text")
if os.path.isdir(wrk2):
    for name in sorted(os.listdir(wrk2))[:3]:
        co = omission(os.path.join(wrk2, name))
        check(co["corrected"] and not co["flagged"] and "corrected" in co["note"],
              f"wrk2 {name}: {co}")
else:
    print("SKIP part: ../shared/samples/wrk2 missing")

finish("coordinated omission on real runs")
