cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/release.json --junit "$out/junit.xml" \
	--verdict "$out/verdict.json" fixtures/k6/mixed-stages/out.json
