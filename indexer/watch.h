/* watch.h — ptindex --watch: waits for files to appear or change under the
 * roots (inotify) and runs an update pass for each burst of changes. */
#ifndef PT_WATCH_H
#define PT_WATCH_H

#include <signal.h>

/* Calls on_burst(ctx) once at the start and then after every burst of
 * changes under roots (a burst ends after 300 ms of quiet, or 1 s after it
 * began), until *stop is set or on_burst returns non-zero. Returns 0, or -1
 * with a message on stderr when watching is impossible. */
int pt_watch(char *const *roots, int n_roots, volatile sig_atomic_t *stop,
             int (*on_burst)(void *ctx), void *ctx);

#endif
