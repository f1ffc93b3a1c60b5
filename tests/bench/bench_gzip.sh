#!/usr/bin/env bash
# bench_gzip.sh PERFGATE [PERFGATE...] - what gzip input costs over the same file plain.
#
# Generates (once, in WORKDIR, default /tmp/perfgate-gzbench) the 500 MB k6 NDJSON file of
# make_k6_ndjson.py (seed 1) and its `gzip -6` copy, checks that each perfgate prints
# byte-identical `show --json --breakdown` output for the plain file, the .gz and the .gz on
# standard input, then times in one hyperfine session (--warmup 1 --runs 5) `show` on each
# of the three for every perfgate given (a build before a change, one with -DPERFGATE_ISAL=OFF,
# ...), and `igzip -dc` and `gzip -dc` as the floors of decompressing alone (when installed).
# Needs python3, gzip and hyperfine. Not a test: timing never decides anything.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PERFGATE [PERFGATE...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
work=${WORKDIR:-/tmp/perfgate-gzbench}
mkdir -p "$work"
plain=$work/k6-500.ndjson
if [ ! -f "$plain.gz" ]; then
	python3 "$here/make_k6_ndjson.py" --size-mb 500 --seed 1 --out "$plain"
	gzip -6 -k -f "$plain"
fi

commands=()
for p in "$@"; do
	p=$(abs_perfgate "$p")
	"$p" show --json --breakdown - <"$plain" >"$work/plain.out"
	"$p" show --json --breakdown - <"$plain.gz" >"$work/gz.out"
	cat "$plain.gz" | "$p" show --json --breakdown - >"$work/pipe.out"
	cmp "$work/plain.out" "$work/gz.out"
	cmp "$work/plain.out" "$work/pipe.out"
	echo "$p: plain, .gz and piped .gz give identical output" >&2
	commands+=("$p show $plain" "$p show $plain.gz" "bash -c '$p show - <$plain.gz'")
done
command -v igzip >/dev/null && commands+=("bash -c 'igzip -dc $plain.gz >/dev/null'")
commands+=("bash -c 'gzip -dc $plain.gz >/dev/null'")
hyperfine --warmup 1 --runs 5 -N --export-markdown "$work/hyperfine-gzip.md" "${commands[@]}"
