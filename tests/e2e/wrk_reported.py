#!/usr/bin/env python3
"""wrk_reported.py PERFGATE DIR...

For every wrk / wrk2 text capture in the DIRs (every file; `*.txt` in a fixtures folder), reads
the text again here, independently of perfgate (regular expressions, exact decimal arithmetic
with fractions.Fraction), and checks that `perfgate show --json` gives back what wrk printed:

  run:      tool (wrk2 when the block has Thread calibration or HdrHistogram lines), label
            (PATH, or PATH#N for the N-th of several blocks), concurrency = connections,
            duration_s = the `requests in T` run time, requests, rps = Requests/sec,
            errors = Non-2xx + connect + read + write socket errors, error_rate =
            errors / (requests + connect + read + write)
  counters: requests, bytes_in (`X read`), non2xx, socket_errors{type}, unanswered
  trends:   throughput mean = Transfer/sec; thread_rps mean/stddev/max = the Req/Sec row
            (left out when that row printed -nan); latency:
            - wrk, and wrk2 without a spectrum: mean/stddev/max of the Latency row and every
              Latency Distribution percentile, as printed (precision quantiles); count =
              requests for wrk;
            - wrk2 with a `Detailed Percentile spectrum` (precision bucketed): count = the
              footer's Total count; mean/stddev/max = the footer's, or the Thread Stats row's
              when that one was printed in us (more digits); the other printing of the same
              number must agree within half a unit of its last printed digit; at every
              spectrum row, perfgate's value at the row's printed percentile must be a Value
              wrk2 printed: that row's, or (tolerance, counted and shown) the row that holds
              rank ceil(p * N) when the percentile as printed with 6 decimals is rounded
              across a row boundary; each HdrHistogram distribution line (50.000% 1.11ms)
              must lie, within half a printed digit, between the Value of the row before and
              perfgate's value (which is the upper edge of the spectrum row holding it);
            - latency_uncorrected (wrk2 -U) gets the same treatment from its own block.
Every comparison where the tool printed the number is `==` on the double nearest the printed
decimal (converted to perfgate's unit exactly). Exit 0 when all match, 1 otherwise, 77 (skip)
when no DIR exists.
"""
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

TIME_MS = {"us": Fraction(1, 1000), "ms": Fraction(1), "s": Fraction(1000),
           "m": Fraction(60000), "h": Fraction(3600000)}
METRIC = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
BYTES = {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+|nan|inf)"

RUNNING = re.compile(r"^\s*Running (\S+) test @ (.+?)\s*$")
THREADS = re.compile(r"^\s*(\d+) threads and (\d+) connections\s*$")
ROW = re.compile(r"^\s*(Latency|Req/Sec)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)%\s*$")
PERCENT_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+(\S+)\s*$")
SPECTRUM_ROW = re.compile(r"^\s*(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+)\s+(\S+)\s*$")
FOOTER_MEAN = re.compile(r"^#\[Mean\s*=\s*(\S+),\s*StdDeviation\s*=\s*(\S+)\]")
FOOTER_MAX = re.compile(r"^#\[Max\s*=\s*(\S+),\s*Total count\s*=\s*(\d+)\]")
REQUESTS = re.compile(r"^\s*(\d+) requests in (\S+), (\S+) read\s*$")
SOCKET = re.compile(r"^\s*Socket errors: connect (-?\d+), read (-?\d+), write (-?\d+), "
                    r"timeout (-?\d+)\s*$")
NON2XX = re.compile(r"^\s*Non-2xx or 3xx responses: (-?\d+)\s*$")
RPS = re.compile(r"^Requests/sec:\s+(\S+)\s*$")
TPS = re.compile(r"^Transfer/sec:\s+(\S+)\s*$")


def with_unit(text, units):
    """'1.90ms' -> (Fraction in perfgate's unit, resolution of the last digit), None for nan."""
    for suffix in sorted(units, key=len, reverse=True):
        if text.endswith(suffix) and re.fullmatch(NUMBER, text[:len(text) - len(suffix)]):
            number = text[:len(text) - len(suffix)]
            if "nan" in number or "inf" in number:
                return None
            decimals = len(number.split(".")[1]) if "." in number else 0
            return (Fraction(number) * units[suffix],
                    Fraction(1, 10**decimals) * units[suffix])
    raise ValueError(f"no unit in {text!r}")


def count(text):
    value = int(text)
    return value + 2**32 if value < 0 else value  # uint32 counters printed with %d


def new_hdr():
    return {"points": [], "rows": [], "mean": None, "stddev": None, "max": None, "total": None}


