ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" check -b fixtures/budgets/strict.json --markdown "out/report.md" \
	--summary "out/summary.md" fixtures/k6/mixed-stages/out.json
