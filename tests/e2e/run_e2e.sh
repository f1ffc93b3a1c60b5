#!/usr/bin/env bash
# run_e2e.sh PERFGATE FIXTURES SHARED [CASE-PREFIX]
#
# Runs every golden case folder under tests/e2e/ (a folder holding `cmd` or `cmd.sh`):
#   cmd        one line of perfgate arguments; @FIXTURES@ and @SHARED@ are substituted (and
#              in what it prints, those roots and the case's own temporary folder, @WORK@)
#   cmd.sh     a shell script instead, run with $PERFGATE, $FIXTURES and $SHARED set
#   expect/exit    expected exit code (default 0; always checked)
#   expect/stdout, expect/stderr   compared byte for byte when present
#   expect/out/... files the command must write into out/ (and no others)
#   needs-shared   present: the case reads ../shared and is skipped without it
#   desc       optional one-line purpose, printed on failure
# Environment is fixed (NO_COLOR=1, TZ=UTC, LC_ALL=C, GITHUB_ACTIONS unset, and
# SOURCE_DATE_EPOCH=1795000000, i.e. 2026-11-18, the "today" of budget waivers).
# BLESS=1 rewrites expect/ from the actual results (review the diff like code).
set -u
perfgate=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fixtures=$(cd "$2" && pwd)
shared=$(cd "$3" 2>/dev/null && pwd || echo "$3")
prefix=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0

for casedir in $(find "$here" -mindepth 2 -type f \( -name cmd -o -name cmd.sh \) -printf '%h\n' | sort -u); do
	name=${casedir#"$here"/}
	case "$name" in "$prefix"*) ;; *) continue ;; esac
	if [ -e "$casedir/needs-shared" ] && [ ! -d "$shared/samples" ]; then
		echo "SKIP $name (no shared/samples beside the checkout)"
		skip=$((skip + 1))
		continue
	fi
	work=$(mktemp -d)
	cp -R "$casedir"/. "$work"/
	rm -rf "$work/expect" "$work/out"
	mkdir -p "$work/out"
	(
		cd "$work" || exit 99
		export NO_COLOR=1 TZ=UTC LC_ALL=C SOURCE_DATE_EPOCH=1795000000 PERFGATE="$perfgate" FIXTURES="$fixtures" SHARED="$shared"
		unset GITHUB_ACTIONS
		if [ -f cmd.sh ]; then
			bash ./cmd.sh >actual.stdout 2>actual.stderr
		else
			args=$(sed -e "s|@FIXTURES@|$fixtures|g" -e "s|@SHARED@|$shared|g" cmd)
			eval "set -- $args"
			"$perfgate" "$@" >actual.stdout 2>actual.stderr
		fi
		echo $? >actual.exit
	)
	# paths in messages are shown relative to the fixtures/shared roots and the case's folder
	for f in actual.stdout actual.stderr; do
		sed -i -e "s|$fixtures|@FIXTURES@|g" -e "s|$shared|@SHARED@|g" -e "s|$work|@WORK@|g" \
			"$work/$f"
	done
	ok=1 report=""
	expected_exit=0
	[ -f "$casedir/expect/exit" ] && expected_exit=$(cat "$casedir/expect/exit")
	if [ -n "${BLESS:-}" ]; then
		mkdir -p "$casedir/expect"
		cp "$work/actual.exit" "$casedir/expect/exit"
		cp "$work/actual.stdout" "$casedir/expect/stdout"
		cp "$work/actual.stderr" "$casedir/expect/stderr"
		rm -rf "$casedir/expect/out"
		if [ -n "$(ls -A "$work/out")" ]; then cp -R "$work/out" "$casedir/expect/out"; fi
		echo "BLESSED $name"
		rm -rf "$work"
		continue
	fi
	if [ "$(cat "$work/actual.exit")" != "$expected_exit" ]; then
		ok=0
		report+="exit code $(cat "$work/actual.exit"), expected $expected_exit"$'\n'
	fi
	for stream in stdout stderr; do
		if [ -f "$casedir/expect/$stream" ] &&
		   ! d=$(diff -u "$casedir/expect/$stream" "$work/actual.$stream"); then
			ok=0
			report+="$stream differs:"$'\n'"$d"$'\n'
		fi
	done
	if [ -d "$casedir/expect/out" ]; then
		if ! d=$(diff -ru "$casedir/expect/out" "$work/out"); then
			ok=0
			report+="out/ differs:"$'\n'"$d"$'\n'
		fi
	elif [ -n "$(ls -A "$work/out")" ]; then
		ok=0
		report+="unexpected files in out/: $(ls "$work/out")"$'\n'
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		[ -f "$casedir/desc" ] && echo "  ($(cat "$casedir/desc"))"
		printf '%s' "$report" | sed 's/^/  /'
	fi
	rm -rf "$work"
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
