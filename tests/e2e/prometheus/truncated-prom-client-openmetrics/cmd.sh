# the first 3000 bytes of a real OpenMetrics snapshot: a file cut short mid-line
head -c 3000 "$FIXTURES/prometheus/steady/server-20261206T043112Z.om" >cut.om
"$PERFGATE" show cut.om
