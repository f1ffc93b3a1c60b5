# an autocannon-shaped document whose one line is 10 MB, broken near its end
python3 -c 'import sys; sys.stdout.write("{\"title\": \"" + "x" * 10000000 + "\", \"latency\": oops}\n")' >huge.json
"$PERFGATE" show --format autocannon huge.json 2>stderr.txt
echo "exit $?"
echo "stderr bytes under 2000: $(test "$(wc -c <stderr.txt)" -lt 2000 && echo yes || echo no)"
head -n 1 stderr.txt
