/* minhash.c — MinHash over word pairs (see minhash.h). One 64-bit hash per
 * pair (FNV-1a of the two words' hashes), re-mixed with a seed per slot;
 * each slot keeps the minimum over the passage. */
#include "store/minhash.h"

#include <string.h>

#include "ptsearch.h"

#define MIN_SHINGLES 10

/* splitmix64's finalizer: a seeded re-hash per slot. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void pt_minhash_init(pt_minhash *mh)
{
    memset(mh, 0, sizeof *mh);
    for (int i = 0; i < PT_MINHASH_SLOTS; i++)
        mh->min[i] = UINT64_MAX;
}

void pt_minhash_add(pt_minhash *mh, const char *word, size_t len)
{
    uint64_t h = pt_hash_bytes(PT_HASH_SEED, word, len);
    if (mh->words++ > 0) {
        uint64_t pair = pt_hash_bytes(mh->prev, &h, sizeof h);
        for (int i = 0; i < PT_MINHASH_SLOTS; i++) {
            uint64_t v = mix(pair + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1));
            if (v < mh->min[i])
                mh->min[i] = v;
        }
        mh->shingles++;
    }
    mh->prev = h;
}

void pt_minhash_value(const pt_minhash *mh, pt_signature *out)
{
    memset(out, 0, sizeof *out);
    if (mh->shingles < MIN_SHINGLES)
        return;
    int any = 0;
    for (int i = 0; i < PT_MINHASH_SLOTS; i++)
        /* The low byte: the top bits of a minimum are mostly 0. */
        any |= (out->slot[i] = (uint8_t)mh->min[i]) != 0;
    if (!any)
        out->slot[0] = 1; /* all 0 means "none" */
}

static int is_signature(const pt_signature *s)
{
    for (int i = 0; i < PT_MINHASH_SLOTS; i++)
        if (s->slot[i])
            return 1;
    return 0;
}

int pt_signature_near(const pt_signature *a, const pt_signature *b)
{
    if (!is_signature(a) || !is_signature(b))
        return 0;
    int equal = 0;
    for (int i = 0; i < PT_MINHASH_SLOTS; i++)
        equal += a->slot[i] == b->slot[i];
    return equal >= PT_MINHASH_NEAR;
}

size_t pt_signature_group(const pt_signature *sigs, size_t n, size_t max_kept, size_t *group)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        group[i] = PT_GROUP_DROPPED;
        for (size_t j = 0; j < i && group[i] == PT_GROUP_DROPPED; j++)
            if (group[j] == j && pt_signature_near(&sigs[i], &sigs[j]))
                group[i] = j;
        if (group[i] == PT_GROUP_DROPPED && kept < max_kept) {
            group[i] = i;
            kept++;
        }
    }
    return kept;
}
