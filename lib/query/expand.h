/* expand.h — words related in meaning to a query word, through WordNet
 * (Debian wordnet-base): the other words of its most common senses (close
 * synonyms: conceding, yielding) and its derivationally related forms
 * (concession → concede), then, weighted lower, the synonyms of those forms
 * (concede → cede). Names are never expanded: WordNet spells proper nouns
 * capitalised, and those senses are skipped. Only stems the index holds and
 * that differ from the typed stem are returned. */
#ifndef PT_EXPAND_H
#define PT_EXPAND_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "query/variants.h"
#include "xapian/xapian_binding.h"

#define PT_EXPANSIONS_MAX 12

/* weights[i] is the weight of stems[i] relative to the word typed (< 1). */
typedef struct {
    char stems[PT_EXPANSIONS_MAX][PT_VARIANT_STEM_MAX];
    double weights[PT_EXPANSIONS_MAX];
    size_t n;
} pt_expansions;

/* Finds the expansions of word (normalized, not stemmed; len bytes) whose
 * typed stem is stem, keeping those r holds. out->n is 0 when WordNet's
 * data are not installed, the word is not in it, or r is NULL. Returns 0
 * or a negative status (out of memory). Thread-safe: WordNet's library
 * keeps global state, so its calls are made under one process-wide lock. */
int pt_expansions_find(pt_expansions *out, pt_analyzer *an, ptx_reader *r, const char *word,
                       size_t len, const char *stem);

/* 1 when WordNet's data could be opened. */
int pt_expand_available(void);

#endif
