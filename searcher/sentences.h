/* sentences.h — a passage's sentences, for ptsearch's --context. */
#ifndef PT_SENTENCES_H
#define PT_SENTENCES_H

#include <stddef.h>

#include "ptsearch.h"

/* The sentences of p[0..len) as byte ranges in *out (malloc'd, the caller
 * frees it), white space between them left out; returns how many, 0 (and
 * *out NULL) for blank text or when out of memory. */
size_t pt_split_sentences(const char *p, size_t len, pt_range **out);

#endif
