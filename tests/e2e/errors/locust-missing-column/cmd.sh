# A real stats file with its 4th column (Failure Count) cut out of every line.
cut -d, -f1-3,5- "$SHARED/samples/locust/stats-csv/4_veroliut-retail-demo-locust-2.29.1.csv" >results_stats.csv
"$PERFGATE" show results_stats.csv
