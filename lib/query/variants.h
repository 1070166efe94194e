/* variants.h — other spellings of a query word that the index holds: name
 * transliterations by rule (Zelensky/Zelenskiy/Zelenskyy, Luhansk/Lugansk,
 * Kharkiv/Kharkov, Donbas/Donbass), a small table for what rules cannot
 * catch (Kyiv/Kiev), number words and digits (five/5), and, for rare
 * capitalised words, terms of the index's vocabulary within edit distance
 * 1–2. Only stems the index actually holds are returned. */
#ifndef PT_VARIANTS_H
#define PT_VARIANTS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analyzer.h"
#include "xapian/xapian_binding.h"

#define PT_VARIANTS_MAX 8
#define PT_VARIANT_STEM_MAX 256

/* The stems found, distinct, none equal to the typed stem. */
typedef struct {
    char stems[PT_VARIANTS_MAX][PT_VARIANT_STEM_MAX];
    size_t n;
} pt_variants;

/* Flags describing the typed word. */
enum {
    PT_VARIANT_NAME = 1u << 0, /* typed capitalised (not all capitals): a name */
};

/* Finds the variants of word (normalized, not stemmed; word_len bytes)
 * whose stem differs from stem. r is the index whose vocabulary decides
 * (NULL: none found). Returns 0 or a negative status. */
int pt_variants_find(pt_variants *out, pt_analyzer *an, ptx_reader *r, const char *word,
                     size_t word_len, const char *stem, unsigned flags);

/* Which terms of the vocabulary the edit-distance step of pt_variants_find
 * offers (for rare capitalised words): those within 1 edit of a stem of
 * min_len letters or more, 2 from min_len_two, whose edits are all of the
 * kinds (PT_EDIT_* bits below). */
typedef struct {
    unsigned kinds; /* 0: no edit-distance step */
    size_t min_len, min_len_two;
} pt_edit_policy;

/* pt_variants_find with another edit-distance policy than the default
 * (PT_EDIT_POLICY in variants.c), for bench/variant_eval. */
int pt_variants_find_policy(pt_variants *out, pt_analyzer *an, ptx_reader *r, const char *word,
                            size_t word_len, const char *stem, unsigned flags, const pt_edit_policy *policy);

/* The policy pt_variants_find applies. */
pt_edit_policy pt_edit_policy_default(void);

/* Edit distance (optimal string alignment, on code points) between a and b,
 * or max + 1 when it exceeds max. */
unsigned pt_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/* Up to cap terms of r's vocabulary within max edits of stem (sharing its
 * first character), closest first, then most frequent; their document
 * frequencies in freqs. */
int pt_near_terms(ptx_reader *r, const char *stem, unsigned max, char (*out)[PT_VARIANT_STEM_MAX],
                  uint64_t *freqs, size_t cap, size_t *n_out);

/* Kinds of single edits, as pt_edit_classes tells them apart. */
enum {
    PT_EDIT_VOWEL = 1u << 0,     /* one vowel (or y) for another: zelensk/zelinsk */
    PT_EDIT_PHONETIC = 1u << 1,  /* a consonant for one that sounds alike: c/k, k/q, s/z, f/v, j/y */
    PT_EDIT_CONSONANT = 1u << 2, /* any other substitution: sudan/susan */
    PT_EDIT_DOUBLE = 1u << 3,    /* a letter doubled or undoubled: patton/paton */
    PT_EDIT_H = 1u << 4,         /* an h added or dropped: teresa/theresa */
    PT_EDIT_END = 1u << 5,       /* a letter added or dropped at the end: paul/paula */
    PT_EDIT_INDEL = 1u << 6,     /* any other letter added or dropped: macon/macron */
    PT_EDIT_SWAP = 1u << 7,      /* two neighbours swapped: castor/castro */
    PT_EDIT_ALL = (1u << 8) - 1,
};

/* The kinds of the edits (PT_EDIT_*) of one cheapest alignment of a and b
 * (code points; words of up to 64), 0 when they are equal. */
unsigned pt_edit_classes(const char *a, size_t alen, const char *b, size_t blen);

/* pt_near_terms keeping only the terms whose edits are all of the kinds in
 * allowed (PT_EDIT_* bits). */
int pt_near_terms_of(ptx_reader *r, const char *stem, unsigned max, unsigned allowed,
                     char (*out)[PT_VARIANT_STEM_MAX], uint64_t *freqs, size_t cap, size_t *n_out);

/* The document frequency below which a word counts as rare in r. */
uint64_t pt_rare_threshold(ptx_reader *r);

#endif
