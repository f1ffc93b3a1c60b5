ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" report -b fixtures/budgets/release.json --markdown "out/report.md" \
	--summary "out/summary.md" fixtures/k6/mixed-stages/out.json
