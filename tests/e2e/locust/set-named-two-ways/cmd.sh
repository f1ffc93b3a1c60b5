for f in stats stats_history failures exceptions; do cp "$FIXTURES/locust/capacity-u10/run_$f.csv" "run_$f.csv"; done
"$PERFGATE" show run ./run_stats.csv | grep -E "^run|requests:"
