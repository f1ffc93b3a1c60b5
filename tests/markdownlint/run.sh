#!/usr/bin/env bash
# run.sh PERFGATE SOURCE_DIR
#
# markdownlint (npm markdownlint-cli2, pinned here in package.json) over every Markdown document
# perfgate writes with its built-in templates, under the repository's .markdownlint.jsonc:
#   - each report the end-to-end cases keep (tests/e2e/*/*/expect/out/*.md, and the report a
#     case prints to standard output), which e2e/cases proves byte-identical to what the build
#     writes; cases that render a user's template are left out (their Markdown is the user's);
#   - reports written here, one per template branch the cases may not reach: check with every
#     output, a report with a baseline and charts, a comparison with intervals, server metrics.
# `npm ci --prefix tests/markdownlint` installs the linter (.ci/run does); without it the test
# is skipped (exit 77) and says so.
set -u
perfgate=$1 src=$2
lint=$src/tests/markdownlint/node_modules/.bin/markdownlint-cli2
if [ ! -x "$lint" ]; then
	lint=$(command -v markdownlint-cli2) || {
		echo "SKIP: markdownlint-cli2 is not installed (npm ci --prefix tests/markdownlint)"
		exit 77
	}
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=()
for f in "$src"/tests/e2e/*/*/expect/out/*.md; do
	casedir=${f%/expect/out/*}
	grep -q -- '--template' "$casedir"/cmd* && continue
	files+=("$f")
done
for f in "$src"/tests/e2e/*/*/expect/stdout; do
	casedir=${f%/expect/stdout}
	grep -q -- '--template' "$casedir"/cmd* && continue
	head -n 1 "$f" | grep -q '^#' && files+=("$f")
done
cd "$src" || exit 1
run() { # a perfgate command whose Markdown is linted: a verdict (0, 1 or 3), never an error
	"$perfgate" "$@" > /dev/null 2> "$work/stderr"
	local rc=$?
	if [ $rc != 0 ] && [ $rc != 1 ] && [ $rc != 3 ]; then
		echo "FAIL: perfgate $* exited $rc"; cat "$work/stderr"; exit 1
	fi
}
run check -b fixtures/budgets/strict.json --context commit=4f2a9c1 --context branch=main \
	--markdown "$work/check.md" --summary "$work/check-summary.md" \
	--charts "$work/charts" fixtures/k6/mixed-stages/out.json
run check -b fixtures/budgets/regression.json --baseline fixtures/k6/aa-slow-vu20-rep1/out.json.gz \
	--markdown "$work/check-baseline.md" fixtures/k6/ab-slow-vu20-scale1.30-rep1/out.json.gz
run report -b fixtures/budgets/release.json --markdown "$work/report-baseline.md" \
	--charts "$work/charts-baseline" --baseline fixtures/k6/limited-vu5/out.json.gz \
	fixtures/k6/limited-vu60/out.json.gz
run report --markdown "$work/report-wrk.md" fixtures/wrk/limited-c10.txt fixtures/wrk/limited-c100.txt
run report -b fixtures/budgets/server.json --markdown "$work/report-server.md" \
	fixtures/prometheus/steady/autocannon-work.json fixtures/prometheus/steady/raw-*.json
run compare --markdown "$work/compare.md" fixtures/k6/aa-slow-vu20-rep1/out.json.gz -- \
	fixtures/k6/ab-slow-vu20-scale1.30-rep1/out.json.gz
run compare --markdown "$work/compare-wrk.md" fixtures/wrk/compare/aa-rep1.txt -- \
	fixtures/wrk/compare/ab-scale1.30-rep1.txt
files+=("$work"/*.md)
echo "linting ${#files[@]} documents"
"$lint" --config "$src/.markdownlint.jsonc" "${files[@]}"
