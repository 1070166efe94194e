/* watch.c — ptindex --watch: inotify watches on every directory under the
 * roots (added as new directories appear), which files are still being
 * written, and when to run an update pass. A file written to is held
 * until it is closed (IN_CLOSE_WRITE) and then left alone for the settle
 * time: no pass reads half a file. A file moved in is whole (the usual
 * write-then-rename) and read at once. Files inotify did not see written
 * (at the start, after a queue overflow) wait until their mtime is the
 * settle time old. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "ptsearch.h"

#define WATCH_EVENTS (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
                      IN_DELETE_SELF)
#define QUIET_MS 300
#define MAX_BURST_MS 1000
#define MAX_DEPTH 64
/* A file kept open for writing (a log, say) is indexed all the same once
 * it has not changed for this many settle times, and at least a minute. */
#define OPEN_HOLD_SETTLES 60
#define OPEN_HOLD_MIN_MS 60000

typedef struct held_file {
    char *path; /* absolute */
    int writing; /* written to, not closed since */
    long ready_ms; /* when a pass may read it */
    struct held_file *next; /* in its hash bucket */
} held_file;

/* What an event says of a file. */
enum { FILE_WRITTEN, FILE_CLOSED, FILE_MOVED_IN };

struct pt_watch {
    int fd;
    char *const *roots;
    int n_roots;
    long settle_ms;
    char **dirs; /* absolute path of each watch, by its descriptor (the
                  * kernel hands them out in increasing order) */
    size_t n_dirs;
    held_file **held; /* a hash table by path: bulk copies hold many */
    size_t n_held, n_buckets;
    int dirty;          /* a pass is due: files were deleted, moved or the queue overflowed */
    long recheck_at_ms; /* a pass is due then: a held file settles (0: none) */
};

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void recheck_at(pt_watch *w, long when)
{
    if (w->recheck_at_ms == 0 || when < w->recheck_at_ms)
        w->recheck_at_ms = when;
}

/* ------------------------------------------------------------- watches */

static void remember_dir(pt_watch *w, int wd, const char *dir)
{
    if (wd < 0)
        return;
    if ((size_t)wd >= w->n_dirs) {
        size_t n = w->n_dirs ? w->n_dirs : 64;
        while (n <= (size_t)wd)
            n *= 2;
        char **dirs = realloc(w->dirs, n * sizeof *dirs);
        if (!dirs)
            return; /* its events will make passes that judge by mtime */
        memset(dirs + w->n_dirs, 0, (n - w->n_dirs) * sizeof *dirs);
        w->dirs = dirs;
        w->n_dirs = n;
    }
    free(w->dirs[wd]);
    w->dirs[wd] = realpath(dir, NULL);
}

static const char *dir_of(const pt_watch *w, int wd)
{
    return wd >= 0 && (size_t)wd < w->n_dirs ? w->dirs[wd] : NULL;
}

/* Watches dir and every directory below it (depth-limited). */
static void watch_tree(pt_watch *w, const char *dir, int depth)
{
    int wd = depth > MAX_DEPTH ? -1 : inotify_add_watch(w->fd, dir, WATCH_EVENTS | IN_ONLYDIR);
    if (wd < 0)
        return;
    remember_dir(w, wd, dir);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char *path = pt_strdupf("%s/%s", dir, e->d_name);
        struct stat sb;
        if (path && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            watch_tree(w, path, depth + 1);
        free(path);
    }
    if (d)
        closedir(d);
}

