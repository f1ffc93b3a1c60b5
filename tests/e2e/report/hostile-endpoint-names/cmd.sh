ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
# --group renames the real fixture's endpoints to hostile names
"$PERFGATE" report --markdown "out/report.md" \
	--group $'^http://127\.0\.0\.1:8081/slow$=/a|b`c<script>alert(1)</script>\nnext line' \
	--group '^http://127\.0\.0\.1:8081/posts$=*bold* [link](http://x) _u_ ~s~ #h & \\' \
	fixtures/k6/mixed-stages/out.json
