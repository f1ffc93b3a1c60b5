#!/usr/bin/env bash
# check_manual.sh PERFGATE MANUAL
#
# The manual page the build wrote (perfgate --manual > perfgate.1):
#   - is what the binary writes now (the build did not leave a stale one);
#   - formats without a warning: `groff -ww -man -z` and `man --warnings -l` print nothing;
#   - has a "COMMANDS" subsection for every command of `perfgate --help`, and in it every
#     option that `perfgate COMMAND --help` lists, with its argument name, and the command's
#     usage line;
#   - lists every format of `perfgate --help` and every exit code 0..4;
#   - renders to text in which no roff request or escape is left over.
# Needs groff, man and col (groff-base, man-db, bsdextrautils); exits 77 (skipped) without
# them (.ci/run installs them).
set -u
perfgate=$1 manual=$2
. "$(dirname "$0")/checks.sh"
need_tools groff man col

"$perfgate" --manual > "$tmp/now.1" || problem "perfgate --manual exited $?"
cmp -s "$tmp/now.1" "$manual" || problem "$manual differs from what perfgate --manual writes now"

check
groff -ww -man -Tutf8 -z "$manual" > "$tmp/groff.err" 2>&1
[ -s "$tmp/groff.err" ] && problem "groff -ww warns: $(head -5 "$tmp/groff.err")"
check
MANWIDTH=100 man --warnings -l -Tutf8 "$manual" > "$tmp/man.txt" 2> "$tmp/man.err"
[ -s "$tmp/man.err" ] && problem "man --warnings warns: $(head -5 "$tmp/man.err")"
# the rendered page as plain text: overstrikes and escapes gone
col -bx < "$tmp/man.txt" > "$tmp/page.txt"
check
grep -nE '\\[efu&(\[-]|^\.[A-Za-z]{1,2}( |$)' "$tmp/page.txt" > "$tmp/left" &&
	problem "roff left in the rendered page: $(head -3 "$tmp/left")"

# the page's section of one command: from its subsection title to the next one
section() {
	awk -v c="$1" '
		/^   [a-z]+$/ { inside = ($1 == c); next }
		/^[A-Z]/ { inside = 0 }
		inside' "$tmp/page.txt"
}
commands=$("$perfgate" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Commands:)
[ -n "$commands" ] || problem "no commands in perfgate --help"
for c in $commands; do
	check
	section "$c" > "$tmp/$c.txt"
	[ -s "$tmp/$c.txt" ] || { problem "no section for '$c' in COMMANDS"; continue; }
	usage=$("$perfgate" "$c" --help | sed -n 's/^usage: //p')
	grep -qF -- "$usage" "$tmp/$c.txt" || problem "$c: the usage line '$usage' is missing"
	# every option line of the help: "-f, --format NAME" or "    --json"
	"$perfgate" "$c" --help | sed -n '/^Options:/,/^$/p' |
		grep -oE '^  (-[a-zA-Z], |    )--[a-z0-9-]+( [][A-Z=]+)?' |
		sed -E 's/^ +//' > "$tmp/$c.options"
	[ -s "$tmp/$c.options" ] || problem "$c: no options in its --help"
	while IFS= read -r option; do
		check
		grep -qxF -- "       $option" "$tmp/$c.txt" ||
			grep -qF -- "       $option " "$tmp/$c.txt" ||
			problem "$c: option '$option' is not in its manual section"
	done < "$tmp/$c.options"
done
for format in $("$perfgate" --help | sed -n '/^Formats:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Formats:); do
	check
	grep -qE "^       $format( |$)" "$tmp/page.txt" || problem "format '$format' is not listed"
done
for code in 0 1 2 3 4; do
	check
	sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$tmp/page.txt" | grep -qE "^ +$code( |$)" ||
		problem "exit code $code is not in EXIT STATUS"
done
finish
