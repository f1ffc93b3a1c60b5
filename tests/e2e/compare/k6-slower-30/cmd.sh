cd "$FIXTURES/.." || exit 99
out=$OLDPWD/out
"$PERFGATE" compare --verdict "$out/compare.json" --junit "$out/junit.xml" --markdown "$out/compare.md" \
	fixtures/k6/aa-slow-vu20-rep1/out.json.gz -- fixtures/k6/ab-slow-vu20-scale1.30-rep1/out.json.gz
