/* shard.c — sharded indexes: a directory DIR holding N ordinary indexes
 * DIR/shard-0 .. DIR/shard-(N-1) and the Xapian stub file DIR/XAPIANDB that
 * lists them (Xapian 1.4 opens a directory holding XAPIANDB as that stub,
 * so readers search DIR as one index). Owns making one (whole or not at
 * all), opening its shards for writing behind one pt_index, and routing an
 * article to its shard by a hash of its id. Shard 0 keeps the manifest, the
 * roots and the table of recurring lines, and is locked first and committed
 * last (index.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "store/index_internal.h"
#include "store/record.h"

#define STUB_NAME "XAPIANDB"
#define SHARD_PREFIX "shard-"

static int stub_exists(const char *dir);

unsigned pt_index_shard_of(const char *id, unsigned n_shards)
{
    /* FNV-1a 64 of the article's key (its id, or for an id over 160 bytes
     * the hash the index keys it by) mod n: the same on every machine and
     * whatever the order of the input. */
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    return (unsigned)(pt_hash_bytes(PT_HASH_SEED, key, strlen(key)) % n_shards);
}

pt_index *pt_index_route(pt_index *ix, const char *id)
{
    if (!ix->n_shards || !id || !*id)
        return ix;
    return ix->shards[pt_index_shard_of(id, ix->n_shards)];
}

unsigned pt_index_shard_count(const pt_index *ix)
{
    return ix->n_shards;
}

int pt_index_stub_file_exists(const char *dir)
{
    return stub_exists(dir);
}

static int stub_exists(const char *dir)
{
    char *stub = pt_strdupf("%s/" STUB_NAME, dir);
    struct stat sb;
    int found = stub && stat(stub, &sb) == 0 && S_ISREG(sb.st_mode);
    free(stub);
    return found;
}

/* The shard count the stub of dir lists: PT_OK with *n set, or PT_EINVAL
 * when it lists anything but shard-0 .. shard-(N-1) in order (a stub
 * written by hand, with remote shards: ptindex writes only its own). */
int pt_index_stub_count(const char *dir, unsigned *n)
{
    char *stub = pt_strdupf("%s/" STUB_NAME, dir);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    free(stub);
    if (!f)
        return pt_fail(PT_EIO, "%s/" STUB_NAME ": %s", dir, strerror(errno));
    char line[128];
    unsigned count = 0;
    int ok = 1;
    while (ok && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char expected[64];
        snprintf(expected, sizeof expected, "auto " SHARD_PREFIX "%u\n", count);
        ok = strcmp(line, expected) == 0;
        count++;
    }
    fclose(f);
    *n = count;
    if (!ok || count == 0)
        return pt_fail(PT_EINVAL, "%s/" STUB_NAME " lists shards ptindex did not make (only 'auto shard-K' "
                       "lines, K = 0, 1, ... in order, are written by ptindex)", dir);
    return PT_OK;
}

unsigned pt_index_is_sharded(const char *dir)
{
    unsigned n = 0;
    return stub_exists(dir) && pt_index_stub_count(dir, &n) == PT_OK ? n : 0;
}

char *pt_index_shard_dir(const char *dir, unsigned k)
{
    return pt_strdupf("%s/" SHARD_PREFIX "%u", dir, k);
}

/* Writes the stub listing n shards into dir, flushed to disk. */
static int write_stub(const char *dir, unsigned n)
{
    char *path = pt_strdupf("%s/" STUB_NAME, dir);
    FILE *f = path ? fopen(path, "w") : NULL;
    free(path);
    if (!f)
        return pt_fail(PT_EIO, "cannot write %s/" STUB_NAME ": %s", dir, strerror(errno));
    int bad = fprintf(f, "# ptsearch: %u shards; an article goes to shard FNV-1a-64(its id) mod %u\n", n, n) < 0;
    for (unsigned k = 0; k < n && !bad; k++)
        bad = fprintf(f, "auto " SHARD_PREFIX "%u\n", k) < 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    int err = errno;
    bad |= fclose(f) != 0;
    if (bad)
        return pt_fail(err == ENOSPC || err == EDQUOT ? PT_ENOSPC : PT_EIO, "cannot write %s/" STUB_NAME ": %s",
                       dir, strerror(err));
    return PT_OK;
}

/* Makes the shards and the stub in tmp (a new directory). */
static int fill_sharded(const char *tmp, unsigned n)
{
    if (mkdir(tmp, 0777) != 0)
        return pt_fail(PT_EIO, "cannot create %s: %s", tmp, strerror(errno));
    int rc = PT_OK;
    for (unsigned k = 0; k < n && !rc; k++) {
        char *shard = pt_index_shard_dir(tmp, k);
        rc = shard ? pt_index_create_if_missing(shard) : pt_fail(PT_ENOMEM, "out of memory");
        free(shard);
    }
    return rc ? rc : write_stub(tmp, n);
}

