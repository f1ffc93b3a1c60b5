cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/capacity-rules.json --verdict "$out/verdict.json" \
	--junit "$out/junit.xml" fixtures/k6/usl-vu1/summary-export.json \
	fixtures/k6/usl-vu2/summary-export.json fixtures/k6/usl-vu4/summary-export.json \
	fixtures/k6/usl-vu8/summary-export.json fixtures/k6/usl-vu12/summary-export.json \
	fixtures/k6/usl-vu16/summary-export.json fixtures/k6/usl-vu24/summary-export.json \
	fixtures/k6/usl-vu32/summary-export.json fixtures/k6/usl-vu48/summary-export.json \
	fixtures/k6/usl-vu64/summary-export.json
