"$PERFGATE" show - <"$FIXTURES/prometheus/steady/raw-db_pool_in_use.json"
