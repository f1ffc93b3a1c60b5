cp "$SHARED/samples/locust/stats-csv/4_veroliut-retail-demo-locust-2.29.1.csv" run_stats.csv
cp "$FIXTURES/autocannon/fast-c10-d3.json" run_failures.csv
"$PERFGATE" show run
