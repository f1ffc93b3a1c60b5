python3 - <<'PY'
head = ["Type", "Name", "Request Count", "Failure Count"] + ["x%d" % i for i in range(124)]
good = ["GET", "/a", "5", "0"] + ["1"] * 124
wide = ["GET", "/b", "5", "0"] + ["1"] * 130
with open("wide_stats.csv", "w") as f:
    for row in (head, good, wide):
        f.write(",".join(row) + "\n")
PY
"$PERFGATE" show wide_stats.csv
