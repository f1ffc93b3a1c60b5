ln -s "$FIXTURES" fixtures
echo old >out/verdict-target.json
ln -s out/verdict-target.json link.json
"$PERFGATE" check -b fixtures/budgets/release.json --verdict link.json fixtures/k6/mixed-stages/out.json \
	>/dev/null 2>&1
echo "exit $?"
test -L link.json && echo "link.json is still a link to $(readlink link.json)"
head -c 40 out/verdict-target.json; echo
ls out | grep -c '\.tmp\.' || true
