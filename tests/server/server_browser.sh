#!/usr/bin/env bash
# server_browser.sh — ptserve's page in a real browser: an index of
# corpus/ plus an article whose title and body hold <script> and
# "><img onerror=…>, ptserve on a free port, and browser.py driving
# headless chromium through chromium-driver. Skips (77) when curl,
# chromium, chromedriver or python3-selenium are missing or chromium
# cannot start; scripts/install-deps.sh installs them. PT_SCREENSHOT=FILE
# keeps a screenshot of the results page.
# Usage: server_browser.sh PTINDEX PTSEARCH PTSERVE CORPUS
set -u
PTINDEX=$1 PTSEARCH=$2 PTSERVE=$3 CORPUS=$4
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
for tool in curl /usr/bin/chromium /usr/bin/chromedriver; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/install-deps.sh)"; exit 77; }
done
"$PY" -c "import selenium" 2>/dev/null || { echo "SKIP: python3-selenium is not installed"; exit 77; }

D=$TMP/docs IDX=$TMP/index
mkdir -p "$D"
cp "$CORPUS"/* "$D"/
"$PY" - >"$D/hostile.jsonl" <<'PY'
import json
hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
body = ("A quokka was seen near the harbour on Tuesday, wardens said. " + hostile +
        " The wardens said the quokka was well and would be returned to the island. "
        "Visitors were asked to keep their distance from the quokka and its young. <b>bold</b> &amp; done.")
print(json.dumps({"id": "hostile-1", "title": hostile, "source": "Escape Test", "date": "2025-12-20", "body": body}))
PY
# 24 short reports on one harbour from two outlets over three months:
# enough hits for a second page and a facet that changes them.
"$PY" - >"$D/harbour.jsonl" <<'PY'
import json, random
rng = random.Random(18)
words = ("ships docked cranes quay tide containers pilots tugs cargo grain steel timber fuel ferry "
         "fishermen nets storm wind berth crew customs inspectors lorries warehouse port fees").split()
for i in range(24):
    text = " ".join(" ".join(rng.choice(words) for _ in range(9)) + "." for _ in range(4))
    print(json.dumps({"id": "harbour-%d" % i, "title": "Harbour report %d" % (i + 1),
                      "source": ["Coast Wire", "Daily Pilot"][i % 2], "date": "2025-%02d-%02d" % (9 + i % 3, 1 + i),
                      "body": "The harbour master spoke on day %d. %s" % (i + 1, text)}))
PY
run "$PTINDEX" --index "$IDX" "$D"
check "the index is built" test "$status" -eq 0
check "ptserve starts" start_server "$TMP/serve.log" --index "$IDX"
HOME=$TMP "$PY" "$(dirname "$0")/browser.py" "http://127.0.0.1:$PORT" ${PT_SCREENSHOT:+"$PT_SCREENSHOT"}
browser=$?
[ "$browser" -eq 77 ] && exit 77
check "the page passes every browser check" test "$browser" -eq 0
check "the server is still up" kill -0 "$SERVER_PID"
stop_server
check "SIGTERM stops it with status 0" test "$stop_status" -eq 0
finish
