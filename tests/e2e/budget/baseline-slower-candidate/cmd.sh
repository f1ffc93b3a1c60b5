cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/regression.json --baseline fixtures/wrk/limited-c10.txt \
	--junit "$out/junit.xml" --verdict "$out/verdict.json" fixtures/wrk/limited-c100.txt
