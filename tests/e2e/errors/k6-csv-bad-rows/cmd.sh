# Real k6 CSV rows with damage: NaN, a text value, a bad timestamp, a short row, an open quote,
# and a custom metric the CSV does not type.
src=$FIXTURES/k6/mixed-stages/out.csv
{
	head -n 30 "$src"
	echo 'http_req_duration,1795394820,NaN,,,,true,::browse,GET,/x,HTTP/1.1,default,,200,,,/x,,'
	echo 'http_req_duration,1795394820,abc,,,,true,::browse,GET,/x,HTTP/1.1,default,,200,,,/x,,'
	echo 'http_req_duration,noon,1.000000,,,,true,::browse,GET,/x,HTTP/1.1,default,,200,,,/x,,'
	echo 'http_req_duration,1795394820,1.000000'
	echo 'my_custom,1795394820,3.000000,,,,,,,,,default,,,,,,,'
	# a quote never closed (last, since the record it opens would take the lines after it)
	echo 'http_req_duration,1795394820,1.000000,,,,true,"::browse,GET,/x,HTTP/1.1,default,,200,,,/x,,'
} >damaged.csv
"$PERFGATE" show damaged.csv
