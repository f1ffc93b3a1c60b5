#!/usr/bin/env bash
# check_completion.sh PERFGATE COMPLETION SOURCE_DIR
#
# The bash completion the build wrote (perfgate --completion bash > perfgate.bash-completion):
#   - is what the binary writes now, and bash parses it;
#   - completes, in a bash that sourced it (run from SOURCE_DIR, for the file cases):
#       the commands of `perfgate --help` after "perfgate";
#       every option of `perfgate COMMAND --help` after "perfgate COMMAND --";
#       the formats of `perfgate --help` after --format, and only those that match;
#       the words of --chart-format and --no-data, each of which the parser accepts;
#       files after --junit, folders only after --charts, files for INPUT arguments.
set -u
perfgate=$1 completion=$2 src=$3
. "$(dirname "$0")/checks.sh"
cd "$src" || exit 2

"$perfgate" --completion bash > "$tmp/now" || problem "perfgate --completion bash exited $?"
cmp -s "$tmp/now" "$completion" || problem "$completion differs from what the binary writes now"
bash -n "$completion" || problem "bash cannot parse $completion"
"$perfgate" --completion zsh > /dev/null 2>&1
[ $? -eq 2 ] || problem "perfgate --completion zsh should be a usage error (exit 2)"

# completions LINE: what the completion offers for LINE (the last word is completed), sorted
completions() {
	bash -c '
		. "$1"
		read -r -a COMP_WORDS <<< "$2"
		case $2 in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$2 COMP_POINT=${#2}
		_perfgate
		printf "%s\n" "${COMPREPLY[@]}"' completion "$completion" "$1" | sort
}
# expect LINE WORD...: the completions of LINE are exactly the WORDs
expect() {
	local line=$1
	shift
	check
	local got want
	got=$(completions "$line")
	want=$(printf '%s\n' "$@" | sort)
	[ "$got" = "$want" ] || problem "'$line' completes to [$(echo $got)], expected [$(echo $want)]"
}

commands=$("$perfgate" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Commands:)
# shellcheck disable=SC2086
expect "perfgate " $commands --help --version --manual --completion
expect "perfgate sh" show
expect "perfgate c" capacity check compare
expect "perfgate --completion " bash
for c in $commands; do
	options=$("$perfgate" "$c" --help | sed -n '/^Options:/,/^$/p' |
		grep -oE '^  (-[a-zA-Z], |    )--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+')
	# shellcheck disable=SC2086
	expect "perfgate $c --" $options
done
formats=$("$perfgate" --help | sed -n '/^Formats:/,/^$/p' | awk 'NF>1 {print $1}' | grep -v Formats:)
# shellcheck disable=SC2086
expect "perfgate show --format " $formats
# shellcheck disable=SC2086
expect "perfgate check -f k6-" $(printf '%s\n' $formats | grep '^k6-')
expect "perfgate report --chart-format " png svg both
expect "perfgate check --no-data w" warn
expect "perfgate show --jobs " # a number: nothing to offer
expect "perfgate check --charts fixtures/k" fixtures/k6
expect "perfgate check --junit fixtures/budgets/rel" fixtures/budgets/release.json \
	fixtures/budgets/release.yaml
expect "perfgate show fixtures/k6/mixed-stages/out." fixtures/k6/mixed-stages/out.csv \
	fixtures/k6/mixed-stages/out.json
expect "perfgate lint --dump fixtures/budgets/rel" fixtures/budgets/release.json \
	fixtures/budgets/release.yaml

# every word offered for an option's argument is one the parser takes
input=fixtures/k6/mixed-stages/out.json
for word in $(completions "perfgate report --chart-format "); do
	check
	"$perfgate" report --chart-format "$word" "$input" > /dev/null 2> "$tmp/err"
	[ $? -ne 2 ] || problem "--chart-format $word is refused: $(head -1 "$tmp/err")"
done
for word in $(completions "perfgate check --no-data "); do
	check
	"$perfgate" check -b fixtures/budgets/release.json --no-data "$word" "$input" \
		> /dev/null 2> "$tmp/err"
	[ $? -ne 2 ] || problem "--no-data $word is refused: $(head -1 "$tmp/err")"
done
finish
