/* pool.h — ptserve's open readers of the index: a request borrows one
 * pt_searcher (one Xapian reader), uses it on its own thread alone, and
 * gives it back. Readers are opened as requests need them, so the index
 * may appear (or come back) after ptserve started. */
#ifndef PT_SERVE_POOL_H
#define PT_SERVE_POOL_H

#include "ptsearch.h"

typedef struct pt_pool pt_pool;

/* A pool over the index at dir, keeping at most max_idle readers open
 * between requests. NULL: no memory. */
pt_pool *pt_pool_new(const char *dir, unsigned max_idle);
void pt_pool_free(pt_pool *pool); /* NULL-safe; every reader given back */

/* An idle reader, or a newly opened one. Returns 0, or the status of
 * pt_searcher_open (PT_ENOTFOUND: no index yet; message in
 * pt_error_last()). */
int pt_pool_borrow(pt_pool *pool, pt_searcher **out);

/* Gives s back after a request whose library status was status: a reader
 * that met a damaged or missing index is closed rather than kept (the
 * next request opens the index afresh: ptindex --rebuild replaces it). */
void pt_pool_give_back(pt_pool *pool, pt_searcher *s, int status);

#endif
