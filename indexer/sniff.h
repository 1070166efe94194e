/* sniff.h — what the first bytes of an input say about it: its encoding
 * (a byte-order mark, or the zero bytes of UTF-16 without one) and whether
 * it is binary (a known signature, or too many control bytes, NULs or
 * invalid UTF-8 to be text). Pure functions over a sample; input.c
 * applies them to the start of each input. */
#ifndef PT_SNIFF_H
#define PT_SNIFF_H

#include <stddef.h>

typedef enum {
    PT_ENC_UTF8,    /* UTF-8, or anything that is not UTF-16 */
    PT_ENC_UTF16LE,
    PT_ENC_UTF16BE,
} pt_encoding;

/* The encoding of an input that starts with s[0..n), and through *bom_len
 * the length of its byte-order mark (0 when it has none). UTF-16 without
 * a mark is recognised when nearly every pair of bytes has a zero in the
 * same place, as Latin-script UTF-16 has; "FF FE 00 00" is UTF-32 and is
 * not UTF-16. */
pt_encoding pt_sniff_encoding(const unsigned char *s, size_t n, size_t *bom_len);

/* NULL when s[0..n), the start of an input already decoded to UTF-8,
 * looks like text; else why not ("a PNG image", "invalid UTF-8"). Binary:
 * a known signature; or more than a quarter NUL bytes; or,
 * among the other bytes, more than 10% control bytes other than
 * \t \n \r \f \v and ESC, or more than 30% not valid UTF-8. A few NULs
 * scattered in text leave it text. */
const char *pt_sniff_binary(const unsigned char *s, size_t n);

#endif
