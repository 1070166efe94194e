/* feedback.c — pseudo-relevance feedback (feedback.h), after RM3: the best
 * PT_FEEDBACK_DOCS passages of q (one per article), each weighted by its
 * score, are the relevant set of ptx_reader_feedback (a relevance model
 * times idf squared; words no other passage has are left out: they only
 * reorder those passages, and cost adi 3% nDCG@10). Its best
 * FEEDBACK_TERMS words are added to q with AND_MAYBE, each scaled by its
 * weight relative to the best one's, times FEEDBACK_WEIGHT for a query of
 * TYPICAL_WORDS words: more for longer queries (up to MAX_LENGTH_FACTOR
 * times), whose own words weigh more, less for shorter ones. pt_search
 * runs it unless the caller leaves out PT_SEARCH_FEEDBACK (in
 * PT_SEARCH_DEFAULT, for the library and ptsearch alike). */
#include "rank/feedback.h"
#include "rank/tune.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "query/query.h"
#include "store/schema.h"

/* Chosen on the judged collections (README, "Ranking"): 3 and more
 * passages, 10 or 20 words, and one weight for every query length all
 * gained less; a cap of 2 on the length factor kept med under its target,
 * 3 costs lisa. */
#define FEEDBACK_TERMS 50
#define FEEDBACK_WEIGHT 0.5
#define TYPICAL_WORDS 8.0
#define MAX_LENGTH_FACTOR 2.5

typedef struct {
    pt_term_set exclude;
    ptx_query *terms[FEEDBACK_TERMS];
    double weights[FEEDBACK_TERMS];
    size_t n_terms;
} feedback_ctx;

/* Not one of the query's terms, a stopword (terms are stems: "veri" is
 * very), or a number. */
static int keep_cb(const char *term, size_t len, void *ctx)
{
    feedback_ctx *c = ctx;
    if (pt_query_is_stopword_stem(term, len) || strspn(term, "0123456789") == len)
        return 0;
    for (size_t i = 0; c->exclude && c->exclude[i]; i++)
        if (strlen(c->exclude[i]) == len && memcmp(c->exclude[i], term, len) == 0)
            return 0;
    return 1;
}

static int term_cb(const char *term, size_t len, double weight, void *ctx)
{
    feedback_ctx *c = ctx;
    if (c->n_terms == FEEDBACK_TERMS) /* not expected: it asked for as many */
        return 0;
    ptx_query *plain = ptx_query_term(term, len, 1, 0);
    char *text = plain ? strndup(term, len) : NULL;
    /* --explain shows it as a feedback word (ptx_query_label) */
    c->terms[c->n_terms] = text ? ptx_query_label(plain, PTX_PART_FEEDBACK, text) : NULL;
    free(text);
    ptx_query_free(plain);
    if (!c->terms[c->n_terms])
        return PT_ENOMEM;
    c->weights[c->n_terms++] = weight;
    return 0;
}

/* Scales each term by factor times its weight relative to the best. */
static int scale_terms(feedback_ctx *c, double factor)
{
    for (size_t i = 0; i < c->n_terms; i++) {
        ptx_query *s = ptx_query_scale(c->terms[i], factor * c->weights[i] / c->weights[0]);
        if (!s)
            return PT_ENOMEM;
        ptx_query_free(c->terms[i]);
        c->terms[i] = s;
    }
    return PT_OK;
}

/* AND_MAYBE(q, OR(terms) FILTER gate), or a copy of q when there are none. */
static ptx_query *expanded(const ptx_query *q, feedback_ctx *c, const ptx_query *gate)
{
    if (c->n_terms == 0)
        return ptx_query_scale(q, 1.0);
    ptx_query *or = ptx_query_combine(PTX_OP_OR, c->terms, c->n_terms, 0);
    ptx_query *filter[2] = {or, (ptx_query *)gate};
    ptx_query *extra = or && gate ? ptx_query_combine(PTX_OP_FILTER, filter, 2, 0) : or;
    if (extra != or)
        ptx_query_free(or);
    if (!extra)
        return NULL;
    ptx_query *parts[2] = {(ptx_query *)q, extra};
    ptx_query *out = ptx_query_combine(PTX_OP_AND_MAYBE, parts, 2, 0);
    ptx_query_free(extra);
    return out;
}

int pt_feedback_expand(ptx_query **out, ptx_reader *r, const ptx_query *q, const uint32_t *docids,
                       const double *scores, size_t n_docs, pt_term_set exclude, size_t n_words,
                       const ptx_query *gate)
{
    *out = NULL;
    feedback_ctx c;
    memset(&c, 0, sizeof c);
    c.exclude = exclude;
    int rc = ptx_reader_feedback(r, docids, scores, n_docs, FEEDBACK_TERMS, keep_cb, term_cb, &c);
    double factor = n_words / TYPICAL_WORDS;
    if (!rc)
        rc = scale_terms(&c, pt_tune("feedback", FEEDBACK_WEIGHT) * (factor < MAX_LENGTH_FACTOR ? factor : MAX_LENGTH_FACTOR));
    if (!rc && !(*out = expanded(q, &c, gate)))
        rc = PT_ENOMEM;
    for (size_t i = 0; i < c.n_terms; i++)
        ptx_query_free(c.terms[i]);
    return rc;
}
