# gzip input reads exactly as the plain file: k6's NDJSON as one member, as three members split
# at arbitrary bytes (mid-line, as `cat a.gz b.gz c.gz` makes), and through a pipe; the run is
# named from standard input each time, so the outputs must be byte-identical
gzip -dc "$FIXTURES/k6/mixed-stages-gz/out.json.gz" >plain.json
split -b 4000000 plain.json part.
for p in part.*; do gzip -c "$p"; done >members.json.gz
"$PERFGATE" show --json --breakdown - <plain.json >plain.txt
"$PERFGATE" show --json --breakdown - <"$FIXTURES/k6/mixed-stages-gz/out.json.gz" >one.txt
"$PERFGATE" show --json --breakdown - <members.json.gz >members.txt
cat members.json.gz | "$PERFGATE" show --json --breakdown - >piped.txt
for f in one members piped; do cmp plain.txt $f.txt && echo "$f: identical to plain"; done
ls part.* | wc -l
