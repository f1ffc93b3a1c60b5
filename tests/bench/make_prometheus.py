#!/usr/bin/env python3
"""make_prometheus.py --range-mb N [--steps S] --snapshots K --out DIR [FIXTURES]

Builds the inputs of the Prometheus speed benchmark (tests/bench/bench_prometheus.sh) from the
real fixtures in FIXTURES (default: fixtures/prometheus/steady beside this checkout):

  DIR/range-<N>mb.json   a query_range response of about N MB (10^6 bytes), shaped byte for
                         byte like Prometheus's own (`{"status":"success","data":{"resultType":
                         "matrix","result":[{"metric":{...},"values":[[ts,"v"],...]},...]}}`):
                         the series of the real range-node_cpu_seconds_total.json repeated
                         under distinct `instance` labels, each with S (3600) 1 s steps whose
                         values continue the real counter (so every series is a real-shaped,
                         monotonic counter over a long window);
  DIR/snapshots/node-<unix>.prom
                         K copies of a real node-exporter /metrics snapshot, one per second
                         (names carry the time), the counters advanced by the real per-second
                         increase so every copy is a plausible later scrape.

Speed inputs only: no test reads them, nothing is committed.
"""
import argparse
import json
import os
import re
import sys


def make_range(src, size_mb, steps, out):
    doc = json.load(open(src))
    series = doc["data"]["result"]
    target = size_mb * 1_000_000
    with open(out, "w") as f:
        f.write('{"status":"success","data":{"resultType":"matrix","result":[')
        written = f.tell()
        n = 0
        while written < target:
            for s in series:
                if written >= target:
                    break
                metric = dict(s["metric"])
                metric["instance"] = f"10.0.{n // 250}.{n % 250}:9100"
                vals = s["values"]
                t0, v0 = vals[0][0], float(vals[0][1])
                step_inc = (float(vals[-1][1]) - v0) / max(len(vals) - 1, 1)
                parts = []
                for k in range(steps):
                    parts.append(f'[{t0 + k:.3f},"{v0 + k * step_inc:.2f}"]'.replace(".000,", ","))
                text = ('' if n == 0 else ',') + '{"metric":' + json.dumps(
                    metric, separators=(",", ":")) + ',"values":[' + ",".join(parts) + "]}"
                f.write(text)
                written += len(text)
                n += 1
        f.write("]}}")
    return n


COUNTER = re.compile(r'^(\w+_total(?:\{[^}]*\})?) (\S+)$')


def make_snapshots(src, count, outdir):
    os.makedirs(outdir, exist_ok=True)
    lines = open(src).read().split("\n")
    base = int(re.search(r"(\d{10})", os.path.basename(src)).group(1))
    for i in range(count):
        out = []
        for line in lines:
            m = COUNTER.match(line)
            if m:
                try:
                    v = float(m.group(2)) + i
                    line = f"{m.group(1)} {v:g}"
                except ValueError:
                    pass
            out.append(line)
        with open(os.path.join(outdir, f"node-{base + i}.prom"), "w") as f:
            f.write("\n".join(out))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--range-mb", type=int, default=100)
    ap.add_argument("--steps", type=int, default=3600, help="1 s steps per series")
    ap.add_argument("--snapshots", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("fixtures", nargs="?",
                    default=os.path.join(here, "..", "..", "fixtures", "prometheus", "steady"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    n = make_range(os.path.join(a.fixtures, "range-node_cpu_seconds_total.json"), a.range_mb,
                   a.steps, os.path.join(a.out, f"range-{a.range_mb}mb.json"))
    node = sorted(p for p in os.listdir(a.fixtures) if p.startswith("node-"))[0]
    make_snapshots(os.path.join(a.fixtures, node), a.snapshots, os.path.join(a.out, "snapshots"))
    print(f"{n} series in range-{a.range_mb}mb.json, {a.snapshots} snapshots", file=sys.stderr)


if __name__ == "__main__":
    main()
