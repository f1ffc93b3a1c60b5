ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" report --dump-context -b fixtures/budgets/strict.json \
	fixtures/k6/mixed-stages/out.json >"out/context.json"
