# --system-tags changes the CSV columns and timeFormat the timestamps: the same real run with
# fewer tag columns and timestamps in unix_milli, unix_micro, unix_nano and rfc3339
# must give the same numbers (columns are found by name, never by position).
src=$FIXTURES/k6/mixed-stages/out.csv
"$PERFGATE" show run="$src" 2>/dev/null | grep -v '^  sources:' >orig.txt
# --system-tags without check, error, error_code, proto, service, subproto, tls_version: k6
# still writes metric_name,timestamp,metric_value first, then the remaining tags sorted
awk -F, 'BEGIN { OFS = "," } { print $1, $2, $3, $7, $8, $9, $10, $12, $14, $17, $18, $19 }' \
	"$src" >fewer-columns.csv
head -n 1 fewer-columns.csv
"$PERFGATE" show run=fewer-columns.csv 2>/dev/null | grep -v '^  sources:' >fewer.txt
diff orig.txt fewer.txt && echo "fewer columns: same numbers"
for unit in milli micro nano; do
	case $unit in milli) f=1000 ;; micro) f=1000000 ;; nano) f=1000000000 ;; esac
	awk -F, -v f=$f 'BEGIN { OFS = "," } NR > 1 { $2 = $2 "" substr(f, 2) } { print }' \
		"$src" >"unix_$unit.csv"
	sed -n 2p "unix_$unit.csv" | cut -d, -f1-3
	"$PERFGATE" show run="unix_$unit.csv" 2>/dev/null | grep -v '^  sources:' >"$unit.txt"
	diff orig.txt "$unit.txt" && echo "unix_$unit: same numbers"
done
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = strftime("%Y-%m-%dT%H:%M:%SZ", $2, 1) } { print }' \
	"$src" >rfc3339.csv
sed -n 2p rfc3339.csv | cut -d, -f1-3
"$PERFGATE" show run=rfc3339.csv 2>/dev/null | grep -v '^  sources:' >rfc.txt
diff orig.txt rfc.txt && echo "rfc3339: same numbers"
