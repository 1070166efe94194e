/* tokenizer.h — cuts UTF-8 text into normalized tokens with byte offsets:
 * words of any script, hyphenated compounds and abbreviations (whole form +
 * parts), numbers. Normalization is NFKC + case fold + diacritics stripped
 * (Cyrillic й kept), ’ and ʼ become '. Stemming is not done here.
 * Rules in detail: see the comment at the top of tokenizer.c. */
#ifndef PT_TOKENIZER_H
#define PT_TOKENIZER_H

#include <stddef.h>

/* Normalized tokens longer than this many bytes are cut (at a character
 * boundary) to this length. */
#define PT_TOKEN_MAX_BYTES 64

typedef struct {
    const char *text; /* normalized, NUL-terminated; valid until the next call */
    size_t len;
    size_t start, end; /* byte range [start, end) in the input text */
    unsigned flags;    /* PT_TERM_* of analyzer.h */
} pt_token;

typedef struct pt_tokenizer pt_tokenizer;

/* Returns 0 or PT_ENOMEM. Free with pt_tokenizer_free (NULL-safe). */
int pt_tokenizer_new(pt_tokenizer **out);
void pt_tokenizer_free(pt_tokenizer *tok);

/* Starts on text[0..len); the text must stay alive while tokens are read. */
void pt_tokenizer_reset(pt_tokenizer *tok, const char *text, size_t len);

/* Returns 1 and fills *out, 0 at the end of the text, or PT_ENOMEM. Tokens
 * come in text order; a token flagged PT_TERM_COMPOUND comes right before
 * the first part it covers and takes that part's position, every other
 * token takes the next position. */
int pt_tokenizer_next(pt_tokenizer *tok, pt_token *out);

#endif
