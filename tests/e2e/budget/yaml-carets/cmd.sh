# Hand-written YAML budgets with one mistake each: every diagnostic placed at the mistake,
# inside the assertion string in every scalar style (units.yaml), and the file refused (exit 2).
for f in units unknown-key duplicate-key syntax two-documents tag alias inf laughs; do
	"$PERFGATE" lint "$f.yaml"
	echo "$f: exit $?"
done
# a misspelt metric is a budget error with its caret, found once the inputs are read
"$PERFGATE" check -b metric.yaml "$FIXTURES/k6/mixed-stages/out.json" > /dev/null
echo "metric: exit $?"
