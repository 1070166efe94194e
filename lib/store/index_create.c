/* index_create.c — whole-directory changes appear whole or not at all:
 * creating an index, and compacting one.
 *
 * Xapian's glass backend writes a new database's tables before its version
 * file (iamglass). A kill -9 between the two leaves a directory that Xapian
 * will neither open nor create over ("Failed to open glass revision file"),
 * and every later ptindex run fails. So a new index is created, with its
 * schema, committed in a sibling DIR.new-PID and renamed into place: DIR is
 * either absent or a committed index. Leftovers of a killed creation,
 * rebuild, compaction or parallel build (siblings whose process is gone,
 * nested ones included) are removed here too.
 * Compaction writes a compact copy to DIR.compact-PID and exchanges it with
 * DIR in one renameat2(RENAME_EXCHANGE), the same way --rebuild swaps. */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "store/index_internal.h"
#include "ptsearch.h"
#include "store/schema.h"
#include "xapian/xapian_binding.h"

/* The suffixes of the temporary siblings ptsearch makes, each followed by
 * the pid of the process making it. They nest: a --rebuild compacts its
 * DIR.rebuild-PID into DIR.rebuild-PID.compact-PID and builds its parts
 * in DIR.rebuild-PID.part-PID-K. */
static const char *const temp_suffixes[] = {".new-", ".rebuild-", ".compact-", ".part-"};
#define PART_SUFFIX 3 /* .part-PID-K: part K of a parallel build */

static int has_version_file(const char *dir)
{
    char *path = pt_strdupf("%s/iamglass", dir);
    int found = path && access(path, F_OK) == 0;
    free(path);
    return found;
}

/* 1 when dir holds anything, 0 when it is empty or absent, -1 on error. */
static int dir_has_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return found;
}

/* Removes a Xapian database directory, which has no subdirectories but
 * the shards of a sharded index (one level). */
static void remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = pt_strdupf("%s/%s", dir, e->d_name);
        if (path && unlink(path) != 0 && errno == EISDIR) /* a shard (unlink follows no link) */
            remove_flat_dir(path);
        free(path);
    }
    closedir(d);
    rmdir(dir);
}

static int process_alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* Reads one temp segment (a suffix, a pid, and for a part "-K") at *p:
 * its pid, with *p moved past it, or 0 when *p does not start one. */
static long temp_segment(const char **p)
{
    for (size_t i = 0; i < sizeof temp_suffixes / sizeof *temp_suffixes; i++) {
        size_t m = strlen(temp_suffixes[i]);
        if (strncmp(*p, temp_suffixes[i], m) != 0)
            continue;
        char *end;
        long pid = strtol(*p + m, &end, 10);
        if (end == *p + m || pid <= 0)
            return 0;
        if (i == PART_SUFFIX && *end == '-')
            strtoul(end + 1, &end, 10);
        *p = end;
        return pid;
    }
    return 0;
}

/* 1 when name is base followed by one or more temp segments made by
 * process only_pid, or with only_pid 0 by processes that are all gone (a
 * leftover of a killed process). */
static int is_temp_of(const char *name, const char *base, long only_pid)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0)
        return 0;
    const char *p = name + n;
    int segments = 0;
    while (*p) {
        long pid = temp_segment(&p);
        if (pid == 0 || (only_pid ? pid != only_pid : process_alive(pid)))
            return 0; /* not ours, or its maker still runs */
        segments++;
    }
    return segments > 0;
}

/* Removes dir's temporary siblings made by process only_pid, or with
 * only_pid 0 those whose makers are gone. dir is free of trailing slashes. */
static void remove_temps(const char *dir, long only_pid)
{
    char *parent = strdup(dir);
    char *slash = parent ? strrchr(parent, '/') : NULL;
    const char *base = slash ? slash + 1 : dir;
    const char *parent_dir = slash ? (slash == parent ? "/" : parent) : ".";
    if (slash)
        *slash = '\0';
    DIR *d = parent ? opendir(parent_dir) : NULL;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (!is_temp_of(e->d_name, base, only_pid))
            continue;
        char *path = pt_strdupf("%s/%s", parent_dir, e->d_name);
        if (path)
            remove_flat_dir(path);
        free(path);
    }
    if (d)
        closedir(d);
    free(parent);
}

static int create_empty_index(const char *path)
{
    ptx_writer *w = NULL;
    int rc = ptx_writer_open(&w, path, 1, 0);
    if (!rc)
        rc = ptx_writer_set_metadata(w, PT_META_SCHEMA, PT_SCHEMA_VERSION, strlen(PT_SCHEMA_VERSION));
    if (!rc)
        rc = ptx_writer_commit(w);
    ptx_writer_close(w);
    return rc;
}

/* "idx/" names idx, whose siblings are idx.new-PID...: a malloc'd copy
 * without trailing slashes, or NULL when out of memory. */
