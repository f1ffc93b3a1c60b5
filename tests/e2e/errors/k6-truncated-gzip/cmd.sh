# A k6 run killed while writing out.json.gz leaves a cut gzip stream: the lines before the cut
# are used, with a warning that says where the input ended (exit 0, as for a cut plain file).
head -c 200000 "$FIXTURES/k6/mixed-stages-gz/out.json.gz" >cut.json.gz
"$PERFGATE" show cut.json.gz >cut.txt
head -n 5 cut.txt
# cut inside the first line: nothing usable, an error
head -c 100 "$FIXTURES/k6/mixed-stages-gz/out.json.gz" >cut-early.json.gz
"$PERFGATE" show cut-early.json.gz
echo "exit $?"
