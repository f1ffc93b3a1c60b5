ln -s "$FIXTURES" fixtures
python3 "$FIXTURES/../tests/e2e/edit_k6_name.py" fixtures/k6/mixed-stages/out.json nonchar.json \
	'"\ufffe\uffff"'
"$PERFGATE" report --markdown out/report.md --charts charts --chart-format both nonchar.json
echo "exit $?"
