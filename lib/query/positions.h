/* positions.h — word positions read from a passage's stored text at query
 * time. The index keeps no positions (schema.h): a PHRASE or NEAR is an AND
 * of its parts that checks each candidate passage by analyzing its text
 * again, with the analyzer that indexed it, so the positions are exactly
 * those the indexer would have stored (ptx_query_positional). */
#ifndef PT_POSITIONS_H
#define PT_POSITIONS_H

#include <stddef.h>

#include "xapian/xapian_binding.h"

/* A ptx_postings_fn over passage records (record.h): decodes data[0..len)
 * and calls cb with each term that has a position (every term but
 * compounds, which share the position of their first part and never stand
 * in a phrase), in text order. ctx is the pt_analyzer to analyze with; it
 * must outlive every query built with it. Returns 0, cb's non-zero value,
 * PT_ECORRUPT on a bad record, or PT_ENOMEM. */
int pt_positions_of_passage(const char *data, size_t len, ptx_posting_cb cb, void *cb_ctx, void *ctx);

#endif
