/* walk.h — visits the files under the paths given to ptindex: recursive,
 * in sorted order, following symlinks but never around a loop. */
#ifndef PT_WALK_H
#define PT_WALK_H

#include <sys/stat.h>

/* path: the file as reached from the root; rel: its path relative to the
 * root (the basename when the root is a file itself). Return non-zero to
 * stop the walk; pt_walk then returns that value. */
typedef int (*pt_walk_file_cb)(const char *path, const char *rel, const struct stat *st, void *ctx);

/* Reports a path that cannot be visited (unreadable, vanished, a symlink
 * loop, not a regular file or directory); the walk goes on. unread is 1
 * when what lies at or under path could not be read (permission denied,
 * an I/O error, nesting too deep): the caller must not take the files it
 * did not meet there for deleted. A file that vanished (ENOENT) or a
 * symlink loop gives 0. */
typedef void (*pt_walk_skip_cb)(const char *path, const char *reason, int unread, void *ctx);

int pt_walk(const char *root, pt_walk_file_cb on_file, pt_walk_skip_cb on_skip, void *ctx);

#endif
