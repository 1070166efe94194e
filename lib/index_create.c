/* index_create.c — whole-directory changes appear whole or not at all:
 * creating an index, and compacting one.
 *
 * Xapian's glass backend writes a new database's tables before its version
 * file (iamglass). A kill -9 between the two leaves a directory that Xapian
 * will neither open nor create over ("Failed to open glass revision file"),
 * and every later ptindex run fails. So a new index is created, with its
 * schema, committed in a sibling DIR.new-PID and renamed into place: DIR is
 * either absent or a committed index. Leftovers of a killed creation or
 * rebuild (siblings whose process is gone) are removed here too.
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

#include "error.h"
#include "index_internal.h"
#include "ptsearch.h"
#include "schema.h"
#include "xapian_binding.h"

/* The suffixes of the temporary siblings ptsearch makes, each followed by
 * the pid of the process making it. */
static const char *const temp_suffixes[] = {".new-", ".rebuild-", ".compact-", ".part-"};
#define PART_SUFFIX 3 /* .part-PID-K: part K of a parallel build */

static int has_version_file(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/iamglass", dir);
    return access(path, F_OK) == 0;
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

/* Removes a Xapian database directory, which has no subdirectories. */
static void remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* The pid in name when it is base + a temp suffix + digits, else 0. */
static long temp_owner(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0)
        return 0;
    for (size_t i = 0; i < sizeof temp_suffixes / sizeof *temp_suffixes; i++) {
        size_t m = strlen(temp_suffixes[i]);
        if (strncmp(name + n, temp_suffixes[i], m) != 0)
            continue;
        char *end;
        long pid = strtol(name + n + m, &end, 10);
        if (i == PART_SUFFIX && *end == '-')
            strtol(end + 1, &end, 10);
        return *end == '\0' && pid > 0 ? pid : 0;
    }
    return 0;
}

/* Removes dir's temporary siblings made by process only_pid, or with
 * only_pid 0 those whose maker is gone. dir is free of trailing slashes. */
static void remove_temps(const char *dir, long only_pid)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    const char *parent_dir = slash ? (slash == parent ? "/" : parent) : ".";
    if (slash)
        *slash = '\0';
    DIR *d = opendir(parent_dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        long pid = temp_owner(e->d_name, base);
        if (pid == 0 || (only_pid ? pid != only_pid : kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue; /* not ours, or its maker still runs */
        if (snprintf(path, sizeof path, "%s/%s", parent_dir, e->d_name) < (int)sizeof path)
            remove_flat_dir(path);
    }
    closedir(d);
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

/* "idx/" names idx, whose siblings are idx.new-PID...: out is given
 * without trailing slashes. */
static void without_trailing_slashes(const char *given, char out[4096])
{
    snprintf(out, 4096, "%s", given);
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/')
        out[--len] = '\0';
}

void pt_index_part_dir(const char *given, unsigned k, char out[4200])
{
    char dir[4096];
    without_trailing_slashes(given, dir);
    snprintf(out, 4200, "%s%s%ld-%u", dir, temp_suffixes[PART_SUFFIX], (long)getpid(), k);
}

void pt_index_remove_dir(const char *dir)
{
    remove_flat_dir(dir);
}

void pt_index_remove_stale_temps(const char *given)
{
    char dir[4096];
    without_trailing_slashes(given, dir);
    remove_temps(dir, 0);
}

void pt_index_remove_own_temps(const char *given)
{
    char dir[4096];
    without_trailing_slashes(given, dir);
    remove_temps(dir, (long)getpid());
}

int pt_index_create_if_missing(const char *given)
{
    if (has_version_file(given))
        return PT_OK;
    char dir[4096];
    without_trailing_slashes(given, dir);
    remove_temps(dir, 0);
    int entries = dir_has_entries(dir);
    if (entries < 0)
        return pt_fail(PT_EIO, "%s: %s", dir, strerror(errno));
    if (entries > 0)
        return pt_fail(PT_EINVAL, "%s exists and is not a ptsearch index: give a new or empty directory",
                       dir);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.new-%ld", dir, (long)getpid());
    int rc = create_empty_index(tmp);
    if (rc) {
        remove_flat_dir(tmp);
        return rc;
    }
    if (rename(tmp, dir) == 0)
        return PT_OK;
    int err = errno;
    remove_flat_dir(tmp);
    if (has_version_file(dir))
        return PT_OK; /* another writer created it first */
    return pt_fail(PT_EIO, "cannot create %s: %s", dir, strerror(err));
}

int pt_index_compact(pt_index *ix)
{
    return pt_index_merge_parts(ix, NULL, 0);
}

int pt_index_merge_parts(pt_index *ix, pt_index *const *parts, size_t n)
{
    char dir[4096], tmp[4200];
    without_trailing_slashes(ix->dir, dir);
    snprintf(tmp, sizeof tmp, "%s.compact-%ld", dir, (long)getpid());
    remove_flat_dir(tmp);
    int rc = PT_OK;
    if (n == 0) {
        rc = ptx_compact(dir, tmp);
    } else {
        const char **srcs = malloc((n + 1) * sizeof *srcs);
        if (!srcs)
            return pt_fail(PT_ENOMEM, "out of memory");
        srcs[0] = dir;
        for (size_t i = 0; i < n; i++) {
            ptx_writer_close(parts[i]->writer); /* drops what was not committed */
            parts[i]->writer = NULL;
            srcs[i + 1] = parts[i]->dir;
        }
        rc = ptx_compact_many(srcs, n + 1, tmp, PT_META_ARTICLE_COUNT);
        free(srcs);
    }
    if (!rc && renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0) {
        int full = errno == ENOSPC || errno == EDQUOT;
        rc = pt_fail(full ? PT_ENOSPC : PT_EIO, "%scannot swap the compacted index into %s: %s",
                     full ? "the disk is full: " : "", dir, strerror(errno));
    }
    /* The writer's files are now the old ones, about to be removed. */
    ptx_writer_close(ix->writer);
    ix->writer = NULL;
    remove_flat_dir(tmp); /* the old files, or a failed copy */
    return rc;
}
