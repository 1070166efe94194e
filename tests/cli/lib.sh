# lib.sh — helpers every command-line test sources: a scratch directory
# removed at exit, check/run/has, hit counting, and running a command as an
# unprivileged user (root reads everything, so permission tests drop to
# "nobody"). Source it after setting PTINDEX and PTSEARCH.
TMP=$(mktemp -d)
chmod 755 "$TMP"
passed=0 failed=0
cleanup() {
    kill $(jobs -p) 2>/dev/null
    chmod -R u+rwx "$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# check NAME COMMAND...: the command must succeed.
check() {
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
# run CMD...: sets $status, $out, $err.
run() { "$@" >"$TMP/out" 2>"$TMP/err"; status=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
# has PATTERN TEXT: grep's basic regular expression in TEXT.
has() { grep -q -- "$1" <<<"$2"; }
# hits INDEX QUERY...: how many passages match (every one, no grouping limit).
hits() { "$PTSEARCH" --index "$1" --format json -n 100 -k 0 "${@:2}" 2>/dev/null | grep -c '"rank"'; }
# articles INDEX: the article count ptindex --check reports.
articles() { "$PTINDEX" --index "$1" --check 2>/dev/null | sed -n 's/^\([0-9]*\) articles.*/\1/p'; }
# as_user CMD...: CMD as "nobody" when we are root, else as ourselves.
as_user() {
    if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else "$@"; fi
}
# finish: the summary line and the exit status of the test.
finish() {
    echo "$passed passed, $failed failed"
    test "$failed" -eq 0
}
