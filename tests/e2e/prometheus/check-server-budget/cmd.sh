ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/server.json --junit out/junit.xml --verdict out/verdict.json \
	fixtures/prometheus/steady/autocannon-work.json fixtures/prometheus/steady/raw-*.json