/* Creates a sharded index of n shards in dir (absent or empty) through
 * DIR.new-PID renamed into place: dir is never half made. */
int pt_index_create_sharded(const char *dir, unsigned n)
{
    pt_index_remove_stale_temps(dir);
    char *tmp = pt_strdupf("%s.new-%ld", dir, (long)getpid());
    if (!tmp)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = fill_sharded(tmp, n);
    int err = 0;
    if (!rc && rename(tmp, dir) != 0)
        err = errno;
    if (rc || err)
        pt_index_remove_dir(tmp);
    free(tmp);
    if (rc || !err)
        return rc;
    if (stub_exists(dir))
        return PT_OK; /* another writer made it first */
    if (err == ENOTEMPTY || err == EEXIST || err == ENOTDIR)
        return pt_fail(PT_EINVAL, "%s exists and is not a ptsearch index: give a new or empty directory", dir);
    return pt_fail(PT_EIO, "cannot create %s: %s", dir, strerror(err));
}

/* Opens shards 1 .. n-1 of home (shard 0, open): they use its table of
 * recurring lines. */
static int open_other_shards(pt_index *home, const char *dir, unsigned n, unsigned flags)
{
    home->shards = calloc(n, sizeof *home->shards);
    if (!home->shards)
        return pt_fail(PT_ENOMEM, "out of memory");
    home->shards[0] = home;
    home->n_shards = n;
    int rc = PT_OK;
    for (unsigned k = 1; k < n && !rc; k++) {
        char *path = pt_index_shard_dir(dir, k);
        rc = path ? pt_index_open_plain(&home->shards[k], path, flags & PT_INDEX_WAIT)
                  : pt_fail(PT_ENOMEM, "out of memory");
        if (!rc) {
            pt_index_share_recurring(home->shards[k], home);
            home->shards[k]->top = home; /* copies are found in every shard (copies.h) */
        }
        free(path);
    }
    return rc;
}

/* Opens the sharded index in dir: shard 0 first, whose lock is the lock
 * of the whole index (every writer takes it first). */
static int open_sharded(pt_index **out, const char *dir, unsigned flags, unsigned wanted)
{
    unsigned n = 0;
    int rc = pt_index_stub_count(dir, &n);
    if (rc)
        return rc;
    if (wanted && wanted != n)
        return pt_fail(PT_EINVAL, "the index has %u shards, not %u: to reshard it, rebuild it (ptindex --index "
                       "%s --shards %u --rebuild), or build a new one in another directory", n, wanted, dir, wanted);
    char *path = pt_index_shard_dir(dir, 0);
    if (!path)
        return pt_fail(PT_ENOMEM, "out of memory");
    rc = pt_index_open_plain(out, path, flags & PT_INDEX_WAIT);
    free(path);
    if (!rc && !((*out)->top_dir = strdup(dir)))
        rc = pt_fail(PT_ENOMEM, "out of memory");
    if (!rc)
        rc = open_other_shards(*out, dir, n, flags);
    if (rc) {
        pt_index_free(*out);
        *out = NULL;
    }
    return rc;
}

/* 1 when dir is absent or an empty directory. */
static int absent_or_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT;
    int empty = 1;
    for (struct dirent *e; empty && (e = readdir(d)) != NULL;)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

int pt_index_open_sharded(pt_index **out, const char *dir, unsigned flags, unsigned n_shards)
{
    *out = NULL;
    if (stub_exists(dir))
        return open_sharded(out, dir, flags, n_shards);
    if (n_shards == 0)
        return pt_index_open_plain(out, dir, flags);
    if (!absent_or_empty(dir))
        return pt_fail(PT_EINVAL, "not a sharded index (an index without shards, or something else): --shards "
                       "makes a new index; build one in another directory (ptindex --index NEWDIR --shards %u "
                       "PATH...), or rebuild this one sharded (ptindex --index %s --shards %u --rebuild)",
                       n_shards, dir, n_shards);
    if (!(flags & PT_INDEX_CREATE))
        return pt_fail(PT_ENOTFOUND, "no index at %s", dir);
    int rc = pt_index_create_sharded(dir, n_shards);
    return rc ? rc : open_sharded(out, dir, flags, n_shards);
}

int pt_index_open(pt_index **out, const char *dir, unsigned flags)
{
    return pt_index_open_sharded(out, dir, flags, 0);
}

void pt_index_free_shards(pt_index *ix)
{
    for (unsigned k = 1; k < ix->n_shards; k++)
        pt_index_free(ix->shards[k]);
    free(ix->shards);
    ix->shards = NULL;
    ix->n_shards = 0;
    free(ix->top_dir);
    ix->top_dir = NULL;
}
