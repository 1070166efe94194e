/* stemmer.c — owns the Snowball stemmers (English, Russian; snowball.h)
 * and a copy buffer for the stem, so a stem outlives the next Snowball
 * call on the other language. English Snowball strips the possessive "'s" itself, so
 * "ukraine's" and "ukraine" both give "ukrain". A direct-mapped cache of
 * recent words keeps Snowball (the dearest step of the analyzer) for the
 * words it has not seen lately: text is mostly a few thousand words, and
 * the searcher analyzes passages again for phrases (positions.h). */
#include "analysis/stemmer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "ptsearch.h"
#include "analysis/snowball.h"

/* Stems are no longer than the (cut) tokens they come from; this is
 * generous and checked anyway. */
#define STEM_MAX 256

/* Cache: CACHE_SLOTS entries (a power of two) of words and stems shorter
 * than CACHE_WORD bytes; longer words are stemmed every time. */
#define CACHE_SLOTS 8192
#define CACHE_WORD 24

typedef struct {
    unsigned char word_len; /* 0: empty */
    unsigned char stem_len;
    unsigned char cyrillic;
    char word[CACHE_WORD];
    char stem[CACHE_WORD]; /* NUL-terminated */
} cache_slot;

struct pt_stemmer {
    pt_snowball *english;
    pt_snowball *russian;
    char stem[STEM_MAX];
    cache_slot cache[CACHE_SLOTS];
};

int pt_stemmer_new(pt_stemmer **out)
{
    *out = NULL;
    pt_stemmer *st = calloc(1, sizeof *st);
    if (!st)
        return pt_fail(PT_ENOMEM, "stemmer: out of memory");
    st->english = pt_snowball_new(false);
    st->russian = pt_snowball_new(true);
    if (!st->english || !st->russian) {
        pt_stemmer_free(st);
        return pt_fail(PT_ENOMEM, "stemmer: out of memory");
    }
    *out = st;
    return PT_OK;
}

void pt_stemmer_free(pt_stemmer *st)
{
    if (!st)
        return;
    pt_snowball_free(st->english);
    pt_snowball_free(st->russian);
    free(st);
}

/* "2025", "3.5": stemming could only damage them ("1990s" is not one). */
static bool is_number(const char *word, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((word[i] < '0' || word[i] > '9') && word[i] != '.')
            return false;
    }
    return true;
}

static void keep(pt_stemmer *st, const char *s, size_t len, const char **out,
                 size_t *out_len)
{
    if (len >= STEM_MAX)
        len = STEM_MAX - 1; /* cannot happen with tokenizer input */
    memmove(st->stem, s, len);
    st->stem[len] = '\0';
    *out = st->stem;
    *out_len = len;
}

static cache_slot *cache_slot_of(pt_stemmer *st, const char *word, size_t len, bool cyrillic)
{
    uint64_t h = pt_hash_bytes(PT_HASH_SEED ^ (uint64_t)cyrillic, word, len);
    return &st->cache[(h ^ (h >> 15)) & (CACHE_SLOTS - 1)];
}

int pt_stemmer_stem(pt_stemmer *st, const char *word, size_t len, bool cyrillic,
                    const char **out, size_t *out_len)
{
    if (len == 0 || is_number(word, len)) {
        keep(st, word, len, out, out_len);
        return PT_OK;
    }
    cache_slot *slot = len < CACHE_WORD ? cache_slot_of(st, word, len, cyrillic) : NULL;
    if (slot && slot->word_len == len && slot->cyrillic == cyrillic && memcmp(slot->word, word, len) == 0) {
        *out = slot->stem;
        *out_len = slot->stem_len;
        return PT_OK;
    }
    size_t stem_len = 0;
    const char *stem = pt_snowball_stem(cyrillic ? st->russian : st->english, word, len, &stem_len);
    if (!stem)
        return pt_fail(PT_ENOMEM, "stemmer: out of memory");
    if (stem_len == 0) { /* "''s": all possessive; Xapian takes no empty term */
        stem = word;
        stem_len = len;
    }
    keep(st, stem, stem_len, out, out_len);
    if (slot && *out_len < CACHE_WORD) {
        memcpy(slot->word, word, len);
        slot->word_len = (unsigned char)len;
        slot->cyrillic = cyrillic;
        memcpy(slot->stem, *out, *out_len + 1);
        slot->stem_len = (unsigned char)*out_len;
    }
    return PT_OK;
}
