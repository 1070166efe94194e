/* article.h — article evidence (issue 15): the candidate articles of a
 * search scored whole for the final query, as BM25 would score each article
 * as one document, from article statistics kept in the index (schema.h:
 * each word's excess, the article count). The binding gives only the
 * primitives (posting lists read skipping forward, term frequencies,
 * metadata); the arithmetic and what is cached across queries are here. */
#ifndef PT_ARTICLE_H
#define PT_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "xapian/xapian_binding.h"

/* What article evidence reads again and again at one commit of the index
 * (each word's term frequency and excess, each article's passages and
 * length), kept across queries; emptied when the reader moves to another
 * commit (ptx_reader_generation) and when it grows large. One per reader,
 * used by one thread at a time. */
typedef struct pt_article_cache pt_article_cache;
int pt_article_cache_new(pt_article_cache **out);
void pt_article_cache_free(pt_article_cache *c); /* NULL-safe */

/* Scores n articles (each named by its article filter term, "A" + key)
 * for q: for each word or synonym group of q (ptx_query_leaves), as q
 * scales it, BM25 with tf summed over the article's passages, the
 * article's length (its passages' lengths summed), df over articles
 * (passages holding the word less its excess, within [1, N]; a synonym's
 * as Xapian estimates an OR's) and N the article count
 * (PT_META_ARTICLE_COUNT, over local shards); a constant part (a title
 * word) adds its weight when a passage has its term. opts gives k1 and b.
 * scores_out[0..n). c may be NULL (nothing cached). */
int pt_article_scores(pt_article_cache *c, ptx_reader *r, const ptx_query *q, const char *const *article_terms,
                      size_t n, const ptx_search_opts *opts, double *scores_out);

/* holds[i] = 1 when passage docids[i] (any order) holds one of
 * terms[0..n_terms) whose skip[k] is 0 (skip may be NULL), else 0: one
 * pass over each term's posting list. */
int pt_article_docs_holding(ptx_reader *r, const uint32_t *docids, size_t n, const char *const *terms,
                            const unsigned char *skip, size_t n_terms, unsigned char *holds);

/* One article's statistics for one word, as pt_article_scores reads them
 * (for tests and checks): its passages, its length, the word's tf, its df
 * over articles (termfreq less excess, unclamped) and the article count. */
typedef struct {
    uint64_t passages, length, tf, df, articles;
} pt_article_stats;
int pt_article_stats_of(ptx_reader *r, const char *article_term, const char *word, pt_article_stats *out);

#endif
