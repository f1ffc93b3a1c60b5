#!/usr/bin/env python3
"""Build a large k6 `--out json` NDJSON file from real k6 sample lines.

The source is a real k6 NDJSON file (default: fixtures/k6/mixed-stages/out.json
under the repository root, found from this script's location; a .gz source is
read too). The output is:

  * every "Metric" line of the source, once, at the top (k6 writes a metric's
    Metric line before its first Point, so this order is valid k6 output);
  * then the source's "Point" lines repeated over and over until at least
    --size-mb MiB (uncompressed) have been written, cut at a line boundary.

Each repetition k (0, 1, 2, ...) changes two fields per Point line:

  * "time": shifted forward by k * (source time span + 1 ms), so the run looks
    like one longer run with time increasing from repetition to repetition.
    Written as RFC 3339 UTC with nanoseconds, trailing zeros trimmed, 'Z'
    suffix, exactly like k6 (Go's RFC3339Nano) does.
  * "value": for metrics whose Metric line says "type":"trend" (http_req_*
    timings, iteration_duration, group_duration, checkout_latency) multiplied
    by a lognormal factor (mean 1). Every source timestamp gets one factor per
    repetition, so the timings of one request (duration = sending + waiting +
    receiving) are scaled together. Counters, rates (0/1) and gauges keep the
    source values.

Repetition 0 is the source itself (factor 1, no shift), except that the Metric
lines are moved to the top.
Output is deterministic for a given source, --seed and --size-mb: no wall
clock is read and --gzip writes mtime 0.

Lines are edited with plain string operations (no JSON parsing per line), and
output is written one repetition (about the source size) at a time.
"""

import argparse
import calendar
import gzip
import json
import math
import random
import sys
import time
from pathlib import Path

MIB = 1024 * 1024
NS = 1_000_000_000
GAP_NS = 1_000_000  # 1 ms between the end of one repetition and the next
SIGMA = 0.25        # spread of the lognormal factor for trend values

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT / "fixtures" / "k6" / "mixed-stages" / "out.json"


def die(msg):
    sys.stderr.write("make_k6_ndjson: %s\n" % msg)
    sys.exit(2)


def parse_time_ns(s):
    """RFC 3339 ('2026-11-23T00:46:59.569302285Z' or with +hh:mm) -> epoch ns."""
    if len(s) < 20 or s[10] != "T":
        raise ValueError("bad time %r" % s)
    secs = calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S"))
    rest = s[19:]
    frac = 0
    if rest.startswith("."):
        i = 1
        while i < len(rest) and rest[i].isdigit():
            i += 1
        digits = rest[1:i]
        if not digits or len(digits) > 9:
            raise ValueError("bad fraction in %r" % s)
        frac = int(digits.ljust(9, "0"))
        rest = rest[i:]
    if rest == "Z":
        off = 0
    elif len(rest) == 6 and rest[0] in "+-" and rest[3] == ":":
        off = (int(rest[1:3]) * 3600 + int(rest[4:6]) * 60) * (1 if rest[0] == "+" else -1)
    else:
        raise ValueError("bad zone in %r" % s)
    return (secs - off) * NS + frac


_sec_cache = {}


def format_time_ns(ns):
    sec, frac = divmod(ns, NS)
    head = _sec_cache.get(sec)
    if head is None:
        head = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        _sec_cache[sec] = head
    if frac:
        return head + "." + ("%09d" % frac).rstrip("0") + "Z"
    return head + "Z"


def format_value(v):
    # Like Go's encoding/json for these magnitudes: plain decimal, no exponent,
    # shortest form. k6 timings are ns / 1e6, so 6 decimals are exact enough.
    s = "%.6f" % v
    s = s.rstrip("0")
    return s[:-1] if s.endswith(".") else s


def read_source(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="\n") as f:
            return f.read().splitlines()
    except OSError as e:
        die("cannot read source %s: %s" % (path, e))


def field_span(line, key, lineno):
    """Return (start, end) of the raw JSON value of `"key":` inside line."""
    tag = '"%s":' % key
    i = line.find(tag)
    if i < 0:
        die("line %d: no %s field" % (lineno, tag))
    i += len(tag)
    if line.startswith('"', i):
        j = line.index('"', i + 1) + 1
    else:
        j = i
        while line[j] not in ",}":
            j += 1
    return i, j


