# The pretty-printed fixture, converted on the fly to CRLF line ends with a UTF-8 BOM (as a
# Windows editor would save it), must read exactly like the original.
f="$FIXTURES/autocannon/titled-array.json"
{ printf '\357\273\277'; sed 's/$/\r/' "$f"; } >crlf.json
"$PERFGATE" show --json t=crlf.json >crlf.out
"$PERFGATE" show --json t="$f" | sed "s|$f|crlf.json|" >lf.out
cmp crlf.out lf.out && echo "CRLF + BOM input reads the same as the LF original"
