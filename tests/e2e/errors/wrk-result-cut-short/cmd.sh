# the real wrk2 sample, cut after 'N requests in T, X read' (before Requests/sec)
head -n 214 "$SHARED/samples/wrk2/text/1_rutu-sh-load-testing-ms.txt" >cut.txt
"$PERFGATE" show cut.txt
