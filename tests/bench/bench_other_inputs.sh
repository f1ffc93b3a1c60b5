#!/usr/bin/env bash
# Benchmark perfgate on the inputs of Locust, autocannon and wrk, against peers run in the
# same session.
#
# usage: bench_other_inputs.sh PERFGATE_BINARY [WORKDIR]
#
# Needs python3, jq, hyperfine (>= 1.13, for -N) and GNU time (/usr/bin/time;
# apt-get install -y time). About 250 MB of disk in WORKDIR (default /tmp/perfgate-bench-other).
# Takes about 2 minutes on 2 cores.
#
# (a) Locust --csv. The one file of a Locust run that grows with its length is
#     PREFIX_stats_history.csv (a row per second per endpoint with --csv-full-history, and an
#     Aggregated row). make_locust_history.py builds two long runs from the real run in
#     fixtures/locust/mixed/ (54 endpoints, 16 s): "long", its history repeated to 100 MiB
#     (54 endpoints, about 4 hours), and "wide", 20 copies of every endpoint (1,080) repeated
#     to 100 MiB (about 12 minutes). The generator draws no random numbers: its output depends
#     only on the source and its arguments. Each run is cached in WORKDIR/NAME/ (read as
#     `perfgate show WORKDIR/NAME/run`, the prefix) and made again only when the generator,
#     the fixture or the arguments change (the key is kept in WORKDIR/NAME.key).
#     First, one `perfgate show --json` per run under /usr/bin/time -v: its exit status, peak
#     RSS, anything it printed on stderr, and its requests, errors and endpoints checked
#     against the generated stats file's. Then hyperfine -N --warmup 1 --runs 3 per run:
#     wc -l of the history file (the floor), perfgate show RUN, and a python3 `csv` module
#     reader summing the history's Requests/s column.
# (b) autocannon and wrk write only an end-of-run summary, whose size does not grow with the
#     run's length. hyperfine -N --warmup 3 --runs 20 of perfgate show on the largest fixture
#     of each (fixtures/autocannon/*.json, fixtures/wrk/*.txt) next to `cat FILE`.
#
# Every command's exit status is printed beside its time (hyperfine runs with -i); a ratio
# is printed only for commands that exited 0 on every run, and the script exits 1 if any
# command failed or a check did not hold. hyperfine exports go to
# WORKDIR/hyperfine-other-*.{md,json}.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PERFGATE_BINARY [WORKDIR]  (WORKDIR defaults to /tmp/perfgate-bench-other)" >&2
    exit 2
fi
PERFGATE=$1
WORKDIR=${2:-/tmp/perfgate-bench-other}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN="$SCRIPT_DIR/make_locust_history.py"
FIXTURES="$(cd "$SCRIPT_DIR/../.." && pwd)/fixtures"
LOCUST_SRC="$FIXTURES/locust/mixed/run"

# shellcheck source=tests/bench/lib.sh
. "$SCRIPT_DIR/lib.sh"
PERFGATE=$(abs_perfgate "$PERFGATE")
need_tools python3 jq hyperfine wc cat sha256sum gnu-time
for f in stats stats_history failures exceptions; do
    [ -f "${LOCUST_SRC}_$f.csv" ] || { echo "error: fixture missing: ${LOCUST_SRC}_$f.csv" >&2; exit 2; }
done

