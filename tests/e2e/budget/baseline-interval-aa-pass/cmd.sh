cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/regression.json --baseline fixtures/k6/aa-slow-vu20-rep1/out.json.gz \
	--junit "$out/junit.xml" --verdict "$out/verdict.json" fixtures/k6/aa-slow-vu20-rep2/out.json.gz
