# The two 0.x files of one run, under their real names (example_requests.csv and
# example_distribution.csv in the sample's repository): read by naming the prefix.
cp "$SHARED/samples/locust/legacy-0x-csv/1_esmy1990-example_requests.csv" example_requests.csv
cp "$SHARED/samples/locust/legacy-0x-csv/2_esmy1990-example_distribution.csv" example_distribution.csv
"$PERFGATE" show example
