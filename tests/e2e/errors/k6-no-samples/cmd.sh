# Only the Metric lines of a real k6 output: nothing usable, exit 2.
grep '"type":"Metric"' "$FIXTURES/k6/mixed-stages/out.json" >metrics-only.json
"$PERFGATE" show metrics-only.json
