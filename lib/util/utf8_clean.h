/* utf8_clean.h — repairs text before it is indexed: invalid UTF-8 bytes
 * become U+FFFD, NUL bytes become spaces, so the index (and the JSON
 * ptsearch prints) only ever holds valid UTF-8. */
#ifndef PT_UTF8_CLEAN_H
#define PT_UTF8_CLEAN_H

#include <stddef.h>

typedef struct {
    size_t invalid; /* invalid bytes replaced by U+FFFD */
    size_t nul;     /* NUL bytes replaced by spaces */
} pt_utf8_repairs;

/* Repairs text[0..*len) in place when it is already valid (the common
 * case: no allocation; NUL bytes become spaces where they are), else into
 * a new malloc'd buffer that replaces *text (the old one is freed). *text
 * stays NUL-terminated: the byte (*text)[*len] is left alone in place and
 * written in a new buffer. Returns 0 or PT_ENOMEM (text unchanged).
 * *repairs (may be NULL) counts what changed.
 *
 * Validation is strict (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Each maximal invalid subpart (Unicode §3.9, as browsers do)
 * becomes one U+FFFD: a truncated "E2 82" is one, but "C0 80", "ED A0 80"
 * and "F4 90 80 80" are one per byte. repairs->invalid counts the bytes
 * replaced, not the U+FFFDs written. */
int pt_utf8_repair(char **text, size_t *len, pt_utf8_repairs *repairs);

/* Non-zero when s[0..len) is valid UTF-8 without NUL bytes. */
int pt_utf8_is_clean(const char *s, size_t len);

#endif
