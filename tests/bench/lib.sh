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
