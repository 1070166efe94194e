/* feedback.c — pseudo-relevance feedback (feedback.h), after RM3: the best
 * PT_FEEDBACK_DOCS passages of q (one per article), each weighted by its
 * score, are the relevant set of pt_feedback_terms (a relevance model
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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
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

/* ---------------------------------------------------- relevance model */

/* One term of one relevant document, and what it adds to the model. */
typedef struct {
    char *term;
    size_t len;
    size_t doc;      /* the document's place among the distinct ones */
    int modelled;    /* the document has a length and the set a weight */
    double share;    /* weight share x wdf / length */
} occurrence;

/* One candidate expansion term. */
typedef struct {
    char *term; /* borrowed from an occurrence */
    size_t len;
    double weight;
} candidate;

/* The relevance model as it is built from the term lists of the best
 * passages, one document after another. */
typedef struct {
    pt_buf occurrences; /* occurrence[] */
    size_t doc;
    double share, length; /* of the document being read: its weight share */
    int modelled;
} model_builder;

static int compare_terms(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

/* By term, then by document: a term's shares add up in document order. */
static int by_term_then_doc(const void *x, const void *y)
{
    const occurrence *a = x, *b = y;
    int c = compare_terms(a->term, a->len, b->term, b->len);
    return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

/* Best first; equal weights in term order. */
static int by_weight(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return compare_terms(a->term, a->len, b->term, b->len);
}

static int note_occurrence(const char *term, size_t len, uint32_t wdf, void *ctx)
{
    model_builder *m = ctx;
    occurrence o = {strndup(term, len), len, m->doc, m->modelled, 0};
    if (m->modelled)
        o.share = m->share * wdf / m->length;
    if (!o.term || pt_buf_append(&m->occurrences, &o, sizeof o)) {
        free(o.term);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    return 0;
}

/* Reads the terms of the distinct documents of docids[0..n) into
 * m->occurrences, each with weights[i] / sum(weights) x wdf / length. */
static int read_documents(ptx_reader *r, const uint32_t *docids, const double *weights, size_t n, model_builder *m)
{
    size_t *distinct = malloc(n * sizeof *distinct), n_distinct = 0;
    if (!distinct)
        return pt_fail(PT_ENOMEM, "out of memory");
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < n_distinct && docids[distinct[j]] != docids[i])
            j++;
        if (j == n_distinct) { /* a document listed twice counts once */
            distinct[n_distinct++] = i;
            sum += weights[i];
        }
    }
    int rc = PT_OK;
    for (size_t k = 0; k < n_distinct && !rc; k++) {
        size_t i = distinct[k];
        uint64_t length = 0;
        rc = ptx_reader_doclength(r, docids[i], &length);
        m->doc = k;
        m->length = (double)length;
        m->modelled = length > 0 && sum > 0;
        m->share = m->modelled ? weights[i] / sum : 0;
        if (!rc)
            rc = ptx_reader_termlist(r, docids[i], note_occurrence, m);
    }
    free(distinct);
    return rc;
}

/* Upper-case prefixed: a filter or title term, never an expansion. */
static int prefixed(const char *term, size_t len)
{
    return len == 0 || (term[0] >= 'A' && term[0] <= 'Z');
}

/* The model's weight of the term of occurrences o[0..n) (one per document
 * holding it), times idf squared: rare words tell the set apart (RM3
 * alone favours common ones; idf to the first power, and Xapian's Bo1 over
 * the unweighted set, gained less on med). 0 when it is left out: a term
 * only the set has finds nothing new and only reorders the set, by how
 * many such words each of its documents happens to have. */
static int sharpened(ptx_reader *r, const occurrence *o, size_t n, double docs, pt_feedback_keep_cb keep, void *ctx,
                     double *out)
{
    *out = 0;
    double model = 0;
    int modelled = 0;
    for (size_t i = 0; i < n; i++) {
        if (o[i].modelled) {
            model += o[i].share;
            modelled = 1;
        }
    }
    if (!modelled || model <= 0 || prefixed(o->term, o->len))
        return PT_OK;
    uint64_t termfreq = 0;
    int rc = ptx_reader_termfreq(r, o->term, &termfreq);
    if (rc || termfreq <= n || (keep && !keep(o->term, o->len, ctx)))
        return rc;
    double idf = log((docs + 1) / ((double)termfreq + 0.5));
    *out = model * idf * idf;
    return PT_OK;
}

/* The candidates of the sorted occurrences o[0..n) into *out (n_out). */
static int weigh_terms(ptx_reader *r, const occurrence *o, size_t n, pt_feedback_keep_cb keep, void *ctx,
                       candidate *out, size_t *n_out)
{
    uint64_t doccount = 0;
    int rc = ptx_reader_doccount(r, &doccount);
    *n_out = 0;
    for (size_t i = 0, j; !rc && i < n; i = j) {
        for (j = i + 1; j < n && compare_terms(o[i].term, o[i].len, o[j].term, o[j].len) == 0; j++)
            ;
        double weight = 0;
        rc = sharpened(r, o + i, j - i, (double)doccount, keep, ctx, &weight);
        if (!rc && weight > 0)
            out[(*n_out)++] = (candidate){o[i].term, o[i].len, weight};
    }
    return rc;
}

int pt_feedback_terms(ptx_reader *r, const uint32_t *docids, const double *weights, size_t n, unsigned max_terms,
                      pt_feedback_keep_cb keep, pt_feedback_term_cb cb, void *ctx)
{
    if (n == 0 || max_terms == 0)
        return PT_OK;
    model_builder m = {PT_BUF_INIT, 0, 0, 0, 0};
    int rc = read_documents(r, docids, weights, n, &m);
    occurrence *o = (occurrence *)m.occurrences.data;
    size_t n_occ = m.occurrences.len / sizeof *o, n_cand = 0;
    candidate *cand = n_occ ? malloc(n_occ * sizeof *cand) : NULL;
    if (!rc && n_occ && !cand)
        rc = pt_fail(PT_ENOMEM, "out of memory");
    if (!rc && n_occ) {
        qsort(o, n_occ, sizeof *o, by_term_then_doc);
        rc = weigh_terms(r, o, n_occ, keep, ctx, cand, &n_cand);
    }
    if (!rc && n_cand)
        qsort(cand, n_cand, sizeof *cand, by_weight);
    for (size_t i = 0; !rc && i < n_cand && i < max_terms; i++)
        rc = cb(cand[i].term, cand[i].len, cand[i].weight, ctx);
    for (size_t i = 0; i < n_occ; i++)
        free(o[i].term);
    pt_buf_free(&m.occurrences);
    free(cand);
    return rc;
}

/* ---------------------------------------------------------- expansion */

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
        return ptx_query_copy(q);
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
    int rc = pt_feedback_terms(r, docids, scores, n_docs, FEEDBACK_TERMS, keep_cb, term_cb, &c);
    double factor = n_words / TYPICAL_WORDS;
    if (!rc)
        rc = scale_terms(&c, pt_tune("feedback", FEEDBACK_WEIGHT) * (factor < MAX_LENGTH_FACTOR ? factor : MAX_LENGTH_FACTOR));
    if (!rc && !(*out = expanded(q, &c, gate)))
        rc = PT_ENOMEM;
    for (size_t i = 0; i < c.n_terms; i++)
        ptx_query_free(c.terms[i]);
    return rc;
}
