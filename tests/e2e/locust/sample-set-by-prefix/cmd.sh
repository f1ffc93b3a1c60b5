# danielOtavin/load-framework committed results_stats.csv, results_stats_history.csv and
# results_exceptions.csv of one run; restore their names side by side.
s=$SHARED/samples/locust
cp "$s/stats-csv/2_danielotavin-load-framework-crcrlf.csv" results_stats.csv
cp "$s/stats-history-csv/2_danielotavin-load-framework-crcrlf.csv" results_stats_history.csv
cp "$s/exceptions-csv/2_danielotavin-header-only-crcrlf.csv" results_exceptions.csv
"$PERFGATE" show results >by-prefix.txt 2>&1; echo "exit $?"
"$PERFGATE" show results_exceptions.csv >by-file.txt 2>&1; echo "exit $?"
"$PERFGATE" show results_stats_history.csv results_stats.csv >by-two.txt 2>&1; echo "exit $?"
cmp by-prefix.txt by-file.txt && cmp by-prefix.txt by-two.txt && echo "same output three ways"
cat by-prefix.txt
"$PERFGATE" show --json results >run.json
python3 -c '
import json
run = json.load(open("run.json"))["runs"][0]
print("label", run["label"], "sources", len(run["sources"]), "concurrency", run["concurrency"], run["concurrency_unit"])
'
"$PERFGATE" show --save-model model.json results >/dev/null
python3 -c '
import json
m = json.load(open("model.json"))
for s in m["runs"][0]["series"]:
    if s["metric"] in ("requests", "concurrency") and "timeline" in s:
        t = s["timeline"]
        print(s["metric"], "timeline: interval", t["interval_s"], "s, points", len(t["points"]))
'
