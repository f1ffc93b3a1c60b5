# Go's csv writer quotes a field holding a newline (an error message, a check name), so one
# record spans two lines. Real rows of a run, one http_reqs row given such an `error` value:
# the record is read whole, and the number of requests stays that of the http_reqs rows.
src=$FIXTURES/k6/mixed-stages/out.csv
n=$(awk -F, 'NR > 40 && $1 == "http_reqs" { print NR; exit }' "$src")
{
	head -n $((n - 1)) "$src"
	sed -n "${n}p" "$src" | awk -F, 'BEGIN { OFS = "," } { $5 = "\"read: connection reset\nby peer\""; print }'
	sed -n "$((n + 1)),$((n + 40))p" "$src"
} >quoted.csv
echo "http_reqs records: $(grep -c '^http_reqs,' quoted.csv), lines: $(wc -l <quoted.csv)"
"$PERFGATE" show --breakdown quoted.csv 2>/dev/null | grep -E 'requests:|by peer'
