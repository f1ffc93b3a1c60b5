# "-" reads standard input; gzip is detected from the bytes
"$PERFGATE" show - <"$FIXTURES/autocannon/fast-c10-d3.json.gz"
