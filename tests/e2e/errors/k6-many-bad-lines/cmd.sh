# 15 bad lines among real ones: the first 10 are shown with their position, then the count.
src=$FIXTURES/k6/mixed-stages/out.json
{
	head -n 20 "$src"
	for i in $(seq 1 15); do echo '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T00:47:00Z","value":null,"tags":{}}}'; done
	sed -n 21,40p "$src"
} >nulls.json
"$PERFGATE" show nulls.json >/dev/null
