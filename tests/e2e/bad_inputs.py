#!/usr/bin/env python3
"""bad_inputs.py PERFGATE FIXTURES [CASE-PREFIX]

The catalogue of bad and hostile inputs, as a table. Every case makes its input at test time in
a fresh folder, almost always by editing a real fixture (a hand-written file only where the
point is a syntax error), runs perfgate there with PERFGATE_DIAG_IDS=1, and checks:

  - the exit code;
  - each expected diagnostic: its identifier and its exact position (`file:line:col` of the
    offending byte, computed here from the input; `file` for a whole input; `perfgate` for
    the command line), as the start of a line of stderr: `POSITION: level[DIAG_ID]:`;
  - no crash (a signal), no sanitizer report;
  - nothing left behind and nothing lost: after the run the folder holds exactly the files it
    held before, with the same bytes, plus or but for those the case says are written (no
    output of a failed command, no `*.tmp.*`, an older output intact when a write failed);
  - peak memory (ru_maxrss of the child, which on Linux includes this script's own resident
    size at the fork, kept small: big inputs are written in pieces) under the case's bound:
    256 MB by default, x4 under AddressSanitizer (ASAN_OPTIONS set), so a 100 MB line or a
    256 MB gzip bomb is read in bounded memory.

Exit 0 when every case holds, 1 otherwise (each failure says which case and why).
"""
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib

if len(sys.argv) < 3:
    sys.exit(__doc__)
PERFGATE, FIXTURES = os.path.abspath(sys.argv[1]), sys.argv[2]
MB = 1024 * 1024


def fixture(path):
    with open(os.path.join(FIXTURES, path), "rb") as f:
        return f.read()


def at(data, needle, nth=1, into=0):
    """`line:col` of the nth occurrence of needle in data (bytes), plus `into` characters."""
    i = -1
    for _ in range(nth):
        i = data.index(needle, i + 1)
    i += into
    line = data.count(b"\n", 0, i) + 1
    start = data.rfind(b"\n", 0, i) + 1
    col = len(data[start:i].decode("utf-8", "replace")) + 1
    return f"{line}:{col}"


def end_of(data):
    """`line:col` just past the last byte (where a cut-short document ends)."""
    line = data.count(b"\n") + 1
    start = data.rfind(b"\n") + 1
    return f"{line}:{len(data[start:].decode('utf-8', 'replace')) + 1}"


def replace(data, old, new, count=1):
    assert old in data, old
    return data.replace(old, new, count)


def no_raw(pattern, what):
    def check(d, out, err):
        return [f"{what} reached the output"] if re.search(pattern, out + err) else []
    return check


class Case:
    """writes: files the command may leave (a prefix ending in '/' allows a whole folder);
    check(folder, stdout, stderr) returns a list of problems, for what the table cannot say."""

    def __init__(self, name, files, args, exit, diags, writes=(), memory_mb=256, stdin=None,
                 check=None, env=None, links=None, base=None, stdout_to=None):
        self.name, self.files, self.args, self.exit = name, files, args, exit
        self.diags, self.writes, self.memory_mb, self.stdin = diags, set(writes), memory_mb, stdin
        self.check, self.env = check, env or {}
        # links: symlinks made in the folder (name -> target); base: where the folder is made
        # ("{dir}" in args is its absolute path)
        self.links, self.base = links or {}, base
        self.stdout_to = stdout_to  # a file of the folder standard output is redirected to


CASES = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


def edited(tag, base, name, rows):
    """A case per row (key, old, new, ident, into): base with old replaced by new, as file name,
    read by show (exit 2), with ident expected at byte `into` of new."""
    for key, old, new, ident, into in rows:
        data = replace(base, old, new)
        case(f"{tag}-{key}", {name: data}, ["show", name], 2, [(ident, f"{name}:" + at(data, new, 1, into))])


# ---------------------------------------------------------------------------------------------
# JSON front ends: autocannon, k6 summary, Locust --json, model JSON, Prometheus API answers
AC = fixture("autocannon/fast-c10-d3.json")
K6S = fixture("k6/mixed-stages/summary-export.json")
LJ = fixture("locust/json-slow/run.json")
PAPI = fixture("prometheus/steady/range-http_requests_total.json")


