#!/usr/bin/env bash
# tests/fuzz/campaign.sh - runs every libFuzzer harness for RUNS executions (default 10 million),
# JOBS at a time (default: the number of cores), and prints one line per harness: executions,
# executions per second, seconds, and whether it ended clean or with a finding (the input is
# then in OUT/HARNESS-crash-*, to be kept in tests/fuzz/corpus/ once fixed).
#
#   CC=clang cmake -S . -B build-fuzz -DPERFGATE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     -DCMAKE_C_FLAGS='-fsanitize=undefined -fno-sanitize-recover=undefined' \
#     -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=undefined
#   cmake --build build-fuzz -j
#   tests/fuzz/campaign.sh build-fuzz/tests OUT [RUNS] [JOBS] [HARNESS...]
#
# UndefinedBehaviorSanitizer traps every undefined operation at full speed; the corpora the
# campaign grows (OUT/corpus/HARNESS) are then replayed under AddressSanitizer by the standalone
# harnesses of a -DPERFGATE_SANITIZE=ON build:  build-asan/tests/fuzz_HARNESS OUT/corpus/HARNESS
# Inputs are at most MAX_LEN bytes (default 4096): longer seeds (fixtures/, tests/fuzz/corpus/,
# tests/fuzz/campaign/HARNESS/) are cut to that. The grown corpus, minimised, becomes
# tests/fuzz/campaign/HARNESS/ (ctest replays it):
#   mkdir -p tests/fuzz/campaign/HARNESS && build-fuzz/tests/fuzz_HARNESS -merge=1 -max_len=4096 \
#     tests/fuzz/campaign/HARNESS OUT/corpus/HARNESS
set -euo pipefail
bin=$1 out=$2 runs=${3:-10000000} jobs=${4:-$(nproc)} max_len=${MAX_LEN:-4096}
shift $(( $# < 4 ? $# : 4 ))
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
	for f in "$bin"/fuzz_*; do harnesses+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
mkdir -p "$out"
one() {
	local h=$1 start rc=0
	mkdir -p "$out/corpus/$h"
	start=$(date +%s)
	local seeds=("$root/fixtures" "$root/tests/fuzz/corpus")
	[ -d "$root/tests/fuzz/campaign/$h" ] && seeds+=("$root/tests/fuzz/campaign/$h")
	"$bin/fuzz_$h" -runs="$runs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -artifact_prefix="$out/$h-" "$out/corpus/$h" "${seeds[@]}" \
		>"$out/$h.log" 2>&1 || rc=$?
	local n rate
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$h.log")
	printf '%-12s %12s executions %8s exec/s %6d s  %s\n' "$h" "${n:-?}" "${rate:-?}" \
		"$(( $(date +%s) - start ))" "$([ $rc -eq 0 ] && echo clean || echo "FINDING (exit $rc)")"
}
export -f one
export bin out runs root max_len
printf '%s\n' "${harnesses[@]}" | xargs -P "$jobs" -I{} bash -c 'one {}'
