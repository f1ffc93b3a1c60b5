#!/usr/bin/env python3
"""Build a long Locust `--csv` run (a large _stats_history.csv) from a real Locust run.

The source is a real `--csv PREFIX --csv-full-history` run (default:
fixtures/locust/mixed/run, under the repository root, found from this script's location):
PREFIX_stats.csv and PREFIX_stats_history.csv, and PREFIX_failures.csv and
PREFIX_exceptions.csv when present. The output is the four files of one run,
OUT_DIR/PREFIX_*.csv (PREFIX: --prefix, default "run"), as if Locust had run longer, with more
users hitting more endpoints:

  * --copies E: every source endpoint (Type, Name) becomes E endpoints, its Name with "/<k>"
    appended (k = 0..E-1: GET /users/7 -> GET /users/7/0 ... /users/7/{E-1}); the names are
    distinct because the last "/" segment is always the copy number. Each copy carries the
    source endpoint's rows unchanged, so the copies are E identical sets of users; `User
    Count` is multiplied by E, and so are the Aggregated row's `Requests/s`, `Failures/s` and
    totals. Its percentiles, response times and content size (the distribution of E identical
    copies) stay as written.
  * the history's rows are repeated R times one after the other, R being the smallest number
    of repetitions that makes the history file at least --size-mb MiB. Repetition r shifts
    `Timestamp` by r * P seconds, P = last source timestamp - first timestamp with requests
    + 1, so the seconds follow on from one repetition to the next; repetitions after the
    first leave out the rows with `Total Request Count` 0 (the row Locust writes before the
    first request). The cumulative `Total Request Count` and `Total Failure Count` go on
    growing: repetition r adds r times the endpoint's count in the source's stats file (per
    copy; E times the Aggregated one for the Aggregated row), as one run that never reset its
    stats would. Other cumulative columns (`Total Median/Average/Min/Max Response Time`,
    `Total Average Content Size`) keep the source row's values, which are exact at the end of
    every repetition (each repeats the same requests). Every other field is as written.
  * the stats file: one row per endpoint copy, with `Request Count` and `Failure Count` R
    times the source's (the history's last totals); the Aggregated row's counts are E * R times
    the source's and its `Requests/s` and `Failures/s` E times (every other column as written).
    Failures: each row per copy, `Occurrences` R times the source's. Exceptions: `Count`
    E * R times the source's (they are not per endpoint).

Rows of one history second and the stats rows are in Locust's order: endpoints sorted by
(Name, Type), then Aggregated. Fields are parsed and written with Python's csv module, the
writer Locust uses (`\\r\\n` line ends, quoting only where needed); changed numbers are
written as Locust writes them (`Requests/s` and `Failures/s` of the history with 6 decimals,
floats of the stats file as Python's repr, integers as integers). The generator checks that
the source's own fields read back exactly in that formatting, and that rewriting the source
unchanged gives its exact bytes.

No random numbers are drawn and no clock is read: the output depends only on the source and
the arguments. A one-line summary goes to stderr.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

MIB = 1024 * 1024
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT / "fixtures" / "locust" / "mixed" / "run"
PROG = "make_locust_history"


def die(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(2)


def read_csv(path, required=True):
    """(text, rows) of a CSV file as Locust wrote it, or (None, None) if absent and optional."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        if required:
            die("missing %s" % path)
        return None, None
    except OSError as e:
        die("cannot read %s: %s" % (path, e))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        die("%s: empty" % path)
    if to_csv(rows) != text:
        die("%s: rewriting it unchanged with Python's csv module does not give its bytes; "
            "not written by Locust's csv writer" % path)
    width = len(rows[0])
    for n, row in enumerate(rows[1:], 2):
        if len(row) != width:
            die("%s:%d: %d fields, the header has %d" % (path, n, len(row), width))
    return text, rows


def to_csv(rows):
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue()


def column(header, name, path):
    try:
        return header.index(name)
    except ValueError:
        die("%s: no %r column (header: %s)" % (path, name, ",".join(header)))


def columns(header, path, *names):
    """The index of each named column of path's header, in the order named."""
    return [column(header, name, path) for name in names]


def as_int(s, where):
    try:
        v = int(s)
    except ValueError:
        die("%s: %r is not an integer" % (where, s))
    if str(v) != s:
        die("%s: %r is not written as Python writes an int" % (where, s))
    return v


