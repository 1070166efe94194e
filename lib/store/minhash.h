/* minhash.h — the signature by which the same passage carried by several
 * outlets (a wire copy, a quote repeated nearly verbatim) is shown once:
 * a MinHash of the passage's word pairs (2-shingles), PT_MINHASH_SLOTS
 * minima of differently seeded hashes, 8 bits of each kept (two unrelated
 * passages then share a slot by chance 1 time in 256, and
 * PT_MINHASH_NEAR slots fewer than once in 10^10 pairs). The share of
 * equal slots estimates the Jaccard similarity of the two passages' word
 * pairs; PT_MINHASH_NEAR or more equal slots make them the same story. */
#ifndef PT_MINHASH_H
#define PT_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#define PT_MINHASH_SLOTS 16
/* Measured on corpus/ passages of 40–120 words: three words changed plus a
 * different headline and a credit line keep 6+ slots equal (1st percentile
 * 10), passages of other articles on the same story share at most 4. */
#define PT_MINHASH_NEAR 6

/* All slots 0 = no signature (a passage too short to tell). */
typedef struct {
    uint8_t slot[PT_MINHASH_SLOTS];
} pt_signature;

typedef struct {
    uint64_t min[PT_MINHASH_SLOTS];
    uint64_t prev; /* hash of the word before */
    size_t words, shingles;
} pt_minhash;

void pt_minhash_init(pt_minhash *mh);
/* Feeds the next word (its stem) of the passage. */
void pt_minhash_add(pt_minhash *mh, const char *word, size_t len);
/* The signature, all 0 for passages of fewer than 10 word pairs. */
void pt_minhash_value(const pt_minhash *mh, pt_signature *out);
/* 1 when a and b are both signatures with PT_MINHASH_NEAR equal slots. */
int pt_signature_near(const pt_signature *a, const pt_signature *b);

/* Groups n ranked signatures: walking in rank order, a signature near an
 * earlier kept one joins it (group[i] = that one's index); otherwise it is
 * kept (group[i] = i) while fewer than max_kept are, else dropped
 * (group[i] = PT_GROUP_DROPPED). Returns the number kept. */
#define PT_GROUP_DROPPED ((size_t)-1)
size_t pt_signature_group(const pt_signature *sigs, size_t n, size_t max_kept, size_t *group);

#endif
