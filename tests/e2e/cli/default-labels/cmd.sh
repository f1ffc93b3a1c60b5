# Two files of one name in different folders need their folders; a file named once needs only
# its name, given absolute or relative; a file set is named by its prefix; an explicit LABEL
# equal to a short name pushes the unlabelled input to a longer suffix.
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$FIXTURES/.." || exit 99
"$PERFGATE" show \
	fixtures/k6/aa-slow-vu20-rep1/out.json.gz \
	./fixtures/k6/aa-slow-vu20-rep2/out.json.gz \
	"$FIXTURES/k6/mixed-stages/out.json" \
	out.csv=fixtures/k6/limited-vu5/summary-export.json \
	fixtures/k6/mixed-stages/out.csv \
	fixtures/wrk/limited-c10.txt \
	fixtures/locust/mixed/run_stats.csv | grep "^run \|  sources:"
# merge names its inputs together: two shards of one name are told apart, so they share no
# label and the merged run is "merged"; one input alone keeps its file name
echo "merge, two shards:"
"$PERFGATE" merge -o "$tmp/two.json" fixtures/k6/aa-slow-vu20-rep1/out.json.gz \
	fixtures/k6/aa-slow-vu20-rep2/out.json.gz && grep '"label"' "$tmp/two.json"
echo "merge, one input:"
"$PERFGATE" merge -o "$tmp/one.json" fixtures/k6/aa-slow-vu20-rep1/out.json.gz &&
	grep '"label"' "$tmp/one.json"
