/* facets.c — tallies hits ranked one per article into buckets by source
 * or month and orders them (facets.h): sources most first, months in
 * order, the articles without a source or date last. */
#include "facets.h"

#include <stdlib.h>
#include <string.h>

static int by_articles(const void *x, const void *y)
{
    const pt_facet *a = x, *b = y;
    if (a->articles != b->articles)
        return a->articles > b->articles ? -1 : 1;
    return !a->key ? 1 : !b->key ? -1 : strcmp(a->key, b->key);
}

static int by_key(const void *x, const void *y)
{
    const pt_facet *a = x, *b = y;
    return !a->key ? 1 : !b->key ? -1 : strcmp(a->key, b->key);
}

/* The key of hit: its source, or the YYYY-MM of its date. */
static char *count_key(const pt_hit *hit, pt_count_by by)
{
    if (by == PT_COUNT_SOURCE)
        return hit->source && *hit->source ? strdup(hit->source) : NULL;
    return hit->date && strlen(hit->date) >= 7 ? strndup(hit->date, 7) : NULL;
}

/* Tallies hits into *out (malloc'd buckets, *n of them). */
static int tally(const pt_hits *hits, pt_count_by by, pt_facet **out, size_t *n)
{
    size_t count = pt_hits_count(hits);
    pt_facet *b = calloc(count ? count : 1, sizeof *b);
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

int pt_facets_count(const pt_hits *hits, pt_count_by by, pt_facet **out, size_t *n)
{
    if (tally(hits, by, out, n) != 0) {
        pt_facets_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    qsort(*out, *n, sizeof **out, by == PT_COUNT_SOURCE ? by_articles : by_key);
    return 0;
}

void pt_facets_free(pt_facet *facets, size_t n)
{
    for (size_t i = 0; facets && i < n; i++)
        free(facets[i].key);
    free(facets);
}
