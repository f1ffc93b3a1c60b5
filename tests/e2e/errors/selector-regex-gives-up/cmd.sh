ln -s "$FIXTURES" fixtures
python3 "$FIXTURES/../tests/e2e/edit_k6_name.py" fixtures/k6/mixed-stages/out.json aaa.json \
	'"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"'
"$PERFGATE" check -b budget.json aaa.json
