# Real k6 lines with damage spliced in: a wrong type, NaN, a number beyond a double, a non-k6
# JSON line, a bad time, a negative trend value, an escaped metric name, a non-string tag, and
# a line cut short at the end. Each is skipped with file:line:col; the rest
# is used.
src=$FIXTURES/k6/mixed-stages/out.json
{
	head -n 40 "$src"
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":"abc","tags":{}}}'
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":NaN,"tags":{}}}'
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":1e999,"tags":{}}}'
	echo '{"name":"not k6","values":[1,2,3]}'
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"yesterday","value":1,"tags":{}}}'
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":-5,"tags":{}}}'
	echo '{"metric":"http\u005freq_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":1,"tags":{}}}'
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":1,"tags":{"status":200}}}'
	# a huge but finite value is used, clamped to the histogram's top and counted once
	echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:46:59.6Z","value":1e300,"tags":{"name":"/x"}}}'
	sed -n 41,60p "$src"
	sed -n 61p "$src" | cut -c1-80 | tr -d '\n'
} >damaged.json
"$PERFGATE" show damaged.json
