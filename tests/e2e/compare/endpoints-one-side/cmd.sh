cd "$FIXTURES/.." || exit 99
"$PERFGATE" compare --verdict - fixtures/k6/aa-slow-vu20-rep1/out.json.gz -- fixtures/wrk/compare/aa-rep1.txt
