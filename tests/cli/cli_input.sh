#!/usr/bin/env bash
# cli_input.sh — ptindex on real-world and bad input: every format, gzip,
# Cyrillic, and each kind of damage (invalid UTF-8, NUL bytes, empty,
# binary, truncated gzip, malformed JSON line, a 100 MB line, unreadable,
# symlink loop, CRLF), HTML too deep or too costly to parse, UTF-16, JSON
# bodies as arrays. Nothing crashes, nothing hangs, nothing is dropped
# silently.
# Usage: cli_input.sh PTINDEX PTSEARCH SANITIZED(0|1)
set -u
PTINDEX=$1 PTSEARCH=$2 SANITIZED=${3:-0}
. "$(dirname "$0")/lib.sh"

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

check "plain text found" test "$(hits "$IDX" Geneva)" -eq 1
check "CRLF file found" test "$(hits "$IDX" Kharkiv)" -eq 1
check "gzipped text found" test "$(hits "$IDX" Sevastopol)" -eq 1
check "HTML body found" test "$(hits "$IDX" trawler)" -eq 1
check "HTML script not indexed" test "$(hits "$IDX" scriptword)" -eq 0
check "HTML navigation not indexed" test "$(hits "$IDX" navword)" -eq 0
check "HTML footer not indexed" test "$(hits "$IDX" footerword)" -eq 0
check "JSON lines around a bad one indexed" test "$(hits "$IDX" grain quotas)" -eq 2
check "invalid UTF-8 file still indexed" test "$(hits "$IDX" Doha)" -eq 1
check "NUL file still indexed" test "$(hits "$IDX" Ankara)" -eq 1
check "Russian found by an inflected query" test "$(hits "$IDX" переговорами)" -eq 1
check "ё and е match alike" test "$(hits "$IDX" огнём)" -eq 1

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
check "Markdown: a link target is not a word" test "$(hits "$TMP/md-index" envoyurl)" -eq 0

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
check "summary names both reasons whole, by kind" has "; 2 skipped (2 too large)" "$err"
check "the line after the huge one is indexed" test "$(hits "$TMP/big-index" Mariupol)" -eq 1
check "memory stays under 256 MiB on a 100 MB line (${rss:-n/a} KiB)" test "$rss_ok" = 1

# ---- pages gumbo would take minutes on, beside good files; other encodings
E=$TMP/enc
mkdir -p "$E"
printf 'Good title\n\nThe envoy arrived in Lausanne for the ceasefire talks.\n' >"$E/good.txt"
python3 - "$E" <<'PY'
import os, sys
d = sys.argv[1]
def write(name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)
write('deep.html', b'<div>' * 200000 + b'<p>Deep text.</p>')                # gumbo: 226 s
write('fmt.html', b'<div><b><i>' * 200000 + b'<p>Formatted text.</p>')     # gumbo: over 500 s
write('copies.html', b'<p>' + b''.join(b'<b class=c%d>' % i for i in range(10)) + b'<p>x' * 100000)
sentence = b'The harbour pilots of Constanta went on strike over unpaid wages. '
nul = bytearray((sentence * 23)[:1460])
for k in range(40):
    nul[17 + 36 * k] = 0
write('nul.txt', bytes(nul))                                               # 40 NULs in 1,460 bytes
write('le16.txt', b'\xff\xfe' + 'Kyiv title\r\n\r\nThe mayor of Київ opened the Brovary bridge.\r\n'.encode('utf-16-le'))
write('be16.html', b'\xfe\xff' + '<title>Page</title><p>Ferries to Chornomorsk resumed.</p>'.encode('utf-16-be'))
write('nobom.md', 'No mark\n\nThe Tiraspol checkpoint reopened on Friday.\n'.encode('utf-16-le'))
write('image.txt', b'\x89PNG\r\n\x1a\n' + b'plausible text after the signature ' * 50)
write('array.jsonl', b'{"id": "arr", "title": "Paragraphs", "body": ["Grain left Izmail.", "Barges followed."]}\n'
                     b'{"id": "obj", "title": "Object body", "body": {"html": "<p>lost?</p>"}}\n')
PY
printf '' | gzip >"$E/empty.jsonl.gz"
: >"$E/empty.html"
{ printf '<html><body><p>'; head -c 9000 "$E/good.txt"; yes 'Words of a huge page.' | head -c 9000; } >"$E/big.html"
truncate -s 50M "$E/big.html" # 50 MB, sparse: the start says HTML, the size says too large
if [ "$SANITIZED" = 1 ]; then
    run timeout 120 "$PTINDEX" --index "$TMP/enc-index" "$E"
    rss_ok=1
else
    run timeout 120 /usr/bin/time -f 'maxrss_kb=%M' "$PTINDEX" --index "$TMP/enc-index" "$E"
    rss=$(grep -o 'maxrss_kb=[0-9]*' <<<"$err" | cut -d= -f2)
    rss_ok=$([ "${rss:-999999999}" -lt 131072 ] && echo 1 || echo 0)
fi
summary=$(grep '^ptindex: .* added' <<<"$err")
check "pages too deep or costly do not stall the run (exit 1, not a timeout)" test "$status" -eq 1
check "200,000 nested <div> refused by name" has "deep.html: HTML nested deeper than 1000 elements" "$err"
check "unclosed <div><b><i> x200,000 refused by name" has "fmt.html: HTML nested deeper than 1000 elements" "$err"
check "formatting copied into 100,000 paragraphs: too costly" has "copies.html: HTML too costly to parse: over [0-9]* MB" "$err"
check "50 MB HTML refused from its size" has "big.html: too large: HTML file over 16 MB" "$err"
check "empty HTML skipped as empty" has "empty.html: empty" "$err"
check "empty .jsonl.gz skipped as empty" has "empty.jsonl.gz: empty: no JSON lines" "$err"
check "PNG named .txt is binary, named" has "image.txt: binary file (a PNG image), not text" "$err"
check "object body refused with its line" has "array.jsonl:2: body not text" "$err"
check "scattered NULs: one warning with the count" test "$(grep -c 'nul.txt: warning: 40 NUL bytes replaced' <<<"$err")" -eq 1
check "summary: 6 added" has "6 added" "$summary"
check "summary: every reason whole" grep -Fq "; 8 skipped (1 body not text, 1 too large, 1 HTML too costly to parse, 2 HTML nested deeper than 1000 elements, 2 empty, 1 binary file)" <<<"$summary"
check "memory stays under 128 MiB (${rss:-n/a} KiB)" test "$rss_ok" = 1
check "the good file beside them is indexed" test "$(hits "$TMP/enc-index" Lausanne)" -eq 1
check "text with scattered NULs indexed" test "$(hits "$TMP/enc-index" Constanta)" -eq 1
check "UTF-16LE text (BOM) indexed" test "$(hits "$TMP/enc-index" Київ)" -eq 1
check "UTF-16BE HTML (BOM) indexed" test "$(hits "$TMP/enc-index" Chornomorsk)" -eq 1
check "UTF-16 without BOM indexed" test "$(hits "$TMP/enc-index" Tiraspol)" -eq 1
check "JSON body array: both paragraphs indexed" test "$(hits "$TMP/enc-index" Izmail barges)" -ge 1
"$PTSEARCH" --index "$TMP/enc-index" --format json Brovary >"$TMP/k" 2>/dev/null
check "UTF-16 title read" python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert h["title"] == "Kyiv title", repr(h["title"])
' "$TMP/k"

finish
