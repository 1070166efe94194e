/* watch.h — ptindex --watch: waits for files to appear, change or go
 * under the roots (inotify) and runs an update pass when some did, never
 * reading a file that is still being written. */
#ifndef PT_WATCH_H
#define PT_WATCH_H

#include <signal.h>
#include <sys/stat.h>

typedef struct pt_watch pt_watch;

/* Calls on_pass(w, ctx) once at the start and then whenever a pass has
 * work: files deleted or moved (after a burst of changes: 300 ms of quiet,
 * or 1 s after it began), or a file written to that has settled — closed
 * and then left alone for settle_ms. Runs until *stop is set or on_pass
 * returns non-zero. Returns 0, or -1 with a message on stderr when
 * watching is impossible. */
int pt_watch_run(char *const *roots, int n_roots, long settle_ms, volatile sig_atomic_t *stop,
                 int (*on_pass)(pt_watch *w, void *ctx), void *ctx);

/* For the pass: 1 when the file at abspath (with its stat sb) must not be
 * read yet — still open for writing, or changed less than settle_ms ago
 * (a file inotify did not see written: by its mtime) — and a later pass
 * is scheduled for it; 0 when it may be read. ctx is the pt_watch. */
int pt_watch_defer(void *ctx, const char *abspath, const struct stat *sb);

#endif
