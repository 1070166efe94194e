/* batch.h — runs queries against one open index: a file of them, or the
 * one of the command line, each within its time limit. */
#ifndef PT_BATCH_H
#define PT_BATCH_H

#include "output.h"
#include "ptsearch.h"

/* ptsearch's exit statuses, as grep's. */
enum { PT_EXIT_FOUND = 0, PT_EXIT_NOTHING = 1, PT_EXIT_ERROR = 2 };

/* " (ptindex --rebuild restores it)" after the message of a PT_ECORRUPT
 * status, else "": what a reader of a damaged index can do. */
const char *pt_damage_hint(int rc);

/* Runs one query and prints its hits and suggestion (qid: the batch
 * query's id, else NULL). A failure, or a search stopped at its time
 * limit (its hits are still printed), is reported on stderr as
 * "ptsearch: WHERE: reason" (where NULL: the index dir for a failure to
 * read it, nothing for a bad query). The watchdog (watchdog.h) guards the
 * search. Returns a PT_EXIT_* status. */
int pt_run_query(pt_searcher *s, const pt_search_opts *opts, const pt_output *out, const char *query,
                 const char *qid, const char *where, const char *dir);

/* Runs every query line of path ("-" = stdin): "query" or "qid<TAB>query";
 * blank lines are skipped. A line that cannot be run (or is stopped at the
 * time limit) is reported as "ptsearch: FILE:LINE: reason" and the rest
 * still run. Returns PT_EXIT_ERROR if any line failed, else PT_EXIT_FOUND
 * when some query found something, else PT_EXIT_NOTHING. */
int pt_run_batch(pt_searcher *s, const char *path, const pt_search_opts *opts, const pt_output *out);

#endif
