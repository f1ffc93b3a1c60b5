# Every k6 output mode in the fixtures, told apart by content alone.
cd "$FIXTURES" && "$PERFGATE" detect k6/*/summary-export.json k6/*/handle-summary.json \
	k6/*/out.json k6/*/out.json.gz k6/*/out.csv
