ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/release.json --verdict out/plain.json --junit out/plain.xml \
	fixtures/k6/mixed-stages/out.json >/dev/null 2>&1
echo "exit $?"
"$PERFGATE" check --fsync -b fixtures/budgets/release.json --verdict out/synced.json \
	--junit out/synced.xml fixtures/k6/mixed-stages/out.json >/dev/null 2>&1
echo "exit $?"
cmp out/plain.json out/synced.json && cmp out/plain.xml out/synced.xml && echo "same bytes"
ls out | grep -c '\.tmp\.' || true
# strace (installed by .ci/run) counts the fsync calls
strace -f -e trace=fsync,fdatasync -o without.trace "$PERFGATE" check \
	-b fixtures/budgets/release.json --verdict v1.json fixtures/k6/mixed-stages/out.json \
	>/dev/null 2>&1
strace -f -e trace=fsync,fdatasync -o with.trace "$PERFGATE" check --fsync \
	-b fixtures/budgets/release.json --verdict v2.json fixtures/k6/mixed-stages/out.json \
	>/dev/null 2>&1
echo "fsync calls without --fsync: $(grep -c 'fsync(' without.trace)"
echo "fsync calls with --fsync: $(grep -c 'fsync(' with.trace)"
rm -f out/plain.json out/plain.xml out/synced.json out/synced.xml
