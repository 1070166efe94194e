# serve_lib.sh — starting and stopping ptserve in tests (sourced after
# tests/cli/lib.sh, with PTSERVE set): the server listens on a free port
# (--listen 127.0.0.1:0) and the port is read from its first log line.

# The system's Python (Debian's python3-selenium is installed for it)
# when there is one, else the first python3 on PATH (a version manager's
# shim there can cost a second or two a start).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# start_server LOG ARGS...: starts ptserve ARGS in the background, logging
# to LOG; sets SERVER_PID and PORT (empty when it did not come up in 20 s).
start_server() {
    local log=$1; shift
    PORT=""
    "$PTSERVE" --listen 127.0.0.1:0 "$@" 2>"$log" &
    SERVER_PID=$!
    for _ in $(seq 200); do
        PORT=$(sed -n 's|^ptserve: listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
        [ -n "$PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# stop_server: SIGTERM, then waits; sets stop_status to its exit status.
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID"
    stop_status=$?
}

# get PATH_AND_QUERY: sets $code (HTTP status) and $body.
get() {
    code=$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 60 "http://127.0.0.1:$PORT$1")
    body=$(cat "$TMP/body")
}

# search QUERY [ARGS]: GET /api/search with q=QUERY (encoded) and ARGS
# (already encoded, a=1&b=2); sets $code and $body.
search() {
    code=$(curl -s -G -o "$TMP/body" -w '%{http_code}' --max-time 60 --data-urlencode "q=$1" \
        "http://127.0.0.1:$PORT/api/search${2:+?$2}")
    body=$(cat "$TMP/body")
}

# json_get EXPR: evaluates the Python expression EXPR on d, the JSON of $body.
json_get() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$body"; }
