ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/release.json --junit /dev/stdout fixtures/k6/mixed-stages/out.json \
	>stdout.txt 2>/dev/null
echo "exit $?"
grep -c '<testsuites' stdout.txt
grep -c 'result   rule' stdout.txt
test -L /dev/stdout && echo "/dev/stdout is still a link"
