/* facets.h — how many matching articles each source or month has, from
 * hits ranked one per article: `ptsearch --count` prints them (count.c),
 * ptserve answers them as the facets of a search. */
#ifndef PT_FACETS_H
#define PT_FACETS_H

#include <stddef.h>
#include <stdint.h>

#include "ptsearch.h"

/* What the matching articles are counted by (none: hits shown). */
typedef enum { PT_COUNT_NONE, PT_COUNT_SOURCE, PT_COUNT_MONTH } pt_count_by;

typedef struct {
    char *key; /* the source, or YYYY-MM; NULL: no source / no date */
    uint64_t articles;
} pt_facet;

/* Tallies hits (one per article) by source, most first, or by month, in
 * order; the bucket without a key last. *out is malloc'd, *n long; free
 * it with pt_facets_free. Returns 0 or -1 (no memory). */
int pt_facets_count(const pt_hits *hits, pt_count_by by, pt_facet **out, size_t *n);
void pt_facets_free(pt_facet *facets, size_t n);

#endif
