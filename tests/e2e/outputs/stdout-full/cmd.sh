ln -s "$FIXTURES" fixtures
"$PERFGATE" show fixtures/autocannon/fast-c10-d3.json >/dev/full
echo "show exit $?"
"$PERFGATE" check -b fixtures/budgets/release.json fixtures/k6/mixed-stages/out.json >/dev/full
echo "check exit $?"
"$PERFGATE" detect fixtures/autocannon/fast-c10-d3.json >/dev/full
echo "detect exit $?"
"$PERFGATE" lint --dump fixtures/budgets/release.json >/dev/full
echo "lint exit $?"
"$PERFGATE" --help >/dev/full
echo "help exit $?"
