ln -s "$FIXTURES" fixtures
"$PERFGATE" check -b fixtures/budgets/release.json --verdict out/plain.json --junit out/plain.xml \
	fixtures/k6/mixed-stages/out.json >/dev/null 2>&1
echo "exit $?"
"$PERFGATE" check --fsync -b fixtures/budgets/release.json --verdict out/synced.json \
	--junit out/synced.xml fixtures/k6/mixed-stages/out.json >/dev/null 2>&1
echo "exit $?"
cmp out/plain.json out/synced.json && cmp out/plain.xml out/synced.xml && echo "same bytes"
ls out | grep -c '\.tmp\.' || true
# gdb (installed by .ci/run; signal_cleanup.py uses it too) counts the fsync calls: a breakpoint
# on fsync and fdatasync that prints a line and goes on. strace was tried first and aborted on
# some CI kernels.
cat > count.gdb <<'GDB'
set pagination off
set breakpoint pending on
break fsync
commands
silent
printf "sync-call\n"
continue
end
break fdatasync
commands
silent
printf "sync-call\n"
continue
end
run
GDB
count_syncs() {
	gdb -nx -batch -x count.gdb --args "$PERFGATE" "$@" 2>/dev/null | grep -c '^sync-call$'
}
echo "fsync calls without --fsync: $(count_syncs check -b fixtures/budgets/release.json \
	--verdict v1.json fixtures/k6/mixed-stages/out.json)"
echo "fsync calls with --fsync: $(count_syncs check --fsync -b fixtures/budgets/release.json \
	--verdict v2.json fixtures/k6/mixed-stages/out.json)"
rm -f out/plain.json out/plain.xml out/synced.json out/synced.xml
