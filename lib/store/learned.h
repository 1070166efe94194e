/* learned.h — the articles a writer's table of recurring lines counts
 * while they may not be indexed yet. ptindex learns every new article of
 * a run before indexing it, and each commit stores the table whole: a
 * run killed after its first commit leaves counts for articles the index
 * lacks, and the rerun, which learns what is not indexed, would count
 * them again. So the commit that stores the table also stores this set
 * (PT_META_LEARNED, hashes of article keys), and learning skips what it
 * holds. Entries of indexed articles are harmless and pruned as they go. */
#ifndef PT_LEARNED_H
#define PT_LEARNED_H

#include <stddef.h>
#include <stdint.h>

typedef struct pt_index pt_index;

typedef struct {
    uint64_t *stored; /* sorted: the set as read from the index, or last written */
    size_t n_stored;
    int loaded;
    uint64_t *added; /* learned by this writer since the set was written */
    size_t n_added, cap_added;
    uint64_t *indexed; /* added to the index by this writer since then */
    size_t n_indexed, cap_indexed;
} pt_learned;

/* Is the article with this key (pt_article_key) counted by the stored
 * table? Reads the set the first time. 0 or a status. */
int pt_learned_counted(pt_index *ix, const char *key, int *counted);

/* The article with this key was learned now / added to the index now. */
int pt_learned_note_learned(pt_index *ix, const char *key);
int pt_learned_note_indexed(pt_index *ix, const char *key);

/* Writes the set for the coming commit when it changed enough: always
 * after new learning (the table is stored with it), else once a quarter
 * of it is indexed (so pruning costs a bounded share of the commits). */
int pt_learned_store(pt_index *ix);

/* A parallel build's parts are merged into dir (a compacted copy of ix
 * and its parts, not yet in place): the set ix stored before the parts
 * ran is written there without the articles dir holds. */
int pt_learned_prune_merged(pt_index *ix, const char *dir);

void pt_learned_free(pt_learned *l);

#endif
