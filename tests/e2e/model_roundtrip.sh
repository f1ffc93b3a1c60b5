#!/usr/bin/env bash
# model_roundtrip.sh PERFGATE FIXTURES SHARED WORKDIR
#
# For every autocannon, k6, Locust, wrk and Prometheus fixture (and the samples in SHARED, when
# present):
#   1. perfgate show --save-model a.json INPUT      (input -> model JSON)
#   2. perfgate show --save-model b.json a.json     (model JSON -> model JSON)
#   3. a.json and b.json must be byte-identical (load -> save round-trips), and
#   4. `show --json` of the saved model must equal `show --json` of the original input.
set -u
perfgate=$1 fixtures=$2 shared=$3
work=$(mktemp -d "${4:-/tmp}/roundtrip.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
inputs=$(ls "$fixtures"/autocannon/*.json "$fixtures"/autocannon/*.json.gz \
	"$fixtures"/k6/*/*.json "$fixtures"/k6/*/*.json.gz "$fixtures"/k6/*/*.csv)
# front ends whose fixture folders may grow: every file of theirs
inputs="$inputs $(find "$fixtures"/locust "$fixtures"/wrk -type f \( -name '*.csv' -o -name '*.txt' \) \
	\! -name 'console.txt' 2>/dev/null | sort)"
# server-side metrics: every snapshot and API export alone (truth.json is a test's, not an input)
inputs="$inputs $(find "$fixtures"/prometheus -type f \( -name '*.prom' -o -name '*.om' \
	-o -name '*.prom.gz' -o -name 'r*.json' \) \! -name 'truth.json' 2>/dev/null | sort)"
if [ -d "$shared/samples/autocannon/json" ]; then
	inputs="$inputs $(ls "$shared"/samples/autocannon/json/*.json "$shared"/samples/k6/*/* \
		"$shared"/samples/locust/*/*)"
	inputs="$inputs $(ls "$shared"/samples/wrk/*/* "$shared"/samples/wrk2/*/*)"
	inputs="$inputs $(ls "$shared"/samples/prometheus/*/*)"
else
	echo "note: $shared/samples not found; round-tripping the fixtures only"
fi
for input in $inputs; do
	name=$(basename "$input")
	ok=1
	rm -f "$work/a.json" "$work/b.json"
	"$perfgate" show --save-model "$work/a.json" "$input" >/dev/null || ok=0
	"$perfgate" show --save-model "$work/b.json" "$work/a.json" >/dev/null || ok=0
	cmp -s "$work/a.json" "$work/b.json" || { ok=0; echo "FAIL $name: load -> save differs"; diff "$work/a.json" "$work/b.json" | head -20; }
	"$perfgate" show --json "$input" >"$work/x.json" || ok=0
	"$perfgate" show --json "$work/a.json" >"$work/y.json" || ok=0
	cmp -s "$work/x.json" "$work/y.json" || { ok=0; echo "FAIL $name: show --json of the saved model differs"; diff "$work/x.json" "$work/y.json" | head -20; }
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
