/* title_boost.h — ranks passages of articles whose title has a word typed
 * above the others: each typed word found in a title adds a constant,
 * larger for rarer title words, to every passage of that article. */
#ifndef PT_TITLE_BOOST_H
#define PT_TITLE_BOOST_H

#include "query/query.h"
#include "xapian/xapian_binding.h"

/* Replaces *q by q with a title part for each of info's typed words that
 * some title of r has. The part only ranks: the new query matches the
 * passages q matches. *q is unchanged when no typed word is in a title.
 * Returns 0 or a negative status. */
int pt_title_boost(ptx_query **q, ptx_reader *r, const pt_query_info *info);

#endif
