cd "$FIXTURES/.." || exit 99
"$PERFGATE" check -b fixtures/budgets/sustained.json fixtures/k6/mixed-stages-gz/out.json.gz 2>&1 ||
	echo "exit $?"
