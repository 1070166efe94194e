/* parallel.h — a full build on several threads. The reading thread hands
 * each article to one of N workers, chosen by its article key, so every
 * version of an id lands in the same part; each worker analyzes its
 * articles into its own part index (pt_index_open_part) and commits it in
 * batches. The source manifest and roots go to one more part, the manifest
 * part, written by the reading thread. pt_index_merge_parts then compacts
 * them all into the index: nothing reaches the index before that, so a
 * build killed on the way leaves it as it was. */
#ifndef PT_PARALLEL_H
#define PT_PARALLEL_H

#include <stddef.h>

#include "ptsearch.h"

typedef struct pt_par pt_par;

typedef struct {
    unsigned long added, updated, unchanged, passages;
} pt_par_counts;

/* Opens the manifest part and `workers` part indexes beside dir and starts one
 * thread per worker. Each commits its part after commit_every articles or
 * commit_bytes of their text, whichever comes first. */
int pt_par_start(pt_par **out, const char *dir, unsigned workers, unsigned long commit_every,
                 size_t commit_bytes);

/* Every worker's part uses from's table of recurring lines (read-only):
 * call before the first pt_par_add. */
void pt_par_share_recurring(pt_par *p, pt_index *from);

/* The manifest part: for the reading thread's source passes and roots. */
pt_index *pt_par_manifest(pt_par *p);

/* Copies the article and queues it for its worker (waits while that
 * worker's queue is full). path names the input, for messages. Fails
 * when a worker failed: *path_out (may be NULL) then names the input of
 * the article that failed, the message is pt_error_last(). */
int pt_par_add(pt_par *p, const char *path, const pt_article *a, const char **path_out);

/* What the workers did so far (for the progress line). */
void pt_par_counts_get(pt_par *p, pt_par_counts *out);

/* Lets the workers add what is queued, commit their parts and stop.
 * Returns a worker's failure as pt_par_add does. */
int pt_par_finish(pt_par *p, const char **path_out);

/* The parts to merge (the manifest part first): valid until pt_par_free. */
pt_index *const *pt_par_parts(pt_par *p, size_t *n_out);

/* Stops the workers if they still run and frees the parts with their
 * directories; NULL-safe. */
void pt_par_free(pt_par *p);

#endif
