ln -s "$FIXTURES" fixtures
python3 - <<'PY'
import json
with open("evil.json", "w") as out:
    for line in open("fixtures/k6/mixed-stages/out.json"):
        o = json.loads(line)
        tags = (o.get("data") or {}).get("tags") or {}
        if o.get("type") == "Point" and tags.get("name", "").endswith("/slow"):
            tags["name"] = tags["name"] + "\n::error file=x.js,line=1::injected\x1b[31m\x07"
        out.write(json.dumps(o, separators=(",", ":")) + "\n")
PY
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
