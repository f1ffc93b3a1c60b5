# 2100 distinct URL names (ids in the path) from one real line: a warning suggests --group.
src=$FIXTURES/k6/mixed-stages/out.json
{
	head -n 3 "$src" | grep Metric
	line=$(sed -n 4p "$src")
	for i in $(seq 1 2100); do
		echo "$line" | sed "s|\"name\":\"[^\"]*\"|\"name\":\"/users/$i\"|"
	done
} >ids.json
"$PERFGATE" show ids.json >out.txt
echo "exit $?, $(grep -c "latency" out.txt) latency rows"
