ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" report --markdown "out/report.md" --summary "out/summary.md" \
	--baseline limited=fixtures/k6/limited-vu5/out.json.gz limited=fixtures/k6/limited-vu60/out.json.gz
