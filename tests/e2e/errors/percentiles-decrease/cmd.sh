python3 - "$FIXTURES/autocannon/slow-lognormal-c20-d4.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["latency"]["p99"] = d["latency"]["p90"] - 1
json.dump(d, open("edited.json", "w"))
PY
"$PERFGATE" show edited.json >/dev/null
echo "exit $?"
