#!/usr/bin/env bash
# cli_input.sh — ptindex on real-world and bad input: every format, gzip,
# Cyrillic, and each kind of damage (invalid UTF-8, NUL bytes, empty,
# binary, truncated gzip, malformed JSON line, a 100 MB line, unreadable,
# symlink loop, CRLF). Nothing crashes, nothing is dropped silently.
# Usage: cli_input.sh PTINDEX PTSEARCH SANITIZED(0|1)
set -u
PTINDEX=$1 PTSEARCH=$2 SANITIZED=${3:-0}
TMP=$(mktemp -d)
chmod 755 "$TMP"
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
passed=0 failed=0

check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
run() { "$@" >"$TMP/out" 2>"$TMP/err"; status=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
has() { grep -q -- "$1" <<<"$2"; }
search_count() { # search_count INDEX QUERY...: number of hits
    "$PTSEARCH" --index "$1" --format json -n 100 -k 0 "${@:2}" 2>/dev/null | grep -c '"rank"'
}

# ---- one directory with every format, and each kind of damage beside good files
D=$TMP/in
mkdir -p "$D/sub"
printf 'Plain title\n\nThe envoy arrived in Geneva on Tuesday for the ceasefire talks.\n' >"$D/plain.txt"
printf 'CRLF title\r\n\r\nThe delegation crossed the border at Kharkiv in the morning.\r\n' >"$D/crlf.txt"
printf 'Gzip title\n\nWitnesses described the flotilla near Sevastopol at dawn.\n' | gzip >"$D/sub/zipped.txt.gz"
cat >"$D/page.html" <<'HTML'
<html><head><title>Harbour story</title>
<meta property="article:published_time" content="2025-12-16T08:00:00Z">
<script>var hidden = "scriptword";</script></head>
<body><nav>navword menu</nav><article><h1>Harbour story</h1>
<p>The trawler captain spoke about the harbour blockade in Odesa.</p></article>
<footer>footerword copyright</footer></body></html>
HTML
{
    echo '{"id":"j1","title":"Grain deal","date":"2025-12-01","source":"Wire","body":"Exporters welcomed the grain corridor agreement."}'
    echo '{"id":"j2","title":"Broken", "body": '
    echo '{"id":"j3","outlet":"Daily","published":"December 2, 2025","text":"Farmers protested against the import quotas."}'
} >"$D/feed.jsonl"
printf 'Президент заявил, что переговоры о прекращении огня продолжатся в Женеве.\n' >"$D/russian.txt"
printf 'Bad bytes title\n\nThe \xff\xfe envoy met \xc3 the mediator in Doha.\n' >"$D/invalid.txt"
printf 'Nul title\n\nThe\0 negotiators signed the memorandum in Ankara.\n' >"$D/nul.txt"
: >"$D/empty.txt"
head -c 20000 /dev/urandom >"$D/binary.txt"
seq 1 50000 | gzip | head -c 3000 >"$D/truncated.txt.gz"
ln -s "$D" "$D/sub/loop"
ln -s /nonexistent/file.txt "$D/dangling.txt"
printf 'Locked title\n\nUnreadable.\n' >"$D/locked.txt"
chmod 000 "$D/locked.txt"

IDX=$TMP/index
if [ "$(id -u)" -eq 0 ]; then
    # root reads anything: run as nobody so the unreadable file is unreadable
    chmod -R a+rwX "$TMP"; chmod 000 "$D/locked.txt"
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    AS=()
fi
run "${AS[@]}" "$PTINDEX" --index "$IDX" "$D"
check "bad input is not fatal (exit 1: some skipped)" test "$status" -eq 1
check "summary counts indexed articles" has "9 added" "$err"
check "invalid UTF-8 warned with file name" has "invalid.txt: warning: 3 invalid UTF-8" "$err"
check "NUL bytes warned" has "nul.txt: warning: 1 NUL" "$err"
check "empty file skipped by name" has "empty.txt: empty" "$err"
check "binary file skipped by name" has "binary.txt: binary" "$err"
check "truncated gzip skipped by name" has "truncated.txt.gz: .*truncated" "$err"
check "malformed JSON line named with file:line" has "feed.jsonl:2: malformed JSON" "$err"
check "symlink loop reported" has "loop: symlink loop" "$err"
check "dangling symlink reported" has "dangling.txt: No such file" "$err"
check "unreadable file reported" has "locked.txt: Permission denied" "$err"
check "summary counts the skips" grep -Eq '; 7 skipped \(' <<<"$err"

check "plain text found" test "$(search_count "$IDX" Geneva)" -eq 1
check "CRLF file found" test "$(search_count "$IDX" Kharkiv)" -eq 1
check "gzipped text found" test "$(search_count "$IDX" Sevastopol)" -eq 1
check "HTML body found" test "$(search_count "$IDX" trawler)" -eq 1
check "HTML script not indexed" test "$(search_count "$IDX" scriptword)" -eq 0
check "HTML navigation not indexed" test "$(search_count "$IDX" navword)" -eq 0
check "HTML footer not indexed" test "$(search_count "$IDX" footerword)" -eq 0
check "JSON lines around a bad one indexed" test "$(search_count "$IDX" grain quotas)" -eq 2
check "invalid UTF-8 file still indexed" test "$(search_count "$IDX" Doha)" -eq 1
check "NUL file still indexed" test "$(search_count "$IDX" Ankara)" -eq 1
check "Russian found by an inflected query" test "$(search_count "$IDX" переговорами)" -eq 1
check "ё and е match alike" test "$(search_count "$IDX" огнём)" -eq 1

"$PTSEARCH" --index "$IDX" --format json quotas >"$TMP/j3" 2>/dev/null
check "JSON fields become metadata" python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert h["article"] == "j3" and h["source"] == "Daily" and h["date"] == "2025-12-02", h
' "$TMP/j3"
"$PTSEARCH" --index "$IDX" --format json trawler >"$TMP/h" 2>/dev/null
check "HTML title and date become metadata" python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert h["title"] == "Harbour story" and h["date"] == "2025-12-16", h
' "$TMP/h"
"$PTSEARCH" --index "$IDX" --format json Kharkiv >"$TMP/c" 2>/dev/null
check "CRLF title has no carriage return" python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert h["title"] == "CRLF title", repr(h["title"])
' "$TMP/c"

# ---- Markdown: CommonMark and YAML front matter, not raw text
M=$TMP/md
mkdir -p "$M"
cat >"$M/front.md" <<'MD'
---
title: "Talks in Berlin: what was agreed"
date: 2025-12-15
source: Reuters
author: Jane Doe
---

# A heading in the body

Negotiators met in **Berlin** on Monday, and [the envoy](https://example.com/envoyurl) said
progress was *real*, quoting `clause seven`.
MD
printf '# Heading Title

The __convoy__ reached [Zaporizhzhia](http://example.com/x) at dawn.
' >"$M/heading.md"
run "$PTINDEX" --index "$TMP/md-index" "$M"
check "Markdown: both files indexed" has "2 added" "$err"
"$PTSEARCH" --index "$TMP/md-index" --format json -k 0 -n 10 Negotiators OR convoy >"$TMP/md.json" 2>/dev/null
check "Markdown: front matter and first heading are metadata, marks and link targets dropped" python3 -c '
import json, sys
hits = {h["path"].rsplit("/", 1)[1]: h for h in map(json.loads, open(sys.argv[1]))}
f, h = hits["front.md"], hits["heading.md"]
assert (f["title"], f["date"], f["source"]) == ("Talks in Berlin: what was agreed", "2025-12-15", "Reuters"), f
assert h["title"] == "Heading Title", h
for x in (f, h):
    assert not any(c in x["passage"] for c in "*_#[]()`"), x["passage"]
    assert "---" not in x["passage"] and "http" not in x["passage"], x["passage"]
assert "the envoy said progress was real, quoting clause seven." in f["passage"], f["passage"]
assert "Jane" not in f["passage"], f["passage"]
' "$TMP/md.json"
check "Markdown: a link target is not a word" test "$(search_count "$TMP/md-index" envoyurl)" -eq 0

# ---- JSON Lines on stdin
run "$PTINDEX" --index "$TMP/stdin-index" - <"$D/feed.jsonl"
check "stdin JSON Lines: exit 1 for the bad line" test "$status" -eq 1
check "stdin JSON Lines: two articles" has "2 added" "$err"

# ---- a single 100 MB line: refused with a message, memory bounded
big=$TMP/big
mkdir -p "$big"
{ printf '{"id":"big","body":"'; yes 'word' | head -c 100000000 | tr '\n' ' '; printf '"}\n'
  echo '{"id":"small","body":"After the giant line comes a small article about Mariupol."}'; } >"$big/huge.jsonl"
yes 'word' | head -c 100000000 | tr '\n' ' ' >"$big/huge.txt"
if [ "$SANITIZED" = 1 ]; then
    run "$PTINDEX" --index "$TMP/big-index" "$big"
    rss_ok=1
else
    run /usr/bin/time -f 'maxrss_kb=%M' "$PTINDEX" --index "$TMP/big-index" "$big"
    rss=$(grep -o 'maxrss_kb=[0-9]*' <<<"$err" | cut -d= -f2)
    rss_ok=$([ "${rss:-999999999}" -lt 262144 ] && echo 1 || echo 0)
fi
check "100 MB JSON line skipped with file:line" has "huge.jsonl:1: " "$err"
check "100 MB text file refused by name" has "huge.txt: too large" "$err"
check "the line after the huge one is indexed" test "$(search_count "$TMP/big-index" Mariupol)" -eq 1
check "memory stays under 256 MiB on a 100 MB line (${rss:-n/a} KiB)" test "$rss_ok" = 1

echo "$passed passed, $failed failed"
test "$failed" -eq 0
