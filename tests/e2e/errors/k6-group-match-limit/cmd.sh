# A catastrophic pattern against a long name: PCRE2's match limit stops it, with a warning.
src=$FIXTURES/k6/mixed-stages/out.json
{
	head -n 2 "$src"
	sed -n 2p "$src" | sed 's|"name":"[^"]*"|"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"|'
} >names.json
"$PERFGATE" show --group '(a+)+$=x' names.json
