ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b budget.json fixtures/prometheus/steady/autocannon-work.json \
	fixtures/prometheus/steady/raw-*.json
