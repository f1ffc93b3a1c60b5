# GET /carts/* and GET /products/* of a real stats file folded into GET /x; the expected sums are
# computed here from the file with awk (columns: 3 count, 6 mean, 7 min, 8 max, 10 rps).
f=$SHARED/samples/locust/stats-csv/4_veroliut-retail-demo-locust-2.29.1.csv
tr -d '\r' <"$f" | awk -F, '$1 == "GET" && ($2 == "/carts/*" || $2 == "/products/*") {
	n += $3; s += $3 * $6; r += $10
	if (min == "" || $7 < min) min = $7
	if ($8 > max) max = $8
} END { printf "expected: count %d, mean %.6f ms, min %s, max %s, rps %.6f\n", n, s / n, min, max, r }'
"$PERFGATE" show --json -g '^/(carts|products).*=/x' "$f" >run.json
python3 -c '
import json
run = json.load(open("run.json"))["runs"][0]
lat = [s for s in run["series"] if s["metric"] == "latency" and s["endpoint"] == "GET /x"][0]
rps = [s for s in run["series"] if s["metric"] == "rps" and s["endpoint"] == "GET /x"][0]
print("perfgate: count %d, mean %.6f ms, min %r, max %r, rps %.6f" % (lat["count"], lat["mean"], lat["min"], lat["max"], rps["mean"]))
print("percentiles:", lat["percentiles"])
'
