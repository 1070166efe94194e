#!/usr/bin/env bash
# server_api.sh — ptserve's JSON API over an index of corpus/: the routes,
# hits equal to `ptsearch --format json` and facets to `ptsearch --count`
# for the same query, JSON errors (400, 404, 405, 503), the limits, the
# options and exit statuses, an index that appears and grows while the
# server runs, concurrent requests answering as serial ones do, and one
# log line per request.
# Usage: server_api.sh PTINDEX PTSEARCH PTSERVE CORPUS
set -u
PTINDEX=$1 PTSEARCH=$2 PTSERVE=$3 CORPUS=$4
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

D=$TMP/docs IDX=$TMP/index LOG=$TMP/serve.log
mkdir -p "$D"
cp "$CORPUS"/* "$D"/

# --- options and exit statuses
run "$PTSERVE" --help
check "--help exits 0" test "$status" -eq 0
check "--help lists the routes and limits" has "/api/search?q=QUERY" "$out"
check "--help names the limits" has "q at most 4096 bytes" "$out"
run "$PTSERVE" --bogus
check "an unknown option exits 2" test "$status" -eq 2
run "$PTSERVE" --index "$IDX" --listen nowhere
check "a --listen without a port exits 2" test "$status" -eq 2
check "... saying what it wants" has "ADDR:PORT" "$err"
run "$PTSERVE" --index "$IDX" --timeout -1
check "a negative --timeout exits 2" test "$status" -eq 2
run "$PTSERVE" --index "$IDX" stray
check "a stray argument exits 2" test "$status" -eq 2

# --- no index yet: 503, then the index appears without a restart
check "ptserve starts over a missing index" start_server "$LOG" --index "$IDX"
check "... and says searches answer 503" has "answer 503" "$(cat "$LOG")"
search "security guarantees"
check "no index: 503" test "$code" = 503
check "... as JSON naming the index" test "$(json_get 'd["status"], "no index" in d["error"]')" = "503 True"
run "$PTINDEX" --index "$IDX" "$D"
check "ptindex builds the index beside the server" test "$status" -eq 0
search "security guarantees"
check "the new index is searched without a restart" test "$code" = 200

# --- a second server on the same port fails plainly
run "$PTSERVE" --index "$IDX" --listen "127.0.0.1:$PORT"
check "a busy port exits 2" test "$status" -eq 2
check "... saying it is in use" has "cannot listen on 127.0.0.1:$PORT: Address already in use" "$err"

# --- hits and facets equal ptsearch's
same_as_ptsearch() { # QUERY API_ARGS PTSEARCH_ARGS...
    local q=$1 args=$2; shift 2
    search "$q" "$args"
    [ "$code" = 200 ] || { echo "HTTP $code: $body"; return 1; }
    "$PTSEARCH" --index "$IDX" --format json "$@" -- "$q" >"$TMP/cli.json" 2>/dev/null
    "$PY" - "$TMP/cli.json" "$TMP/body" <<'PY'
import json, sys
api = json.load(open(sys.argv[2]))
cli = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
hits = [o for o in cli if "rank" in o]
sugg = [o["suggestion"] for o in cli if "suggestion" in o]
ok = api["hits"] == hits and (api["suggestion"] in sugg if sugg else api["suggestion"] is None)
if not ok:
    print("API:", json.dumps(api["hits"])[:800]); print("CLI:", json.dumps(hits)[:800])
sys.exit(0 if ok and hits else 1)
PY
}
check "hits equal ptsearch --format json: Donbas concessions" same_as_ptsearch "Donbas concessions" ""
check "... security guarantees, n=3 offset=2" same_as_ptsearch "security guarantees" "n=3&offset=2" -n 3 --offset 2
check "... a phrase, sort=date" same_as_ptsearch '"peace deal"' "sort=date" --sort date
check "... exact=1, per_article=1" same_as_ptsearch "Zelensky Kyiv" "exact=1&per_article=1" --exact -k 1
check "... a did-you-mean query" same_as_ptsearch "guarantess Witkof" "" 
search "Donbas concessions"
check "the answer has total, suggestion, no_passage_has, incomplete, facets" \
    test "$(json_get 'sorted(d)')" = "['facets', 'hits', 'incomplete', 'n', 'no_passage_has', 'offset', 'query', 'suggestion', 'total']"
check "the first hit marks 'concede'" test "$(json_get 'd["hits"][0]["passage"].encode()[slice(*d["hits"][0]["highlights"][0])].decode()')" = "concede"
facets_equal() { # BY
    "$PTSEARCH" --index "$IDX" --format json --count "$1" "Donbas concessions" >"$TMP/count.json"
    "$PY" -c "
import json, sys
api = json.loads(sys.stdin.read())['facets']['$1']
cli = [json.loads(l) for l in open('$TMP/count.json')]
sys.exit(0 if api == cli and api else 1)" <<<"$body"
}
check "facets by source equal ptsearch --count source" facets_equal source
check "facets by month equal ptsearch --count month" facets_equal month
search "security guarantees" "source=AP"
check "source=AP: only AP's hits" test "$(json_get 'sorted({h["source"] for h in d["hits"]})')" = "['AP']"
search "security guarantees" "month=2025-12"
check "month=2025-12: only that month's hits" test "$(json_get 'sorted({h["date"][:7] for h in d["hits"]})')" = "['2025-12']"
search "security guarantees" "facets=0"
check "facets=0: none counted" test "$(json_get 'd["facets"]')" = "None"

# --- the article route
search "Donbas concessions"
id=$(json_get 'd["hits"][0]["article"]')
code=$(curl -s -G -o "$TMP/body" -w '%{http_code}' --data-urlencode "id=$id" "http://127.0.0.1:$PORT/api/article")
body=$(cat "$TMP/body")
check "/api/article answers 200" test "$code" = 200
check "... the article's passages in order, holding the hit" test "$(json_get '[p["n"] for p in d["passages"]] == list(range(1, len(d["passages"]) + 1)) and any("concede land" in p["passage"] for p in d["passages"])')" = True
"$PTSEARCH" --index "$IDX" --format json -n 100 -k 0 --no-group "security OR the OR a OR Ukraine" >"$TMP/all.json"
check "... every passage of it, with the offsets ptsearch gives" "$PY" -c "
import json, sys
art = json.loads(sys.stdin.read())
mine = sorted((o['start'], o['passage']) for o in map(json.loads, open('$TMP/all.json')) if o.get('article') == art['article'])
sys.exit(0 if mine and mine == [(p['start'], p['passage']) for p in art['passages']] else 1)" <<<"$body"
get "/api/article?id=no-such-article"
check "an unknown article: 404" test "$code" = 404
get "/api/article"
check "no id: 400" test "$code" = 400

# --- errors and limits: each a JSON {"error", "status"} with the HTTP status
error_is() { # STATUS: the body says the same status
    [ "$code" = "$1" ] && [ "$(json_get 'd["status"]')" = "$1" ] && [ -n "$(json_get 'd["error"]')" ]
}
get "/api/search"; check "no q: 400" error_is 400
search "   "; check "a blank q: 400" error_is 400
search "$(printf 'a%.0s' $(seq 4097))"; check "q over 4096 bytes: 400" error_is 400
check "... naming the limit" has "4096 bytes" "$body"
search "$(printf 'a%.0s' $(seq 4096))"; check "q of 4096 bytes: searched" test "$code" = 200
search "oil" "n=0"; check "n=0: 400" error_is 400
search "oil" "n=101"; check "n=101: 400" error_is 400
search "oil" "n=100"; check "n=100: 200" test "$code" = 200
search "oil" "n=x"; check "n=x: 400" error_is 400
search "oil" "n=-1"; check "n=-1: 400" error_is 400
search "oil" "offset=10001"; check "offset=10001: 400" error_is 400
search "oil" "per_article=101"; check "per_article=101: 400" error_is 400
search "oil" "sort=newest"; check "sort=newest: 400" error_is 400
search "oil" "exact=yes"; check "exact=yes: 400" error_is 400
search "oil" "month=2025-1"; check "month=2025-1: 400" error_is 400
search "oil" "source=%22"; check "a source with a quote: 400" error_is 400
search "date:2025-13"; check "a bad query (date:2025-13): 400" error_is 400
check "... with the library's message" has "bad date" "$body"
search "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a"; check "a query nested too deep: 400" error_is 400
for path in /etc/passwd /api/../etc/passwd /api/searchx /index.html /api/ "/page.js/x"; do
    get "$path"; check "$path: 404" error_is 404
done
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST --data 'q=x' "http://127.0.0.1:$PORT/api/search")
body=$(cat "$TMP/body")
check "POST: 405" error_is 405
check "... naming the methods allowed" has "Allow: GET, HEAD" "$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$PORT/api/search")"
get "/"
check "/ is the page" has "<title>ptsearch</title>" "$body"
check "... whose script is served apart" has '<script src="page.js"></script>' "$body"
lacks() { ! has "$@"; }
check "... and which asks for the API by relative URLs (works under a proxy's prefix)" lacks '"/api/' "$body$(curl -s "http://127.0.0.1:$PORT/page.js")"
get "/page.js"
check "/page.js is the script" has "textContent" "$body"
headers=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/")
check "the page forbids inline scripts" has "Content-Security-Policy: default-src 'none'; script-src 'self';" "$headers"

# --- a new article is found without a restart (the reader reopens)
search "zygomorphic"
check "before: the word is nowhere" test "$(json_get 'len(d["hits"])')" = 0
printf 'Zygomorphic flowers in Berlin\n\nBotanists in Berlin described zygomorphic flowers on Monday.\n' >"$D/900_new.txt"
run "$PTINDEX" --index "$IDX" "$D"
check "ptindex adds the article" has "1 added" "$err"
search "zygomorphic"
check "after: the running server finds it" test "$(json_get 'd["hits"][0]["title"]')" = "Zygomorphic flowers in Berlin"

# --- concurrent requests answer as serial ones do (libwordnet, under
# the related words, keeps global state: without expand.c's lock this
# crashed the server within a few rounds)
run "$PY" "$(dirname "$0")/parallel_clients.py" "$PORT" "${PT_SERVE_ROUNDS:-10}" 16
check "16 clients at once: every answer as its serial one ($out)" test "$status" -eq 0
check "the server is still up" kill -0 "$SERVER_PID"

# --- one log line per request
before=$(grep -c '^ptserve: 127.0.0.1 ' "$LOG")
get "/nothing-here"; search "oil"; get "/"
after=$(grep -c '^ptserve: 127.0.0.1 ' "$LOG")
check "three requests, three log lines" test $((after - before)) -eq 3
check "... a line names path, status and time" grep -q '^ptserve: 127.0.0.1 GET "/nothing-here" 404 [0-9]* B [0-9.]* ms$' "$LOG"
check "... queries logged as escaped JSON" grep -q 'GET "/api/search" q="oil" 200' "$LOG"
stop_server
check "SIGTERM stops it with status 0" test "$stop_status" -eq 0

# --- the time limit: an answer, marked incomplete
check "ptserve --timeout 0.000001 starts" start_server "$LOG.2" --index "$IDX" --timeout 0.000001
search "security guarantees"
check "a search past its time limit answers 200" test "$code" = 200
check "... marked incomplete" test "$(json_get 'd["incomplete"]')" = True
stop_server
finish
