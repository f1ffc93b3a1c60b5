cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" compare --junit "$out/junit.xml" --markdown "$out/compare.md" --gate p50,p99,error_rate \
	fixtures/wrk/compare/aa-rep1.txt -- fixtures/wrk/compare/ab-scale1.30-rep1.txt
