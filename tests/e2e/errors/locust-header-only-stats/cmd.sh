head -n 1 "$SHARED/samples/locust/stats-csv/4_veroliut-retail-demo-locust-2.29.1.csv" >empty_stats.csv
"$PERFGATE" show empty_stats.csv
