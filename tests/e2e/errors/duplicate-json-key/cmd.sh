python3 - "$FIXTURES/autocannon/slow-lognormal-c20-d4.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
# a duplicate before the real p99: JSON.parse, Jansson and perfgate keep the last one
text = text.replace('"latency":{', '"latency":{"p99":999999,', 1)
open("duplicate.json", "w").write(text)
PY
"$PERFGATE" show --json duplicate.json | python3 -c 'import json,sys; print("p99:", json.load(sys.stdin)["runs"][0]["series"][0]["percentiles"]["p99"])'
