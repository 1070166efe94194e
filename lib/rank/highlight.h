/* highlight.h — finds the words of a passage that match a query's terms,
 * by analyzing the passage again (bounded: a passage is ≤ ~150 words),
 * each range with its kind: a word typed, a variant, a related word, or a
 * whole phrase match. */
#ifndef PT_HIGHLIGHT_H
#define PT_HIGHLIGHT_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "ptsearch.h"
#include "query/query.h"

/* A set of stemmed terms (the query's); a NULL-terminated array of
 * NUL-terminated strings, borrowed. */
typedef const char *const *pt_term_set;

/* One marked range and its kind. */
typedef struct {
    size_t start, end;
    pt_mark_kind kind;
} pt_mark;

/* A word of the passage that is word `word` of phrase `phrase`. */
typedef struct {
    size_t phrase, word;
    uint32_t pos;
    size_t start, end;
} pt_phrase_hit;

/* Highlights for a caller that analyzes the passage itself (for more than
 * highlighting): pt_highlighter_init with the query's info (borrowed),
 * feed every term of the passage in order with pt_highlight_term (0 or
 * PT_ENOMEM), then pt_highlight_finish. */
typedef struct {
    const pt_query_info *info;
    pt_mark *marks;
    size_t n, cap;
    pt_phrase_hit *hits;
    size_t n_hits, cap_hits;
} pt_highlighter;
void pt_highlighter_init(pt_highlighter *h, const pt_query_info *info);
int pt_highlight_term(pt_highlighter *h, const pt_term *t);
/* The ranges, sorted and never overlapping: a phrase match is one range
 * from its first word to its last; a word only in phrases is marked only
 * inside its phrase's matches; other words by the kind of their term,
 * merged where they touch or overlap. *ranges and *kinds are malloc'd, n
 * of them (0: both NULL); the caller frees them. Frees what h holds, also
 * on failure (then both NULL). Returns 0 or PT_ENOMEM. */
int pt_highlight_finish(pt_highlighter *h, pt_range **ranges, pt_mark_kind **kinds, size_t *n);
void pt_highlighter_free(pt_highlighter *h); /* what pt_highlight_finish did not free */

/* Analyzes text[0..len) and marks it as pt_highlight_finish says. */
int pt_highlight(pt_range **ranges, pt_mark_kind **kinds, size_t *n, pt_analyzer *an, const char *text,
                 size_t len, const pt_query_info *info);

#endif