def parse(text):
    """The blocks of a capture, each a dict of what it printed."""
    blocks, block, section, hdr = [], None, None, None
    for line in text.splitlines():
        m = RUNNING.match(line)
        if m:
            block = {"duration": m.group(1), "wrk2": False, "latency": None, "rate": None,
                     "points": [], "hdr": [new_hdr(), new_hdr()], "hdr_present": [False, False],
                     "socket": None, "non2xx": None, "done": False}
            blocks.append(block)
            section = None
            continue
        if block is None or block["done"] or not line.strip():
            continue
        if section == "spectrum":
            m = SPECTRUM_ROW.match(line)
            if m:
                hdr["rows"].append((m.group(1), m.group(2), int(m.group(3))))
                continue
            m = FOOTER_MEAN.match(line)
            if m:
                hdr["mean"], hdr["stddev"] = m.group(1), m.group(2)
                continue
            m = FOOTER_MAX.match(line)
            if m:
                hdr["max"], hdr["total"] = m.group(1), int(m.group(2))
                continue
            if line.strip().startswith(("Value", "#[")):
                continue
            section = None
        if section in ("distribution", "hdr"):
            m = PERCENT_LINE.match(line)
            if m:
                target = block["points"] if section == "distribution" else hdr["points"]
                target.append((m.group(1), m.group(2)))
                continue
            section = None
        stripped = line.strip()
        if (m := THREADS.match(line)):
            block["connections"] = int(m.group(2))
        elif stripped.startswith("Thread calibration:"):
            block["wrk2"] = True
        elif stripped == "Latency Distribution":
            section = "distribution"
        elif stripped.startswith("Latency Distribution (HdrHistogram"):
            block["wrk2"] = True
            index = 1 if "Uncorrected" in stripped else 0
            block["hdr_present"][index] = True
            hdr = block["hdr"][index]
            section = "hdr"
        elif stripped.startswith("Detailed Percentile spectrum:"):
            section = "spectrum"
        elif (m := ROW.match(line)):
            key = "latency" if m.group(1) == "Latency" else "rate"
            block[key] = m.group(2, 3, 4, 5)
        elif (m := REQUESTS.match(line)):
            block["requests"] = int(m.group(1))
            block["runtime"] = m.group(2)
            block["read"] = m.group(3)
        elif (m := SOCKET.match(line)):
            block["socket"] = [count(g) for g in m.groups()]
        elif (m := NON2XX.match(line)):
            block["non2xx"] = count(m.group(1))
        elif (m := RPS.match(line)):
            block["rps"] = m.group(1)
        elif (m := TPS.match(line)):
            block["tps"] = m.group(1)
            block["done"] = True
    return blocks


def row_is_empty(row):
    """A statistic without samples: -nan mean, or -nan share within one stddev."""
    return "nan" in row[0] or "nan" in row[3]


def percent_arg(percentile):
    """'0.999997' -> '99.9997' (the percent, exact in decimal)."""
    p = Fraction(percentile) * 100
    text = f"{float(p):.10f}".rstrip("0").rstrip(".")
    assert Fraction(text) == p
    return text


def wrk2_targets(count):
    """The percentiles wrk2's spectrum iterates to (hdr_histogram.c hdr_percentile_iter_next,
    5 ticks per half distance), in the same double arithmetic; the last row is 100."""
    targets, p = [], 0.0
    for _ in range(count - 1):
        targets.append(p)
        half_distance = 2 ** (int(math.log(100 / (100.0 - p)) / math.log(2)) + 1)
        p += 100.0 / (5 * half_distance)
    return targets + [100.0]


def pkey(percent_text):
    text = repr(float(percent_text))
    return "p" + (text[:-2] if text.endswith(".0") else text)


class Checker:
    def __init__(self):
        self.errors = []
        self.values = 0
        self.tolerated = []

    def equal(self, where, got, want):
        self.values += 1
        if got != want:
            self.errors.append(f"{where}: {got!r} != {want!r}")

    def within(self, where, got, want, half):
        self.values += 1
        if got is None or abs(Fraction(repr(got)) - want) > half:
            self.errors.append(f"{where}: {got!r} not within {float(half)} of {float(want)}")


