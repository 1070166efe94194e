/* suggest.h — "did you mean": when a query finds little, the same query
 * with each rare or unknown word replaced by a close, much more frequent
 * word of the index's vocabulary, spelled as the articles spell it. */
#ifndef PT_SUGGEST_H
#define PT_SUGGEST_H

#include "analysis/analyzer.h"
#include "query/query.h"
#include "xapian/xapian_binding.h"

/* *out receives the corrected query text (malloc'd, caller frees), or NULL
 * when no word has a better spelling. text[0..len) is the query that info
 * was parsed from. Returns 0 or a negative status. */
int pt_suggest(char **out, pt_analyzer *an, ptx_reader *r, const char *text, size_t len,
               const pt_query_info *info);

/* How the articles spell stem: the word of the best passage holding it
 * (stem itself when none does), into out (cap bytes, cut to fit). Returns
 * 0 or a negative status. */
int pt_surface_form(char *out, size_t cap, pt_analyzer *an, ptx_reader *r, const char *stem);

#endif
