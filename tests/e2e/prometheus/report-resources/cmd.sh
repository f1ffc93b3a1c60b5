ln -s "$FIXTURES" fixtures
# the server chart's bytes depend on the fonts installed; the report links it
"$PERFGATE" report -b fixtures/budgets/server.json --markdown out/report.md --charts charts \
	fixtures/prometheus/steady/autocannon-work.json fixtures/prometheus/steady/raw-*.json
ls charts
