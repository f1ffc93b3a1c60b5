#!/usr/bin/env bash
# Benchmark perfgate on generated k6 inputs against peers run in the same session, and
# measure its memory with many endpoints.
#
# usage: bench_inputs.sh PERFGATE_BINARY [WORKDIR]
#
# Needs python3, jq, hyperfine (>= 1.13, for -N), gzip and GNU time (/usr/bin/time;
# apt-get install -y time). About 3.5 GB of disk in WORKDIR (default /tmp/perfgate-bench).
#
# Inputs come from make_k6_ndjson.py (fixed seed) and are cached in WORKDIR: a file is made
# again only when the generator, its source fixture or its arguments change (the key is kept
# beside it in FILE.key).
#
# (a) k6 NDJSON, 500 MiB, and its `gzip -6` copy. hyperfine -N --warmup 1 --runs 5:
#     wc -l (the floor), perfgate show FILE (one thread per processor, the default) and with
#     -j 1 (no threads), perfgate show FILE.gz, gzip -dc FILE.gz (the
#     floor for .gz); then jq (select + extract the http_req_duration values) alone with
#     --runs 1, it is slow.
# (b) k6 CSV, 300 MiB. hyperfine -N --warmup 1 --runs 3: wc -l, perfgate show (and -j 1), a python3
#     `csv` module reader summing metric_value of http_req_duration.
# (c) Many endpoints (--endpoints): 6,000 URLs at 21, 210 and 2100 MiB (22 MB, 220 MB,
#     2.2 GB) and 20,000 at 210 MiB. hyperfine -N --warmup 1 --runs 3 of perfgate show on each
#     (and wc -l on the largest), then the peak RSS, wall time, exit status and endpoint count
#     of one `perfgate show` per file with /usr/bin/time -v, and the RSS ratios; then the same
#     with --endpoint-memory 0 (no limit), 256M and 64M (the default is 128M: the table above).
#
# Every command's exit status is printed beside its time (hyperfine runs with -i); a ratio
# is printed only for commands that exited 0 on every run, and the script exits 1 if any
# command failed. hyperfine exports go to WORKDIR/hyperfine-inputs-*.{md,json}.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PERFGATE_BINARY [WORKDIR]  (WORKDIR defaults to /tmp/perfgate-bench)" >&2
    exit 2
fi
PERFGATE=$1
WORKDIR=${2:-/tmp/perfgate-bench}
SEED=1
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN="$SCRIPT_DIR/make_k6_ndjson.py"
FIXTURE_DIR="$SCRIPT_DIR/../../fixtures/k6/mixed-stages"

# shellcheck source=tests/bench/lib.sh
. "$SCRIPT_DIR/lib.sh"
PERFGATE=$(abs_perfgate "$PERFGATE")
need_tools python3 jq hyperfine gzip wc sha256sum gnu-time
for f in out.json out.csv; do
    [ -f "$FIXTURE_DIR/$f" ] || { echo "error: fixture missing: $FIXTURE_DIR/$f" >&2; exit 2; }
done

FAILED=0
SESSION_PREFIX=inputs
start_workdir


# gen NAME SIZE_MIB ARGS... -> generates WORKDIR/NAME unless its cached key matches.
gen() {
    local name=$1 mib=$2
    shift 2
    local key
    key="$(key_of "$GEN" "$FIXTURE_DIR/out.json" "$FIXTURE_DIR/out.csv") --size-mb $mib"
    key="$key --seed $SEED $*"
    make_cached "$name" "$WORKDIR/$name" "$key" $((mib * 105 / 100 + 256)) \
        python3 "$GEN" --size-mb "$mib" --seed "$SEED" "$@" --out
}

# gz NAME -> WORKDIR/NAME.gz, gzip -6 of WORKDIR/NAME, cached with NAME's key.
gz() {
    local f="$WORKDIR/$1"
    if [ -s "$f.gz" ] && cmp -s "$f.key" "$f.gz.key"; then
        echo "cached:     $1.gz" >&2
        return
    fi
    echo "compressing: $1 (gzip -6) ..." >&2
    rm -f "$f.gz" "$f.gz.key"
    gzip -6 -n -c "$f" > "$f.gz.tmp.$$"
    mv "$f.gz.tmp.$$" "$f.gz"
    cp "$f.key" "$f.gz.key"
}

NDJSON=k6-500mib.ndjson
CSV=k6-300mib.csv
EP_SMALL=k6-ep6000-21mib.ndjson
EP_MID=k6-ep6000-210mib.ndjson
EP_BIG=k6-ep6000-2100mib.ndjson
EP_MANY=k6-ep20000-210mib.ndjson

echo
echo "== inputs"
gen "$NDJSON" 500
gz "$NDJSON"
gen "$CSV" 300 --format csv
gen "$EP_SMALL" 21 --endpoints 6000
gen "$EP_MID" 210 --endpoints 6000
gen "$EP_BIG" 2100 --endpoints 6000
gen "$EP_MANY" 210 --endpoints 20000
cd "$WORKDIR"
for f in "$NDJSON" "$NDJSON.gz" "$CSV" "$EP_SMALL" "$EP_MID" "$EP_BIG" "$EP_MANY"; do
    printf '  %-28s %14s bytes\n' "$f" "$(size_of "$f")"