# largest FILE... -> the largest of the files (the first of equals)
largest() {
    local f best="" size max=-1
    for f in "$@"; do
        size=$(wc -c < "$f")
        if [ "$size" -gt "$max" ]; then
            max=$size
            best=$f
        fi
    done
    printf '%s\n' "$best"
}
AC=$(largest "$FIXTURES"/autocannon/*.json)
WRK=$(largest "$FIXTURES"/wrk/*.txt)

FAILED=0
SESSION_PREFIX=other
start_workdir


# gen NAME SIZE_MIB ARGS... -> the run WORKDIR/NAME/run_*.csv unless its cached key matches.
gen() {
    local name=$1 mib=$2
    shift 2
    local key
    key="$(key_of "$GEN" "$LOCUST_SRC"_stats.csv "$LOCUST_SRC"_stats_history.csv \
        "$LOCUST_SRC"_failures.csv "$LOCUST_SRC"_exceptions.csv) --size-mb $mib $*"
    make_cached "$name" "$WORKDIR/$name" "$key" $((mib * 110 / 100 + 64)) \
        python3 "$GEN" "$LOCUST_SRC" --size-mb "$mib" "$@" --out-dir
}

LONG=locust-long-100mib
WIDE=locust-wide-100mib
echo
echo "== inputs"
gen "$LONG" 100 --copies 1
gen "$WIDE" 100 --copies 20
cd "$WORKDIR"
set_size() { cat "$1"/run_*.csv | wc -c | tr -d ' '; }
# expect RUN -> "REQUESTS ERRORS ENDPOINTS" from its stats file (rows besides Aggregated)
expect() {
    python3 -c "import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
agg = [r for r in rows if r['Name'] == 'Aggregated' and r['Type'] == '']
print(agg[0]['Request Count'], agg[0]['Failure Count'], len(rows) - len(agg))" "$1/run_stats.csv"
}
printf '  %-20s %11s %11s %9s %9s %11s %9s %10s\n' run "set bytes" "hist bytes" "hist rows" endpoints \
    requests errors "span s"
for r in "$LONG" "$WIDE"; do
    read -r req err ep < <(expect "$r")
    rows=$(($(wc -l < "$r/run_stats_history.csv") - 1))
    span=$(awk -F, 'NR == 2 { a = $1 } END { print $1 - a }' "$r/run_stats_history.csv")
    printf '  %-20s %11s %11s %9s %9s %11s %9s %10s\n' "$r" "$(set_size "$r")" \
        "$(size_of "$r/run_stats_history.csv")" "$rows" "$ep" "$req" "$err" "$span"
done
printf '  %-20s %11s bytes  %s\n' autocannon "$(size_of "$AC")" "${AC#"$FIXTURES"/}"
printf '  %-20s %11s bytes  %s\n' wrk "$(size_of "$WRK")" "${WRK#"$FIXTURES"/}"


PG=$(printf %q "$PERFGATE")

# check RUN: one perfgate show --json under GNU time; prints exit status, peak RSS, wall time,
# stderr, and the requests, errors and endpoints against the stats file's.
check() {
    local r=$1 rc=0
    /usr/bin/time -v -o "time-v-$r.txt" "$PERFGATE" show --json "$r/run" > "show-$r.json" \
        2> "show-$r.err" || rc=$?
    local kb el got want
    kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "time-v-$r.txt")
    el=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "time-v-$r.txt")
    want=$(expect "$r")
    got=$(jq -r '.runs[0] | [.requests, .errors,
        ([.series[] | select(.metric == "latency" and .endpoint != null) | .endpoint]
         | unique | length)] | map(tostring) | join(" ")' "show-$r.json" 2>/dev/null || echo "?")
    echo "  perfgate show --json $r/run: exit $rc, peak RSS $kb KB, wall $el (one run)"
    echo "    requests errors endpoints: perfgate $got, stats file $want$([ "$got" = "$want" ] \
        && echo "  (match)" || echo "  <- MISMATCH")"
    if [ -s "show-$r.err" ]; then
        echo "    stderr ($(wc -l < "show-$r.err") lines):"
        head -n 5 "show-$r.err" | cut -c1-200 | sed 's/^/      /'
    else
        echo "    stderr: (empty)"
    fi
    if [ "$rc" -ne 0 ] || [ "$got" != "$want" ]; then FAILED=1; fi
}

PY_SUM="import csv,sys; r=csv.reader(open(sys.argv[1],newline='')); h=next(r); \
c=h.index('Requests/s'); print(sum(float(x[c]) for x in r))"
# locust NAME RUN: checks and times one generated run
locust() {
    local name=$1 r=$2 h="$2/run_stats_history.csv"
    echo
    echo "== (a) Locust --csv, $name: $r/run ($(size_of "$h") bytes of history, $(set_size "$r") in the set)"
    check "$r"
    load
    session "$name" --warmup 1 --runs 3 \
        -n "wc -l history" "wc -l $h" \
        -n "perfgate show" "$PG show $r/run" \
        -n "python3 csv sum" "python3 -c \"$PY_SUM\" $h"
    echo
    echo "  mean of the runs; MB/s of the history file's bytes (perfgate: of the whole set);"
    echo "  time over perfgate show's"
    local sizes
    sizes=$(jq -n --argjson h "$(size_of "$h")" --argjson s "$(set_size "$r")" \
        '{"wc -l history": $h, "perfgate show": $s, "python3 csv sum": $h}')
    report s "$sizes" "perfgate show" "hyperfine-other-$name.json"
    local j="hyperfine-other-$name.json" pg
    pg=$(mean_of "perfgate show" "$j")
    ratio "perfgate show = N x wc -l (the floor)" "$pg" "$(mean_of "wc -l history" "$j")"
    ratio "python3 csv sum = N x perfgate show" "$(mean_of "python3 csv sum" "$j")" "$pg"
    if [ -n "$pg" ]; then
        awk -v n="$(($(wc -l < "$h") - 1))" -v t="$pg" \
            'BEGIN { printf "  perfgate show: %.0f history rows/s\n", n / t }'
    fi
}
locust long "$LONG"
locust wide "$WIDE"
ratio "perfgate show wide (1,080 endpoints) = N x long (54 endpoints), same MiB of history" \
    "$(mean_of "perfgate show" hyperfine-other-wide.json)" \
    "$(mean_of "perfgate show" hyperfine-other-long.json)"

echo
echo "== (b) end-of-run summaries: autocannon ${AC#"$FIXTURES"/} ($(size_of "$AC") bytes), wrk ${WRK#"$FIXTURES"/} ($(size_of "$WRK") bytes)"
for f in "$AC" "$WRK"; do
    rc=0
    "$PERFGATE" show "$f" > /dev/null 2> summary.err || rc=$?
    echo "  perfgate show ${f#"$FIXTURES"/}: exit $rc$([ -s summary.err ] && printf ', stderr: %s' "$(head -c 200 summary.err)")"
    [ "$rc" -eq 0 ] || FAILED=1
done
load
session summaries --warmup 3 --runs 20 \
    -n "cat autocannon" "cat $AC" \
    -n "perfgate show autocannon" "$PG show $AC" \
    -n "cat wrk" "cat $WRK" \
    -n "perfgate show wrk" "$PG show $WRK"
echo
echo "  mean of the runs, in ms; time over perfgate show of the autocannon file's"
SIZES=$(jq -n --argjson a "$(size_of "$AC")" --argjson w "$(size_of "$WRK")" \
    '{"cat autocannon": $a, "perfgate show autocannon": $a, "cat wrk": $w, "perfgate show wrk": $w}')
report ms "$SIZES" "perfgate show autocannon" hyperfine-other-summaries.json
J=hyperfine-other-summaries.json
ratio "perfgate show autocannon = N x cat" "$(mean_of "perfgate show autocannon" "$J")" \
    "$(mean_of "cat autocannon" "$J")"
ratio "perfgate show wrk = N x cat" "$(mean_of "perfgate show wrk" "$J")" "$(mean_of "cat wrk" "$J")"

echo
echo "exports: $WORKDIR/hyperfine-other-*.{md,json}"
if [ "$FAILED" -ne 0 ]; then
    echo "FAILED: a command exited non-zero or a check did not hold (see above)"
    exit 1
fi
