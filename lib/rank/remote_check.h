/* remote_check.h — search, count and explain a query on any reader. The
 * stock xapian-tcpsrv of a remote shard cannot rebuild a positional check
 * (positional.h): there the shards rank a stand-in and the checks run
 * here, on the passages fetched (remote_check.c); elsewhere these are the
 * binding's own search and count. Explanations over shards weigh each
 * part over the passage's article the same way. */
#ifndef PT_REMOTE_CHECK_H
#define PT_REMOTE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "xapian/xapian_binding.h"

/* As ptx_reader_search, ptx_reader_count (same outputs, same order, same
 * weights as over one local index), on any reader. */
int pt_checked_search(ptx_reader *r, const ptx_query *q, const ptx_search_opts *o, ptx_hit_cb cb, void *ctx,
                      uint64_t *estimated_out);
int pt_checked_count(ptx_reader *r, const ptx_query *q, int collapse_slot, uint64_t *docs_out,
                     uint64_t *groups_out);
/* Weighs each additive part of q (ptx_query_parts) for passage docid with
 * the BM25 parameters of o and calls cb for each that matches it, in
 * query order, once every part is weighed (past the deadline: the parts
 * weighed so far). */
int pt_checked_explain(ptx_reader *r, const ptx_query *q, uint32_t docid, const ptx_search_opts *o,
                       ptx_explain_cb cb, void *ctx);

/* The bookkeeping of the checked search, for tests. A passage of the
 * stand-in's ranking (its strings borrowed). */
typedef struct {
    uint32_t docid;
    double weight;
    const char *data, *article, *collapse, *order; /* order: the sort or tie value */
    size_t data_len, article_len, collapse_len, order_len;
} pt_checked_hit;

/* Whether a ranks before b in Xapian's order of a search with o: by the
 * sort value (descending), the weight, the tie value (ascending), the
 * docid. Weights within 1e-12 of each other are equal: a weight taken off
 * can leave the last bit of one of two copies' equal weights apart. */
int pt_ranks_before(const pt_checked_hit *a, const pt_checked_hit *b, const ptx_search_opts *o);
/* Sorts hits[0..n) by pt_ranks_before; 0 or PT_ENOMEM. */
int pt_checked_sort(pt_checked_hit *hits, size_t n, const ptx_search_opts *o);
/* Keeps in place, in order, the hits of ranked hits[0..*n) that Xapian's
 * collapsing keeps (at most o->collapse_max a collapse value; an empty
 * value is never collapsed), *n set to how many; 0 or PT_ENOMEM. */
int pt_checked_collapse(pt_checked_hit *hits, size_t *n, const ptx_search_opts *o);
/* How many of ranked[0..n) are sure of their place: all when the window
 * held the rest of the stand-in's ranking (rest), else those ranking
 * before last, the last passage fetched: nothing further down can rank
 * above it. */
size_t pt_checked_sure(const pt_checked_hit *ranked, size_t n, const pt_checked_hit *last, int rest,
                       const ptx_search_opts *o);
/* The first window of a search wanting want hits; each next is 4 times
 * wider. */
unsigned pt_checked_first_window(unsigned want);
/* The estimate of a search whose ranking is ranked[0..n_ranked), sure of
 * them sure, n_kept of the n_fetched first passages of a stand-in of
 * estimated matches kept (rest: all of them). */
uint64_t pt_checked_estimate(size_t n_ranked, size_t sure, size_t n_kept, size_t n_fetched, uint64_t estimated,
                             int rest);
/* The counts of pt_checked_count from the n_kept passages kept[] of the
 * n_fetched first of the stand-in (estimated matches; rest: all of
 * them): exact when rest, else the stand-in's scaled by the share kept. */
int pt_checked_counts(const pt_checked_hit *kept, size_t n_kept, size_t n_fetched, uint64_t estimated, int rest,
                      int collapse_slot, uint64_t *docs_out, uint64_t *groups_out);

#endif
