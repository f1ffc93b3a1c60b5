set -- 
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do set -- "$@" -g '(.)=$1$1'; done
"$PERFGATE" show "$@" "$FIXTURES/k6/limited-vu5/out.json.gz" >show.txt 2>stderr.txt
echo "exit $?"
echo "longest line of show: $(awk '{ if (length($0) > n) n = length($0) } END { print n }' show.txt) bytes"
sed "s|$FIXTURES|@FIXTURES@|g" stderr.txt
