# Real k6 summaries grown past the 64 KiB the sniffers see (1000 checks; 1000 submetrics, as
# many thresholds on named requests make), in the key order k6 writes them: still detected.
python3 - "$FIXTURES" <<'PY'
import json, sys
fixtures = sys.argv[1]
d = json.load(open(fixtures + "/k6/mixed-stages/handle-summary.json"))
check = d["root_group"]["groups"][0]["checks"][0]
d["root_group"]["checks"] = [dict(check, name="check %d" % i) for i in range(1000)]
json.dump(d, open("handle-summary-big.json", "w"), indent=2)
e = json.load(open(fixtures + "/k6/mixed-stages/summary-export.json"))
for i in range(1000):
    e["metrics"]["http_req_duration{name:/x/%d}" % i] = e["metrics"]["http_req_duration"]
json.dump({"metrics": e["metrics"], "root_group": e["root_group"]},
          open("summary-export-big.json", "w"), indent=4)
PY
wc -c handle-summary-big.json summary-export-big.json
"$PERFGATE" detect handle-summary-big.json summary-export-big.json
"$PERFGATE" show --breakdown summary-export-big.json | grep -c '^    latency '
