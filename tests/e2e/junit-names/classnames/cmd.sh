# classnames from run labels: spaces, non-ASCII bytes, an extension chain, leading slashes
for label in "checkout api" "café/run.json.gz" "/abs//path/run.ndjson" "v1.2 smoke"; do
	"$PERFGATE" check -b "$FIXTURES/budgets/release.json" --junit - \
		"$label=$FIXTURES/k6/mixed-stages/out.json" 2>/dev/null |
		grep -o 'classname="[^"]*"' | sort -u
done
