#!/usr/bin/env bash
# check_docs.sh PERFGATE SOURCE_DIR
#
# Keeps the documentation in step with the code (curl's test1477 idea):
#   - every diagnostic id in src/util/diag.def has a "### DIAG_..." section in docs/diagnostics.md,
#     and every such section names an id that exists;
#   - every subcommand in `perfgate --help` and every option in `perfgate COMMAND --help`
#     appears in docs/cli.md;
#   - every exit code 0..4 is described in docs/cli.md;
#   - every format in `perfgate --help` has a page formats/<name>.md (or formats/<tool>.md);
#   - every aggregation of src/budget/funcs.def and unit of units.def is in docs/budgets.md;
#   - every example in docs/cli.md ("$ perfgate ..." followed by its output inside a ``` block)
#     prints exactly that output when run from the source tree.
set -u
perfgate=$1 src=$2
fail=0 checked=0
problem() { echo "FAIL $*"; fail=$((fail + 1)); }

ids=$(grep -o '^DIAG(DIAG_[A-Z0-9_]*' "$src/src/util/diag.def" | sed 's/^DIAG(//')
for id in $ids; do
	checked=$((checked + 1))
	grep -q "^### $id\$" "$src/docs/diagnostics.md" || problem "$id has no section in docs/diagnostics.md"
done
for id in $(grep -o '^### DIAG_[A-Z0-9_]*' "$src/docs/diagnostics.md" | sed 's/^### //'); do
	checked=$((checked + 1))
	echo "$ids" | grep -qx "$id" || problem "docs/diagnostics.md documents $id, which diag.def does not have"
done

commands=$("$perfgate" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Commands:)
for c in $commands; do
	checked=$((checked + 1))
	grep -q "^## perfgate $c" "$src/docs/cli.md" || problem "command '$c' has no '## perfgate $c' section in docs/cli.md"
	for opt in $("$perfgate" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		checked=$((checked + 1))
		grep -q -- "$opt" "$src/docs/cli.md" || problem "option $opt of '$c' is not in docs/cli.md"
	done
done
for code in 0 1 2 3 4; do
	checked=$((checked + 1))
	grep -q "^| $code |" "$src/docs/cli.md" || problem "exit code $code is not in the table in docs/cli.md"
done
# the language reference: every aggregation (funcs.def) and unit (units.def) in docs/budgets.md
for name in $(grep -o '^AGG([A-Z_]*, "[a-z_]*"' "$src/src/budget/funcs.def" | sed 's/.*"\(.*\)"/\1/'); do
	checked=$((checked + 1))
	grep -q "\`$name\`\|\`$name(" "$src/docs/budgets.md" || problem "aggregation '$name' is not in docs/budgets.md"
done
for unit in $(grep -o '^UNIT("[^"\\]*"' "$src/src/budget/units.def" | sed 's/^UNIT("\(.*\)"/\1/'); do
	checked=$((checked + 1))
	grep -qF "\`$unit\`" "$src/docs/budgets.md" || problem "unit '$unit' is not in docs/budgets.md"
done
for format in $("$perfgate" --help | sed -n '/^Formats:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Formats:); do
	checked=$((checked + 1))
	# one page per format, or one per tool for a tool's several formats (k6-csv -> k6.md)
	[ -f "$src/formats/$format.md" ] || [ -f "$src/formats/${format%%-*}.md" ] ||
		problem "format '$format' has no page formats/$format.md (or formats/${format%%-*}.md)"
done
# examples: split docs/cli.md's fenced blocks into (command, expected output) pairs
examples=$(mktemp -d)
awk -v dir="$examples" '
	/^```/ { inside = !inside; active = 0; next }
	inside && /^\$ perfgate / { count++; active = 1; cmd = dir "/" count ".cmd";
		out = dir "/" count ".out"; sub(/^\$ perfgate /, ""); print > cmd; close(cmd);
		printf "" > out; close(out); next }
	inside && active { print >> out; close(out) }
' "$src/docs/cli.md"
for cmdfile in "$examples"/*.cmd; do
	[ -e "$cmdfile" ] || continue
	expected=${cmdfile%.cmd}.out
	[ -s "$expected" ] || continue # a command shown without output is not checked
	checked=$((checked + 1))
	args=$(cat "$cmdfile")
	(cd "$src" && eval "set -- $args" && NO_COLOR=1 "$perfgate" "$@" >"$cmdfile.actual" 2>&1)
	diff -u "$expected" "$cmdfile.actual" >/dev/null ||
		problem "docs/cli.md example 'perfgate $args' prints something else: $(diff "$expected" "$cmdfile.actual" | head -5)"
done
rm -rf "$examples"
echo "$((checked - fail)) passed, $fail failed"
[ $fail = 0 ]
