# the real sample, cut after its Thread Stats rows (made here; the sample is read in place)
head -n 6 "$SHARED/samples/wrk/text-latency/2_desyang-hub-web-server-cpp.txt" >cut.txt
"$PERFGATE" show cut.txt
