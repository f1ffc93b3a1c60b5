ln -s "$FIXTURES" fixtures # relative paths: the same labels and links in every checkout
"$PERFGATE" report --markdown "out/report.md" --summary "out/summary.md" \
	u10=fixtures/locust/capacity-u10/run u50=fixtures/locust/capacity-u50/run \
	u100=fixtures/locust/capacity-u100/run
