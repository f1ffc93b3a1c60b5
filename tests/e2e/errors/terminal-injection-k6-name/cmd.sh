ln -s "$FIXTURES" fixtures
python3 "$FIXTURES/../tests/e2e/edit_k6_name.py" fixtures/k6/mixed-stages/out.json evil.json \
	'"\n::error file=x.js,line=1::injected\x1b[31m\x07"'
GITHUB_ACTIONS=true "$PERFGATE" check -b budget.json evil.json >check.out 2>check.err
echo "check exit $?"
"$PERFGATE" show evil.json >show.out 2>show.err
echo "show exit $?"
for f in check.out check.err show.out show.err; do
	echo "$f: $(grep -c '^::error file=x.js' $f) injected command lines," \
		"$(grep -c "$(printf '\033')" $f) ESC, $(grep -c "$(printf '\007')" $f) BEL"
done
# the name, escaped, in the rule's message and in its annotation line
grep -c "slow\\\\n::error file=x.js,line=1::injected\\\\x1b\\[31m\\\\x07' of run" check.err
grep -c '^::error file=budget.json,line=2' check.err
