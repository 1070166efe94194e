/* feedback.h — pseudo-relevance feedback: a query's best passages are
 * taken as relevant, and the words that set them apart from the rest of
 * the index are added to the query, weighted below the words typed. */
#ifndef PT_FEEDBACK_H
#define PT_FEEDBACK_H

#include <stddef.h>

#include "highlight.h"
#include "xapian_binding.h"

/* Runs q (with the BM25 parameters of xo) for its best passages, one per
 * article, and returns through *out q with their most telling words
 * added, weighted more for a query of more words (n_words: the words
 * typed). Words in exclude (the query's own terms; borrowed), stopwords
 * and numbers are never added. The added words only rank: *out matches
 * the passages q matches. When q finds nothing, *out is a copy of q. The
 * caller frees *out. Returns 0 or a negative status. */
int pt_feedback_expand(ptx_query **out, ptx_reader *r, const ptx_query *q, pt_term_set exclude,
                       size_t n_words, const ptx_search_opts *xo);

#endif
