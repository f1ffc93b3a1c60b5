ln -s "$FIXTURES" fixtures
# a model saved with 1 significant digit: the note states the series' own precision (10 %)
"$PERFGATE" show --digits 1 --save-model model.json fixtures/k6/limited-vu5/out.json.gz >/dev/null
"$PERFGATE" report --markdown out/report.md model.json
