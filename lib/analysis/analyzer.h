/* analyzer.h — the one analyzer that turns UTF-8 text into index terms:
 * tokenize (letters and digits of any script) → normalize (NFKC, case fold,
 * diacritics stripped, ’ = ') → stem (Snowball: English, Russian for
 * Cyrillic words). Articles and queries go through the same functions, so a
 * query term matches exactly the terms the indexer wrote. */
#ifndef PT_ANALYZER_H
#define PT_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

/* Term flags. */
enum {
    /* The whole form of a hyphenated word or abbreviation: "20-point" →
     * "20point", "U.S." → "us". It shares the position of its first part and
     * is never part of a phrase. */
    PT_TERM_COMPOUND = 1u << 0,
    /* One part of a hyphenated word or abbreviation ("20", "point"). Parts
     * have consecutive positions like ordinary words. */
    PT_TERM_PART = 1u << 1,
    /* The original token began with an upper-case letter (a name, usually). */
    PT_TERM_CAPITALIZED = 1u << 2,
    /* The word is in Cyrillic script and was stemmed as Russian. */
    PT_TERM_CYRILLIC = 1u << 3,
    /* The token is made of digits only (after normalization). */
    PT_TERM_NUMERIC = 1u << 4,
};

typedef struct {
    const char *term;   /* stemmed, normalized term, NUL-terminated */
    size_t term_len;
    const char *word;   /* normalized (case-folded) form before stemming */
    size_t word_len;
    uint32_t pos;       /* word position: first_pos, first_pos+1, ... */
    size_t start, end;  /* byte range of the token in the input text */
    unsigned flags;     /* PT_TERM_* */
} pt_term;

/* Called once per term, in text order (a COMPOUND comes right before its
 * first PART). The strings are valid only during the call. Return 0 to go
 * on, anything else to stop: pt_analyze then returns that value. */
typedef int (*pt_term_cb)(const pt_term *term, void *ctx);

typedef struct pt_analyzer pt_analyzer;

/* Creates an analyzer. Returns 0, or PT_ENOMEM / PT_ERROR (message in
 * pt_error_last()). Free with pt_analyzer_free. Not thread-safe: one
 * analyzer per thread. */
int pt_analyzer_new(pt_analyzer **out);

/* NULL-safe. */
void pt_analyzer_free(pt_analyzer *an);

/* Analyzes text[0..len). Invalid UTF-8 bytes are treated as separators
 * (never a crash, never an out-of-bounds read). Positions start at
 * first_pos. Returns 0, the callback's non-zero value, or a negative
 * PT_E* status. *next_pos_out (may be NULL) receives the position after the
 * last word. */
int pt_analyze(pt_analyzer *an, const char *text, size_t len, uint32_t first_pos,
               pt_term_cb cb, void *ctx, uint32_t *next_pos_out);

/* Normalizes and stems one word exactly as pt_analyze would (for query-side
 * helpers that already hold a single word). Writes a NUL-terminated result
 * into buf (size bufsize) and returns its length, or a negative status if it
 * does not fit or the word is empty. */
int pt_analyzer_stem_word(pt_analyzer *an, const char *word, size_t len,
                          char *buf, size_t bufsize);

#endif
