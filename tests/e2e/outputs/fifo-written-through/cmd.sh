ln -s "$FIXTURES" fixtures
mkfifo verdict.fifo
head -c 40 verdict.fifo >got.txt &
"$PERFGATE" check -b fixtures/budgets/release.json --verdict verdict.fifo fixtures/k6/mixed-stages/out.json \
	>/dev/null 2>&1
echo "exit $?"
wait
cat got.txt; echo
test -p verdict.fifo && echo "verdict.fifo is still a FIFO"