done


PG=$(printf %q "$PERFGATE")
JQ_FILTER='select(.type=="Point" and .metric=="http_req_duration") | .data.value'

echo
echo "== (a) k6 NDJSON $NDJSON ($(size_of "$NDJSON") bytes) and its gzip -6 copy"
load
session ndjson --warmup 1 --runs 5 \
    -n "wc -l" "wc -l $NDJSON" \
    -n "perfgate show" "$PG show $NDJSON" \
    -n "perfgate show -j 1" "$PG show -j 1 $NDJSON" \
    -n "perfgate show .gz" "$PG show $NDJSON.gz" \
    -n "gzip -dc .gz" "gzip -dc $NDJSON.gz"
session ndjson-jq --runs 1 \
    -n "jq select+extract" "jq -c '$JQ_FILTER' $NDJSON"
echo
echo "  mean of the runs; MB/s of the plain file's bytes; time over perfgate show's"
report s "$(size_of "$NDJSON")" "perfgate show" hyperfine-inputs-ndjson.json hyperfine-inputs-ndjson-jq.json
J=(hyperfine-inputs-ndjson.json hyperfine-inputs-ndjson-jq.json)
PG_PLAIN=$(mean_of "perfgate show" "${J[@]}")
ratio "perfgate show = N x wc -l (the floor)" "$PG_PLAIN" "$(mean_of "wc -l" "${J[@]}")"
ratio "perfgate show -j 1 = N x perfgate show (threads' speed-up)" \
    "$(mean_of "perfgate show -j 1" "${J[@]}")" "$PG_PLAIN"
ratio "jq = N x perfgate show" "$(mean_of "jq select+extract" "${J[@]}")" "$PG_PLAIN"
ratio "perfgate show .gz = N x perfgate show" "$(mean_of "perfgate show .gz" "${J[@]}")" "$PG_PLAIN"
ratio "gzip -dc .gz = N x perfgate show .gz" "$(mean_of "gzip -dc .gz" "${J[@]}")" \
    "$(mean_of "perfgate show .gz" "${J[@]}")"

echo
echo "== (b) k6 CSV $CSV ($(size_of "$CSV") bytes)"
PY_CSV="python3 -c \"import csv,sys; r=csv.reader(open(sys.argv[1],newline='')); h=next(r); \
m=h.index('metric_name'); v=h.index('metric_value'); \
print(sum(float(x[v]) for x in r if x[m]=='http_req_duration'))\" $CSV"
load
session csv --warmup 1 --runs 3 \
    -n "wc -l" "wc -l $CSV" \
    -n "perfgate show" "$PG show $CSV" \
    -n "perfgate show -j 1" "$PG show -j 1 $CSV" \
    -n "python3 csv sum" "$PY_CSV"
echo
report s "$(size_of "$CSV")" "perfgate show" hyperfine-inputs-csv.json
J=(hyperfine-inputs-csv.json)
PG_CSV=$(mean_of "perfgate show" "${J[@]}")
ratio "perfgate show = N x wc -l (the floor)" "$PG_CSV" "$(mean_of "wc -l" "${J[@]}")"
ratio "perfgate show -j 1 = N x perfgate show (threads' speed-up)" \
    "$(mean_of "perfgate show -j 1" "${J[@]}")" "$PG_CSV"
ratio "python3 csv sum = N x perfgate show" "$(mean_of "python3 csv sum" "${J[@]}")" "$PG_CSV"

echo
echo "== (c) many endpoints: time"
load
session endpoints --warmup 1 --runs 3 \
    -n "wc -l 6000 ep 2100 MiB" "wc -l $EP_BIG" \
    -n "perfgate 6000 ep 21 MiB" "$PG show $EP_SMALL" \
    -n "perfgate 6000 ep 210 MiB" "$PG show $EP_MID" \
    -n "perfgate 6000 ep 2100 MiB" "$PG show $EP_BIG" \
    -n "perfgate 20000 ep 210 MiB" "$PG show $EP_MANY"
echo
echo "  MB/s of each command's input; time over perfgate show of the 6000 ep 210 MiB file"
SIZES=$(jq -n --argjson s "$(size_of "$EP_SMALL")" --argjson m "$(size_of "$EP_MID")" \
    --argjson b "$(size_of "$EP_BIG")" --argjson n "$(size_of "$EP_MANY")" \
    '{"wc -l 6000 ep 2100 MiB": $b, "perfgate 6000 ep 21 MiB": $s,
      "perfgate 6000 ep 210 MiB": $m, "perfgate 6000 ep 2100 MiB": $b,
      "perfgate 20000 ep 210 MiB": $n}')