static char *without_trailing_slashes(const char *given)
{
    char *dir = strdup(given);
    size_t len = dir ? strlen(dir) : 0;
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    return dir;
}

char *pt_index_part_dir(const char *given, unsigned k)
{
    char *dir = without_trailing_slashes(given);
    char *part = dir ? pt_strdupf("%s%s%ld-%u", dir, temp_suffixes[PART_SUFFIX], (long)getpid(), k) : NULL;
    free(dir);
    return part;
}

void pt_index_remove_dir(const char *dir)
{
    remove_flat_dir(dir);
}

void pt_index_remove_stale_temps(const char *given)
{
    char *dir = without_trailing_slashes(given);
    if (dir)
        remove_temps(dir, 0);
    free(dir);
}

void pt_index_remove_own_temps(const char *given)
{
    char *dir = without_trailing_slashes(given);
    if (dir)
        remove_temps(dir, (long)getpid());
    unsigned n = 0;
    if (dir && pt_index_is_sharded(dir) && pt_index_stub_count(dir, &n) == PT_OK) {
        for (unsigned k = 0; k < n; k++) { /* the shards' compactions */
            char *shard = pt_index_shard_dir(dir, k);
            if (shard)
                remove_temps(shard, (long)getpid());
            free(shard);
        }
    }
    free(dir);
}

/* Creates the index in dir (no trailing slashes) through DIR.new-PID. */
static int create_in_place(const char *dir)
{
    remove_temps(dir, 0);
    int entries = dir_has_entries(dir);
    if (entries < 0)
        return pt_fail(PT_EIO, "%s: %s", dir, strerror(errno));
    if (entries > 0)
        return pt_fail(PT_EINVAL, "%s exists and is not a ptsearch index: give a new or empty directory",
                       dir);
    char *tmp = pt_strdupf("%s.new-%ld", dir, (long)getpid());
    if (!tmp)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = create_empty_index(tmp);
    int err = 0;
    if (!rc && rename(tmp, dir) != 0)
        err = errno;
    if (rc || err)
        remove_flat_dir(tmp);
    free(tmp);
    if (rc || !err)
        return rc;
    if (has_version_file(dir))
        return PT_OK; /* another writer created it first */
    return pt_fail(PT_EIO, "cannot create %s: %s", dir, strerror(err));
}

int pt_index_create_if_missing(const char *given)
{
    if (has_version_file(given))
        return PT_OK;
    char *dir = without_trailing_slashes(given);
    int rc = dir ? create_in_place(dir) : pt_fail(PT_ENOMEM, "out of memory");
    free(dir);
    return rc;
}

int pt_index_compact(pt_index *ix)
{
    /* Shard by shard, shard 0 last: its writer holds the index's lock. */
    for (unsigned k = ix->n_shards; k-- > 1;) {
        int rc = pt_index_merge_parts(ix->shards[k], NULL, 0);
        if (rc)
            return rc;
    }
    return pt_index_merge_parts(ix, NULL, 0);
}

/* Compacts dir and the parts into tmp. */
static int compact_into(const char *dir, const char *tmp, pt_index *const *parts, size_t n)
{
    if (n == 0)
        return ptx_compact(dir, tmp);
    const char **srcs = malloc((n + 1) * sizeof *srcs);
    if (!srcs)
        return pt_fail(PT_ENOMEM, "out of memory");
    srcs[0] = dir;
    for (size_t i = 0; i < n; i++) {
        ptx_writer_close(parts[i]->writer); /* drops what was not committed */
        parts[i]->writer = NULL;
        srcs[i + 1] = parts[i]->dir;
    }
    int rc = ptx_compact_many(srcs, n + 1, tmp, PT_META_ARTICLE_COUNT);
    free(srcs);
    return rc;
}

int pt_index_merge_parts(pt_index *ix, pt_index *const *parts, size_t n)
{
    if (n && ix->n_shards)
        return pt_fail(PT_EINVAL, "a sharded index is not built in parts");
    char *dir = without_trailing_slashes(ix->dir);
    char *tmp = dir ? pt_strdupf("%s.compact-%ld", dir, (long)getpid()) : NULL;
    if (!tmp) {
        free(dir);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    remove_flat_dir(tmp);
    int rc = compact_into(dir, tmp, parts, n);
    if (!rc && n)
        rc = pt_learned_prune_merged(ix, tmp);
    if (!rc && renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0) {
        int full = errno == ENOSPC || errno == EDQUOT;
        rc = pt_fail(full ? PT_ENOSPC : PT_EIO, "%scannot swap the compacted index into %s: %s",
                     full ? "the disk is full: " : "", dir, strerror(errno));
    }
    /* The writer's files are now the old ones, about to be removed. */
    ptx_writer_close(ix->writer);
    ix->writer = NULL;
    remove_flat_dir(tmp); /* the old files, or a failed copy */
    free(tmp);
    free(dir);
    return rc;
}
