cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/capacity.json --save-model "$out/baseline.json" \
	release=fixtures/k6/limited-vu5/summary-export.json || exit 98
echo "-- candidate"
"$PERFGATE" check -b fixtures/budgets/regression.json --baseline "$out/baseline.json" \
	--verdict "$out/verdict.json" release=fixtures/k6/limited-vu60/summary-export.json