def rate6(s, where):
    """A history rate: Locust writes it with 6 decimals."""
    v = float(s)
    if "%.6f" % v != s:
        die("%s: %r is not written with 6 decimals" % (where, s))
    return v


def float_repr(s, where):
    """A stats-file float: Locust writes it as Python's repr."""
    v = float(s)
    if repr(v) != s:
        die("%s: %r is not written as Python's repr" % (where, s))
    return v


def is_aggregated(typ, name):
    return typ == "" and name in ("Aggregated", "Total")


def scale_counts(path, out_path, count_col, name_col, E, R):
    """Copies a failures or exceptions file with its counts times R: with name_col, every row
    E times (the endpoint copies' names); without, once with its count times E too."""
    _, rows = read_csv(path, required=False)
    if rows is None:
        return
    header = rows[0]
    c = column(header, count_col, path)
    n_col = column(header, name_col, path) if name_col else None
    out = [header]
    for n, row in enumerate(rows[1:], 2):
        count = as_int(row[c], "%s:%d" % (path, n))
        for k in range(E if name_col else 1):
            g = list(row)
            if name_col:
                g[n_col] = "%s/%d" % (row[n_col], k)
            g[c] = str(count * R * (1 if name_col else E))
            out.append(g)
    with open(out_path, "w", newline="", encoding="utf-8") as o:
        o.write(to_csv(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE),
                    help="the --csv PREFIX of a real Locust run (default: %s)" % DEFAULT_SOURCE)
    ap.add_argument("--size-mb", type=float, required=True,
                    help="repeat the history until its file holds at least this many MiB")
    ap.add_argument("--copies", type=int, default=1, metavar="E",
                    help="copies of every endpoint, names made distinct (default 1)")
    ap.add_argument("--out-dir", required=True, help="directory to write the run into")
    ap.add_argument("--prefix", default="run", help="file name prefix (default: run)")
    args = ap.parse_args()
    if args.copies < 1:
        die("--copies must be at least 1")
    E = args.copies
    src = args.source

    # ---- stats file: per-endpoint counts (the offset of each repetition)
    sp = src + "_stats.csv"
    _, stats = read_csv(sp)
    sh = stats[0]
    s_type, s_name, s_req, s_fail, s_rps, s_fps = columns(
        sh, sp, "Type", "Name", "Request Count", "Failure Count", "Requests/s", "Failures/s")
    counts = {}          # (type, name) -> (requests, failures) of one source run
    s_endpoints, s_agg = [], None
    for n, row in enumerate(stats[1:], 2):
        where = "%s:%d" % (sp, n)
        key = (row[s_type], row[s_name])
        c = (as_int(row[s_req], where), as_int(row[s_fail], where))
        if is_aggregated(*key):
            s_agg = row
            counts[None] = c
            float_repr(row[s_rps], where)
            float_repr(row[s_fps], where)
        else:
            counts[key] = c
            s_endpoints.append(row)
    if s_agg is None:
        die("%s: no Aggregated row" % sp)

    # ---- history file
    hp = src + "_stats_history.csv"
    _, hist = read_csv(hp)
    hh = hist[0]
    h_ts, h_users, h_type, h_name, h_rps, h_fps, h_req, h_fail = columns(
        hh, hp, "Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s",
        "Total Request Count", "Total Failure Count")

    # seconds: [(timestamp, [endpoint rows], [aggregated rows])] in file order; each row
    # parsed once into (fields, users, requests, failures, offsets, rps, fps)
    seconds = []
    for n, row in enumerate(hist[1:], 2):
        where = "%s:%d" % (hp, n)
        t = as_int(row[h_ts], where)
        if not seconds or seconds[-1][0] != t:
            if seconds and t < seconds[-1][0]:
                die("%s: timestamps go back" % where)
            seconds.append((t, [], []))
        key = (row[h_type], row[h_name])
        agg = is_aggregated(*key)
        if not agg and key not in counts:
            die("%s: endpoint %s %s is not in the stats file" % (where, key[0], key[1]))
        off = counts[None] if agg else counts[key]
        parsed = (row, as_int(row[h_users], where), as_int(row[h_req], where),
                  as_int(row[h_fail], where), off,
                  rate6(row[h_rps], where) if agg else None,
                  rate6(row[h_fps], where) if agg else None)
        seconds[-1][2 if agg else 1].append(parsed)
    if not seconds:
        die("%s: no rows" % hp)
    busy = [t for t, eps, aggs in seconds if any(p[2] > 0 for p in eps + aggs)]
    if not busy:
        die("%s: no row with requests" % hp)
    t_first = busy[0]
    period = seconds[-1][0] - t_first + 1

    def sort_key(row):
        return (row[h_name], row[h_type])  # Locust: sorted by (name, method)

    # Expand every second once into its E copies (in Locust's order) as row templates.
    # A template: (fields, users*E, requests, failures, off_req, off_fail, agg, rps*E, fps*E)
    expanded = []
    for t, eps, aggs in seconds:
        rows = []
        for (row, users, req, fail, off, _, _) in eps:
            for k in range(E):
                f = list(row)
                f[h_name] = "%s/%d" % (row[h_name], k)
                rows.append((f, users * E, req, fail, off[0], off[1], False, None, None))
        rows.sort(key=lambda tpl: sort_key(tpl[0]))
        for (row, users, req, fail, off, rps, fps) in aggs:
            rows.append((list(row), users * E, req * E, fail * E, off[0] * E, off[1] * E,
                         True, "%.6f" % (rps * E), "%.6f" % (fps * E)))
        expanded.append((t, rows))

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / args.prefix
    target = int(args.size_mb * MIB)
    header = to_csv([hh]).encode("utf-8")
    reps = 0
    nrows = 0
    written = len(header)
    t_last = None
    with open(str(base) + "_stats_history.csv", "wb") as out:
        out.write(header)
        while written < target or reps == 0:
            shift = reps * period
            buf = io.StringIO(newline="")
            w = csv.writer(buf)
            for t, rows in expanded:
                ts = str(t + shift)
                for (f, users, req, fail, oreq, ofail, agg, rps, fps) in rows:
                    if reps > 0 and req == 0:
                        continue
                    f = list(f)
                    f[h_ts] = ts
                    f[h_users] = str(users)
                    f[h_req] = str(req + reps * oreq)
                    f[h_fail] = str(fail + reps * ofail)
                    if agg:
                        f[h_rps] = rps
                        f[h_fps] = fps
                    w.writerow(f)
                    nrows += 1
                    t_last = t + shift
            chunk = buf.getvalue().encode("utf-8")
            out.write(chunk)
            written += len(chunk)
            reps += 1
    R = reps

    # ---- stats file
    out_stats = [sh]
    for row in s_endpoints:
        for k in range(E):
            f = list(row)
            f[s_name] = "%s/%d" % (row[s_name], k)
            f[s_req] = str(counts[(row[s_type], row[s_name])][0] * R)
            f[s_fail] = str(counts[(row[s_type], row[s_name])][1] * R)
            out_stats.append(f)
    out_stats[1:] = sorted(out_stats[1:], key=lambda f: (f[s_name], f[s_type]))
    f = list(s_agg)
    f[s_req] = str(counts[None][0] * E * R)
    f[s_fail] = str(counts[None][1] * E * R)
    f[s_rps] = repr(float(s_agg[s_rps]) * E)
    f[s_fps] = repr(float(s_agg[s_fps]) * E)
    out_stats.append(f)
    with open(str(base) + "_stats.csv", "w", newline="", encoding="utf-8") as o:
        o.write(to_csv(out_stats))

    # ---- failures (a row per name, copied E times) and exceptions (counts only)
    scale_counts(src + "_failures.csv", str(base) + "_failures.csv", "Occurrences", "Name",
                 E, R)
    scale_counts(src + "_exceptions.csv", str(base) + "_exceptions.csv", "Count", None, E, R)

    sys.stderr.write(
        "%s: %s_stats_history.csv: %d bytes, %d rows + header, %d repetitions of %d s "
        "(%d s, %d..%d); %d endpoints (%d x %d copies); %d requests, %d failures\n"
        % (PROG, base, written, nrows, R, period, t_last - seconds[0][0],
           seconds[0][0], t_last, len(s_endpoints) * E, len(s_endpoints), E,
           counts[None][0] * E * R, counts[None][1] * E * R))


if __name__ == "__main__":
    main()
