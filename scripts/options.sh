# options.sh — sourced by the evaluation scripts that index a corpus into a
# work directory (eval_peer.sh, knownitem.sh, variant_eval.sh): the
# repository's top and ../shared, their common options (--build DIR,
# --keep DIR, -h) with each script's own through its own_option function,
# and the work directory (kept with --keep, else removed at exit).
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${PT_SHARED:-$top/../shared}
build=$top/build keep=""

# parse_options FIRST,LAST "$@": sets build and keep; for any other option
# calls own_option NAME VALUE, if the script defines it, which returns 0
# when it took the option and its value; the first argument neither takes
# ends the options. Leaves the rest in the array operands. -h prints the
# script's header lines FIRST to LAST.
parse_options() {
    local help=$1
    shift
    while [ $# -gt 0 ]; do
        case $1 in
        --build) build=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) sed -n "${help}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) if declare -F own_option >/dev/null && own_option "$1" "${2-}"; then shift 2; else break; fi ;;
        esac
    done
    operands=("$@")
}

# make_work: the work directory in $work: $keep (made if need be), or a
# temporary one removed when the script exits.
make_work() {
    work=${keep:-$(mktemp -d)}
    mkdir -p "$work"
    [ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
}