def json_family(tag, data, fmt, key_number, key_text):
    """The same faults in every JSON format. key_number: a member holding a number."""
    cut = data[: len(data) // 2]
    case(f"{tag}-truncated", {"in.json": cut}, ["show", "in.json"], 2,
         [("DIAG_JSON_SYNTAX", "in.json:" + end_of(cut))])
    garbage = data.rstrip() + b"\n}}\n"
    case(f"{tag}-trailing-garbage", {"in.json": garbage}, ["show", "in.json"], 2,
         [("DIAG_JSON_SYNTAX", "in.json:" + at(garbage, b"\n}}\n", 1, 1))])
    gz_cut = gzip.compress(data)[:-40]
    # whole-document readers say the file; the streamed API reader, where the bytes ended
    ended = "in.json.gz:" + end_of(zlib.decompressobj(31).decompress(gz_cut)) if fmt == "prometheus-api" \
        else "in.json.gz"
    case(f"{tag}-gzip-cut", {"in.json.gz": gz_cut},
         ["show", "--format", fmt, "in.json.gz"], 2, [("DIAG_INPUT_READ", ended)])
    nul = replace(data, key_text, key_text[:2] + b"\0" + key_text[2:])
    case(f"{tag}-nul-inside", {"in.json": nul}, ["show", "--format", fmt, "in.json"], 2,
         [("DIAG_JSON_SYNTAX", "in.json:" + at(nul, b"\0"))])
    case(f"{tag}-forced-wrong-format", {"in.json": data}, ["show", "--format", "wrk", "in.json"], 2,
         [("DIAG_NO_DATA", "in.json")])


json_family("autocannon", AC, "autocannon", b'"connections":10', b'"url"')
json_family("k6-summary", K6S, "k6-summary", b'"passes": 1924', b'"metrics"')
json_family("locust-json", LJ, "locust-json", b'"num_requests": 4484', b'"name"')
json_family("prom-api", PAPI, "prometheus-api", b'"status"', b'"status"')

# the offending token as the file's last byte, and a byte that is not UTF-8: at that byte
for key, data, bad in [("trailing-comma-last-byte", b"[1,]", b"]"), ("garbage-last-byte", b'{"a": 1}x', b"x"),
                       ("invalid-utf8-in-string", b'{"a": "x\xffy"}', b"\xff")]:
    case(f"json-{key}", {"in.json": data}, ["show", "--format", "autocannon", "in.json"], 2,
         [("DIAG_JSON_SYNTAX", "in.json:" + at(data, bad))])

# autocannon: values outside their domain, at their position
for key, old, new in [("negative-mean", b'"mean":0.01,', b'"mean":-0.01,'),
                      ("connections-string", b'"connections":10', b'"connections":"10"'),
                      ("duration-nan-string", b'"duration":3.02', b'"duration":"NaN"'),
                      ("start-not-time", b'"start":"2026-11-23T06:47:12.803Z"', b'"start":"yesterday"')]:
    data = replace(AC, old, new)
    ident = {"negative-mean": "DIAG_BAD_VALUE", "connections-string": "DIAG_JSON_TYPE", "duration-nan-string": "DIAG_JSON_TYPE",
             "start-not-time": "DIAG_BAD_VALUE"}[key]
    case(f"autocannon-{key}", {"in.json": data}, ["show", "in.json"], 2,
         [(ident, "in.json:" + at(data, new, 1, new.index(b":") + 1))])
NEG_CHECK = replace(K6S, b'"passes": 962', b'"passes": -962')
case("k6-summary-group-check-negative", {"in.json": NEG_CHECK},
     ["show", "in.json"], 2, [("DIAG_BAD_VALUE", "in.json:" + at(NEG_CHECK, b"-962"))])
DUP = replace(AC, b'{"url"', b'{"errors":5,"url"')
case("autocannon-duplicate-key-warns", {"in.json": DUP},
     ["show", "in.json"], 0, [("DIAG_DUPLICATE_KEY", "in.json:" + at(DUP, b'"errors"', 2))])
ARRAY = b"[" + AC.strip() + b",42]"
case("autocannon-array-element-number", {"in.json": ARRAY},
     ["show", "in.json"], 2, [("DIAG_JSON_TYPE", "in.json:" + at(ARRAY, b",42]", 1, 1))])
DEEP = b'{"latency":' + b"[" * 100000 + b"]" * 100000 + b"}"
# Jansson stops at depth 2049: the object, then the 2048th '['
case("autocannon-deep-nesting", {"in.json": DEEP},
     ["show", "--format", "autocannon", "in.json"], 2, [("DIAG_JSON_SYNTAX", "in.json:" + at(DEEP, b"[", 2048))])

# k6 summary
for key, old, new, ident in [
        ("passes-negative", b'"passes": 1924', b'"passes": -1924', "DIAG_BAD_VALUE"),
        ("counter-count-negative", b'"count": 3848', b'"count": -3848', "DIAG_BAD_VALUE"),
        ("p95-string", b'"p(95)": 30.25332409999999', b'"p(95)": "30.25"', "DIAG_JSON_TYPE"),
        ("metrics-array", b'"metrics": {', b'"metrics": [{', None)]:
    data = replace(K6S, old, new)
    if ident is None:  # the array holds the metrics object, then "root_group": where ',' or ']' was due
        case(f"k6-summary-{key}", {"in.json": data}, ["show", "in.json"], 2,
             [("DIAG_JSON_SYNTAX", "in.json:" + at(data, b'"root_group":', 1, 12))])
        continue
    case(f"k6-summary-{key}", {"in.json": data}, ["show", "--format", "k6-summary", "in.json"], 2,
         [(ident, "in.json:" + at(data, new, 1, new.index(b":") + 2))])

# Locust --json
edited("locust-json", LJ, "in.json", [
        ("num-requests-negative", b'"num_requests": 4484', b'"num_requests": -4484', "DIAG_BAD_VALUE", 16),
        ("num-requests-float", b'"num_requests": 4484', b'"num_requests": 4484.5', "DIAG_BAD_VALUE", 16),
        ("bucket-key-text", b'"75": ', b'"fast": ', "DIAG_BAD_VALUE", 0),
        ("bucket-count-negative", b'"75": ', b'"75": -', "DIAG_BAD_VALUE", 6),
        ("none-above-requests", b'"num_none_requests": 0', b'"num_none_requests": 99999', "DIAG_BAD_VALUE", 21),
        ("time-before-1970", b'"start_time": ', b'"start_time": -', "DIAG_BAD_VALUE", 14),
        ("time-after-2100", b'"start_time": 1', b'"start_time": 91', "DIAG_BAD_VALUE", 14),
        ("name-number", b'"name": "/hang"', b'"name": 7', "DIAG_JSON_TYPE", 8),
        ("response-times-list", b'"response_times": {', b'"response_times": [], "x": {', "DIAG_JSON_TYPE", 18),
        ("per-second-key-text", b'"num_reqs_per_sec": {\n            "', b'"num_reqs_per_sec": {\n            "x', "DIAG_BAD_VALUE", 34),
        ("per-second-key-year-3000", b'"num_reqs_per_sec": {\n            "', b'"num_reqs_per_sec": {\n            "3', "DIAG_BAD_VALUE", 34)])
ODD = replace(LJ, b'"3000.0": 12', b'"3000.0": 11')
case("locust-json-buckets-do-not-add-up", {"in.json": ODD},  # at the second entry's buckets
     ["show", "in.json"], 2, [("DIAG_BAD_VALUE", "in.json:" + at(ODD, b'"response_times": {', 2, 18))])
# entries whose requests add up past 2^53 (each alone consistent): not a silently wrong sum
BIG = replace(replace(LJ, b'"num_requests": 4484', b'"num_requests": %d' % 2**53),
              b'"79": 1,', b'"79": %d,' % (2**53 - 4484 + 1))
case("locust-json-requests-add-up-past-2-53", {"in.json": BIG}, ["show", "in.json"], 2,
     [("DIAG_BAD_VALUE", "in.json:" + at(BIG, b'"num_requests": 16', 1, 16))])
NONAME = replace(LJ, b'"name": "/hang",', b'')
case("locust-json-missing-name", {"in.json": NONAME},  # at the entry: the second '{' of the list
     ["show", "in.json"], 2, [("DIAG_MISSING_FIELD", "in.json:" + at(NONAME, b"\n    {", 2, 5))])
case("locust-json-empty-list", {"in.json": b"[]\n"}, ["show", "--format", "locust-json", "in.json"], 2,
     [("DIAG_NO_DATA", "in.json:1:1")])
case("locust-json-not-a-list", {"in.json": b'{"name": "x"}\n'}, ["show", "--format", "locust-json", "in.json"],
     2, [("DIAG_JSON_TYPE", "in.json:1:1")])

# Prometheus API answers (each at the token: new[into:])
for key, old, new, ident, into in [
        ("status-error", b'"status":"success"', b'"status":"error","error":"bad query"', "DIAG_PROM_API_ERROR", 9),
        ("time-not-number", b'"values":[[', b'"values":[["x",', "DIAG_PROM_SYNTAX", 11),
        ("value-not-number", b'"]]', b'x"]]', "DIAG_PROM_SYNTAX", None),
        ("time-after-9999", b'"values":[[1', b'"values":[[3593', "DIAG_PROM_SYNTAX", 11)]:
    data = replace(PAPI, old, new)
    if into is None:  # the first series' last value made "Nx": at its opening quote
        end = data.index(b'x"]]')
        pos = at(data, data[data.rfind(b'"', 0, end):end + 2])
    else:
        pos = at(data, new, 1, into)
    case(f"prom-api-{key}", {"in.json": data}, ["show", "in.json"], 2, [(ident, "in.json:" + pos)])

# the same through the HTTP API's JSON escape
API_NUL = replace(PAPI, b'"job":', b'"j\\u0000x":"1","j\\u0000y":')
case("prom-api-nul-in-label-name", {"in.json": API_NUL}, ["show", "in.json"], 2,
     [("DIAG_PROM_SYNTAX", "in.json:" + at(API_NUL, b"\\u0000"))])

# ---------------------------------------------------------------------------------------------
# Line formats: k6 NDJSON and CSV, Locust CSV, wrk, Prometheus text
NDJ = fixture("k6/mixed-stages/out.json")
NDJ_HEAD = b"\n".join(NDJ.split(b"\n")[:400]) + b"\n"
point = NDJ_HEAD.split(b"\n")[1]
# each at the offending token of its line, the byte after `after` (None: the line's end); a
# time string that is not a time, at its text
for key, new, after, ident in [
        ("value-string", replace(point, b'"value":1', b'"value":"1"'), b'"value":', "DIAG_LINE_SKIPPED"),
        ("time-bad", replace(point, b'"time":"2026', b'"time":"x2026'), b'"time":"', "DIAG_LINE_SKIPPED"),
        ("not-json", b"{\"metric\":", None, "DIAG_LINE_SKIPPED"),
        ("value-negative-duration", None, b'"value":', "DIAG_LINE_SKIPPED"),
        ("tags-array", replace(point, b'"tags":{', b'"tags":[{'), b'"tags":[', "DIAG_LINE_SKIPPED")]:
    lines = NDJ_HEAD.split(b"\n")
    if new is None:
        i = next(i for i, l in enumerate(lines) if b'"metric":"http_req_duration","type":"Point"' in l)
        lines[i] = re.sub(rb'"value":([0-9])', rb'"value":-\1', lines[i])
    else:
        i = 5
        lines.insert(i, new)
    line = lines[i]
    col = len(line) + 1 if after is None else line.index(after) + len(after) + 1
    if key == "tags-array":  # the tags object is read; the array needed ']' after it
        depth, j = 0, line.index(after) + len(after)
        while True:
            depth += {ord("{"): 1, ord("}"): -1}.get(line[j], 0)
            j += 1
            if depth == 0:
                break
        col = j + 1
    case(f"k6-ndjson-{key}", {"out.json": b"\n".join(lines)}, ["show", "out.json"], 0,
         [(ident, f"out.json:{i + 1}:{col}")])
case("k6-ndjson-gzip-cut", {"out.json.gz": gzip.compress(NDJ)[:-100]}, ["show", "out.json.gz"], 0,
     [("DIAG_INPUT_TRUNCATED", "out.json.gz")])


def complete_requests(cut):
    """A check: the run counts the http_reqs of every complete line zlib can inflate from the
    cut gzip stream (Python's zlib, not perfgate's), no fewer."""
    inflated = zlib.decompressobj(31).decompress(cut)
    complete = inflated[: inflated.rfind(b"\n") + 1]
    want = sum(b'"metric":"http_reqs","type":"Point"' in l for l in complete.split(b"\n"))

    def check(d, out, err):
        r = subprocess.run([PERFGATE, "show", "--json", "out.json.gz"], cwd=d, capture_output=True)
        got = next((c["total"] for c in json.loads(r.stdout)["runs"][0]["counters"]
                    if c["metric"] == "requests" and c["endpoint"] is None), None) if r.stdout else None
        return [] if got == want else [f"requests {got}, the complete lines hold {want}"]
    return check


for key, part in [("early", 5), ("after-64KiB", 3)]:  # cut within the first 64 KiB inflated, and after
    CUT = gzip.compress(b"\n".join(NDJ.split(b"\n")[:1000]) + b"\n")
    CUT = CUT[: len(CUT) // part]
    case(f"k6-ndjson-gzip-cut-{key}-uses-complete-lines", {"out.json.gz": CUT}, ["show", "out.json.gz"], 0,
         [("DIAG_INPUT_TRUNCATED", "out.json.gz")], check=complete_requests(CUT))


def huge_line(f):
    f.write(NDJ_HEAD + b'{"metric":"x","data":"')
    for _ in range(100):
        f.write(b"a" * MB)
    f.write(b'"}\n')


def gzip_bomb(f):
    with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9) as z:
        for _ in range(256):
            z.write(bytes(MB))


case("k6-ndjson-100MB-line", {"out.json": huge_line},
     ["show", "out.json"], 0, [("DIAG_LINE_SKIPPED", "out.json:401:1")], memory_mb=512)
case("k6-ndjson-only-metric-lines", {"out.json": b"\n".join(l for l in NDJ_HEAD.split(b"\n") if b'"type":"Metric"' in l) + b"\n"},
     ["show", "out.json"], 2, [("DIAG_NO_DATA", "out.json")])

CSV = fixture("k6/mixed-stages/out.csv")
CSV_HEAD = b"\n".join(CSV.split(b"\n")[:300]) + b"\n"
csv_lines = CSV_HEAD.split(b"\n")
for key, edit, bad in [("value-text", lambda l: l.replace(b",18.783962,", b",fast,"), b"fast"),
                       ("timestamp-text", lambda l: l.replace(b",1795394819,", b",noon,"), b"noon"),
                       ("too-few-fields", lambda l: l.split(b",")[0] + b",1795394819", None)]:
    lines = list(csv_lines)
    lines[2] = edit(lines[2])
    col = lines[2].index(bad) + 1 if bad else 1  # a short row: at its start
    case(f"k6-csv-{key}", {"out.csv": b"\n".join(lines)}, ["show", "out.csv"], 0,
         [("DIAG_LINE_SKIPPED", f"out.csv:3:{col}")])
case("k6-csv-header-only", {"out.csv": csv_lines[0] + b"\n"}, ["show", "out.csv"], 2, [("DIAG_NO_DATA", "out.csv")])
case("k6-csv-gzip-cut", {"out.csv.gz": gzip.compress(CSV)[:-100]}, ["show", "out.csv.gz"], 0,
     [("DIAG_INPUT_TRUNCATED", "out.csv.gz")])

LSTATS = fixture("locust/mixed/run_stats.csv")
# at the field (new[into:]), or the whole file for the percentiles, checked once all are read
for key, old, new, ident, into in [
        ("count-text", b"GET,/fast,706,", b"GET,/fast,many,", "DIAG_LINE_SKIPPED", 10),
        ("percentile-text", b",1,1,1,1,2,3,4,5,12,12,12", b",1,1,1,1,2,x,4,5,12,12,12", "DIAG_LINE_SKIPPED", 11),
        ("percentiles-decrease", b",1,1,1,1,2,3,4,5,12,12,12", b",1,1,1,1,2,3,4,5,12,2,12", "DIAG_PERCENTILES_DECREASE", None)]:
    data = replace(LSTATS, old, new)
    case(f"locust-csv-{key}", {"r_stats.csv": data}, ["show", "r_stats.csv"], 0,
         [(ident, "r_stats.csv" if into is None else "r_stats.csv:" + at(data, new, 1, into))])
case("locust-csv-missing-column", {"r_stats.csv": LSTATS.replace(b"Request Count,", b"")},
     ["show", "--format", "locust", "r_stats.csv"], 2, [("DIAG_MISSING_FIELD", "r_stats.csv:1:1")])
case("locust-csv-header-only", {"r_stats.csv": LSTATS.split(b"\n")[0] + b"\n"},
     ["show", "r_stats.csv"], 2, [("DIAG_NO_DATA", "r_stats.csv")])

# a history cut short (an 8 s run) whose Requests/s gives a duration past year 9999
SHORT = {n: fixture("locust/short-8s/run_" + n) for n in ("stats.csv", "stats_history.csv")}


def duration_sane(d, out, err):
    m = re.search(rb"duration: (\S+) s", out)
    problems = [] if m and float(m.group(1)) >= 0 else [f"duration {m.group(1) if m else None}"]
    problems += model_written("m.json")(d, out, err)
    r = subprocess.run([PERFGATE, "show", "m.json"], cwd=d, capture_output=True)
    return problems + ([] if r.returncode == 0 else ["the saved model does not read back"])


case("locust-history-rps-tiny",
     {"r_stats.csv": SHORT["stats.csv"].replace(b",181.56820394232662,", b",1e-12,"),
      "r_stats_history.csv": SHORT["stats_history.csv"]},
     ["show", "--save-model", "m.json", "r_stats.csv"], 0,
     [("DIAG_HISTORY_CUT_SHORT", "r_stats_history.csv")], writes=["m.json"], check=duration_sane)

# Request Count / Requests/s = 253402300800 s from a history at 1970: exactly 10000-01-01
HIST_1970 = b"\n".join([SHORT["stats_history.csv"].split(b"\n")[0]] + [
    re.sub(rb"^\d+,", str(t).encode() + b",", line) for t, line in
    zip((0, 1), SHORT["stats_history.csv"].split(b"\n")[1:3])]) + b"\n"
case("locust-history-end-at-year-10000",
     {"r_stats.csv": SHORT["stats.csv"].replace(b"1270,0,27,", b"253402300800,0,27,")
      .replace(b",181.56820394232662,", b",1,"), "r_stats_history.csv": HIST_1970},
     ["show", "--save-model", "m.json", "r_stats.csv"], 0,
     [("DIAG_HISTORY_CUT_SHORT", "r_stats_history.csv")], writes=["m.json"], check=duration_sane)

WRK = fixture("wrk/fast-plain.txt")
for key, pattern, ident in [("latency-nan", rb"(Latency\s+)([0-9.]+)(us|ms)", "DIAG_VALUE_SKIPPED"),
                            ("requests-line-cut", None, None)]:
    if pattern is None:
        cut = WRK[: WRK.index(b"requests in")]
        case("wrk-cut-before-requests", {"w.txt": cut}, ["show", "--format", "wrk", "w.txt"], 2,
             [("DIAG_MISSING_FIELD", "w.txt:1:1")])
        continue
    m = re.search(pattern, WRK)
    data = WRK[: m.start(2)] + b"nan" + WRK[m.end(3):]
    case(f"wrk-{key}", {"w.txt": data}, ["show", "w.txt"], 0, [(ident, "w.txt:" + at(data, b"nan"))])
m = re.search(rb"(\d+) requests in", WRK)
data = WRK[: m.start(1)] + b"-" + WRK[m.start(1):]
case("wrk-requests-negative", {"w.txt": data}, ["show", "w.txt"], 0,
     [("DIAG_VALUE_SKIPPED", "w.txt:" + at(data, b"-" + m.group(1)))])

PROM = fixture("prometheus/steady/node-1796531472.prom")
edited("prom-text", PROM, "node.prom", [
        ("value-text", b"go_goroutines 8", b"go_goroutines eight", "DIAG_PROM_SYNTAX", 14),
        ("label-unclosed", b'go_gc_duration_seconds{quantile="0"}', b'go_gc_duration_seconds{quantile="0}', "DIAG_PROM_SYNTAX", 32),
        ("timestamp-float", b"go_goroutines 8", b"go_goroutines 8 1.5", "DIAG_PROM_SYNTAX", 16),
        ("timestamp-year-10000", b"go_goroutines 8", b"go_goroutines 8 253402300800000", "DIAG_PROM_SYNTAX", 16),
        ("type-unknown", b"# TYPE go_goroutines gauge", b"# TYPE go_goroutines meter", "DIAG_PROM_SYNTAX", 21),
        ("name-bad", b"go_goroutines 8", b"go-goroutines 8", "DIAG_PROM_SYNTAX", 0)])
UTF = replace(PROM, b"go_goroutines 8", b'go_goroutines{pool="caf\xe9"} 8')
case("prom-text-invalid-utf8-label", {"node.prom": UTF},
     ["show", "node.prom"], 0, [("DIAG_NOT_UTF8", "node.prom:" + at(UTF, b'"caf', 1))])
BADQ = replace(PROM, b'quantile="0"', b'quantile="\xff0"')
case("prom-text-invalid-utf8-quantile", {"node.prom": BADQ},  # at the start of its sample
     ["show", "node.prom"], 2, [("DIAG_PROM_SYNTAX", "node.prom:" + at(BADQ, b'go_gc_duration_seconds{quantile="\xff'))])
# the quoted line is a window, and so is its underline; the quote shows C1 controls and
# stray bytes as '?', as the message does
LONG_TYPE = replace(PROM, b"# TYPE go_goroutines gauge", b"# TYPE go_goroutines " + b"x" * MB)
case("prom-text-1MB-type-underline-bounded", {"node.prom": LONG_TYPE}, ["show", "node.prom"], 2,
     [("DIAG_PROM_SYNTAX", "node.prom:" + at(LONG_TYPE, b"x" * 10))],
     check=lambda d, out, err: [f"{len(err)} bytes on stderr"] if len(err) > 4096 else [])
C1 = replace(PROM, b"go_goroutines 8", b'go_goroutines{pool="\xc2\x9b31mred\xff"} x')
case("prom-text-c1-in-quoted-line", {"node.prom": C1}, ["show", "node.prom"], 2,
     [("DIAG_NOT_UTF8", "node.prom:" + at(C1, b'"\xc2', 1)),
      ("DIAG_PROM_SYNTAX", "node.prom:" + at(C1, b"} x", 1, 2))],
     check=no_raw(rb"\xc2\x9b|\xff", "a C1 control or a stray byte"))
# a NUL in a quoted label name: two names that differ after it would become one
NUL_NAMES = replace(PROM, b"go_goroutines 8", b'go_goroutines{"a\0x"="1","a\0y"="2"} 8')
case("prom-text-nul-in-label-name", {"node.prom": NUL_NAMES}, ["show", "node.prom"], 2,
     [("DIAG_PROM_SYNTAX", "node.prom:" + at(NUL_NAMES, b"\0"))])
# without its TYPE line a summary is told by its quantile labels; a plain sample of the same
# name and labels cannot also be its gauge
UNTYPED = replace(replace(PROM, b"# TYPE go_gc_duration_seconds summary\n", b""),
                  b"go_gc_duration_seconds_sum", b"go_gc_duration_seconds 9\ngo_gc_duration_seconds_sum")
case("prom-text-summary-and-gauge-one-series", {"node.prom": UNTYPED}, ["show", "node.prom"], 2,
     [("DIAG_PROM_INVALID", "node.prom:" + at(UNTYPED, b"go_gc_duration_seconds 9"))])


def reads_back(path, must_hold=b""):
    """A check: path is one model JSON holding must_hold, which perfgate reads back and saves
    again byte for byte."""
    def check(d, out, err):
        problems = model_written(path)(d, out, err)
        if problems:
            return problems
        with open(os.path.join(d, path), "rb") as f:
            saved = f.read()
        with tempfile.TemporaryDirectory() as t:
            again = os.path.join(t, "again.json")
            r = subprocess.run([PERFGATE, "show", "--save-model", again, path], cwd=d, capture_output=True)
            if r.returncode != 0:
                return problems + [f"the saved model does not read back: {r.stderr[-300:]!r}"]
            with open(again, "rb") as f:
                if f.read() != saved:
                    problems.append("the model read back and saved again differs")
        return problems + ([] if must_hold in saved else [f"{path} lacks {must_hold!r}"])
    return check


# an infinite summary quantile is no percentile: left out, and the saved model reads back
INF_Q = replace(PROM, b'go_gc_duration_seconds{quantile="0.5"} 2.8143e-05', b'go_gc_duration_seconds{quantile="0.5"} +Inf')
case("prom-text-summary-quantile-infinite", {"node.prom": INF_Q}, ["show", "--save-model", "m.json", "node.prom"], 0, [],
     writes=["m.json"], check=reads_back("m.json"))
NOINF = PROM + b"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n"
case("prom-text-histogram-no-inf", {"node.prom": NOINF},  # at its first bucket
     ["show", "node.prom"], 2, [("DIAG_PROM_INVALID", "node.prom:" + at(NOINF, b"h_bucket"))])
OM = b"# TYPE x counter\nx_total 1\n"
case("prom-text-openmetrics-no-eof", {"m.om": OM},  # at the end of the last line
     ["show", "--format", "prometheus-text", "m.om"], 2, [("DIAG_PROM_TRUNCATED", "m.om:" + at(OM, b"x_total 1", 1, 9))])
TWICE = PROM + b"go_goroutines 9\n"
case("prom-text-duplicate-series", {"node.prom": TWICE},  # at the second sample
     ["show", "node.prom"], 2, [("DIAG_PROM_INVALID", "node.prom:" + at(TWICE, b"go_goroutines 9"))])

# ---------------------------------------------------------------------------------------------
# Any input: empty, unreadable, unknown, bombs
for name, data, ident, where in [
        ("empty", b"", "DIAG_INPUT_EMPTY", "x.json"),
        ("bom-only", b"\xef\xbb\xbf", "DIAG_INPUT_EMPTY", "x.json"),
        ("whitespace-only", b" \n\t\r\n", "DIAG_INPUT_EMPTY", "x.json"),
        ("random-bytes", bytes(range(256)) * 40, "DIAG_UNKNOWN_FORMAT", "x.json"),
        ("plain-text", b"hello, world\n", "DIAG_UNKNOWN_FORMAT", "x.json"),
        ("empty-gzip", gzip.compress(b""), "DIAG_INPUT_EMPTY", "x.json"),
        ("gzip-bomb-zeros", gzip_bomb, "DIAG_UNKNOWN_FORMAT", "x.json"),
        ("gzip-garbage", b"\x1f\x8b\x08\x00garbage", "DIAG_INPUT_READ", "x.json")]:
    case(f"input-{name}", {"x.json": data}, ["show", "x.json"], 2, [(ident, where)])
case("input-missing", {}, ["show", "nope.json"], 2, [("DIAG_INPUT_OPEN", "nope.json")])
case("input-directory", {"d/x": b""}, ["show", "d"], 2, [("DIAG_INPUT_READ", "d")])
case("input-one-bad-others-shown", {"a.json": AC, "b.json": AC[:100]}, ["show", "a.json", "b.json"], 2,
     [("DIAG_JSON_SYNTAX", "b.json:" + end_of(AC[:100]))],
     check=lambda d, out, err: [] if b"run 'a.json'" in out else ["a.json was not shown"])
case("input-stdin-empty", {}, ["show", "-"], 2, [("DIAG_INPUT_EMPTY", "<stdin>")], stdin=b"")
case("input-stdin-bad-json", {}, ["show", "--format", "autocannon", "-"], 2,
     [("DIAG_JSON_SYNTAX", "<stdin>:" + end_of(b'{"latency": '))], stdin=b'{"latency": ')
case("input-unknown-format-name", {"a.json": AC}, ["show", "--format", "k7", "a.json"], 2,
     [("DIAG_FORMAT_NAME", "perfgate")])
V99 = b'{"format":"perfgate-model","version":99,"runs":[]}'
case("model-version-99", {"m.json": V99}, ["show", "m.json"], 2, [("DIAG_MODEL_VERSION", "m.json:" + at(V99, b"99"))])
RUNS = b'{"format":"perfgate-model","version":1,"runs":{}}'
case("model-runs-not-array", {"m.json": RUNS}, ["show", "m.json"], 2, [("DIAG_JSON_TYPE", "m.json:" + at(RUNS, b"{}"))])
# a timeline whose last interval starts after 9999 (a merge could make it the first), in the
# model perfgate saves from the k6 fixture: refused, at its points
def saved_model(path):
    r = subprocess.run([PERFGATE, "show", "--save-model", "-", os.path.join(FIXTURES, path)],
                       capture_output=True, check=True)
    return json.loads(r.stdout)


def timeline_past_9999():
    m = saved_model("k6/mixed-stages/out.json")
    t = next(s["timeline"] for s in m["runs"][0]["series"] if s.get("timeline"))
    t.update(interval_s=1, start="9999-12-31T23:59:59Z",
             points=[[0], next(p for p in t["points"] if p[0] > 0)])
    data = json.dumps(m).encode()
    return data, at(data, b'"points": [[0], ', 1, 10)


PAST, PAST_AT = timeline_past_9999()
case("model-timeline-past-9999", {"m.json": PAST}, ["show", "m.json"], 2, [("DIAG_BAD_VALUE", "m.json:" + PAST_AT)])
# null reads back as NaN in sums (an infinity minus an infinity), never as a reported percentile
QNULL = saved_model("wrk/fd-limit-connect-errors.txt")
next(s for s in QNULL["runs"][0]["series"] if s.get("reported"))["reported"]["quantiles"][0][1] = None
QNULL = json.dumps(QNULL).encode()
case("model-quantile-value-null", {"m.json": QNULL}, ["show", "m.json"], 2,
     [("DIAG_BAD_VALUE", "m.json:" + at(QNULL, b'"quantiles": [[', 1, 14))])
case("same-label-mixed-tools", {"a.json": AC, "w.txt": WRK}, ["show", "x=a.json", "x=w.txt"], 2,
     [("DIAG_MERGE_CONFLICT", "w.txt")])

# ---------------------------------------------------------------------------------------------
# Command line
for name, args in [("unknown-option", ["show", "--frobnicate", "a.json"]),
                   ("percentiles-text", ["show", "--percentiles", "abc", "a.json"]),
                   ("percentiles-above-100", ["show", "--percentiles", "101", "a.json"]),
                   ("percentiles-negative", ["show", "--percentiles", "-5", "a.json"]),
                   ("percentiles-empty", ["show", "--percentiles", "", "a.json"]),
                   ("digits-zero", ["show", "--digits", "0", "a.json"]),
                   ("option-without-value", ["show", "a.json", "--format"]),
                   ("no-input", ["show"]),
                   ("unknown-command", ["shw", "a.json"]),
                   ("two-stdout-documents", ["check", "--budget", "b.json", "--junit", "-", "--verdict", "-", "a.json"]),
                   ("group-not-regex-eq-name", ["show", "--group", "nothing", "a.json"]),
                   ("group-bad-regex", ["show", "--group", "([=x", "a.json"])]:
    # a --group value is quoted as a one-line source: the '=' missing past its end; PCRE2 says
    # where the pattern broke (after "([", the class never closed)
    where = {"group-not-regex-eq-name": ("DIAG_BAD_REGEX", f"--group:1:{len('nothing') + 1}"),
             "group-bad-regex": ("DIAG_BAD_REGEX", "--group:1:3")}.get(name, ("DIAG_USAGE", "perfgate"))
    case(f"cli-{name}", {"a.json": AC, "b.json": fixture("budgets/strict.json")}, args, 2, [where])

# ---------------------------------------------------------------------------------------------
# Budgets
BUDGET = fixture("budgets/strict.json")
for key, old, new, ident, into in [
        ("unknown-aggregation", b'"p95 < 20ms"', b'"p96x < 20ms"', "DIAG_BUDGET_UNKNOWN_AGGREGATION", 1),
        ("unknown-unit", b'"p95 < 20ms"', b'"p95 < 20parsecs"', "DIAG_BUDGET_UNKNOWN_UNIT", 9),
        ("dimension", b'"p95 < 20ms"', b'"p95 < 20%"', "DIAG_BUDGET_DIMENSION", 7),
        ("syntax", b'"p95 < 20ms"', b'"p95 << 20ms"', "DIAG_BUDGET_SYNTAX", 6),
        ("baseline-not-given", b'"p95 < 20ms"', b'"p95 < baseline * 1.1"', "DIAG_BUDGET_BASELINE", 1),
        ("version", b'"version": 1', b'"version": 7', "DIAG_BUDGET_FILE", 11),
        ("unknown-key", b'"assert": "p95 < 20ms"', b'"asert": "p95 < 20ms"', "DIAG_BUDGET_FILE", 0),  # the key
        ("selector-bad-regex", b'"endpoint": "GET /flaky"', b'"endpoint": {"regex": "([x"}', "DIAG_BUDGET_SELECTOR", 26),
        ]:
    data = replace(BUDGET, old, new)
    # an older report stays as it was: a budget with an error writes nothing
    case(f"budget-{key}", {"b.json": data, "a.json": AC, "out.xml": b"<older/>\n"},
         ["check", "--budget", "b.json", "--junit", "out.xml", "a.json"], 2,
         [(ident, "b.json:" + at(data, new, 1, into))])
TWO_NAMES = replace(BUDGET, b'"name": "fast overall",', b'"name": "fast overall", "name": "again",')
case("budget-duplicate-key", {"b.json": TWO_NAMES, "a.json": AC},  # at the second name
     ["check", "--budget", "b.json", "a.json"], 2, [("DIAG_JSON_SYNTAX", "b.json:" + at(TWO_NAMES, b'"name": "again"'))])
case("budget-truncated", {"b.json": BUDGET[:200], "a.json": AC}, ["check", "--budget", "b.json", "a.json"], 2,
     [("DIAG_JSON_SYNTAX", "b.json:" + end_of(BUDGET[:200]))])
case("budget-missing-file", {"a.json": AC}, ["check", "--budget", "nope.json", "a.json"], 2,
     [("DIAG_INPUT_OPEN", "nope.json")])
case("budget-empty", {"b.json": b"", "a.json": AC}, ["check", "--budget", "b.json", "a.json"], 2,
     [("DIAG_JSON_SYNTAX", "b.json")])
GIVES_UP = replace(BUDGET, b'"endpoint": "GET /flaky"', b'"endpoint": {"regex": "(a+)+$"}')
case("budget-regex-gives-up", {"b.json": GIVES_UP,  # at the regex's string
                               "a.json": replace(LJ, b'"name": "/hang"', b'"name": "/' + b"a" * 40 + b'!"')},
     ["check", "--budget", "b.json", "a.json"], 2, [("DIAG_BUDGET_SELECTOR", "b.json:" + at(GIVES_UP, b'"(a+)+$"'))])

# ---------------------------------------------------------------------------------------------
# Outputs: a failed write leaves nothing behind, and the older file intact
for name, args, where in [
        # a missing folder is made (as --charts makes its own); under a regular file none can be
        ("junit-under-a-file", ["check", "--budget", "b.json", "--junit", "f/out.xml", "a.json"], "f/out.xml"),
        ("markdown-under-a-file", ["report", "--markdown", "f/dir/r.md", "a.json"], "f/dir/r.md"),
        ("save-model-under-a-file", ["show", "--save-model", "f/m.json", "a.json"], "f/m.json"),
        ("verdict-is-a-directory", ["check", "--budget", "b.json", "--verdict", "d", "a.json"], "d"),
        ("junit-dev-full", ["check", "--budget", "b.json", "--junit", "/dev/full", "a.json"], "/dev/full"),
        ("stdout-dev-full", ["show", "a.json"], "perfgate")]:
    files = {"a.json": AC, "b.json": fixture("budgets/strict.json"), "d/keep": b"x", "f": b"x"}
    case(f"output-{name}", files, args, 2, [("DIAG_OUTPUT_WRITE", where)])
case("template-missing", {"a.json": AC}, ["report", "--template", "nope.mustache", "--markdown", "r.md", "a.json"], 2,
     [("DIAG_INPUT_OPEN", "nope.mustache")])
# each at its tag: the section never closed, the partial
case("template-unclosed", {"a.json": AC, "t.mustache": b"{{#runs}}\n{{label}}\n"},
     ["report", "--template", "t.mustache", "--markdown", "r.md", "a.json"], 2, [("DIAG_TEMPLATE_SYNTAX", "t.mustache:1:1")])
case("template-partial-escape", {"a.json": AC, "t.mustache": b"{{> ../../etc/passwd}}\n"},
     ["report", "--template", "t.mustache", "--markdown", "r.md", "a.json"], 2, [("DIAG_TEMPLATE_PARTIAL", "t.mustache:1:1")])
case("template-recursive-partial", {"a.json": AC, "t.mustache": b"{{> t}}\n", "t.mustache.partial": b""},
     ["report", "--template", "t.mustache", "--markdown", "r.md", "a.json"], 2, [("DIAG_TEMPLATE_LIMIT", "t.mustache:1:1")])


# ---------------------------------------------------------------------------------------------
# The hostile names and output targets of issue 15 (points 1 to 5), in the table too
def k6_named(name_json, count=0):
    """The k6 fixture's first 400 lines with the name tag of every request (or of the first
    count) set to name_json."""
    return re.sub(rb'"name":"http://[^"]*"', lambda m: b'"name":' + name_json, NDJ_HEAD, count=count)


def shows(text, what):
    """A check: text (bytes, as perfgate escapes it) is on stdout or stderr: the name is
    there, escaped, not dropped."""
    def check(d, out, err):
        return [] if text in out + err else [f"{what} is not shown escaped ({text!r})"]
    return check


def both(*checks):
    return lambda d, out, err: [p for c in checks for p in c(d, out, err)]


case("name-newline-workflow-command", {"out.json": k6_named(rb'"x\n::error file=x.js,line=1::pwned"')},
     ["show", "out.json"], 0, [], env={"GITHUB_ACTIONS": "true"},
     check=both(no_raw(rb"(?m)^::error file=x\.js", "a workflow command from a name"),
                shows(rb"x\n::error file=x.js,line=1::pwned", "the name")))
case("name-escape-sequences", {"out.json": k6_named(rb'"\u001b[31mred\u0007\u001b]0;title\u0007"')},
     ["show", "out.json"], 0, [], check=both(no_raw(rb"[\x1b\x07]", "ESC or BEL"),
                                             shows(rb"\x1b[31mred\x07\x1b]0;title\x07", "the name")))
K6_SUMMARY = fixture("k6/limited-vu5/summary-export.json")
case("name-escape-counter-line",
     {"s.json": replace(K6_SUMMARY, b'"iterations": {', b'"it\\u001b[31mer\\u009b2J": {')},
     ["show", "s.json"], 0, [], check=both(no_raw(rb"\x1b|\xc2\x9b", "ESC or CSI in a counter's name"),
                                          shows(rb"it\x1b[31mer\u009b2J", "the counter's name")))
case("name-escape-server-line", {"node-1796531472.prom": PROM + b'{"ev\x1b[31mil",job="evil"} 1\n'},
     ["show", "node-1796531472.prom"], 0, [],
     check=both(no_raw(rb"\x1b", "ESC in a server series' name"), shows(rb"ev\x1b[31mil", "the series' name")))
# a raw ESC inside a JSON string value: the line is skipped at the string, quoted with '?'
RAW_ESC = replace(NDJ_HEAD, b'"value":1,', b'"value":"\x1b[2J",')
case("name-escape-in-diagnostic", {"out.json": RAW_ESC},
     ["show", "out.json"], 0, [("DIAG_LINE_SKIPPED", "out.json:" + at(RAW_ESC, b'"\x1b'))],
     check=both(no_raw(rb"\x1b", "ESC"), shows(b'"value":"?[2J"', "the quoted line")))
case("name-10MB-show-bounded", {"out.json": k6_named(b'"' + b"n" * (10 * MB) + b'"', 1)},
     ["show", "out.json"], 0, [], memory_mb=512,
     check=lambda d, out, err: [f"show printed {len(out)} bytes"] if len(out) > 200000 else [])
def svgs_parse(d, out, err):
    """Charts were drawn (Cairo took the cleaned names), and each SVG is well-formed XML."""
    import xml.etree.ElementTree as ET
    svgs = sorted(f for f in os.listdir(os.path.join(d, "charts")) if f.endswith(".svg"))
    problems = [] if svgs else ["no SVG chart"]
    for f in svgs:
        try:
            ET.parse(os.path.join(d, "charts", f))
        except ET.ParseError as e:
            problems.append(f"{f}: {e}")
    return problems


case("name-1MB-label-value-show-bounded",
     {"node-1796531472.prom": PROM + b'big{job="x",v="' + b"v" * MB + b'"} 1\n'},
     ["show", "--breakdown", "node-1796531472.prom"], 0, [],
     check=lambda d, out, err: [f"show printed {len(out)} bytes"] if len(out) > 200000 else [])
case("name-noncharacters-charts", {"out.json": k6_named(rb'"\ufffe\uffff"')},
     ["report", "--markdown", "r.md", "--charts", "charts", "--chart-format", "svg", "out.json"], 0, [],
     writes=["r.md", "charts/"], check=svgs_parse)
case("group-growth-capped", {"out.json": NDJ_HEAD},
     ["show"] + [a for _ in range(14) for a in ("-g", "(.)=$1$1")] + ["out.json"], 0,
     [("DIAG_GROUP_MATCH_LIMIT", "perfgate")], memory_mb=512)
case("group-match-limit", {"out.json": k6_named(b'"' + b"a" * 40 + b'!"')},
     ["show", "--group", "(a+)+$=x", "out.json"], 0, [("DIAG_GROUP_MATCH_LIMIT", "perfgate")])
case("output-dev-stdout", {"a.json": AC, "b.json": BUDGET},
     ["check", "--budget", "b.json", "--junit", "/dev/stdout", "a.json"], 1, [],
     check=lambda d, out, err: [] if b"<testsuites" in out else ["no JUnit on standard output"])
case("output-dash-is-stdout", {"a.json": AC}, ["show", "--save-model", "-", "a.json"], 0, [],
     check=lambda d, out, err: [] if json.loads(out).get("format") == "perfgate-model" else ["no model"])


def model_written(path, link=None):
    """A check: path holds one model JSON document (not appended to an older file), and link
    is still a symlink."""
    def check(d, out, err):
        problems = [] if link is None or os.path.islink(os.path.join(d, link)) else ["the symlink was replaced"]
        try:
            with open(os.path.join(d, path), "rb") as f:
                if json.load(f).get("format") != "perfgate-model":
                    problems.append(f"{path} is not a model")
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
        return problems
    return check


case("output-symlink-followed", {"a.json": AC, "real/m.json": b"older\n"},
     ["show", "--save-model", "link.json", "a.json"], 0, [], links={"link.json": "real/m.json"},
     writes=["real/m.json"], check=model_written("real/m.json", "link.json"))
case("output-symlink-to-new-file", {"a.json": AC, "real/keep": b""},
     ["show", "--save-model", "link.json", "a.json"], 0, [], links={"link.json": "real/m.json"},
     writes=["real/m.json"], check=model_written("real/m.json", "link.json"))
case("output-symlink-chain-to-new-file", {"a.json": AC, "real/keep": b""},
     ["show", "--save-model", "a-link", "a.json"], 0, [], links={"a-link": "b-link", "b-link": "real/m.json"},
     writes=["real/m.json"], check=both(model_written("real/m.json", "a-link"), model_written("real/m.json", "b-link")))


def text_and_model(d, out, err):
    """res.txt, standard output, holds show's text and then the model: nothing replaced it."""
    with open(os.path.join(d, "res.txt"), "rb") as f:
        text = f.read()
    return [] if text.startswith(b"run 'a.json'") and b'"perfgate-model"' in text else \
        [f"res.txt holds {text[:60]!r}..."]


case("output-link-to-redirected-stdout", {"a.json": AC}, ["show", "--save-model", "out", "a.json"], 0, [],
     links={"out": "/dev/stdout"}, stdout_to="res.txt", writes=["res.txt"], check=text_and_model)
# a regular file under /dev/ (/dev/shm) is replaced like any file, not appended to
case("output-regular-file-in-dev-shm", {"a.json": AC, "m.json": b"older\n"},
     ["show", "--save-model", "{dir}/m.json", "a.json"], 0, [], base="/dev/shm", writes=["m.json"],
     check=model_written("m.json"))
case("output-new-file-in-dev-shm", {"a.json": AC},
     ["show", "--save-model", "{dir}/m.json", "a.json"], 0, [], base="/dev/shm", writes=["m.json"],
     check=model_written("m.json"))
WRK_LAT = fixture("wrk/fd-limit-connect-errors.txt")
WRK_DEC = replace(WRK_LAT, b"99%    3.33ms", b"99%    0.33ms")
# reported percentiles are checked once the input is read: the warning names the input
case("wrk-percentiles-decrease", {"w.txt": WRK_DEC}, ["show", "w.txt"], 0, [("DIAG_PERCENTILES_DECREASE", "w.txt")])
AC_DEC = replace(AC, b'"p99_99":5', b'"p99_99":1')
case("autocannon-percentiles-decrease", {"a.json": AC_DEC}, ["show", "a.json"], 0,
     [("DIAG_PERCENTILES_DECREASE", "a.json")])
# a gauge in seconds that is beyond a double once in ms: left out and counted, like +Inf
# (fuzzing finding 11: it was kept as infinite, and its mean made the model unreadable)
BIG_S = replace(PROM, b'{collector="arp"} 2.729e-05', b'{collector="arp"} 1e307')
case("prom-text-gauge-beyond-double-in-ms", {"node.prom": BIG_S}, ["show", "--save-model", "m.json", "node.prom"], 0, [],
     writes=["m.json"], check=both(reads_back("m.json"), shows(b"beyond a double once converted", "the note")))
# finite values whose sum is past the largest double: a warning, and the saved model holds
# "+Inf" and reads back the same
OVF = NDJ_HEAD.replace(b'"metric":"data_sent","type":"Point","data":{"time":"2026-11-23T00:46:59.642305725Z","value":406',
                       b'"metric":"data_sent","type":"Point","data":{"time":"2026-11-23T00:46:59.642305725Z","value":1e308')
OVF = replace(OVF, b'"time":"2026-11-23T00:46:59.736903232Z","value":406', b'"time":"2026-11-23T00:46:59.736903232Z","value":1e308')
case("k6-ndjson-sum-past-largest-double", {"out.json": OVF}, ["show", "--save-model", "m.json", "out.json"], 0,
     [("DIAG_NOT_FINITE", "out.json")], writes=["m.json"], check=reads_back("m.json", b'"total": "+Inf"'))
# an overflow that only the merge of two inputs under one label makes is said once, for the
# run; +Inf and -Inf under one label make NaN, which the model writes as null and reads back
ONE = replace(NDJ_HEAD, b'"time":"2026-11-23T00:46:59.736903232Z","value":406', b'"time":"2026-11-23T00:46:59.736903232Z","value":1e308')
case("k6-ndjson-sum-past-largest-double-in-merge", {"a.json": ONE, "b.json": ONE},
     ["show", "--save-model", "m.json", "L=a.json", "L=b.json"], 0, [("DIAG_NOT_FINITE", "a.json")], writes=["m.json"],
     check=both(reads_back("m.json", b'"total": "+Inf"'),
                lambda d, out, err: [] if err.count(b"DIAG_NOT_FINITE") == 1 else ["not said once"]))
NEG = OVF.replace(b'"value":1e308', b'"value":-1e308')
case("k6-ndjson-plus-and-minus-infinity-merged", {"a.json": OVF, "b.json": NEG},
     ["show", "--save-model", "m.json", "L=a.json", "L=b.json"], 0, [("DIAG_NOT_FINITE", "a.json")], writes=["m.json"],
     check=reads_back("m.json", b'"total": null'))
# a budget rule on that NaN total finds no data and says why, rather than failing on NaN
SENT = b'{"format":"perfgate-budget","version":1,"rules":[{"name":"sent","metric":"bytes_out","assert":"count < 1000000"}]}'
case("check-on-nan-total-is-no-data", {"a.json": OVF, "b.json": NEG, "b.budget.json": SENT},
     ["check", "-b", "b.budget.json", "--no-data", "warn", "L=a.json", "L=b.json"], 0, [("DIAG_NOT_FINITE", "a.json")],
     check=shows(b"the value is not a number", "the reason"))
# a Prometheus counter rising 1e303 in 5 s is spread over its 1 s intervals without overflow
SPREAD = b"# TYPE c_total counter\nc_total 0 1796531500000\nc_total 1e303 1796531505000\n"
case("prom-text-counter-spread-no-false-infinity", {"s.prom": SPREAD}, ["show", "--save-model", "m.json", "s.prom"], 0, [],
     writes=["m.json"], check=both(reads_back("m.json", b"2e+302"), no_raw(rb"NOT_FINITE|Inf", "an infinity")))
# a k6 machine-readable summary (k6 1.x) whose rate counts more matches than its total
MR = (b'{"config":{"duration":1},"metadata":{"k6_version":"1.5.0"},"results":{"checks":{"results":[]},'
      b'"metrics":[{"name":"checks","type":"rate","contains":"default","values":{"matches":5,"rate":1.6,"total":3}}]}}')
case("k6-summary-matches-above-total", {"s.json": MR}, ["show", "s.json"], 2,
     [("DIAG_BAD_VALUE", "s.json:" + at(MR, b'5,"rate"'))])


# ---------------------------------------------------------------------------------------------
def run_case(c):
    problems = []
    base = c.base if c.base and os.path.isdir(c.base) else None
    with tempfile.TemporaryDirectory(prefix="perfgate-bad-", dir=base) as d:
        for name, data in c.files.items():
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                if callable(data):
                    data(f)  # big inputs are written in pieces, never held here
                else:
                    f.write(data)
        for name, target in c.links.items():
            os.symlink(target, os.path.join(d, name))
        before = snapshot(d)
        env = dict(os.environ, PERFGATE_DIAG_IDS="1", NO_COLOR="1")
        env.pop("GITHUB_ACTIONS", None)
        env.update(c.env)
        stdout = subprocess.PIPE
        if c.name == "output-stdout-dev-full":
            stdout = open("/dev/full", "wb")
        elif c.stdout_to:
            stdout = open(os.path.join(d, c.stdout_to), "wb")
        args = [a.replace("{dir}", d) for a in c.args]
        p = subprocess.Popen([PERFGATE] + args, cwd=d, env=env, stdin=subprocess.PIPE,
                             stdout=stdout, stderr=subprocess.PIPE)
        # read the pipes, then reap the child ourselves: wait4 gives its own peak memory
        chunks = {}
        readers = [threading.Thread(target=lambda k, f: chunks.__setitem__(k, f.read()), args=(k, f))
                   for k, f in (("out", p.stdout), ("err", p.stderr)) if f is not None]
        for t in readers:
            t.start()
        try:
            p.stdin.write(c.stdin or b"")
        except BrokenPipeError:
            pass
        p.stdin.close()
        for t in readers:
            t.join()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        rss_mb = usage.ru_maxrss / 1024
        err = chunks.get("err", b"")
        out = chunks.get("out", b"")
        if c.check:
            problems += c.check(d, out, err)
        err = err.decode("utf-8", "replace")
        if p.returncode < 0:
            problems.append(f"killed by signal {-p.returncode}")
        elif p.returncode != c.exit:
            problems.append(f"exit {p.returncode}, expected {c.exit}")
        if "Sanitizer" in err or "runtime error" in err:
            problems.append("sanitizer report")
        for ident, where in c.diags:
            if not re.search(r"(?m)^" + re.escape(where) + r": (error|warning|note)\[" + ident + r"\]:", err):
                problems.append(f"no {ident} at '{where}'")
        after = snapshot(d)
        written = lambda f: f in c.writes or any(w.endswith("/") and f.startswith(w) for w in c.writes)
        left = sorted(f for f in after.keys() - before.keys() if not written(f))
        if left:
            problems.append(f"left behind: {left}")
        gone = sorted(f for f in before.keys() - after.keys() if not written(f))
        if gone:
            problems.append(f"removed: {gone}")
        changed = sorted(f for f in before.keys() & after.keys() if before[f] != after[f] and not written(f))
        if changed:
            problems.append(f"changed: {changed}")
        limit = c.memory_mb * (4 if os.environ.get("ASAN_OPTIONS") else 1)
        if rss_mb > limit:
            problems.append(f"peak memory {rss_mb:.0f} MB above {limit} MB")
    return problems, err


def snapshot(d):
    """Every file in d (symlinks as their target text) with a hash of its bytes."""
    found = {}
    for root, dirs, files in os.walk(d):
        for f in files:
            path = os.path.join(root, f)
            if os.path.islink(path):
                found[os.path.relpath(path, d)] = "link:" + os.readlink(path)
                continue
            with open(path, "rb") as fh:
                found[os.path.relpath(path, d)] = hashlib.sha256(fh.read()).hexdigest()
    return found


def main():
    prefix = sys.argv[3] if len(sys.argv) > 3 else ""
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    failed = 0
    ran = 0
    for c in CASES:
        if not c.name.startswith(prefix):
            continue
        ran += 1
        problems, err = run_case(c)
        if problems:
            failed += 1
            print(f"FAIL {c.name}: {'; '.join(problems)}")
            print("  " + "\n  ".join(err.splitlines()[:8]))
    print(f"{ran} bad-input cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
