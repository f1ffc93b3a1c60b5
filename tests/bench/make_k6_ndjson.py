#!/usr/bin/env python3
"""Build a large k6 `--out json` NDJSON (or `--out csv`) file from real k6 sample lines.

The source is a real k6 output of the same format (default: fixtures/k6/mixed-stages/out.json,
or out.csv with --format csv, under the repository root, found from this script's location; a
.gz source is read too). The output is:

  * NDJSON: every "Metric" line of the source, once, at the top (k6 writes a metric's Metric
    line before its first Point, so this order is valid k6 output);
    CSV: the source's header line, once;
  * then the source's sample lines ("Point" lines, CSV rows) repeated over and over until at
    least --size-mb MiB (uncompressed) have been written, cut at a line boundary.

Each repetition r (0, 1, 2, ...) changes two fields per sample line:

  * the time: shifted forward by r * (source time span + 1 ms; CSV: + 1 s), so the run looks
    like one longer run with time increasing from repetition to repetition. NDJSON "time" is
    written as RFC 3339 UTC with nanoseconds, trailing zeros trimmed, 'Z' suffix, exactly like
    k6 (Go's RFC3339Nano) does; CSV "timestamp" as Unix seconds, like k6.
  * the value, for trend metrics (http_req_* timings, iteration_duration, group_duration,
    checkout_latency): multiplied by a lognormal factor (mean 1). Counters, rates (0/1) and
    gauges keep the source values.
      NDJSON: the metric types come from the Metric lines; every source timestamp gets one
      factor per repetition, so the timings of one request (duration = sending + waiting +
      receiving) are scaled together.
      CSV (which has no types and only whole seconds): the types come from the Metric lines of
      --types (default: out.json beside the source, if there is one; else k6's built-in trend
      names only); the rows of one request (see below) share one factor, every other trend row
      gets its own. Scaled values are written with 6 decimals, like k6.

Repetition 0 is the source itself (factor 1, no shift), except that NDJSON Metric lines are
moved to the top.

--endpoints N spreads the HTTP requests over N distinct URLs, like a real run hitting ids. A
request is the group of consecutive sample lines that carry a "url" tag and share one time
and url value (k6 writes them together, http_reqs first: a http_reqs line always starts a new
request). Its "name" and "url" tag values both get "/<k>" appended (e.g.
http://127.0.0.1:8081/posts -> http://127.0.0.1:8081/posts/17), the same k on every line of
the request. k is not random: with B distinct source URLs (in order of first appearance,
numbered j = 0..B-1), endpoint k (0 <= k < N) belongs to URL k mod B, and the requests of
URL j take its endpoints round robin (k = j, j+B, j+2B, ... < N, then j again), counting on
from repetition to repetition. So every endpoint name is distinct, all N appear as soon as
every URL has had ceil(N/B) requests, and N must be at least B. Lines without a url tag
(checks, iterations, vus, ...) are unchanged. The summary on stderr says how many endpoints
the output holds.

Output is deterministic for a given source, --format, --seed, --size-mb and --endpoints: no
wall clock is read and --gzip writes mtime 0. --endpoints draws no random numbers, so the
values are the same with and without it.

Lines are edited with plain string operations (no JSON or CSV parsing per output line; the
source is split once), and output is written one repetition (about the source size) at a
time.
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
GAP_NS = 1_000_000  # NDJSON: 1 ms between the end of one repetition and the next
GAP_S = 1           # CSV: 1 s (its timestamps are whole seconds)
SIGMA = 0.25        # spread of the lognormal factor for trend values

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DIR = REPO_ROOT / "fixtures" / "k6" / "mixed-stages"
DEFAULT_SOURCE = {"ndjson": FIXTURE_DIR / "out.json", "csv": FIXTURE_DIR / "out.csv"}

# k6's built-in trend metrics: the CSV fallback when no Metric lines give the types.
K6_TRENDS = {
    "http_req_duration", "http_req_blocked", "http_req_connecting",
    "http_req_tls_handshaking", "http_req_sending", "http_req_waiting",
    "http_req_receiving", "iteration_duration", "group_duration",
    "ws_connecting", "ws_session_duration", "ws_ping", "grpc_req_duration",
}

PROG = "make_k6_ndjson"


def die(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
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


def format_value_json(v):
    # Like Go's encoding/json for these magnitudes: plain decimal, no exponent,
    # shortest form. k6 timings are ns / 1e6, so 6 decimals are exact enough.
    s = "%.6f" % v
    s = s.rstrip("0")
    return s[:-1] if s.endswith(".") else s


def format_value_csv(v):
    return "%.6f" % v  # k6's CSV output writes every value with 6 decimals


def read_source(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="\n") as f:
            return f.read().splitlines()
    except OSError as e:
        die("cannot read %s: %s" % (path, e))


def field_span(line, key, lineno, start=0, required=True):
    """Return (start, end) of the raw JSON value of `"key":` inside line[start:]."""
    tag = '"%s":' % key
    i = line.find(tag, start)
    if i < 0:
        if not required:
            return None
        die("line %d: no %s field" % (lineno, tag))
    i += len(tag)
    if line.startswith('"', i):
        j = line.index('"', i + 1) + 1
    else:
        j = i
        while line[j] not in ",}":
            j += 1
    return i, j


class Source:
    """A source split once into what each repetition rewrites.

    points: (pre, ti, mid, fi, value_or_None, raw_value, sufs, req) per sample line; the
      line is pre + time + mid + value + suffix, where the suffix is sufs[0] for a line
      outside any request and sufs[0] + "/k" + sufs[1] + "/k" + sufs[2] for a line of
      request req (the two cuts: the ends of the name and url values).
    times: index -> time (ns for NDJSON, s for CSV); nfactors: trend factors per repetition.
    requests: request -> index of its source URL in urls.
    """

    def __init__(self):
        self.header = ""
        self.points = []
        self.times = []
        self.time_index = {}
        self.nfactors = 0
        self.requests = []
        self.urls = []
        self.url_index = {}
        self._last_req = None   # ((time, url), request) of the last line with a url tag

    def time_of(self, raw, parse, lineno):
        ti = self.time_index.get(raw)
        if ti is None:
            try:
                t = parse(raw)
            except ValueError as e:
                die("line %d: %s" % (lineno, e))
            ti = self.time_index[raw] = len(self.times)
            self.times.append(t)
        return ti

    def request_of(self, metric, raw_time, url):
        """Request index of a line with a url tag (a new one unless it continues the last)."""
        key = (raw_time, url)
        if metric != "http_reqs" and self._last_req is not None and self._last_req[0] == key:
            return self._last_req[1]
        j = self.url_index.get(url)
        if j is None:
            j = self.url_index[url] = len(self.urls)
            self.urls.append(url)
        r = len(self.requests)
        self.requests.append(j)
        self._last_req = (key, r)
        return r

    def split_suffix(self, suf, cuts):
        """suf -> (suf,) or, with cuts (positions in suf), the three pieces around them."""
        if cuts is None:
            return (suf,)
        a, b = sorted(cuts)
        return (suf[:a], suf[a:b], suf[b:])


def load_ndjson(path, endpoints):
    src = Source()
    metric_lines = []          # in order of first appearance
    metric_type = {}           # name -> k6 metric type
    for n, line in enumerate(read_source(path), 1):
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
        ti = src.time_of(raw_t, parse_time_ns, n)
        raw_v = line[vs:ve]
        val = float(raw_v) if metric_type[name] == "trend" else None
        req, cuts = -1, None
        if endpoints:
            us = field_span(line, "url", n, ve, required=False)
            if us is not None:
                ns_ = field_span(line, "name", n, ve, required=False)
                if ns_ is None or line[us[0]] != '"' or line[ns_[0]] != '"':
                    die("line %d: a url tag without a string name tag" % n)
                req = src.request_of(name, raw_t, line[us[0] + 1:us[1] - 1])
                cuts = (ns_[1] - 1 - ve, us[1] - 1 - ve)  # before each closing quote
        suf = line[ve:] + "\n"
        src.points.append((line[:ts + 1], ti, line[te - 1:vs], ti, val, raw_v,
                           src.split_suffix(suf, cuts), req))
    if not src.points:
        die("%s: no Point lines" % path)
    src.header = "".join(l + "\n" for l in metric_lines)
    src.nfactors = len(src.times)  # one factor per timestamp
    return src


def trend_names(types_path):
    """Names of the trend metrics in the Metric lines of a k6 NDJSON file."""
    names = set()
    for line in read_source(types_path):
        if '"type":"Metric"' in line:
            obj = json.loads(line)
            if obj["data"]["type"] == "trend":
                names.add(obj.get("metric") or obj["data"]["name"])
    return names


def csv_fields(line, lineno):
    """(start, end) of every field of a CSV line (RFC 4180 quotes; no newline inside)."""
    spans, i, n = [], 0, len(line)
    while True:
        start = i
        if i < n and line[i] == '"':
            i += 1
            while True:
                j = line.find('"', i)
                if j < 0:
                    die("line %d: unterminated quote (quoted newlines are not supported)"
                        % lineno)
                if line.startswith('""', j):
                    i = j + 2
                    continue
                i = j + 1
                break
            if i < n and line[i] != ",":
                die("line %d: text after a closing quote" % lineno)
        else:
            j = line.find(",", i)
            i = n if j < 0 else j
        spans.append((start, i))
        if i >= n:
            return spans
        i += 1


def field_end(line, span):
    """Where to append to a CSV field: before its closing quote if it is quoted."""
    s, e = span
    return e - 1 if e - s >= 2 and line[s] == '"' else e


def load_csv(path, endpoints, types_path):
    src = Source()
    lines = read_source(path)
    if not lines:
        die("%s: empty" % path)
    src.header = lines[0] + "\n"
    cols = lines[0].split(",")
    if cols[:3] != ["metric_name", "timestamp", "metric_value"]:
        die("%s: expected k6's header metric_name,timestamp,metric_value,..." % path)
    if "name" not in cols or "url" not in cols:
        die("%s: the header has no name or url column" % path)
    c_name, c_url = cols.index("name"), cols.index("url")
    if types_path is None:
        sibling = Path(path).with_name("out.json")
        types_path = sibling if sibling.is_file() else None
    trends = trend_names(types_path) if types_path is not None else K6_TRENDS
    req_factor = {}   # request -> its factor index
    for n, line in enumerate(lines[1:], 2):
        if not line:
            continue
        if '"' in line:
            spans = csv_fields(line, n)
        else:
            spans, i = [], 0
            for part in line.split(","):
                spans.append((i, i + len(part)))
                i += len(part) + 1
        if len(spans) != len(cols):
            die("line %d: %d fields, the header has %d" % (n, len(spans), len(cols)))
        name = line[:spans[0][1]]
        ts, te = spans[1]
        vs, ve = spans[2]
        raw_t = line[ts:te]
        ti = src.time_of(raw_t, int, n)
        raw_v = line[vs:ve]
        us, ue = spans[c_url]
        # requests group the rows for their trend factor, with or without --endpoints
        r = src.request_of(name, raw_t, line[us:ue]) if ue > us else -1
        val, fi = None, -1
        if name in trends:
            try:
                val = float(raw_v)
            except ValueError:
                die("line %d: value %r is not a number" % (n, raw_v))
            fi = req_factor.get(r, -1) if r >= 0 else -1
            if fi < 0:
                fi = src.nfactors
                src.nfactors += 1
                if r >= 0:
                    req_factor[r] = fi
        req, cuts = -1, None
        if endpoints and r >= 0:
            if spans[c_name][1] == spans[c_name][0]:
                die("line %d: a url without a name" % n)
            req = r
            cuts = (field_end(line, spans[c_name]) - ve, field_end(line, spans[c_url]) - ve)
        suf = line[ve:] + "\n"
        src.points.append((line[:ts], ti, line[te:vs], fi, val, raw_v,
                           src.split_suffix(suf, cuts), req))
    if not src.points:
        die("%s: no rows" % path)
    return src


def endpoint_plan(src, n):
    """Per URL j: how many endpoints it owns (k = j, j+B, ... < n)."""
    b = len(src.urls)
    if b == 0:
        die("--endpoints: the source has no lines with a url tag")
    if n < b:
        die("--endpoints %d: must be at least the number of distinct source URLs (%d)"
            % (n, b))
    return [(n - j + b - 1) // b for j in range(b)]


def main():
    global PROG
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?",
                    help="real k6 output of --format (.gz ok); default: %s or %s"
                    % (DEFAULT_SOURCE["ndjson"], DEFAULT_SOURCE["csv"]))
    ap.add_argument("--format", choices=("ndjson", "csv"), default="ndjson",
                    help="k6 --out json (default) or --out csv; source and output alike")
    ap.add_argument("--size-mb", type=float, required=True,
                    help="stop after at least this many MiB of (uncompressed) output")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--endpoints", type=int, default=0, metavar="N",
                    help="spread the HTTP requests over N distinct URLs (default: keep them)")
    ap.add_argument("--types", metavar="NDJSON",
                    help="CSV only: k6 NDJSON whose Metric lines say which metrics are "
                    "trends (default: out.json beside the source, else k6's built-in trends)")
    ap.add_argument("--out", default="-", help="output file (default: stdout)")
    ap.add_argument("--gzip", action="store_true", help="gzip the output (mtime 0)")
    args = ap.parse_args()
    if args.format == "csv":
        PROG = "make_k6_csv"
    elif args.types:
        die("--types is for --format csv")
    if args.endpoints < 0:
        die("--endpoints must not be negative")
    source = args.source or str(DEFAULT_SOURCE[args.format])

    if args.format == "csv":
        src = load_csv(source, args.endpoints, args.types)
        gap, format_time, format_value = GAP_S, str, format_value_csv
    else:
        src = load_ndjson(source, args.endpoints)
        gap, format_time, format_value = GAP_NS, format_time_ns, format_value_json
    points, times = src.points, src.times
    owned = endpoint_plan(src, args.endpoints) if args.endpoints else []
    used = [0] * len(owned)     # requests so far, per URL
    nurls = len(owned)

    target = int(args.size_mb * MIB)
    t0 = min(times)
    period = max(times) - t0 + gap
    rng = random.Random(args.seed)
    mu = -SIGMA * SIGMA / 2  # mean of the factor is 1
    # Lines whose value never changes and that name no endpoint: pre-join what follows the
    # time.
    tails = [mid + raw + sufs[0] if v is None and req < 0 else None
             for (_, _, mid, _, v, raw, sufs, req) in points]

    if args.out == "-":
        raw_out = sys.stdout.buffer
    else:
        try:
            raw_out = open(args.out, "wb")
        except OSError as e:
            die("cannot write %s: %s" % (args.out, e))
    out = gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0) if args.gzip else raw_out

    header = src.header.encode("utf-8")
    out.write(header)
    written = len(header)
    nlines = header.count(b"\n")
    reps = 0
    exp = math.exp
    gauss = rng.gauss
    hit = bytearray(args.endpoints)
    while written < target:
        shift = reps * period
        tstr = [format_time(t + shift) for t in times]
        fac = None
        if reps > 0:
            fac = [exp(mu + SIGMA * gauss(0.0, 1.0)) for _ in range(src.nfactors)]
        ks = []
        kn = []
        for j in src.requests if nurls else ():
            c = used[j]
            used[j] = c + 1
            k = j + nurls * (c % owned[j])
            kn.append(k)
            ks.append("/%d" % k)
        buf = []
        app = buf.append
        for (pre, ti, mid, fi, v, raw, sufs, req), tail in zip(points, tails):
            if tail is not None:
                app(pre + tstr[ti] + tail)
                continue
            val = raw if fac is None or v is None else format_value(v * fac[fi])
            if req < 0:
                app(pre + tstr[ti] + mid + val + sufs[0])
            else:
                k = ks[req]
                app(pre + tstr[ti] + mid + val + sufs[0] + k + sufs[1] + k + sufs[2])
        chunk = "".join(buf).encode("utf-8")
        need = target - written
        kept = len(buf)
        if len(chunk) >= need:
            cut = chunk.index(b"\n", max(need - 1, 0)) + 1
            chunk = chunk[:cut]
            kept = chunk.count(b"\n")
        nlines += kept
        if nurls:
            if kept == len(buf):
                for k in kn:
                    hit[k] = 1
            else:
                for p in points[:kept]:
                    if p[7] >= 0:
                        hit[kn[p[7]]] = 1
        out.write(chunk)
        written += len(chunk)
        reps += 1

    if out is not raw_out:
        out.close()
    if raw_out is sys.stdout.buffer:
        raw_out.flush()
    else:
        raw_out.close()
    ep = ""
    if nurls:
        ep = ", %d of %d endpoints (%d source URLs)" % (sum(hit), args.endpoints, nurls)
    sys.stderr.write("%s: %d lines (%d header), %d bytes uncompressed, "
                     "%d repetitions of %d samples%s, seed %d -> %s%s\n"
                     % (PROG, nlines, header.count(b"\n"), written, reps, len(points), ep,
                        args.seed, args.out, " (gzip)" if args.gzip else ""))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
