/* highlight.h — finds the words of a passage that match a query's terms,
 * by analyzing the passage again (bounded: a passage is ≤ ~150 words). */
#ifndef PT_HIGHLIGHT_H
#define PT_HIGHLIGHT_H

#include <stddef.h>

#include "analyzer.h"
#include "ptsearch.h"

/* A set of stemmed terms (the query's); a NULL-terminated array of
 * NUL-terminated strings, borrowed. */
typedef const char *const *pt_term_set;

/* Analyzes text[0..len) and returns through *out a malloc'd array of the
 * byte ranges whose term is in terms, sorted and merged where they touch
 * or overlap; *n_out is their number (0 → *out is NULL). The caller frees
 * *out. Returns 0 or a negative status. */
int pt_highlight(pt_range **out, size_t *n_out, pt_analyzer *an, const char *text, size_t len,
                 pt_term_set terms);

/* The same for a caller that analyzes the passage itself (for more than
 * highlighting): start with {terms} and everything else 0, feed every term
 * of the passage in order with pt_highlight_term (0 or PT_ENOMEM), then
 * take ranges (malloc'd, n of them; the caller frees). */
typedef struct {
    pt_term_set terms;
    pt_range *ranges;
    size_t n, cap;
} pt_highlighter;
int pt_highlight_term(pt_highlighter *h, const pt_term *t);

#endif
