# A custom metric sampled before its Metric line is read as a trend (k6 always writes the Metric
# line first; a file cut at the head does not): a later Metric line saying "counter" must not
# mix the two kinds; the samples that disagree are skipped and reported.
cat >typed-twice.json <<'JSON'
{"metric":"my_counter","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":2,"tags":{}}}
{"type":"Metric","data":{"name":"my_counter","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"my_counter"}
{"metric":"my_counter","type":"Point","data":{"time":"2026-11-23T00:47:00.1Z","value":3,"tags":{"a":"b"}}}
JSON
"$PERFGATE" show --breakdown typed-twice.json
