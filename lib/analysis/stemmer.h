/* stemmer.h — Snowball stemming of normalized words: Russian for Cyrillic
 * words, English for the rest; numbers are left alone. A thin wrapper over
 * libstemmer that owns the two stemmers and the output buffer. */
#ifndef PT_STEMMER_H
#define PT_STEMMER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pt_stemmer pt_stemmer;

/* Returns 0, PT_ENOMEM or PT_ERROR (libstemmer lacks a language). Free with
 * pt_stemmer_free (NULL-safe). Not thread-safe: one per thread. */
int pt_stemmer_new(pt_stemmer **out);
void pt_stemmer_free(pt_stemmer *st);

/* Stems word[0..len), already normalized by the tokenizer (lower case, '
 * for apostrophes). cyrillic selects the Russian stemmer. Words made of
 * digits and '.' only are returned unchanged. On success *out points to the
 * NUL-terminated stem (valid until the next call) and *out_len holds its
 * length. Returns 0 or PT_ENOMEM. */
int pt_stemmer_stem(pt_stemmer *st, const char *word, size_t len, bool cyrillic,
                    const char **out, size_t *out_len);

#endif
