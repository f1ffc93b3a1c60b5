# A script's own Rate called `errors` (a common k6 idiom) next to k6's http_req_failed: the two
# must not mix. Real lines of a run, plus the Metric and Point lines k6 writes for such a Rate.
src=$FIXTURES/k6/limited-vu5/out.json.gz
{
	gzip -dc "$src" | head -n 200
	echo '{"type":"Metric","data":{"name":"errors","type":"rate","contains":"default","thresholds":["rate<0.1"],"submetrics":null},"metric":"errors"}'
	for v in 1 0 0 1 0; do
		echo '{"metric":"errors","type":"Point","data":{"time":"2026-11-23T00:47:24Z","value":'$v',"tags":{"scenario":"default"}}}'
	done
} >errors-rate.json
"$PERFGATE" show errors-rate.json | grep -E 'requests:|rates:|threshold'
