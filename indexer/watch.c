/* watch.c — inotify watches on every directory under the roots (added as
 * new directories appear), and the burst timing of ptindex --watch. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WATCH_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF)
#define QUIET_MS 300
#define MAX_BURST_MS 1000

/* Watches dir and every directory below it (depth-limited). */
static void watch_tree(int fd, const char *dir, int depth)
{
    if (depth > 64 || inotify_add_watch(fd, dir, WATCH_EVENTS | IN_ONLYDIR) < 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            watch_tree(fd, path, depth + 1);
    }
    closedir(d);
}

/* A file root is watched through its directory. */
static void watch_root(int fd, const char *root)
{
    struct stat sb;
    if (stat(root, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        watch_tree(fd, root, 0);
        return;
    }
    char *copy = strdup(root);
    char *slash = copy ? strrchr(copy, '/') : NULL;
    if (slash)
        *slash = '\0';
    inotify_add_watch(fd, slash ? (*copy ? copy : "/") : ".", WATCH_EVENTS);
    free(copy);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Drains pending events; returns 1 if there were any. A new directory gets
 * its own watches at once, so files created in it are seen. */
static int drain(int fd, char *const *roots, int n_roots)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len = read(fd, buf, sizeof buf);
    if (len <= 0)
        return 0;
    int new_dir = 0;
    for (char *p = buf; p < buf + len;) {
        struct inotify_event *ev = (struct inotify_event *)p;
        new_dir |= (ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR);
        p += sizeof *ev + ev->len;
    }
    for (int i = 0; new_dir && i < n_roots; i++)
        watch_root(fd, roots[i]); /* re-adding a watch is harmless */
    return 1;
}

int pt_watch(char *const *roots, int n_roots, volatile sig_atomic_t *stop,
             int (*on_burst)(void *ctx), void *ctx)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "ptindex: cannot watch: %s\n", strerror(errno));
        return -1;
    }
    for (int i = 0; i < n_roots; i++)
        watch_root(fd, roots[i]);
    int rc = on_burst(ctx);
    while (!rc && !*stop) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 500) <= 0 || !drain(fd, roots, n_roots))
            continue;
        long began = now_ms(), last = began;
        while (!*stop && now_ms() - began < MAX_BURST_MS && now_ms() - last < QUIET_MS) {
            if (poll(&pfd, 1, QUIET_MS / 3) > 0 && drain(fd, roots, n_roots))
                last = now_ms();
        }
        rc = on_burst(ctx);
    }
    close(fd);
    return 0;
}
