/* fuzz_passage.c — libFuzzer target for the passage splitter
 * (lib/analysis/passage.c) and the boilerplate filter (lib/analysis/boilerplate.c). The
 * first byte picks the paragraph filter (none, boilerplate with its
 * context: headline "Headline", look-ahead to the text's end; or one that
 * drops every other paragraph); the rest is the article text. Checked:
 * passages in order, inside the text, trimmed, within the word cap; the
 * filter asked about every paragraph, in order; no passage overlaps a
 * dropped paragraph; and every word of a kept paragraph is in a passage
 * (nothing an article says is silently left out of the index). */
#include <stdint.h>
#include <string.h>

#include "analysis/boilerplate.h"
#include "fuzz.h"
#include "analysis/passage.h"

typedef struct {
    size_t start, end;
    int kept;
} paragraph;

typedef struct {
    int mode; /* 1 boilerplate, 2 every other paragraph dropped */
    paragraph *items;
    size_t n, cap;
    pt_boilerplate_ctx bp;
} filter_log;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void log_paragraph(filter_log *log, size_t start, size_t end, int kept)
{
    if (log->n == log->cap) {
        log->cap = log->cap ? log->cap * 2 : 16;
        log->items = realloc(log->items, log->cap * sizeof *log->items);
        FUZZ_CHECK(log->items != NULL);
    }
    log->items[log->n++] = (paragraph){start, end, kept};
}

static int logging_filter(const char *text, size_t start, size_t end, void *ctx)
{
    filter_log *log = ctx;
    int keep = log->mode == 1 ? pt_boilerplate_keep(text, start, end, &log->bp) : log->n % 2 == 0;
    FUZZ_CHECK(keep == 0 || keep == 1);
    log_paragraph(log, start, end, keep);
    return keep;
}

/* The paragraphs the header defines: non-blank lines (ended by \n or
 * \r), trimmed; all marked kept. */
static void find_paragraphs(const char *t, size_t len, filter_log *out)
{
    for (size_t line = 0; line < len;) {
        size_t stop = line;
        while (stop < len && t[stop] != '\n' && t[stop] != '\r')
            stop++;
        size_t start = line, end = stop;
        while (start < end && is_space((unsigned char)t[start]))
            start++;
        while (end > start && is_space((unsigned char)t[end - 1]))
            end--;
        if (start < end)
            log_paragraph(out, start, end, 1);
        line = stop + 1;
    }
}

/* The filter was asked about every paragraph, in order, and nothing else. */
static void check_filter_calls(const filter_log *want, const filter_log *log)
{
    FUZZ_CHECK(want->n == log->n);
    for (size_t k = 0; k < log->n; k++)
        FUZZ_CHECK(want->items[k].start == log->items[k].start && want->items[k].end == log->items[k].end);
}

static void check_passages(const char *t, size_t len, const pt_passage *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(p[i].start < p[i].end && p[i].end <= len);
        FUZZ_CHECK(i == 0 || p[i].start >= p[i - 1].end);
        FUZZ_CHECK(!is_space((unsigned char)t[p[i].start]) && !is_space((unsigned char)t[p[i].end - 1]));
        FUZZ_CHECK(p[i].words >= 1 && p[i].words <= PT_PASSAGE_HARD_MAX);
    }
}

static int inside_a_passage(const pt_passage *p, size_t n, size_t start, size_t end)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].start <= start && end <= p[i].end)
            return 1;
    return 0;
}

/* Every token with an ASCII letter or digit (a word by any definition)
 * in a kept paragraph lies in a passage; no passage reaches into a
 * dropped one. */
static void check_coverage(const char *t, const filter_log *log, const pt_passage *p, size_t n)
{
    for (size_t k = 0; k < log->n; k++) {
        const paragraph *g = &log->items[k];
        if (!g->kept) {
            for (size_t i = 0; i < n; i++)
                FUZZ_CHECK(p[i].end <= g->start || p[i].start >= g->end);
            continue;
        }
        for (size_t i = g->start; i < g->end;) {
            size_t j = i, alnum = 0;
            while (j < g->end && !is_space((unsigned char)t[j])) {
                unsigned char c = (unsigned char)t[j++];
                alnum |= (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
            }
            FUZZ_CHECK(!alnum || inside_a_passage(p, n, i, j));
            while (j < g->end && is_space((unsigned char)t[j]))
                j++;
            i = j;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    filter_log log = {size ? data[0] % 3 : 0, NULL, 0, 0, {0}};
    size_t len = size ? size - 1 : 0;
    pt_boilerplate_ctx_init(&log.bp, "Headline", len, NULL, NULL);
    char *text = malloc(len ? len : 1); /* exactly len bytes: ASan sees overreads */
    FUZZ_CHECK(text != NULL);
    memcpy(text, data + (size > 0), len);
    pt_passage *p = NULL;
    size_t n = 0;
    FUZZ_CHECK(pt_passages_split(&p, &n, text, len, log.mode ? logging_filter : NULL, &log) == 0);
    FUZZ_CHECK((n == 0) == (p == NULL));
    check_passages(text, len, p, n);
    filter_log all = {0, NULL, 0, 0, {0}};
    find_paragraphs(text, len, &all);
    if (log.mode)
        check_filter_calls(&all, &log);
    check_coverage(text, log.mode ? &log : &all, p, n);
    free(all.items);
    free(log.items);
    free(p);
    free(text);
    return 0;
}
