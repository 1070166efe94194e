/* count.c — ptsearch --count: how many matching articles each source or
 * month has, from hits ranked one per article; printed as text (most
 * first, months in order) or as JSON lines. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* One bucket of --count. */
typedef struct {
    char *key; /* NULL: no source / no date */
    uint64_t articles;
} bucket;

static int by_articles(const void *x, const void *y)
{
    const bucket *a = x, *b = y;
    if (a->articles != b->articles)
        return a->articles > b->articles ? -1 : 1;
    return !a->key ? 1 : !b->key ? -1 : strcmp(a->key, b->key);
}

static int by_key(const void *x, const void *y)
{
    const bucket *a = x, *b = y;
    return !a->key ? 1 : !b->key ? -1 : strcmp(a->key, b->key);
}

/* The key of hit for --count: its source, or the YYYY-MM of its date. */
static char *count_key(const pt_hit *hit, pt_count_by by)
{
    if (by == PT_COUNT_SOURCE)
        return hit->source && *hit->source ? strdup(hit->source) : NULL;
    return hit->date && strlen(hit->date) >= 7 ? strndup(hit->date, 7) : NULL;
}

/* Tallies hits into *out (malloc'd buckets, *n of them). */
static int tally(const pt_hits *hits, pt_count_by by, bucket **out, size_t *n)
{
    size_t count = pt_hits_count(hits);
    bucket *b = calloc(count ? count : 1, sizeof *b);
    *out = b;
    *n = 0;
    if (!b)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const pt_hit *hit = pt_hits_get(hits, i);
        char *key = count_key(hit, by);
        if (!key && ((by == PT_COUNT_SOURCE && hit->source && *hit->source) ||
                     (by == PT_COUNT_MONTH && hit->date && strlen(hit->date) >= 7)))
            return -1;
        size_t k = 0;
        while (k < *n && !(key ? b[k].key && strcmp(b[k].key, key) == 0 : !b[k].key))
            k++;
        if (k == *n)
            b[(*n)++].key = key;
        else
            free(key);
        b[k].articles++;
    }
    return 0;
}

static int print_bucket(FILE *out, const pt_output *o, const bucket *b, const char *qid)
{
    const char *field = o->count_by == PT_COUNT_SOURCE ? "source" : "month";
    if (o->format != PT_FORMAT_JSON) {
        fprintf(out, "%7llu  ", (unsigned long long)b->articles);
        pt_put_visible_string(out, b->key ? b->key : o->count_by == PT_COUNT_SOURCE ? "(no source)" : "(no date)");
        fputc('\n', out);
        return 0;
    }
    json_t *obj = json_pack("{s:o,s:I}", field, pt_json_text(b->key), "articles", (json_int_t)b->articles);
    return pt_put_json_line(out, obj, qid);
}

int pt_output_counts(FILE *out, const pt_output *o, const pt_hits *hits, uint64_t matched, const char *qid,
                     const char *query)
{
    pt_output_header(out, o, qid, query);
    bucket *b = NULL;
    size_t n = 0;
    int rc = tally(hits, o->count_by, &b, &n);
    if (!rc)
        qsort(b, n, sizeof *b, o->count_by == PT_COUNT_SOURCE ? by_articles : by_key);
    for (size_t i = 0; !rc && i < n; i++)
        rc = print_bucket(out, o, &b[i], qid);
    if (!rc && o->format != PT_FORMAT_JSON && n) {
        fputs("  (", out);
        pt_put_grouped(out, pt_hits_count(hits));
        fputs(" matching articles", out);
        if (matched > pt_hits_count(hits)) {
            fputs("; counted: the best of about ", out);
            pt_put_grouped(out, matched);
        }
        fputs(")\n", out);
    }
    for (size_t i = 0; b && i < n; i++)
        free(b[i].key);
    free(b);
    return rc;
}
