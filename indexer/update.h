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

/* What a run wrote, as the summary counts it. */
typedef struct {
    unsigned long added, updated, removed, passages;
} pt_written;

typedef struct {
    /* settings */
    const char *index_name;            /* the index as named on the command line, for messages */
    pt_index *index;                   /* with par: the manifest part (sources, roots) */
    pt_par *par;                       /* a parallel build's workers, or NULL */
    int show_progress;
    unsigned shards; /* the index's shard count (0: none), for the messages */
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
    pt_written committed; /* the counts at the last commit that reached the index */
} pt_update;

/* Brings the index up to date for one root (a file, a directory, or "-"
 * for JSON Lines on stdin), without committing the last batch. Problems
 * with inputs are reported and counted; only index errors set u->fatal. */
void pt_update_root(pt_update *u, const char *root);

/* The learning pass over a root before pt_update_root: the new articles
 * of the files that changed teach u->index the lines each source repeats
 * (pt_index_learn); nothing is added and nothing is reported but a
 * failure of the index (u->fatal). Standard input ("-") is not learned. */
void pt_update_learn_root(pt_update *u, const char *root);

/* Commits pending work; sets u->fatal on failure. A commit of the index
 * itself (not of a parallel build's part) records the counts as
 * committed. */
int pt_update_commit(pt_update *u);

/* Takes the counts back to u->committed: after a failure the summary
 * counts only what reached the index. */
void pt_update_keep_committed(pt_update *u);

/* Reports a failure of the index: a full disk or a damaged index names
 * the index (index_name) and says what to do; anything else names what
 * failed (an input, "commit failed"). The message is pt_error_last(). */
void pt_report_index_error(const char *index_name, const char *what, int rc);

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
