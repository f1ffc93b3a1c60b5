# every wrk / wrk2 sample, wrapped or not, is told apart by content alone
cd "$SHARED/samples" && "$PERFGATE" detect wrk/text/* wrk/text-latency/* wrk2/text/*
