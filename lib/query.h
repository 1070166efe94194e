/* query.h — turns the words a user typed into a Xapian query, through the
 * same analyzer as the articles: each word is a term, a hyphenated word or
 * abbreviation matches its whole form or its parts as a phrase, and the
 * words are OR-ed so BM25 ranks passages by how many and how rare. */
#ifndef PT_QUERY_H
#define PT_QUERY_H

#include "analyzer.h"
#include "xapian_binding.h"

/* The distinct terms of a query, for highlighting: a NULL-terminated array
 * of malloc'd strings. */
typedef struct {
    char **terms;
    size_t n, cap;
} pt_query_terms;

/* Builds the query for text. On success *out is a query the caller frees
 * with ptx_query_free, and terms holds every term it can match (free with
 * pt_query_terms_free). PT_EQUERY when text has no searchable word. */
int pt_query_from_text(ptx_query **out, pt_query_terms *terms, pt_analyzer *an, const char *text);

void pt_query_terms_free(pt_query_terms *terms);

#endif