def check_spectrum(c, where, series, hdr, row_stats, extra):
    """A wrk2 spectrum: count, footer stats, every row's percentile, the distribution lines."""
    rows = hdr["rows"]
    total = rows[-1][2]
    c.equal(f"{where} precision", series["precision"], "bucketed")
    c.equal(f"{where} count", series["count"], total)
    if hdr["total"] is not None:
        c.equal(f"{where} footer total", hdr["total"], total)
    footer = {"mean": hdr["mean"], "stddev": hdr["stddev"], "max": hdr["max"]}
    for i, stat in enumerate(("mean", "stddev", "max")):
        printed = []
        if footer[stat] is not None:
            printed.append(with_unit(footer[stat] + "ms", TIME_MS))
        if row_stats is not None and with_unit(row_stats[i], TIME_MS) is not None:
            row = with_unit(row_stats[i], TIME_MS)
            # the Thread Stats row wins when it has finer digits (printed in us)
            printed.insert(0 if row[1] < Fraction(1, 1000) or not printed else 1, row)
        if not printed:
            continue
        c.equal(f"{where} {stat}", series[stat], float(printed[0][0]))
        for value, resolution in printed[1:]:
            c.within(f"{where} {stat} (other printing)", series[stat], value, resolution / 2)
    percentiles = series["percentiles"]
    # each row at wrk2's exact target percentile, when the targets print as the rows do
    targets = wrk2_targets(len(rows))
    exact = all(f"{t / 100:.6f}" == r[1] for t, r in zip(targets, rows))
    c.equal(f"{where} rows at wrk2's percentile targets", exact, True)
    for i, (target, row) in enumerate(zip(targets, rows) if exact else ()):
        c.equal(f"{where} spectrum row {i} at {target!r}", percentiles.get(pkey(repr(target))),
                float(Fraction(row[0])))
        extra.add(repr(target))
    for i, (value, percentile, cumulative) in enumerate(rows):
        key = pkey(percent_arg(percentile))
        rank = max(1, math.ceil(Fraction(percentile) * total))
        holder = next(r for r in rows if r[2] >= rank)
        got = percentiles.get(key)
        c.equal(f"{where} spectrum row {i} ({percentile})", got, float(Fraction(holder[0])))
        if holder[0] != value:
            c.tolerated.append(f"{where} row {i}: printed percentile {percentile} holds rank "
                               f"{rank}, in the row of Value {holder[0]}, not {value}")
    for percent, printed in hdr["points"]:
        value, resolution = with_unit(printed, TIME_MS)
        got = percentiles.get(pkey(percent))
        rank = max(1, math.ceil(Fraction(percent) / 100 * total))
        index = next(i for i, r in enumerate(rows) if r[2] >= rank)
        below = Fraction(rows[index - 1][0]) if index > 0 else Fraction(0)
        c.values += 1
        if got is None or not (below - resolution / 2 <= value <=
                               Fraction(repr(got)) + resolution / 2):
            c.errors.append(f"{where} {percent}%: printed {printed} is not between the row "
                            f"before ({float(below)}) and perfgate's {got}")
    extra.update(percent_arg(r[1]) for r in rows)
    extra.update(p for p, _ in hdr["points"])


def check_points(c, where, series, points, row):
    c.equal(f"{where} precision", series["precision"], "quantiles")
    if row is not None and not row_is_empty(row):
        for i, stat in enumerate(("mean", "stddev", "max")):
            value = with_unit(row[i], TIME_MS)
            if value is not None:
                c.equal(f"{where} {stat}", series[stat], float(value[0]))
        for percent, printed in points:
            value = with_unit(printed, TIME_MS)
            c.equal(f"{where} {percent}%", series["percentiles"].get(pkey(percent)),
                    float(value[0]))
            c.equal(f"{where} {percent}% not an estimate",
                    pkey(percent) in series["estimates"], False)


