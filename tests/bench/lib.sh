# shellcheck shell=bash
# Shared by the bench scripts (sourced, not run).

# abs_perfgate ARG: prints ARG as an absolute path to an executable perfgate (a name without a
# slash is looked up in PATH), or exits 2. hyperfine and GNU time run it from elsewhere.
abs_perfgate() {
    local p=$1
    case $p in
        */*) p="$(cd "$(dirname "$p")" 2>/dev/null && pwd)/$(basename "$p")" ;;
        *)   p=$(command -v "$p" || true) ;;
    esac
    if [ -z "$p" ] || [ ! -x "$p" ]; then
        echo "error: perfgate binary '$1' not found or not executable (build it: cmake --build build)" >&2
        exit 2
    fi
    printf '%s\n' "$p"
}

# need_tools TOOL... : exits 2, saying what is missing, unless every TOOL is on PATH; the word
# "gnu-time" asks for GNU time (/usr/bin/time -v, for peak RSS).
need_tools() {
    local tool
    for tool in "$@"; do
        if [ "$tool" = gnu-time ]; then
            if [ ! -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
                echo "error: GNU time (/usr/bin/time -v) not found; install it: apt-get install -y time" >&2
                exit 2
            fi
        elif ! command -v "$tool" >/dev/null 2>&1; then
            echo "error: $tool not found; install it" >&2
            exit 2
        fi
    done
}

# The rest is for the timing scripts: they set FAILED=0 (report sets it to 1 when a command
# failed), WORKDIR and SESSION_PREFIX.

# report UNIT SIZES REF JSON... : one line per command of the hyperfine exports: mean, stddev
# (UNIT s or ms), MB/s (SIZES: the input's bytes, or a JSON object of them by command name),
# its time over REF's (a command name), and its exit codes.
report() {
    local unit=$1 sizes=$2 ref=$3 scale=1
    shift 3
    [ "$unit" = ms ] && scale=1000
    jq -r -s --argjson sizes "$sizes" --arg ref "$ref" '
        [.[].results[]] as $r
        | ($r | map(select(.command == $ref)) | first) as $ref_r
        | def ok: ((.exit_codes // [1]) | all(. == 0));
          $r[]
        | (if ($sizes | type) == "number" then $sizes else $sizes[.command] end) as $size
        | [.command, .mean, (.stddev // 0), ($size / .mean / 1e6),
           (if ok and ($ref_r != null) and ($ref_r | ok) then (.mean / $ref_r.mean | tostring)
            else "-" end),
           ((.exit_codes // []) | map(tostring) | unique | join(",")),
           (if ok then "ok" else "FAILED" end)] | @tsv' "$@" |
    while IFS=$'\t' read -r name mean sd mbs rel codes ok; do
        if [ "$rel" = "-" ]; then rel="n/a"; else rel=$(printf '%.2fx' "$rel"); fi
        printf '  %-26s %9.3f %-2s ± %7.3f  %8.1f MB/s  %8s  exit %s%s\n' \
            "$name" "$(awk -v m="$mean" -v s="$scale" 'BEGIN { print m * s }')" "$unit" \
            "$(awk -v m="$sd" -v s="$scale" 'BEGIN { print m * s }')" "$mbs" "$rel" "${codes:-?}" \
            "$([ "$ok" = ok ] || echo '  <- FAILED: not a timing of a full read')"
    done
    if jq -e -s '[.[].results[] | (.exit_codes // [1]) | all(. == 0)] | all | not' "$@" >/dev/null; then
        # shellcheck disable=SC2034 # the sourcing script reads it
        FAILED=1
    fi
}

# mean NAME JSON... -> mean time of command NAME, or "" if it failed on any run
mean_of() {
    local name=$1
    shift
    jq -r -s --arg n "$name" '[.[].results[] | select(.command == $n)
        | select((.exit_codes // [1]) | all(. == 0)) | .mean] | first // ""' "$@"
}
ratio() {  # ratio LABEL A B -> "LABEL: A/B" if both are known
    if [ -n "$2" ] && [ -n "$3" ]; then
        awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "  %s: %.2fx\n", l, a / b }'
    else
        echo "  $1: n/a (a command failed)"
    fi
}
load() { echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg))"; }

# session NAME HYPERFINE_ARGS... : one hyperfine session, exported to
# hyperfine-$SESSION_PREFIX-NAME.{json,md} in the current directory.
session() {
    local name=$1
    shift
    hyperfine -N -i --style basic --export-json "hyperfine-$SESSION_PREFIX-$name.json" \
        --export-markdown "hyperfine-$SESSION_PREFIX-$name.md" "$@"
}

size_of() { wc -c < "$1" | tr -d ' '; }
avail_mb() { df -Pm "$WORKDIR" | awk 'NR == 2 { print $4 }'; }

# cached NAME PATH KEY -> true (saying so) when PATH exists and PATH.key holds KEY.
cached() {
    if [ -s "$2" ] && [ "$(cat "$2.key" 2>/dev/null)" = "$3" ]; then
        echo "cached:     $1" >&2
        return 0
    fi
    return 1
}

# key_of FILE... -> 16 hex digits of the files' sha256: the part of a cache key that says what
# an input was generated from.
key_of() { cat "$@" | sha256sum | cut -c1-16; }

# make_cached NAME PATH KEY MB COMMAND... : unless PATH holds what KEY names (cached), checks
# that MB megabytes are free, runs COMMAND with PATH.tmp.PID as its last argument (a file or a
# folder it writes), moves that to PATH and keeps KEY in PATH.key.
make_cached() {
    local name=$1 path=$2 key=$3 mb=$4
    shift 4
    cached "$name" "$path" "$key" && return
    need_mb "$mb" "$name"
    echo "generating: $name ..." >&2
    rm -rf "$path" "$path.key" "$path.tmp.$$"
    "$@" "$path.tmp.$$"
    mv "$path.tmp.$$" "$path"
    printf '%s\n' "$key" > "$path.key"
}

# need_mb MB NAME -> exits 2 unless MB megabytes are free in WORKDIR.
need_mb() {
    if [ "$(avail_mb)" -lt "$1" ]; then
        echo "error: $1 MB free needed in $WORKDIR for $2, $(avail_mb) MB free" >&2
        exit 2
    fi
}

# start_workdir: creates WORKDIR, makes it absolute, and says what runs where.
start_workdir() {
    mkdir -p "$WORKDIR"
    WORKDIR=$(cd "$WORKDIR" && pwd)
    echo "perfgate: $PERFGATE"
    echo "workdir:  $WORKDIR"
    df -h "$WORKDIR" | sed 's/^/  /'
}
