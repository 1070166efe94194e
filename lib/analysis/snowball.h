/* snowball.h — the two Snowball stemmers ptsearch uses (English, Russian),
 * behind one small interface so stemmer.c does not care how they are
 * linked. With PT_SNOWBALL_DIRECT (set by CMake when its configure-time
 * check passes) they are the generated stemmers inside Debian's
 * libstemmer.a, called directly; else libstemmer's public API. Why:
 * sb_stemmer_new() finds a language in a table that links all of
 * libstemmer's stemmers, and as a shared library those tables need 10,821
 * relocations at every process start: 88 of the 273 page faults of
 * `ptindex --help`, 2.7 of its 10 ms of CPU. */
#ifndef PT_SNOWBALL_H
#define PT_SNOWBALL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pt_snowball pt_snowball;

/* The Russian stemmer when cyrillic, else the English one; NULL when out
 * of memory. Free with pt_snowball_free (NULL-safe). */
pt_snowball *pt_snowball_new(bool cyrillic);
void pt_snowball_free(pt_snowball *s);

/* Stems the UTF-8 word[0..len). Returns the stem, NUL-terminated, owned by
 * s and valid until its next call, with its length in *out_len; NULL when
 * out of memory. */
const char *pt_snowball_stem(pt_snowball *s, const char *word, size_t len, size_t *out_len);

#endif
