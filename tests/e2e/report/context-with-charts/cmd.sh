ln -s "$FIXTURES" fixtures
# charts outside out/ (their bytes are checked by report_charts.py); the context lists them
"$PERFGATE" report --dump-context --charts charts --markdown out/report.md -b fixtures/budgets/release.json \
	fixtures/k6/mixed-stages/out.json >out/context.json
