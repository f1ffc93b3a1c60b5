# A real stats file; line 3 loses its last field, line 4 gets 'abc' as its Request Count, and
# line 5 opens a quote that never closes (it swallows the lines after it).
src=$SHARED/samples/locust/stats-csv/4_veroliut-retail-demo-locust-2.29.1.csv
tr -d '\r' <"$src" | awk -F, 'BEGIN { OFS = "," }
	NR == 3 { NF = NF - 1 }
	NR == 4 { $3 = "abc" }
	NR == 5 { $2 = "\"" $2 }
	{ print }' >bad_stats.csv
"$PERFGATE" show bad_stats.csv
