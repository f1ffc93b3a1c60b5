cp "$SHARED/samples/locust/legacy-0x-csv/1_esmy1990-example_requests.csv" example_requests.csv
cp "$SHARED/samples/locust/legacy-0x-csv/2_esmy1990-example_distribution.csv" example_distribution.csv
"$PERFGATE" show -g '^/(get|status/404)$=/g' example
