/* feedback.h — pseudo-relevance feedback: a query's best passages are
 * taken as relevant, and the words that set them apart from the rest of
 * the index are added to the query, weighted below the words typed. */
#ifndef PT_FEEDBACK_H
#define PT_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "rank/highlight.h"
#include "xapian/xapian_binding.h"

/* How many of the best passages (one per article) feedback learns from. */
#define PT_FEEDBACK_DOCS 2

/* Returns through *out q with the most telling words of the passages
 * docids[0..n_docs) (q's best, one per article, ranked by the caller:
 * search.c adds the proximity bonus first; scores[i] > 0 is docids[i]'s
 * score, and a passage counts in proportion to it) added, weighted more for a
 * query of more words (n_words: the words typed). Words in exclude (the
 * query's own terms; borrowed), stopwords and numbers are never added. The
 * added words only rank: *out matches the passages q matches, and they
 * rank only those gate matches (the passages holding a word typed,
 * pt_query_info's typed_any; NULL: all). With no
 * docids, *out is a copy of q. The caller frees *out. Returns 0 or a
 * negative status. */
int pt_feedback_expand(ptx_query **out, ptx_reader *r, const ptx_query *q, const uint32_t *docids,
                       const double *scores, size_t n_docs, pt_term_set exclude, size_t n_words,
                       const ptx_query *gate);

#endif
