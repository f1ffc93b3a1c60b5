cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/regression-tight.json --baseline fixtures/k6/aa-slow-vu20-rep1/out.json.gz \
	--junit "$out/junit.xml" --verdict "$out/verdict.json" fixtures/k6/ab-slow-vu20-scale1.05-rep1/out.json.gz
