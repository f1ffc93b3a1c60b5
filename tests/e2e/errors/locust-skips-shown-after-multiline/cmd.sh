{
	printf 'Count,Message,Traceback,Nodes\n'
	printf 'x,bad count,"line 1\n'; for i in 2 3 4 5 6 7 8 9 10 11; do printf 'line %d\n' $i; done; printf 'line 12",w\n'
	printf '3,ValueError(),tb,w\n'
	printf 'y,bad,tb,w\n'
} >hand_exceptions.csv
"$PERFGATE" show hand_exceptions.csv
