#!/usr/bin/env bash
# snapshot_outputs.sh PERFGATE OUTDIR
#
# Runs perfgate over every fixture in fixtures/ and keeps everything it prints and writes:
# show (text and --json), lint --dump of every fixture budget, check with every fixture budget
# (stdout, stderr, exit code, JUnit, verdict JSON, Markdown report, summary), and report with
# charts in PNG and SVG. Run it before and after a refactor with two builds, then
# `diff -r BEFORE AFTER`: a refactor that changes no behaviour leaves no difference. Paths are
# relative to the source tree, so two checkouts give comparable files (OUTDIR is emptied
# first). The environment is the e2e runner's (NO_COLOR, TZ, LC_ALL, SOURCE_DATE_EPOCH).
set -u
perfgate=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$2"
mkdir -p "$2"
cd "$2" || exit 2
ln -s "$src/fixtures" fixtures # inputs and outputs named relative to here, in every checkout
out=.
export NO_COLOR=1 TZ=UTC LC_ALL=C SOURCE_DATE_EPOCH=1795000000
unset GITHUB_ACTIONS

inputs=()
for f in fixtures/autocannon/*.json fixtures/autocannon/*.json.gz fixtures/wrk/*.txt \
	fixtures/k6/*/summary-export.json fixtures/k6/*/handle-summary.json \
	fixtures/k6/*/out.json fixtures/k6/*/out.json.gz fixtures/k6/*/out.csv \
	fixtures/locust/*/run; do
	inputs+=("$f")
done

# run NAME ARGS...: one perfgate command, its streams and exit code under OUTDIR/NAME/
run() {
	local name=$1
	shift
	mkdir -p "$out/$name/files"
	"$perfgate" "$@" >"$out/$name/stdout" 2>"$out/$name/stderr"
	echo $? >"$out/$name/exit"
}

for input in "${inputs[@]}"; do
	key=$(echo "$input" | tr '/' '_')
	run "$key/show" show --breakdown -p 75,99.99 "$input"
	run "$key/show-json" show --json "$input"
	for budget in fixtures/budgets/*.json; do
		b=$(basename "$budget" .json)
		d="$out/$key/check-$b/files"
		run "$key/check-$b" check -b "$budget" --junit "$d/junit.xml" --verdict "$d/verdict.json" \
			--markdown "$d/report.md" --summary "$d/summary.md" "$input"
	done
	d="$out/$key/report/files"
	run "$key/report" report --markdown "$d/report.md" --charts "$d/charts" \
		--chart-format both "$input"
	run "$key/context" report --dump-context "$input"
done

# lint, with every assertion's compiled tree
for budget in fixtures/budgets/*.json; do
	run "lint-$(basename "$budget" .json)" lint --dump "$budget"
done

# the multi-run cases: load levels, a baseline, same-label merges
run k6-levels report -b fixtures/budgets/capacity.json --markdown "$out/k6-levels/files/report.md" \
	--charts "$out/k6-levels/files/charts" --chart-format both \
	vu5=fixtures/k6/limited-vu5/out.json.gz vu20=fixtures/k6/limited-vu20/out.json.gz \
	vu60=fixtures/k6/limited-vu60/out.json.gz
run k6-baseline check -b fixtures/budgets/regression.json \
	--baseline fixtures/k6/limited-vu5/out.json.gz --junit "$out/k6-baseline/files/junit.xml" \
	--verdict "$out/k6-baseline/files/verdict.json" --markdown "$out/k6-baseline/files/report.md" \
	--charts "$out/k6-baseline/files/charts" fixtures/k6/limited-vu60/out.json.gz
run locust-levels report --charts "$out/locust-levels/files/charts" --chart-format both \
	--markdown "$out/locust-levels/files/report.md" u10=fixtures/locust/capacity-u10/run \
	u50=fixtures/locust/capacity-u50/run u100=fixtures/locust/capacity-u100/run
run wrk-levels report --charts "$out/wrk-levels/files/charts" --chart-format both \
	--markdown "$out/wrk-levels/files/report.md" c10=fixtures/wrk/limited-c10.txt \
	c50=fixtures/wrk/limited-c50.txt c100=fixtures/wrk/limited-c100.txt
run merged show --json same=fixtures/autocannon/limited-c10.json same=fixtures/autocannon/limited-c50.json \
	other=fixtures/k6/mixed-stages/out.csv
run save-model show --save-model "$out/save-model/files/model.json" fixtures/k6/mixed-stages/out.json
rm fixtures
echo "snapshot of $(find . -type f | wc -l) files in $2"
