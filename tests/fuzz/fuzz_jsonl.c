/* fuzz_jsonl.c — libFuzzer target for the JSON Lines reader
 * (indexer/read_jsonl.c) through its public entry, over a scratch file
 * read by indexer/input.c as ptindex reads one. Checked: each article has
 * an id and valid UTF-8 text, title and source without NUL, a real date or
 * none, its own line number; and nothing is dropped silently — every
 * non-blank line yields exactly one article or one skip with a reason. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "sniff.h"
#include "extractor.h"
#include "ptsearch.h"

typedef struct {
    unsigned char *events; /* per line (from 1): articles + skips seen */
    size_t n_lines;
    int whole_file_skipped; /* a skip with line 0 (binary file) */
    unsigned long last_line;
} tally;

static void check_string(const char *s)
{
    FUZZ_CHECK(!s || pt_utf8_is_clean(s, strlen(s)));
}

static void count_event(tally *t, unsigned long line)
{
    FUZZ_CHECK(line >= t->last_line); /* lines are read in order */
    t->last_line = line;
    if (line == 0) {
        t->whole_file_skipped = 1;
        return;
    }
    if (!t->events) /* gzip: lines of the decompressed stream, not counted */
        return;
    FUZZ_CHECK(line <= t->n_lines);
    FUZZ_CHECK(t->events[line - 1] < 255);
    t->events[line - 1]++;
}

static int on_article(pt_read_env *env, const pt_article *a)
{
    tally *t = env->ctx;
    FUZZ_CHECK(a->version == PT_ARTICLE_VERSION && a->id && a->id[0]);
    check_string(a->id);
    FUZZ_CHECK(a->text && a->text_len > 0 && a->text_len <= PT_MAX_ARTICLE_BYTES);
    FUZZ_CHECK(pt_utf8_is_clean(a->text, a->text_len));
    check_string(a->title);
    check_string(a->source);
    FUZZ_CHECK(!a->date || (strlen(a->date) == 10 && fuzz_is_iso_date(a->date)));
    FUZZ_CHECK(a->path == env->abspath && a->file_offset == 0);
    count_event(t, a->file_line);
    return 0;
}

static void on_skip(pt_read_env *env, unsigned long line, const char *reason)
{
    FUZZ_CHECK(reason && reason[0]);
    count_event(env->ctx, line);
}

static void on_warn(pt_read_env *env, unsigned long line, const char *reason)
{
    (void)env;
    (void)line;
    FUZZ_CHECK(reason && reason[0]);
}

static int is_blank(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace(s[i]))
            return 0;
    return 1;
}

/* Every non-blank line (as input.c cuts them: "\n", a "\r" before it
 * dropped) had exactly one article or skip. */
static void check_every_line(const uint8_t *data, size_t size, const tally *t)
{
    size_t line = 0;
    for (size_t at = 0; at < size; line++) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - data) : size;
        int blank = is_blank(data + at, end - at);
        FUZZ_CHECK(t->events[line] == !blank);
        at = end + 1;
    }
    FUZZ_CHECK(line == t->n_lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* zlib reads data that starts as gzip does as gzip: lines are then
     * those of the decompressed stream, which this check cannot count. */
    int gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    /* Nor can it count the lines of UTF-16 (or a UTF-8 byte-order mark
     * read away): input.c decodes it first. */
    size_t bom = 0;
    gzip |= pt_sniff_encoding(data, size, &bom) != PT_ENC_UTF8 || bom > 0;
    tally t = {NULL, 0, 0, 0};
    for (size_t i = 0; i < size; i++)
        t.n_lines += data[i] == '\n';
    t.n_lines += size > 0 && data[size - 1] != '\n';
    if (!gzip) {
        t.events = calloc(t.n_lines + 1, 1);
        FUZZ_CHECK(t.events != NULL);
    }
    const char *path = fuzz_scratch_file(data, size);
    pt_read_env env = {path, path, "fuzz.jsonl", on_article, on_skip, on_warn, &t};
    pt_input *in = NULL;
    char why[256];
    FUZZ_CHECK(pt_input_open(&in, path, why, sizeof why) == 0);
    FUZZ_CHECK(pt_read_jsonl_input(&env, in) == 0);
    pt_input_close(in);
    if (t.whole_file_skipped)
        FUZZ_CHECK(t.last_line == 0); /* a binary file: one skip, nothing else */
    else if (!gzip)
        check_every_line(data, size, &t);
    free(t.events);
    return 0;
}
