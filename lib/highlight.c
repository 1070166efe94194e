/* highlight.c — byte ranges of a passage's words that match the query,
 * computed from the same analyzer as the index, so what is marked is
 * exactly what matched (stems, compounds and their parts alike). */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

static int in_set(pt_term_set terms, const char *term)
{
    for (size_t i = 0; terms && terms[i]; i++)
        if (strcmp(terms[i], term) == 0)
            return 1;
    return 0;
}

static int push_range(pt_highlighter *h, size_t start, size_t end)
{
    /* Terms arrive in text order, so merging with the last range suffices
     * (a compound comes before its parts and covers them). */
    if (h->n && start <= h->ranges[h->n - 1].end) {
        if (end > h->ranges[h->n - 1].end)
            h->ranges[h->n - 1].end = end;
        return PT_OK;
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        pt_range *r = realloc(h->ranges, cap * sizeof *r);
        if (!r)
            return pt_fail(PT_ENOMEM, "out of memory");
        h->ranges = r;
        h->cap = cap;
    }
    h->ranges[h->n++] = (pt_range){start, end};
    return PT_OK;
}

int pt_highlight_term(pt_highlighter *h, const pt_term *t)
{
    return in_set(h->terms, t->term) ? push_range(h, t->start, t->end) : PT_OK;
}

static int match_cb(const pt_term *t, void *ctx)
{
    return pt_highlight_term(ctx, t);
}

int pt_highlight(pt_range **out, size_t *n_out, pt_analyzer *an, const char *text, size_t len,
                 pt_term_set terms)
{
    pt_highlighter h = {terms, NULL, 0, 0};
    int rc = pt_analyze(an, text, len, 0, match_cb, &h, NULL);
    if (rc) {
        free(h.ranges);
        *out = NULL;
        *n_out = 0;
        return rc < 0 ? rc : pt_fail(PT_ERROR, "highlighting stopped");
    }
    *out = h.ranges;
    *n_out = h.n;
    return PT_OK;
}
