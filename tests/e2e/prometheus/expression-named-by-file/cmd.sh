ln -s "$FIXTURES" fixtures
cat >budget.json <<'JSON'
{"version": 1, "rules": [
  {"name": "pool utilisation", "metric": "range-pool_utilization", "assert": ["max <= 1", "avg < 0.9"]}
]}
JSON
"$PERFGATE" show fixtures/prometheus/steady/autocannon-work.json \
	fixtures/prometheus/steady/range-pool_utilization.json
"$PERFGATE" check -b budget.json fixtures/prometheus/steady/autocannon-work.json \
	fixtures/prometheus/steady/range-pool_utilization.json
