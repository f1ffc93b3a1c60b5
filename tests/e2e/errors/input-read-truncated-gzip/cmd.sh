# a .gz cut in half must be an error, never a shorter "complete" input
head -c 300 "$FIXTURES/autocannon/fast-c10-d3.json.gz" >cut.json.gz
"$PERFGATE" show cut.json.gz
