ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" report --markdown "out/report.md" c10=fixtures/wrk/limited-c10.txt \
	c50=fixtures/wrk/limited-c50.txt c100=fixtures/wrk/limited-c100.txt