def check_block(c, where, block, run, extra):
    c.equal(f"{where} tool", run["tool"], "wrk2" if block["wrk2"] else "wrk")
    c.equal(f"{where} concurrency", run["concurrency"], block.get("connections"))
    c.equal(f"{where} duration_s", run["duration_s"],
            float(with_unit(block["runtime"], TIME_MS)[0] / 1000))
    c.equal(f"{where} requests", run["requests"], block["requests"])
    c.equal(f"{where} rps", run["rps"], float(Fraction(block["rps"])))
    socket = block["socket"] or [0, 0, 0, 0]
    non2xx = block["non2xx"] or 0
    unanswered = sum(socket[:3])
    c.equal(f"{where} errors", run["errors"], non2xx + unanswered)
    attempts = block["requests"] + unanswered
    if attempts:
        c.equal(f"{where} error_rate", run["error_rate"], (non2xx + unanswered) / attempts)
    counters = {(x["metric"], json.dumps(x["tags"], sort_keys=True)): x["total"]
                for x in run["counters"]}
    c.equal(f"{where} bytes_in", counters.get(("bytes_in", "{}")),
            float(with_unit(block["read"], BYTES)[0]))
    c.equal(f"{where} unanswered", counters.get(("unanswered", "{}")), unanswered)
    c.equal(f"{where} non2xx", counters.get(("non2xx", "{}")), block["non2xx"])
    for name, value in zip(("connect", "read", "write", "timeout"), socket):
        key = ("socket_errors", json.dumps({"type": name}))
        c.equal(f"{where} socket_errors {name}", counters.get(key),
                value if block["socket"] else None)

    series = {s["metric"]: s for s in run["series"] if s["endpoint"] is None and not s["tags"]}
    c.equal(f"{where} throughput", series["throughput"]["mean"],
            float(with_unit(block["tps"], BYTES)[0]))
    if block["rate"] is None or row_is_empty(block["rate"]):
        c.equal(f"{where} thread_rps absent", "thread_rps" in series, False)
    else:
        for i, stat in enumerate(("mean", "stddev", "max")):
            c.equal(f"{where} thread_rps {stat}", series["thread_rps"][stat],
                    float(with_unit(block["rate"][i], METRIC)[0]))
    for index, metric in enumerate(("latency", "latency_uncorrected")):
        hdr = block["hdr"][index]
        if not block["hdr_present"][index] and index == 1:
            c.equal(f"{where} no {metric}", metric in series, False)
            continue
        if hdr["rows"]:
            check_spectrum(c, f"{where} {metric}", series[metric], hdr,
                           block["latency"] if index == 0 else None, extra)
        else:
            points = hdr["points"] if block["hdr_present"][index] else block["points"]
            check_points(c, f"{where} {metric}", series[metric], points,
                         block["latency"] if index == 0 else None)
            extra.update(p for p, _ in points)
    if not block["wrk2"] and not block["hdr"][0]["rows"]:
        c.equal(f"{where} latency count", series["latency"]["count"], block["requests"])


def show(perfgate, path, percents):
    """show --json with every percent asked for (at most 27 per call), runs merged by label."""
    percents = sorted(percents, key=float)
    runs = None
    for start in range(0, max(len(percents), 1), 27):
        args = [perfgate, "show", "--json"]
        chunk = percents[start:start + 27]
        if chunk:
            args += ["--percentiles", ",".join(chunk)]
        proc = subprocess.run(args + [path], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"perfgate exited {proc.returncode}: {proc.stderr}")
        got = json.loads(proc.stdout)["runs"]
        if runs is None:
            runs = got
        else:
            for run, more in zip(runs, got):
                for s, t in zip(run["series"], more["series"]):
                    s["percentiles"].update(t["percentiles"])
    return runs


def main():
    perfgate, folders = sys.argv[1], [f for f in sys.argv[2:] if os.path.isdir(f)]
    if not folders:
        print(f"SKIP: none of {sys.argv[2:]} exists (shared/ is not beside the checkout)")
        return 77
    c = Checker()
    files = blocks_checked = 0
    for folder in folders:
        names = sorted(os.listdir(folder))
        if os.path.basename(os.path.normpath(folder)) == "wrk" and "fixtures" in folder:
            names = [n for n in names if n.endswith(".txt")]
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                blocks = parse(f.read())
            files += 1
            extra = set()
            # a first pass only to learn which percentiles to ask for
            probe = Checker()
            try:
                runs = show(perfgate, path, [])
                for i, (block, run) in enumerate(zip(blocks, runs)):
                    check_block(probe, name, block, run, extra)
                runs = show(perfgate, path, extra)
            except (RuntimeError, KeyError, StopIteration) as e:
                c.errors.append(f"{name}: {e!r}")
                continue
            c.equal(f"{name} runs", len(runs), len(blocks))
            for i, (block, run) in enumerate(zip(blocks, runs)):
                name_only = os.path.basename(path)  # the only input: its file name
                label = f"{name_only}#{i + 1}" if len(blocks) > 1 else name_only
                c.equal(f"{name}[{i}] label", run["label"], label)
                check_block(c, f"{name}[{i}]", block, run, set())
                blocks_checked += 1
    for e in c.errors:
        print("FAIL", e)
    for t in c.tolerated:
        print("tolerated:", t)
    print(f"{blocks_checked} wrk/wrk2 results in {files} files: {c.values} values compared, "
          f"{len(c.tolerated)} spectrum rows whose printed percentile falls in another row, "
          f"{len(c.errors)} mismatches")
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
