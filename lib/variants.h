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

#include "analyzer.h"
#include "xapian_binding.h"

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

/* Edit distance (optimal string alignment, on code points) between a and b,
 * or max + 1 when it exceeds max. */
unsigned pt_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/* Up to cap terms of r's vocabulary within max edits of stem (sharing its
 * first character), closest first, then most frequent; their document
 * frequencies in freqs. */
int pt_near_terms(ptx_reader *r, const char *stem, unsigned max, char (*out)[PT_VARIANT_STEM_MAX],
                  uint64_t *freqs, size_t cap, size_t *n_out);

/* The document frequency below which a word counts as rare in r. */
uint64_t pt_rare_threshold(ptx_reader *r);

#endif
