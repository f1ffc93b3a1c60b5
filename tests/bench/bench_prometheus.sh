#!/usr/bin/env bash
# Benchmark perfgate's Prometheus readers: a 100 MB query_range response and 1,000 /metrics
# snapshots, each against peers that only read the same bytes.
#
# usage: bench_prometheus.sh PERFGATE_BINARY [WORKDIR]
#
# 1. Generates (in WORKDIR, default /tmp/perfgate-prombench) with make_prometheus.py from the
#    real fixtures in fixtures/prometheus/steady: range-100mb.json (1 h of 1 s steps per
#    series) and range-200mb.json (the same series over 2 h: twice the samples), and 1,000 and
#    2,000 node-exporter snapshots.
# 2. hyperfine (--warmup 1 --runs 5) on the 100 MB response: `wc -l`, `jq` summing every
#    value (a reader that parses the whole document), python3's json.load, and
#    `perfgate show`; then on the 1,000 snapshots: `cat` of them all, and `perfgate show`.
# 3. Peak RSS (GNU time) of `perfgate show` on 100 and 200 MB, and on 1,000 and 2,000
#    snapshots: memory must not grow with the number of samples.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PERFGATE_BINARY [WORKDIR]" >&2
    exit 2
fi
PERFGATE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORKDIR=${2:-/tmp/perfgate-prombench}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in python3 jq hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 2; }
done
mkdir -p "$WORKDIR"
cd "$WORKDIR"
[ -f range-100mb.json ] || python3 "$SCRIPT_DIR/make_prometheus.py" --range-mb 100 --snapshots 1000 --out a
[ -f range-200mb.json ] || python3 "$SCRIPT_DIR/make_prometheus.py" --range-mb 200 --steps 7200 --snapshots 2000 --out b
[ -f range-100mb.json ] || mv a/range-100mb.json . && [ -d snap1000 ] || mv a/snapshots snap1000
[ -f range-200mb.json ] || mv b/range-200mb.json . && [ -d snap2000 ] || mv b/snapshots snap2000
rm -rf a b

"$PERFGATE" show range-100mb.json >/dev/null
"$PERFGATE" show snap1000/*.prom >/dev/null
hyperfine --warmup 1 --runs 5 --export-markdown hyperfine-range.md \
    'wc -l range-100mb.json' \
    "jq '[.data.result[].values[][1] | tonumber] | add' range-100mb.json" \
    "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' range-100mb.json" \
    "$PERFGATE show range-100mb.json"
hyperfine --warmup 1 --runs 5 --export-markdown hyperfine-snapshots.md \
    'cat snap1000/*.prom' "$PERFGATE show snap1000/*.prom"
rss() { /usr/bin/time -f '%M' "$PERFGATE" show "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS (KiB): range 100 MB $(rss range-100mb.json), 200 MB $(rss range-200mb.json);" \
     "snapshots 1000 $(rss snap1000/*.prom), 2000 $(rss snap2000/*.prom)"