/* A file root is watched through its directory. */
static void watch_root(pt_watch *w, const char *root)
{
    struct stat sb;
    if (stat(root, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        watch_tree(w, root, 0);
        return;
    }
    char *copy = strdup(root);
    char *slash = copy ? strrchr(copy, '/') : NULL;
    if (slash)
        *slash = '\0';
    const char *dir = slash ? (*copy ? copy : "/") : ".";
    int wd = copy ? inotify_add_watch(w->fd, dir, WATCH_EVENTS) : -1;
    if (wd >= 0)
        remember_dir(w, wd, dir);
    free(copy);
}

/* ------------------------------------------------------------ held files */

static held_file **bucket_of(const pt_watch *w, const char *path)
{
    return &w->held[pt_hash_bytes(PT_HASH_SEED, path, strlen(path)) % w->n_buckets];
}

/* The link that points at path's entry (at NULL when it has none). */
static held_file **find_link(const pt_watch *w, const char *path)
{
    held_file **link = bucket_of(w, path);
    while (*link && strcmp((*link)->path, path) != 0)
        link = &(*link)->next;
    return link;
}

static held_file *find_held(const pt_watch *w, const char *path)
{
    return w->n_buckets ? *find_link(w, path) : NULL;
}

static void forget_held(pt_watch *w, held_file **link)
{
    held_file *h = *link;
    *link = h->next;
    free(h->path);
    free(h);
    w->n_held--;
}

/* Keeps the chains short: twice the buckets when they hold two each. */
static int grow_buckets(pt_watch *w)
{
    if (w->n_held < 2 * w->n_buckets)
        return 0;
    size_t n = w->n_buckets ? w->n_buckets * 2 : 64;
    held_file **old = w->held, **fresh = calloc(n, sizeof *fresh);
    if (!fresh)
        return w->n_buckets ? 0 : -1; /* longer chains will do */
    size_t n_old = w->n_buckets;
    w->held = fresh;
    w->n_buckets = n;
    for (size_t i = 0; i < n_old; i++) {
        for (held_file *h = old[i], *next; h; h = next) {
            next = h->next;
            held_file **b = bucket_of(w, h->path);
            h->next = *b;
            *b = h;
        }
    }
    free(old);
    return 0;
}

/* Notes an event of the file path (FILE_*). */
static void hold(pt_watch *w, const char *path, int what)
{
    long now = now_ms();
    held_file *h = find_held(w, path);
    if (!h) {
        h = grow_buckets(w) == 0 ? calloc(1, sizeof *h) : NULL;
        if (h && !(h->path = strdup(path))) {
            free(h);
            h = NULL;
        }
        if (!h) {
            w->dirty = 1; /* cannot hold it: a pass will judge it by its mtime */
            return;
        }
        held_file **b = bucket_of(w, path);
        h->next = *b;
        *b = h;
        w->n_held++;
    }
    h->writing = what == FILE_WRITTEN;
    if (what == FILE_WRITTEN) {
        long hold_ms = OPEN_HOLD_SETTLES * w->settle_ms;
        h->ready_ms = now + (hold_ms > OPEN_HOLD_MIN_MS ? hold_ms : OPEN_HOLD_MIN_MS); /* its close comes first */
    } else if (what == FILE_CLOSED) {
        h->ready_ms = now + w->settle_ms;
        recheck_at(w, h->ready_ms);
    } else {
        h->ready_ms = now;
        w->dirty = 1;
    }
}

/* Forgets the files that were ready when the pass began at pass_ms: it
 * read them. */
static void prune_held(pt_watch *w, long pass_ms)
{
    for (size_t i = 0; i < w->n_buckets; i++) {
        for (held_file **link = &w->held[i]; *link;) {
            if ((*link)->ready_ms <= pass_ms)
                forget_held(w, link);
            else
                link = &(*link)->next;
        }
    }
}

int pt_watch_defer(void *ctx, const char *abspath, const struct stat *sb)
{
    pt_watch *w = ctx;
    long now = now_ms();
    const held_file *h = find_held(w, abspath);
    if (h) {
        if (now >= h->ready_ms)
            return 0;
        recheck_at(w, h->ready_ms); /* for a writing file, its IN_CLOSE_WRITE comes first */
        return 1;
    }
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long age = (long)((wall.tv_sec - sb->st_mtim.tv_sec) * 1000 + (wall.tv_nsec - sb->st_mtim.tv_nsec) / 1000000);
    if (age < 0 || age >= w->settle_ms)
        return 0; /* quiet long enough (or dated in the future: no use waiting) */
    recheck_at(w, now + w->settle_ms - age);
    return 1;
}

/* ---------------------------------------------------------------- events */

static void take_event(pt_watch *w, const struct inotify_event *ev, int *new_dir)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        w->dirty = 1; /* events were lost: mtimes will have to do */
        return;
    }
    if (ev->mask & IN_ISDIR) {
        *new_dir |= (ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0;
        w->dirty |= (ev->mask & (IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF)) != 0;
        return;
    }
    const char *dir = dir_of(w, ev->wd);
    char *path = dir && ev->len ? pt_strdupf("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", ev->name) : NULL;
    if (!path) {
        w->dirty = 1;
        return;
    }
    if (ev->mask & (IN_CREATE | IN_MODIFY)) {
        hold(w, path, FILE_WRITTEN);
    } else if (ev->mask & IN_CLOSE_WRITE) {
        hold(w, path, FILE_CLOSED);
    } else if (ev->mask & IN_MOVED_TO) {
        hold(w, path, FILE_MOVED_IN);
    } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
        held_file **link = w->n_buckets ? find_link(w, path) : NULL;
        if (link && *link)
            forget_held(w, link);
        w->dirty = 1;
    }
    free(path);
}