def load(path):
    lines = read_source(path)
    metric_lines = []          # in order of first appearance
    metric_type = {}           # name -> k6 metric type
    points = []                # (prefix, time_index, middle, value_or_None, value_raw, suffix)
    time_index = {}            # raw time string -> index
    times = []                 # index -> ns
    for n, line in enumerate(lines, 1):
        if not line:
            continue
        if '"type":"Metric"' in line:
            obj = json.loads(line)
            name = obj.get("metric") or obj["data"]["name"]
            if name not in metric_type:
                metric_type[name] = obj["data"]["type"]
                metric_lines.append(line)
            continue
        if '"type":"Point"' not in line:
            die("line %d: neither a Metric nor a Point line" % n)
        ms, me = field_span(line, "metric", n)
        name = line[ms + 1:me - 1]
        if name not in metric_type:
            die("line %d: Point for %r before its Metric line" % (n, name))
        ts, te = field_span(line, "time", n)
        vs, ve = field_span(line, "value", n)
        if not ts < vs:
            die("line %d: expected \"time\" before \"value\" (k6 order)" % n)
        raw_t = line[ts + 1:te - 1]
        ti = time_index.get(raw_t)
        if ti is None:
            ti = time_index[raw_t] = len(times)
            try:
                times.append(parse_time_ns(raw_t))
            except ValueError as e:
                die("line %d: %s" % (n, e))
        raw_v = line[vs:ve]
        val = float(raw_v) if metric_type[name] == "trend" else None
        points.append((line[:ts + 1], ti, line[te - 1:vs], val, raw_v, line[ve:] + "\n"))
    if not points:
        die("%s: no Point lines" % path)
    return metric_lines, points, times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE),
                    help="real k6 NDJSON file (.gz ok); default: %(default)s")
    ap.add_argument("--size-mb", type=float, required=True,
                    help="stop after at least this many MiB of (uncompressed) NDJSON")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default="-", help="output file (default: stdout)")
    ap.add_argument("--gzip", action="store_true", help="gzip the output (mtime 0)")
    args = ap.parse_args()

    metric_lines, points, times = load(args.source)
    target = int(args.size_mb * MIB)
    t0 = min(times)
    period = max(times) - t0 + GAP_NS
    rng = random.Random(args.seed)
    mu = -SIGMA * SIGMA / 2  # mean of the factor is 1
    # Non-trend lines never change value: pre-join what follows the time.
    tails = [None if v is not None else mid + raw + suf
             for (_, _, mid, v, raw, suf) in points]

    if args.out == "-":
        raw_out = sys.stdout.buffer
    else:
        try:
            raw_out = open(args.out, "wb")
        except OSError as e:
            die("cannot write %s: %s" % (args.out, e))
    out = gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0) if args.gzip else raw_out

    header = ("\n".join(metric_lines) + "\n").encode("utf-8")
    out.write(header)
    written = len(header)
    nlines = len(metric_lines)
    reps = 0
    exp = math.exp
    gauss = rng.gauss
    while written < target:
        shift = reps * period
        tstr = [format_time_ns(t + shift) for t in times]
        buf = []
        app = buf.append
        if reps == 0:  # the source lines themselves (values as k6 wrote them)
            for (pre, ti, mid, v, raw, suf) in points:
                app(pre + tstr[ti] + mid + raw + suf)
        else:
            fac = [exp(mu + SIGMA * gauss(0.0, 1.0)) for _ in times]
            for (pre, ti, mid, v, raw, suf), tail in zip(points, tails):
                if tail is not None:
                    app(pre + tstr[ti] + tail)
                else:
                    app(pre + tstr[ti] + mid + format_value(v * fac[ti]) + suf)
        chunk = "".join(buf).encode("utf-8")
        need = target - written
        if len(chunk) >= need:
            cut = chunk.index(b"\n", max(need - 1, 0)) + 1
            chunk = chunk[:cut]
            nlines += chunk.count(b"\n")
        else:
            nlines += len(buf)
        out.write(chunk)
        written += len(chunk)
        reps += 1

    if out is not raw_out:
        out.close()
    if raw_out is sys.stdout.buffer:
        raw_out.flush()
    else:
        raw_out.close()
    sys.stderr.write("make_k6_ndjson: %d lines (%d Metric), %d bytes uncompressed, "
                     "%d repetitions of %d Points, seed %d -> %s%s\n"
                     % (nlines, len(metric_lines), written, reps, len(points),
                        args.seed, args.out, " (gzip)" if args.gzip else ""))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
