#!/usr/bin/env python3
"""report_charts.py PERFGATE FIXTURES WORKDIR

Draws the charts of real fixture sets with `perfgate report --charts DIR --chart-format both`
(and `perfgate compare`'s, with the same options)
and checks, independently of perfgate's code:
  - the charts each set must give, by name, and the number of series each draws (what the
    inputs hold: the mixed-stages k6 run has 4 endpoints, the capacity series 3 runs ...);
  - every PNG starts with the PNG signature and its IHDR says 880 x 440;
  - every SVG is well-formed XML whose root is <svg> with width and height;
  - the report links exactly the charts written, relative to its own directory;
  - a second run into another directory gives byte-identical Markdown, SVG and PNG files.
"""
import filecmp
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

K6 = "k6/mixed-stages/out.json"
SETS = [
    # name, arguments, {chart: series drawn}
    ("k6-one-run-budget",
     ["-b", "budgets/release.json", K6],
     # spectrum: the run + its 4 endpoints; timeline: p50, p95, p99, throughput;
     # endpoints: the p95 bars
     {"spectrum": 5, "timeline-1": 4, "endpoints-1": 1}),
    ("locust-capacity",
     ["u10=locust/capacity-u10/run", "u50=locust/capacity-u50/run",
      "u100=locust/capacity-u100/run"],
     # one spectrum line per run (no timelines: Locust's history holds percentiles per
     # interval, not the per-interval histograms a timeline chart draws); capacity:
     # throughput and p95
     {"spectrum": 3, "capacity": 2}),
    ("wrk-capacity",
     ["c10=wrk/limited-c10.txt", "c50=wrk/limited-c50.txt", "c100=wrk/limited-c100.txt"],
     {"spectrum": 3, "capacity": 2}),
    ("k6-baseline",
     ["--baseline", "limited=k6/limited-vu5/out.json.gz", "limited=k6/limited-vu60/out.json.gz"],
     # spectrum: the run + its single endpoint; compare: baseline and candidate
     {"spectrum": 2, "timeline-1": 4, "compare-1": 2}),
    # the steady window of a warm-up run: the timeline shades what it left out
    ("k6-warm-steady",
     ["--window", "steady", "k6/warm-vu10-30s/out.json.gz"],
     {"spectrum": 2, "timeline-1": 4}),
    # a load series with --slo: the capacity chart draws the USL's fitted curve and a line at
    # the SLO's crossing (throughput, p95, fit, crossing)
    ("k6-usl-slo",
     ["--slo", "p95<40ms"] + [f"k6/usl-vu{v}/summary-export.json"
                             for v in (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)],
     {"spectrum": 10, "capacity": 4}),
    # perfgate compare (exit 1: a regression): the spectra of both sides with their
    # intervals, and the shift function of the whole run
    ("compare-k6-slower",
     ["compare", "k6/aa-slow-vu20-rep1/out.json.gz", "--",
      "k6/ab-slow-vu20-scale1.30-rep1/out.json.gz"],
     {"compare-spectra": 2, "compare-shift": 1}),
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_png(path):
    data = open(path, "rb").read()
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return "not a PNG (signature or IHDR missing)"
    width, height = struct.unpack(">II", data[16:24])
    if (width, height) != (880, 440):
        return f"PNG is {width} x {height}, not 880 x 440"
    return None


def check_svg(path):
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as e:
        return f"SVG is not well-formed: {e}"
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        return f"root element is {root.tag}"
    if not root.get("width") or not root.get("height"):
        return "SVG root has no width or height"
    return None


def run(perfgate, fixtures, out, args):
    """`perfgate report ARGS`, or `perfgate compare ...` when args start with "compare"."""
    command = ["compare"] if args[:1] == ["compare"] else ["report"]
    args = args[1:] if command == ["compare"] else args
    report = os.path.join(out, "report.md")
    result = subprocess.run([perfgate] + command + ["--markdown", report, "--charts",
                             os.path.join(out, "charts"), "--chart-format", "both"]
                            + args, cwd=fixtures, capture_output=True, text=True,
                            env=dict(os.environ, SOURCE_DATE_EPOCH="1795000000"))
    if command == ["compare"] and result.returncode in (1, 3):
        result.returncode = 0  # a regression or an undecided metric: still drawn
    return result


def main():
    perfgate, fixtures, work = (os.path.abspath(a) for a in sys.argv[1:4])
    failures = []
    checked = 0
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        for name, args, expected in SETS:
            outs = [os.path.join(tmp, name, "a"), os.path.join(tmp, name, "b")]
            results = [run(perfgate, fixtures, out, args) for out in outs]
            if any(r.returncode != 0 for r in results):
                failures.append(f"{name}: exit {results[0].returncode}: {results[0].stderr}")
                continue
            drawn = {}
            for line in results[0].stdout.splitlines():
                m = re.match(r"wrote (.*)/charts/([^/]*)\.svg \((\d+) series\)$", line)
                if m:
                    drawn[m.group(2)] = int(m.group(3))
            if drawn != expected:
                failures.append(f"{name}: charts drawn {drawn}, expected {expected}")
            charts = os.path.join(outs[0], "charts")
            files = sorted(os.listdir(charts))
            want = sorted(f"{chart}.{ext}" for chart in expected for ext in ("png", "svg"))
            if files != want:
                failures.append(f"{name}: files {files}, expected {want}")
            for f in files:
                problem = (check_png if f.endswith(".png") else check_svg)(
                    os.path.join(charts, f))
                checked += 1
                if problem:
                    failures.append(f"{name}/{f}: {problem}")
            report = open(os.path.join(outs[0], "report.md"), encoding="utf-8").read()
            links = sorted(re.findall(r"!\[[^\]]*\]\(([^)]*)\)", report))
            if links != sorted(f"charts/{chart}.svg" for chart in expected):
                failures.append(f"{name}: the report links {links}")
            compare = filecmp.dircmp(outs[0], outs[1])
            same = filecmp.cmpfiles(outs[0], outs[1], ["report.md"], shallow=False)[0]
            same += filecmp.cmpfiles(charts, os.path.join(outs[1], "charts"), files,
                                     shallow=False)[0]
            if len(same) != len(files) + 1 or compare.left_only or compare.right_only:
                failures.append(f"{name}: a second run differs: "
                                f"{sorted(set(files + ['report.md']) - set(same))}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(SETS)} sets, {checked} chart files checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
