ln -s "$FIXTURES" fixtures
python3 - <<'PY'
import json
with open("nonchar.json", "w") as out:
    for line in open("fixtures/k6/mixed-stages/out.json"):
        o = json.loads(line)
        tags = (o.get("data") or {}).get("tags") or {}
        if o.get("type") == "Point" and tags.get("name", "").endswith("/slow"):
            tags["name"] = tags["name"] + "\ufffe\uffff"
        out.write(json.dumps(o, separators=(",", ":")) + "\n")
PY
"$PERFGATE" report --markdown out/report.md --charts charts --chart-format both nonchar.json
echo "exit $?"
