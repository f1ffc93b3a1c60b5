ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/release.json --junit - fixtures/autocannon/fast-c10-d3.json \
	>junit.xml 2>/dev/null
head -n 2 junit.xml
"$PERFGATE" check -b fixtures/budgets/release.json --verdict - fixtures/autocannon/fast-c10-d3.json \
	>verdict.json 2>/dev/null
head -n 3 verdict.json
"$PERFGATE" show --save-model - fixtures/autocannon/fast-c10-d3.json >model.json
head -n 3 model.json
