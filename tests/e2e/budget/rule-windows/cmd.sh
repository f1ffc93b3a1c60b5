cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" check -b fixtures/budgets/steady.json --verdict "$out/verdict.json" \
	fixtures/k6/warm-vu10-30s/out.json.gz
