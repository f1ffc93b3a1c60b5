printf 'Type,Name,Request Count,Failure Count\nGET,/a\000x,5,0\nGET,/a\000y,6,1\nGET,/\xe7\x94\xa8,7,0\n,Aggregated,18,1\n\xe8\xbf' >odd_stats.csv
"$PERFGATE" show odd_stats.csv
