ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/release.json --junit - --verdict - fixtures/autocannon/fast-c10-d3.json
echo "check exit $?"
"$PERFGATE" show --json --save-model - fixtures/autocannon/fast-c10-d3.json
echo "show exit $?"
"$PERFGATE" report --markdown - --summary - fixtures/autocannon/fast-c10-d3.json
echo "report exit $?"
