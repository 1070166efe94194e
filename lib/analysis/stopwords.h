/* stopwords.h — the stopword table (English and Russian) that the query
 * drops outside phrases and feedback never picks. */
#ifndef PT_STOPWORDS_H
#define PT_STOPWORDS_H

#include <stddef.h>

/* 1 when word (normalized, len bytes) is a stopword. */
int pt_query_is_stopword(const char *word, size_t len);

/* 1 when stem (len bytes) is a stopword's stem, as the index holds it:
 * "veri" (very), "befor", "yourselv" (yourselves), "the". Thread-safe. */
int pt_query_is_stopword_stem(const char *stem, size_t len);

#endif
