#!/bin/bash
# cli_man.sh — the man pages (issue 18): each page in docs/man renders
# without a groff warning, and each program's --help and its page's OPTIONS
# section list the same long and short options (a difference is named).
# The comparison is shown to fail on a page with an option left out.
# Usage: cli_man.sh MAN_DIR PROGRAM...  (PROGRAM's page: MAN_DIR/NAME.1)
MAN_DIR=$1; shift
export LC_ALL=C
PTINDEX= PTSEARCH=
source "$(dirname "$0")/lib.sh"

# option_tokens: the options (-x, --long) in the lines of standard input,
# arguments and [=VALUE] left out.
option_tokens() {
    grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' | sort -u
}

# help_options PROGRAM: the options of PROGRAM --help, from its first
# option line (indented at most 6 spaces, starting with -) to the blank
# line that ends the table; in each line, what comes before the two spaces
# that start the description. Continuation lines are indented further.
help_options() {
    "$1" --help | awk 'match($0, /^ +-/) && RLENGTH <= 7 { table = 1 } table && /^$/ { exit } table' |
        grep -E '^ {1,6}-' | sed -E 's/^ +//; s/  .*//' | option_tokens
}

# man_options PAGE: the options of PAGE's OPTIONS section: the tag line after
# each .TP, with roff's escapes (\-, \fB...) and macro names removed.
man_options() {
    awk '/^\.SH/ { in_options = ($0 ~ /^\.SH "?OPTIONS"?$/) } in_options && tag { print; tag = 0 }
         in_options && /^\.TP/ { tag = 1 }' "$1" |
        sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\&//g; s/^\.[A-Z]+ //; s/"//g' | option_tokens
}

# compare PROGRAM PAGE: one line for each option in one list but not the
# other; nothing when they agree.
compare() {
    local name=${2##*/}
    comm -23 <(help_options "$1") <(man_options "$2") | sed "s|^|$name: missing |; s|\$| (in --help)|"
    comm -13 <(help_options "$1") <(man_options "$2") | sed "s|^|$name: documents |; s|\$| (not in --help)|"
}

if ! command -v groff >/dev/null; then
    echo "FAIL: groff is missing (scripts/install-deps.sh installs groff-base)"
    exit 1
fi
for page in "$MAN_DIR"/*.1; do
    run groff -man -Tutf8 -ww -z "$page"
    check "${page##*/} renders without warnings: $err" test "$status" -eq 0 -a -z "$err"
    if command -v man >/dev/null; then # man-db also runs preconv (the encoding)
        run env MANWIDTH=80 man --warnings -l "$page"
        check "man -l ${page##*/} without warnings: $err" test "$status" -eq 0 -a -z "$err"
    fi
    title=$(sed -n 's/^\.TH \([A-Za-z]*\) 1 .*/\1/p' "$page")
    check "${page##*/}: .TH names the program ($title)" test "${title,,}.1" = "${page##*/}"
done

for program in "$@"; do
    name=${program##*/}
    page=$MAN_DIR/$name.1
    check "$name.1 exists" test -s "$page"
    check "$name --help lists options" test "$(help_options "$program" | wc -l)" -gt 3
    check "$name.1 lists options" test "$(man_options "$page" | wc -l)" -gt 3
    differences=$(compare "$program" "$page")
    check "$name --help and $name.1 agree: $(tr '\n' ';' <<<"$differences")" test -z "$differences"
done

# The comparison catches a page that leaves an option out: the first
# program's page without the tag line of its first option (-i, --index).
program=$1 name=${1##*/}
mkdir -p "$TMP/man"
awk '/^\.SH "?OPTIONS"?$/ { in_options = 1 } in_options && tag && !done { tag = 0; done = 1; next }
     in_options && /^\.TP/ && !done { tag = 1; next } { print }' "$MAN_DIR/$name.1" >"$TMP/man/$name.1"
left_out=$(comm -23 <(man_options "$MAN_DIR/$name.1") <(man_options "$TMP/man/$name.1"))
differences=$(compare "$program" "$TMP/man/$name.1")
check "an option is left out of the copy ($(tr '\n' ' ' <<<"$left_out"))" test -n "$left_out"
for option in $left_out; do
    check "a page without $option fails, naming it" grep -qx -- "$name.1: missing $option (in --help)" <<<"$differences"
done
finish
