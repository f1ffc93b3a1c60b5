for f in stats stats_history exceptions; do cp "$FIXTURES/locust/mixed/run_$f.csv" "run_$f.csv"; done
# the real failures file, then a row cut inside its quoted Error field
{ cat "$FIXTURES/locust/mixed/run_failures.csv"; printf 'GET,/x,"ConnectionError(\x27cut here\r\n'; } >run_failures.csv
"$PERFGATE" show run >out.txt; echo "exit $?"
grep -E 'requests:|exceptions' out.txt
