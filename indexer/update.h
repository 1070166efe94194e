/* update.h — one incremental pass of ptindex over its roots: new files are
 * read, changed ones read again (their changed articles replaced),
 * unchanged ones not read at all, deleted ones removed; work is committed
 * in batches, each commit a consistent state. */
#ifndef PT_UPDATE_H
#define PT_UPDATE_H

#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "parallel.h"
#include "ptsearch.h"

/* Distinct skip reasons counted separately in the summary. */
#define PT_MAX_REASONS 16

typedef struct {
    char *kind; /* malloc'd; NULL for "other" (freed by pt_update_free) */
    unsigned long count;
} pt_reason_count;

typedef struct {
    /* settings */
    pt_index *index;                   /* with par: the meta part (sources, roots) */
    pt_par *par;                       /* a parallel build's workers, or NULL */
    int show_progress;
    unsigned long commit_every;        /* articles per commit, at most */
    size_t commit_bytes;               /* article text per commit, at most */
    volatile sig_atomic_t *interrupted; /* set by a signal handler: stop soon */
    /* --watch: 1 when a file must not be read yet (still being written);
     * it is then neither read nor taken for deleted. NULL: read all. */
    int (*defer)(void *ctx, const char *abspath, const struct stat *sb);
    void *defer_ctx;
    /* counts of this run */
    unsigned long added, updated, unchanged, removed, passages;
    unsigned long skipped, ignored, warnings, since_commit;
    unsigned long unread; /* of the skipped: inputs that could not be read,
                           * whose indexed articles were kept */
    unsigned long deferred; /* files left for a later pass (defer) */
    size_t bytes_since_commit;
    pt_reason_count reasons[PT_MAX_REASONS];
    struct timespec started, last_progress;
    int fatal; /* sticky first fatal error (a PT_E* status) */
} pt_update;

/* Brings the index up to date for one root (a file, a directory, or "-"
 * for JSON Lines on stdin), without committing the last batch. Problems
 * with inputs are reported and counted; only index errors set u->fatal. */
void pt_update_root(pt_update *u, const char *root);

/* Commits pending work; sets u->fatal on failure. */
int pt_update_commit(pt_update *u);

/* A parallel build: waits for the workers to finish their parts, adds
 * their counts to u's and reports a failure of theirs (u->fatal). */
void pt_update_finish_parts(pt_update *u);

/* "3 added, 1 updated, 2 removed, 21575 unchanged, 123 passages (0.4 s)"
 * and what was skipped, on stderr. */
void pt_update_print_summary(const pt_update *u);

/* Frees what the pass allocated (the skip reasons' kinds). */
void pt_update_free(pt_update *u);

/* Seconds since u->started. */
double pt_update_seconds(const pt_update *u);

#endif
