# checks.sh - what the shell checks of tests/docs and tests/install share; sourced.
#
#   need_tools TOOL...   exit 77 (ctest: skipped) naming the first TOOL not installed
#   problem MESSAGE...   print "FAIL MESSAGE" and count it
#   check                count one check (problem counts failures, this counts all)
#   finish               print the counts; exit 0 when nothing failed, 1 otherwise
# and $tmp, a temporary folder removed on exit.
fail=0 checked=0
need_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" > /dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
	done
}
problem() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { checked=$((checked + 1)); }
finish() {
	echo "$checked checked, $fail failed"
	[ "$fail" -eq 0 ] && exit 0
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
