#!/usr/bin/env bash
# Benchmark perfgate's k6 NDJSON reader against wc -l and jq.
#
# usage: bench_k6_ndjson.sh PERFGATE_BINARY [WORKDIR]
#
# 1. Generates (once, cached in WORKDIR, default /tmp/perfgate-bench) a 50 MB
#    and a 500 MB k6 `--out json` file with make_k6_ndjson.py from the real
#    fixture fixtures/k6/mixed-stages/out.json.
# 2. One hyperfine run (--warmup 1 --runs 3 -i) on the 500 MB file:
#      wc -l FILE
#      jq -c 'select(.type=="Point" and .metric=="http_req_duration") | .data.value' FILE
#      PERFGATE show FILE
#    Markdown and JSON exports go to WORKDIR/hyperfine-500mb.{md,json}.
# 3. Peak RSS of `PERFGATE show` on the 50 MB and the 500 MB file with
#    /usr/bin/time -v (GNU time), and the 500 MB / 50 MB RSS ratio.
# Prints MB/s (10^6 bytes per second of mean wall time) for each tool.
#
# A perfgate that cannot read k6 files yet fails fast; -i lets hyperfine go
# on, and the script reports perfgate's exit status and first error lines.
set -euo pipefail

usage() {
    echo "usage: $0 PERFGATE_BINARY [WORKDIR]" >&2
    echo "  WORKDIR defaults to /tmp/perfgate-bench (generated files are cached there)" >&2
    exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi

PERFGATE=$1
WORKDIR=${2:-/tmp/perfgate-bench}
SEED=1
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN="$SCRIPT_DIR/make_k6_ndjson.py"
SOURCE="$SCRIPT_DIR/../../fixtures/k6/mixed-stages/out.json"

# shellcheck source=tests/bench/lib.sh
. "$SCRIPT_DIR/lib.sh"
PERFGATE=$(abs_perfgate "$PERFGATE")

need_tools python3 jq hyperfine gnu-time
[ -f "$SOURCE" ] || { echo "error: source fixture missing: $SOURCE" >&2; exit 2; }

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)

# gen SIZE_MB -> path of the (cached) file; regenerated if the generator or
# the source fixture is newer than the cached copy.
gen() {
    local mb=$1 f="$WORKDIR/k6-${1}mb-seed${SEED}.ndjson"
    if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ] || [ "$SOURCE" -nt "$f" ]; then
        echo "generating $f ..." >&2
        python3 "$GEN" "$SOURCE" --size-mb "$mb" --seed "$SEED" --out "$f.tmp.$$"
        mv "$f.tmp.$$" "$f"
    else
        echo "using cached $f" >&2
    fi
    printf '%s\n' "$f"
}
F50=$(gen 50)
F500=$(gen 500)

S50=$(size_of "$F50")
S500=$(size_of "$F500")

# What does perfgate make of the input? (hyperfine hides its output.)
echo
echo "== perfgate show on the 50 MB file (one run, to see whether it reads k6)"
PG_RC=0
"$PERFGATE" show "$F50" > "$WORKDIR/perfgate-show-50mb.out" 2> "$WORKDIR/perfgate-show-50mb.err" || PG_RC=$?
echo "exit status: $PG_RC"
if [ "$PG_RC" -ne 0 ]; then
    echo "stderr (first lines):"
    head -n 5 "$WORKDIR/perfgate-show-50mb.err" | sed 's/^/  /'
    echo "NOTE: perfgate failed on k6 input; its timings below measure the failure, not a full read."
else
    echo "stdout: $(wc -l < "$WORKDIR/perfgate-show-50mb.out" | tr -d ' ') lines (in $WORKDIR/perfgate-show-50mb.out)"
fi

q() { printf '%q' "$1"; }
QF=$(q "$F500")
QPG=$(q "$PERFGATE")
JQ_FILTER='select(.type=="Point" and .metric=="http_req_duration") | .data.value'

echo
echo "== hyperfine on the 500 MB file ($S500 bytes)"
hyperfine --warmup 1 --runs 3 -i \
    --export-markdown "$WORKDIR/hyperfine-500mb.md" \
    --export-json "$WORKDIR/hyperfine-500mb.json" \
    -n "wc -l" "wc -l $QF" \
    -n "jq select+extract" "jq -c '$JQ_FILTER' $QF > /dev/null" \
    -n "perfgate show" "$QPG show $QF > /dev/null"

echo
echo "== throughput on the 500 MB file (MB = 10^6 bytes, mean wall time)"
jq -r --argjson size "$S500" '.results[] |
    [.command, .mean, ($size / .mean / 1e6),
     ((.exit_codes // []) | map(tostring) | unique | join(","))] | @tsv' \
    "$WORKDIR/hyperfine-500mb.json" |
while IFS=$'\t' read -r name mean mbs codes; do
    printf '  %-20s mean %8.3f s  %9.1f MB/s  exit codes: %s\n' "$name" "$mean" "$mbs" "${codes:-?}"
done

echo
echo "== peak RSS of perfgate show"
if [ ! -x /usr/bin/time ]; then
    echo "  /usr/bin/time (GNU time) is missing; install it: apt-get install -y time"
    echo "  (peak RSS not measured)"
    exit 0
fi
rss() {  # rss FILE LABEL -> prints "KB RC"
    local log="$WORKDIR/time-v-$2.txt" rc=0
    /usr/bin/time -v -o "$log" "$PERFGATE" show "$1" > /dev/null 2> "$WORKDIR/perfgate-show-$2.err" || rc=$?
    local kb
    kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log")
    echo "${kb:-0} $rc"
}
read -r K50 RC50 < <(rss "$F50" 50mb)
read -r K500 RC500 < <(rss "$F500" 500mb)
printf '  50 MB file:  %8d KB peak RSS (exit %s)\n' "$K50" "$RC50"
printf '  500 MB file: %8d KB peak RSS (exit %s)\n' "$K500" "$RC500"
awk -v a="$K50" -v b="$K500" -v sa="$S50" -v sb="$S500" 'BEGIN {
    if (a > 0) printf "  RSS ratio 500 MB / 50 MB: %.2f (input size ratio %.2f)\n", b / a, sb / sa
}'
if [ "$RC50" -ne 0 ] || [ "$RC500" -ne 0 ]; then
    echo "  NOTE: perfgate exited non-zero, so these RSS numbers are for a failed run."
fi
echo
echo "results: $WORKDIR/hyperfine-500mb.md"
