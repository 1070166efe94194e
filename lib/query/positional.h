/* positional.h — PHRASE and NEAR over an index without positions
 * (schema.h): the AND of the parts, each candidate passage kept when the
 * positions of its words (read from its text, positions.h) satisfy the
 * operator, with Xapian 1.4's semantics. The binding only hands each
 * candidate to the check (ptx_query_positional); the matching is here. */
#ifndef PT_POSITIONAL_H
#define PT_POSITIONAL_H

#include <stddef.h>
#include <stdint.h>

#include "query/positions.h"
#include "xapian/xapian_binding.h"

/* One part of a query (its index) at one position of a passage. */
typedef struct {
    uint32_t pos;
    uint32_t part;
} pt_position;

/* The matchers: ps[0..n) are the positions of parts 0..n_parts-1 in a
 * passage, ascending by pos (a part may be at several positions, and with
 * a word in two parts, two parts at one position). Each returns 1 when
 * they match, 0 when not, or PT_ENOMEM.
 *
 * PHRASE: one position per part, in part order, each after the one
 * before, the last fewer than window positions after the first. */
int pt_phrase_matches(const pt_position *ps, size_t n, size_t n_parts, unsigned window);
/* NEAR: one distinct position per part, in any order, all within window
 * positions (max - min < window). */
int pt_near_matches(const pt_position *ps, size_t n, size_t n_parts, unsigned window);

/* op (PTX_OP_PHRASE or PTX_OP_NEAR, else NULL with PT_EINVAL) over
 * parts[0..n) (n >= 2), each a term or an OR/SYNONYM of terms, at a
 * position when any of its terms is; window 0 = n. A candidate's positions
 * come from fn(record, len, cb, cb_ctx, ctx) (pt_positions_of_passage with
 * its analyzer, say); ctx must outlive the query. unless (may be NULL) is
 * a term whose passages are never candidates. The weight is the AND's, as
 * Xapian's PHRASE and NEAR weigh. A query is checked by one thread at a
 * time (as its analyzer is used). NULL on failure (pt_error_last()). */
ptx_query *pt_positional_query(enum ptx_op op, ptx_query *const *parts, size_t n, unsigned window,
                               const char *unless, pt_postings_fn fn, void *ctx);

#endif
