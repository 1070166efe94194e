/* batch.h — runs a file of queries against one open index. */
#ifndef PT_BATCH_H
#define PT_BATCH_H

#include "output.h"
#include "ptsearch.h"

/* ptsearch's exit statuses, as grep's. */
enum { PT_EXIT_FOUND = 0, PT_EXIT_NOTHING = 1, PT_EXIT_ERROR = 2 };

/* Runs every query line of path ("-" = stdin): "query" or "qid<TAB>query";
 * blank lines are skipped. A line that cannot be run is reported as
 * "ptsearch: FILE:LINE: reason" and the rest still run. Returns
 * PT_EXIT_ERROR if any line failed, else PT_EXIT_FOUND when some query
 * found something, else PT_EXIT_NOTHING. */
int pt_run_batch(pt_searcher *s, const char *path, const pt_search_opts *opts, const pt_output *out);

#endif
