/* walk.c — depth-first directory walk for ptindex. Entries are visited in
 * byte order of their names, so ids and runs are reproducible; the stack of
 * open directories (device, inode) detects symlink loops. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

typedef struct {
    pt_walk_file_cb on_file;
    pt_walk_skip_cb on_skip;
    void *ctx;
    size_t root_len; /* strlen(root) + 1: where rel starts in a path */
    dev_t devs[MAX_DEPTH];
    ino_t inos[MAX_DEPTH];
    int depth;
} walk_state;

static int is_on_stack(const walk_state *w, const struct stat *st)
{
    for (int i = 0; i < w->depth; i++)
        if (w->devs[i] == st->st_dev && w->inos[i] == st->st_ino)
            return 1;
    return 0;
}

static int visit(walk_state *w, const char *path);

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int visit_dir(walk_state *w, const char *path, const struct stat *st)
{
    if (is_on_stack(w, st)) {
        w->on_skip(path, "symlink loop (directory already being visited)", 0, w->ctx);
        return 0;
    }
    if (w->depth == MAX_DEPTH) {
        w->on_skip(path, "directories nested too deep", 1, w->ctx);
        return 0;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, skip_hidden, cmp_names);
    if (n < 0) {
        int err = errno;
        w->on_skip(path, strerror(err), err != ENOENT, w->ctx);
        return 0;
    }
    w->devs[w->depth] = st->st_dev;
    w->inos[w->depth] = st->st_ino;
    w->depth++;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (!rc) {
            size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
            char *child = malloc(len);
            if (child) {
                snprintf(child, len, "%s/%s", path, names[i]->d_name);
                rc = visit(w, child);
                free(child);
            } else {
                w->on_skip(path, "out of memory", 1, w->ctx);
            }
        }
        free(names[i]);
    }
    free(names);
    w->depth--;
    return rc;
}

static int visit(walk_state *w, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int err = errno;
        w->on_skip(path, err == ELOOP ? "symlink loop" : strerror(err), err != ENOENT && err != ELOOP, w->ctx);
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return visit_dir(w, path, &st);
    if (!S_ISREG(st.st_mode)) {
        w->on_skip(path, "not a regular file", 0, w->ctx);
        return 0;
    }
    const char *rel = strlen(path) >= w->root_len ? path + w->root_len : path;
    return w->on_file(path, rel, &st, w->ctx);
}

int pt_walk(const char *root, pt_walk_file_cb on_file, pt_walk_skip_cb on_skip, void *ctx)
{
    walk_state w = {.on_file = on_file, .on_skip = on_skip, .ctx = ctx};
    size_t len = strlen(root);
    while (len > 1 && root[len - 1] == '/')
        len--; /* "corpus/" and "corpus" give the same paths and ids */
    char *top = strndup(root, len);
    if (!top) {
        on_skip(root, "out of memory", 1, ctx);
        return 0;
    }
    struct stat st;
    if (stat(top, &st) == 0 && !S_ISDIR(st.st_mode)) {
        /* A file named on the command line: its id is its basename. */
        const char *slash = strrchr(top, '/');
        w.root_len = slash ? (size_t)(slash - top) + 1 : 0;
    } else {
        w.root_len = strcmp(top, "/") == 0 ? 1 : len + 1;
    }
    int rc = visit(&w, top);
    free(top);
    return rc;
}
