/* bm25.h — BM25 as ptsearch weighs with it, in one place: Xapian 1.4's
 * BM25Weight with the constants below (the binding hands them to Xapian),
 * and the same formula in C for what Xapian does not weigh itself (the
 * proximity bonus, search.c). k1 and b come from ptx_search_opts. */
#ifndef PT_BM25_H
#define PT_BM25_H

#include <math.h>

/* BM25Weight(k1, PT_BM25_K2, PT_BM25_K3, b, PT_BM25_MIN_NORMLEN): no
 * query-length correction (k2 0), a word typed once weighs once (k3 1;
 * query.c saturates repeated words itself), and a passage shorter than half
 * the average counts as half as long. */
#define PT_BM25_K2 0.0
#define PT_BM25_K3 1.0
#define PT_BM25_MIN_NORMLEN 0.5

/* Xapian 1.4's BM25Weight::init for a term of the query (wqf 1, no
 * relevance set): the idf part, times k1 + 1. termfreq documents of
 * doccount hold the term. */
static inline double pt_bm25_termweight(double termfreq, double doccount, double k1)
{
    double tw = (doccount - termfreq + 0.5) / (termfreq + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1; /* Xapian's floor for terms in over a third of the documents */
    return log(tw) * (k1 + 1);
}

/* The term's weight in one document: termweight (above) times its tf part,
 * for wdf occurrences in a document of normlen = length / average length. */
static inline double pt_bm25_weight(double termweight, double wdf, double normlen, double k1, double b)
{
    if (normlen < PT_BM25_MIN_NORMLEN)
        normlen = PT_BM25_MIN_NORMLEN;
    double denom = k1 * (normlen * b + (1 - b)) + wdf;
    return termweight * (wdf / denom);
}

#endif