report s "$SIZES" "perfgate 6000 ep 210 MiB" hyperfine-inputs-endpoints.json
J=(hyperfine-inputs-endpoints.json)
ratio "time 6000 ep, 2100 MiB / 210 MiB (input 10x)" \
    "$(mean_of "perfgate 6000 ep 2100 MiB" "${J[@]}")" "$(mean_of "perfgate 6000 ep 210 MiB" "${J[@]}")"
ratio "time 6000 ep, 210 MiB / 21 MiB (input 10x)" \
    "$(mean_of "perfgate 6000 ep 210 MiB" "${J[@]}")" "$(mean_of "perfgate 6000 ep 21 MiB" "${J[@]}")"
ratio "time 210 MiB, 20000 ep / 6000 ep" \
    "$(mean_of "perfgate 20000 ep 210 MiB" "${J[@]}")" "$(mean_of "perfgate 6000 ep 210 MiB" "${J[@]}")"
ratio "perfgate 6000 ep 2100 MiB = N x wc -l of it" \
    "$(mean_of "perfgate 6000 ep 2100 MiB" "${J[@]}")" "$(mean_of "wc -l 6000 ep 2100 MiB" "${J[@]}")"

echo
echo "== (c) many endpoints: peak RSS of perfgate show (GNU time -v, one run each)"
# rss FILE [OPTION...] -> "KB ELAPSED RC ENDPOINTS": endpoints are the latency rows of show's
# text output other than the run total '*' ('(other endpoints)' included).
rss() {
    local f=$1 tag
    shift
    tag=$(printf '%s' "$f$*" | tr -c 'A-Za-z0-9.-' '_')
    local log="time-v-$tag.txt" out="show-$tag.out" rc=0
    /usr/bin/time -v -o "$log" "$PERFGATE" show "$@" "$f" > "$out" 2> "show-$tag.err" || rc=$?
    local kb el ep
    kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log")
    el=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    ep=$(awk '$1 == "latency" && $2 != "*"' "$out" | wc -l | tr -d ' ')
    echo "${kb:-0} ${el:-?} $rc $ep"
}
printf '  %-28s %10s %10s %12s %9s %5s\n' input "MB" endpoints "peak RSS KB" wall exit
declare -A RSS
for f in "$NDJSON" "$NDJSON.gz" "$CSV" "$EP_SMALL" "$EP_MID" "$EP_BIG" "$EP_MANY"; do
    read -r kb el rc ep < <(rss "$f")
    RSS[$f]=$kb
    [ "$rc" -eq 0 ] || FAILED=1
    printf '  %-28s %10.1f %10s %12d %9s %5s%s\n' "$f" "$(size_of "$f" | awk '{ print $1 / 1e6 }')" \
        "$ep" "$kb" "$el" "$rc" "$([ "$rc" -eq 0 ] || echo "  <- FAILED: $(head -c 200 "show-$f.err")")"
done
rss_ratio() {
    awk -v l="$1" -v a="${RSS[$2]}" -v b="${RSS[$3]}" -v sa="$(size_of "$2")" -v sb="$(size_of "$3")" \
        'BEGIN { if (b > 0) printf "  %s: %.2fx (input %.2fx)\n", l, a / b, sa / sb }'
}
echo "  (wall: that one run; the hyperfine means above are the timing)"
rss_ratio "RSS 6000 ep, 2100 MiB / 210 MiB" "$EP_BIG" "$EP_MID"
rss_ratio "RSS 6000 ep, 210 MiB / 21 MiB" "$EP_MID" "$EP_SMALL"
rss_ratio "RSS 210 MiB, 20000 ep / 6000 ep" "$EP_MANY" "$EP_MID"

echo
echo "== (c) many endpoints under other --endpoint-memory limits (0: none; past a limit, endpoints fold into one)"
printf '  %-28s %8s %10s %12s %9s %5s\n' input limit endpoints "peak RSS KB" wall exit
declare -A LRSS
for lim in 0 256M 64M; do
    for f in "$EP_SMALL" "$EP_MID" "$EP_BIG" "$EP_MANY"; do
        read -r kb el rc ep < <(rss "$f" --endpoint-memory "$lim")
        LRSS[$lim$f]=$kb
        [ "$rc" -eq 0 ] || FAILED=1
        printf '  %-28s %8s %10s %12d %9s %5s\n' "$f" "$lim" "$ep" "$kb" "$el" "$rc"
    done
    awk -v l="$lim" -v a="${LRSS[$lim$EP_BIG]}" -v b="${LRSS[$lim$EP_MID]}" \
        'BEGIN { if (b > 0) printf "  RSS 6000 ep, 2100 MiB / 210 MiB, --endpoint-memory %s: %.2fx\n", l, a / b }'
done

echo
echo "exports: $WORKDIR/hyperfine-inputs-*.{md,json}"
if [ "$FAILED" -ne 0 ]; then
    echo "FAILED: a command exited non-zero (see the exit columns above)"
    exit 1
fi