/* Reads the pending events; returns 1 if there were any. A new directory
 * gets its own watches at once, so files created in it are seen. */
static int drain(pt_watch *w)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len = read(w->fd, buf, sizeof buf);
    if (len <= 0)
        return 0;
    int new_dir = 0;
    for (char *p = buf; p < buf + len;) {
        struct inotify_event *ev = (struct inotify_event *)p;
        take_event(w, ev, &new_dir);
        p += sizeof *ev + ev->len;
    }
    for (int i = 0; new_dir && i < w->n_roots; i++)
        watch_root(w, w->roots[i]); /* re-adding a watch is harmless */
    w->dirty |= new_dir;
    return 1;
}

/* ------------------------------------------------------------------ loop */

static int pass_due(const pt_watch *w)
{
    return w->dirty || (w->recheck_at_ms && now_ms() >= w->recheck_at_ms);
}

/* Waits for something to do: at most half a second (so *stop is seen),
 * less when a held file settles sooner. */
static void wait_for_events(pt_watch *w)
{
    long timeout = 500;
    if (w->recheck_at_ms) {
        long until = w->recheck_at_ms - now_ms();
        timeout = until < 0 ? 0 : until < timeout ? until : timeout;
    }
    struct pollfd pfd = {w->fd, POLLIN, 0};
    if (poll(&pfd, 1, (int)timeout) > 0)
        drain(w);
}

/* A burst of changes ends after QUIET_MS without events, or MAX_BURST_MS
 * after it began. */
static void wait_for_quiet(pt_watch *w, volatile sig_atomic_t *stop)
{
    struct pollfd pfd = {w->fd, POLLIN, 0};
    long began = now_ms(), last = began;
    while (!*stop && now_ms() - began < MAX_BURST_MS && now_ms() - last < QUIET_MS)
        if (poll(&pfd, 1, QUIET_MS / 3) > 0 && drain(w))
            last = now_ms();
}

static void watch_free(pt_watch *w)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        free(w->dirs[i]);
    prune_held(w, LONG_MAX);
    free(w->dirs);
    free(w->held);
    close(w->fd);
}

int pt_watch_run(char *const *roots, int n_roots, long settle_ms, volatile sig_atomic_t *stop,
                 int (*on_pass)(pt_watch *w, void *ctx), void *ctx)
{
    pt_watch w = {.roots = roots, .n_roots = n_roots, .settle_ms = settle_ms};
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.fd < 0) {
        fprintf(stderr, "ptindex: cannot watch: %s\n", strerror(errno));
        return -1;
    }
    for (int i = 0; i < n_roots; i++)
        watch_root(&w, roots[i]);
    int rc = on_pass(&w, ctx);
    while (!rc && !*stop) {
        wait_for_events(&w);
        if (!pass_due(&w))
            continue;
        wait_for_quiet(&w, stop);
        w.dirty = 0;
        w.recheck_at_ms = 0; /* the pass sets it again for files still settling */
        long pass_ms = now_ms();
        rc = on_pass(&w, ctx);
        prune_held(&w, pass_ms);
    }
    watch_free(&w);
    return 0;
}
