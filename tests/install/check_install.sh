#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR
#
# `cmake --install BUILD_DIR --prefix TMP` into a temporary prefix, then:
#   - every file the layout promises is there (binary, manual page, bash completion, the three
#     default templates, README, LICENSE, CHANGELOG, docs/ and formats/);
#   - the installed binary runs: --version, and `check` of a fixture with every output, whose
#     Markdown report is byte-identical to the build tree's (the installed templates are the
#     built-in ones);
#   - the installed templates are the ones used: a line added to the installed report template
#     appears in the report; with the installed templates gone, the built-in copy is used
#     again and the report is the build tree's once more;
#   - `man` finds the page by name under the prefix, and bash loads the completion;
#   - a binary copied alone elsewhere (no share/ beside it) still writes the same report.
set -u
build=$1 src=$2
. "$(dirname "$0")/../docs/checks.sh"
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 ||
	{ echo "FAIL cmake --install: $(tail -3 "$tmp/install.log")"; exit 1; }

for f in bin/perfgate share/man/man1/perfgate.1 share/bash-completion/completions/perfgate \
	share/perfgate/templates/report.md.mustache share/perfgate/templates/summary.md.mustache \
	share/perfgate/templates/compare.md.mustache share/doc/perfgate/README.md \
	share/doc/perfgate/LICENSE share/doc/perfgate/CHANGELOG.md share/doc/perfgate/docs/cli.md \
	share/doc/perfgate/formats/budget.md; do
	check
	[ -s "$prefix/$f" ] || problem "$f is not installed"
done
check
[ -x "$prefix/bin/perfgate" ] || problem "bin/perfgate is not executable"

installed=$prefix/bin/perfgate
built=$build/perfgate
input=$src/fixtures/k6/mixed-stages/out.json
budget=$src/fixtures/budgets/release.json
check
[ "$("$installed" --version)" = "$("$built" --version)" ] || problem "--version differs"

# report WHICH OUT: the check job with every output into OUT; exit status kept in OUT/exit
report() {
	mkdir -p "$2"
	"$1" check -b "$budget" --junit "$2/junit.xml" --verdict "$2/verdict.json" \
		--markdown "$2/report.md" --summary "$2/summary.md" --charts "$2/charts" "$input" \
		> "$2/stdout" 2> "$2/stderr"
	echo $? > "$2/exit"
}
report "$built" "$tmp/built"
report "$installed" "$tmp/installed"
check
[ "$(cat "$tmp/installed/exit")" = 0 ] ||
	problem "the installed binary's check exited $(cat "$tmp/installed/exit"): $(head -3 "$tmp/installed/stderr")"
for f in report.md summary.md junit.xml verdict.json charts/spectrum.svg; do
	check
	cmp -s "$tmp/built/$f" "$tmp/installed/$f" || problem "$f differs from the build tree's"
done

templates=$prefix/share/perfgate/templates
printf '\nsite marker from the installed template\n' >> "$templates/report.md.mustache"
report "$installed" "$tmp/site"
check
grep -q "site marker from the installed template" "$tmp/site/report.md" ||
	problem "an edit of the installed report template does not reach the report"
check
cmp -s "$tmp/built/summary.md" "$tmp/site/summary.md" || problem "the summary changed too"
rm -rf "$templates"
report "$installed" "$tmp/fallback"
check
cmp -s "$tmp/built/report.md" "$tmp/fallback/report.md" ||
	problem "without installed templates the report is not the built-in one"

mkdir -p "$tmp/alone"
cp "$installed" "$tmp/alone/perfgate"
report "$tmp/alone/perfgate" "$tmp/alone/out"
check
cmp -s "$tmp/built/report.md" "$tmp/alone/out/report.md" ||
	problem "a binary copied alone does not write the built-in report"

if command -v man > /dev/null; then
	check
	MANPATH=$prefix/share/man man -w perfgate > "$tmp/manpath" 2>&1
	[ "$(cat "$tmp/manpath")" = "$prefix/share/man/man1/perfgate.1" ] ||
		problem "man does not find perfgate under the prefix: $(cat "$tmp/manpath")"
fi
check
bash -c '. "$1" && complete -p perfgate' completion \
	"$prefix/share/bash-completion/completions/perfgate" > /dev/null 2>&1 ||
	problem "bash does not load the installed completion"
finish
