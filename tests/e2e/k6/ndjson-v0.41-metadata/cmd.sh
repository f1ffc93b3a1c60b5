# k6 >= v0.41 may add "metadata" to a Point's data (vu, iter, setMetadata). No public file has
# it, so it is added here to every Point of a real run, in k6's place (after tags): perfgate
# must read the same numbers as from the original.
src=$FIXTURES/k6/limited-vu5/out.json.gz
gzip -dc "$src" | sed 's|}}}$|},"metadata":{"iter":"7","vu":"3"}}}|' >with-metadata.json
grep -c '"metadata"' with-metadata.json
gzip -dc "$src" >plain.json
"$PERFGATE" show run=plain.json | grep -v '^  sources:' >a.txt
"$PERFGATE" show run=with-metadata.json | grep -v '^  sources:' >b.txt
diff a.txt b.txt && echo "same numbers with and without metadata"
