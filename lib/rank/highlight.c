/* highlight.c — byte ranges of a passage's words that match the query,
 * computed from the same analyzer as the index, so what is marked is
 * exactly what matched (stems, compounds and their parts alike); each
 * range says why (pt_mark_kind), and a phrase is marked only where it
 * matches, as one range. */
#include "rank/highlight.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

const char *pt_mark_kind_name(pt_mark_kind kind)
{
    static const char *const names[] = {"typed", "variant", "related", "phrase"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : NULL;
}

void pt_highlighter_init(pt_highlighter *h, const pt_query_info *info)
{
    memset(h, 0, sizeof *h);
    h->info = info;
}

void pt_highlighter_free(pt_highlighter *h)
{
    free(h->marks);
    free(h->hits);
    h->marks = NULL;
    h->hits = NULL;
    h->n = h->cap = h->n_hits = h->cap_hits = 0;
}

/* The index of term in the query's terms, or -1. */
static long term_index(const pt_query_terms *terms, const char *term)
{
    for (size_t i = 0; i < terms->n; i++)
        if (strcmp(terms->terms[i], term) == 0)
            return (long)i;
    return -1;
}

static int in_list(char *const *list, const char *term)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], term) == 0)
            return 1;
    return 0;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return PT_OK;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, c * size);
    if (!p)
        return pt_fail(PT_ENOMEM, "out of memory");
    *items = p;
    *cap = c;
    return PT_OK;
}

static int add_mark(pt_highlighter *h, size_t start, size_t end, pt_mark_kind kind)
{
    if (grow((void **)&h->marks, &h->cap, h->n, sizeof *h->marks))
        return PT_ENOMEM;
    h->marks[h->n++] = (pt_mark){start, end, kind};
    return PT_OK;
}

/* Records t as an occurrence of every phrase word it is. */
static int add_phrase_hits(pt_highlighter *h, const pt_term *t)
{
    for (size_t p = 0; p < h->info->n_phrases; p++) {
        const pt_query_phrase *ph = &h->info->phrases[p];
        for (size_t w = 0; w < ph->n_words; w++) {
            if (!in_list(ph->words[w].terms, t->term))
                continue;
            if (grow((void **)&h->hits, &h->cap_hits, h->n_hits, sizeof *h->hits))
                return PT_ENOMEM;
            h->hits[h->n_hits++] = (pt_phrase_hit){p, w, t->pos, t->start, t->end};
        }
    }
    return PT_OK;
}

int pt_highlight_term(pt_highlighter *h, const pt_term *t)
{
    long i = term_index(&h->info->terms, t->term);
    pt_mark_kind kind = i < 0 ? PT_MARK_PHRASE : (pt_mark_kind)h->info->terms.kinds[i];
    if (i >= 0 && kind != PT_MARK_PHRASE && add_mark(h, t->start, t->end, kind))
        return PT_ENOMEM;
    /* compounds have no position: their parts stand for them */
    if (i >= 0 && h->info->n_phrases && !(t->flags & PT_TERM_COMPOUND))
        return add_phrase_hits(h, t);
    return PT_OK;
}

/* The occurrence of word w of phrase p at position pos, or NULL. */
static const pt_phrase_hit *hit_at(const pt_highlighter *h, size_t p, size_t w, uint32_t pos)
{
    for (size_t i = 0; i < h->n_hits; i++)
        if (h->hits[i].phrase == p && h->hits[i].word == w && h->hits[i].pos == pos)
            return &h->hits[i];
    return NULL;
}

/* Adds a PHRASE mark for every place a whole phrase stands in order. */
static int mark_phrases(pt_highlighter *h)
{
    for (size_t i = 0; i < h->n_hits; i++) {
        const pt_phrase_hit first = h->hits[i];
        if (first.word != 0)
            continue;
        const pt_query_phrase *ph = &h->info->phrases[first.phrase];
        size_t end = first.end, w = 1;
        for (; w < ph->n_words; w++) {
            const pt_phrase_hit *next = hit_at(h, first.phrase, w, first.pos + ph->words[w].offset);
            if (!next)
                break;
            if (next->end > end)
                end = next->end;
        }
        if (w == ph->n_words && add_mark(h, first.start, end, PT_MARK_PHRASE))
            return PT_ENOMEM;
    }
    return PT_OK;
}

static int by_start(const void *x, const void *y)
{
    const pt_mark *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->kind == PT_MARK_PHRASE) > (b->kind == PT_MARK_PHRASE) ? -1
         : (a->kind == PT_MARK_PHRASE) < (b->kind == PT_MARK_PHRASE);
}

/* Sorted, without overlaps: a phrase range swallows what it overlaps;
 * word ranges that overlap merge, keeping the first kind of the order. */
static size_t merge_marks(pt_mark *m, size_t n)
{
    if (n > 1)
        qsort(m, n, sizeof *m, by_start);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        pt_mark *last = out ? &m[out - 1] : NULL;
        if (!last || m[i].start > last->end || (m[i].start == last->end && m[i].kind != last->kind)) {
            m[out++] = m[i];
            continue;
        }
        if (m[i].kind == PT_MARK_PHRASE && last->kind != PT_MARK_PHRASE) {
            /* a phrase starting inside a word's range takes it over */
            last->kind = PT_MARK_PHRASE;
        } else if (m[i].kind < last->kind && last->kind != PT_MARK_PHRASE) {
            last->kind = m[i].kind;
        }
        if (m[i].end > last->end)
            last->end = m[i].end;
    }
    return out;
}

int pt_highlight_finish(pt_highlighter *h, pt_range **ranges, pt_mark_kind **kinds, size_t *n)
{
    *ranges = NULL;
    *kinds = NULL;
    *n = 0;
    int rc = mark_phrases(h);
    size_t count = rc ? 0 : merge_marks(h->marks, h->n);
    if (!rc && count) {
        *ranges = malloc(count * sizeof **ranges);
        *kinds = malloc(count * sizeof **kinds);
        if (!*ranges || !*kinds) {
            free(*ranges);
            free(*kinds);
            *ranges = NULL;
            *kinds = NULL;
            rc = pt_fail(PT_ENOMEM, "out of memory");
        }
    }
    for (size_t i = 0; !rc && i < count; i++) {
        (*ranges)[i] = (pt_range){h->marks[i].start, h->marks[i].end};
        (*kinds)[i] = h->marks[i].kind;
    }
    if (!rc)
        *n = count;
    pt_highlighter_free(h);
    return rc;
}

static int match_cb(const pt_term *t, void *ctx)
{
    return pt_highlight_term(ctx, t);
}

int pt_highlight(pt_range **ranges, pt_mark_kind **kinds, size_t *n, pt_analyzer *an, const char *text,
                 size_t len, const pt_query_info *info)
{
    pt_highlighter h;
    pt_highlighter_init(&h, info);
    int rc = pt_analyze(an, text, len, 0, match_cb, &h, NULL);
    if (rc) {
        pt_highlighter_free(&h);
        *ranges = NULL;
        *kinds = NULL;
        *n = 0;
        return rc < 0 ? rc : pt_fail(PT_ERROR, "highlighting stopped");
    }
    return pt_highlight_finish(&h, ranges, kinds, n);
}
