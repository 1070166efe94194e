/* sources.c — the manifest: two records per source file (its stamp, and
 * the ids of its articles; layout in record.h) kept as Xapian metadata,
 * written in the same commits as the articles. An unchanged file costs one
 * small stamp read, whatever the number of its articles. A source pass collects the ids a file
 * gives; its end removes the articles the file no longer has. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "store/index_internal.h"
#include "store/record.h"
#include "store/schema.h"

/* Metadata keys are limited like terms: long paths go by their hash. */
#define MAX_PATH_IN_KEY 200

static void source_key(const char *path, char out[MAX_PATH_IN_KEY + 8])
{
    size_t len = strlen(path);
    if (len <= MAX_PATH_IN_KEY)
        snprintf(out, MAX_PATH_IN_KEY + 8, "%s%s", PT_META_SOURCE, path);
    else
        snprintf(out, MAX_PATH_IN_KEY + 8, "%s%016" PRIx64, PT_META_SOURCE_HASHED,
                 pt_hash_bytes(PT_HASH_SEED, path, len));
}

static void ids_key(const char *path, char out[MAX_PATH_IN_KEY + 8])
{
    source_key(path, out);
    out[0] = PT_META_SOURCE_IDS;
}

/* Loads the stamp record of path into *data (malloc'd; the caller frees) and
 * decodes it into rec. PT_ENOTFOUND when there is none. */
static int load_source(pt_index *ix, const char *path, char **data, pt_source_record *rec)
{
    char key[MAX_PATH_IN_KEY + 8];
    size_t len = 0;
    source_key(path, key);
    *data = NULL;
    int rc = ptx_writer_get_metadata(ix->writer, key, data, &len);
    if (!rc)
        rc = pt_record_decode_source(rec, *data, len);
    if (rc) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

/* Loads the ids of path's articles into rec (*data is malloc'd; the caller
 * frees). None recorded is an empty list. */
static int load_ids(pt_index *ix, const char *path, char **data, pt_source_record *rec)
{
    char key[MAX_PATH_IN_KEY + 8];
    ids_key(path, key);
    *data = NULL;
    rec->ids = NULL;
    rec->ids_len = 0;
    int rc = ptx_writer_get_metadata(ix->writer, key, data, &rec->ids_len);
    rec->ids = *data;
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

static int store_stamp(pt_index *ix, const char *path, const pt_source_stamp *st, size_t n_ids)
{
    char key[MAX_PATH_IN_KEY + 8];
    source_key(path, key);
    pt_buf_reset(&ix->scratch);
    int rc = pt_record_encode_source(&ix->scratch, path, st->size, st->mtime_ns, st->hash, n_ids);
    return rc ? rc : ptx_writer_set_metadata(ix->writer, key, ix->scratch.data, ix->scratch.len);
}

static int store_source(pt_index *ix, const char *path, const pt_source_stamp *st,
                        const char *const *ids, size_t n_ids)
{
    char key[MAX_PATH_IN_KEY + 8];
    ids_key(path, key);
    pt_buf_reset(&ix->scratch);
    int rc = pt_record_encode_ids(&ix->scratch, ids, n_ids);
    if (!rc)
        rc = ptx_writer_set_metadata(ix->writer, key, ix->scratch.data, ix->scratch.len);
    return rc ? rc : store_stamp(ix, path, st, n_ids);
}

int pt_index_source_stamp(pt_index *ix, const char *path, pt_source_stamp *out)
{
    char *data;
    pt_source_record rec;
    int rc = load_source(ix, path, &data, &rec);
    if (rc)
        return rc;
    *out = (pt_source_stamp){rec.size, rec.mtime_ns, rec.hash, rec.n_ids};
    free(data);
    return PT_OK;
}

/* ------------------------------------------------------------ the pass */

static void pass_clear(pt_source_pass *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->ids[i]);
    free(p->ids);
    free(p->path);
    memset(p, 0, sizeof *p);
}

int pt_index_source_begin(pt_index *ix, const char *path)
{
    pass_clear(&ix->pass);
    ix->pass.path = strdup(path);
    return ix->pass.path ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
}

void pt_index_source_abort(pt_index *ix)
{
    if (ix)
        pass_clear(&ix->pass);
}

/* Appends a copy of id[0..len) to the pass's ids. */
static int pass_push(pt_source_pass *p, const char *id, size_t len)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **ids = realloc(p->ids, cap * sizeof *ids);
        if (!ids)
            return pt_fail(PT_ENOMEM, "out of memory");
        p->ids = ids;
        p->cap = cap;
    }
    if (!(p->ids[p->n] = strndup(id, len)))
        return pt_fail(PT_ENOMEM, "out of memory");
    p->n++;
    return PT_OK;
}

int pt_index_source_note(pt_index *ix, const char *id)
{
    pt_source_pass *p = &ix->pass;
    return p->path ? pass_push(p, id, strlen(id)) : PT_OK;
}

int pt_index_source_add_id(pt_index *ix, const char *id)
{
    if (!id || !*id)
        return pt_fail(PT_EINVAL, "article has no id");
    return pt_index_source_note(ix, id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the pass's ids and drops duplicates (an id given twice). */
static void sort_unique(pt_source_pass *p)
{
    if (p->n < 2)
        return;
    qsort(p->ids, p->n, sizeof *p->ids, cmp_str);
    size_t kept = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (kept && strcmp(p->ids[kept - 1], p->ids[i]) == 0)
            free(p->ids[i]);
        else
            p->ids[kept++] = p->ids[i];
    }
    p->n = kept;
}

/* Removes the articles of rec whose id is not in keep (sorted; n_keep may
 * be 0). An id already gone is not an error. */
static int remove_missing(pt_index *ix, const pt_source_record *rec, char *const *keep, size_t n_keep,
                          size_t *removed)
{
    size_t cursor = 0, len;
    const char *id;
    pt_buf buf = PT_BUF_INIT;
    int rc;
    while ((rc = pt_record_next_id(rec, &cursor, &id, &len)) == PT_OK) {
        pt_buf_reset(&buf);
        if ((rc = pt_buf_append(&buf, id, len)) != PT_OK)
            break;
        const char *probe = buf.data;
        if (n_keep && bsearch(&probe, keep, n_keep, sizeof *keep, cmp_str))
            continue;
        rc = pt_index_drop_article(ix, buf.data, NULL);
        if (rc == PT_OK)
            (*removed)++;
        else if (rc != PT_ENOTFOUND)
            break;
    }
    pt_buf_free(&buf);
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

int pt_index_source_end(pt_index *ix, const pt_source_stamp *stamp, size_t *removed_out)
{
    pt_source_pass *p = &ix->pass;
    size_t removed = 0;
    if (removed_out)
        *removed_out = 0;
    if (!p->path)
        return pt_fail(PT_EINVAL, "no source pass is open");
    sort_unique(p);
    char *data;
    pt_source_record old;
    int rc = load_ids(ix, p->path, &data, &old);
    if (rc == PT_OK)
        rc = remove_missing(ix, &old, p->ids, p->n, &removed);
    free(data);
    if (!rc)
        rc = store_source(ix, p->path, stamp, (const char *const *)p->ids, p->n);
    pass_clear(p);
    if (removed_out)
        *removed_out = removed;
    return rc;
}

/* A stamp no file has (size): the next run reads the source again. */
static const pt_source_stamp stale_stamp = {UINT64_MAX, 0, 0, 0};

/* Appends the ids of rec to the pass. */
static int pass_push_all(pt_source_pass *p, const pt_source_record *rec)
{
    size_t cursor = 0, len;
    const char *id;
    int rc;
    while ((rc = pt_record_next_id(rec, &cursor, &id, &len)) == PT_OK)
        if ((rc = pass_push(p, id, len)) != PT_OK)
            return rc;
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

int pt_index_source_keep(pt_index *ix)
{
    pt_source_pass *p = &ix->pass;
    if (!p->path)
        return pt_fail(PT_EINVAL, "no source pass is open");
    char *data;
    pt_source_record old;
    pt_source_stamp stamp = stale_stamp;
    int rc = load_source(ix, p->path, &data, &old);
    if (rc == PT_OK)
        stamp = (pt_source_stamp){old.size, old.mtime_ns, old.hash, 0};
    free(data);
    if (rc == PT_ENOTFOUND)
        rc = PT_OK;
    if (!rc && (rc = load_ids(ix, p->path, &data, &old)) == PT_OK) {
        rc = pass_push_all(p, &old);
        free(data);
    }
    sort_unique(p);
    if (!rc)
        rc = store_source(ix, p->path, &stamp, (const char *const *)p->ids, p->n);
    pass_clear(p);
    return rc;
}

int pt_index_source_forget(pt_index *ix, const char *path, const char *id)
{
    char *data;
    pt_source_record rec;
    int rc = load_source(ix, path, &data, &rec);
    free(data);
    if (rc)
        return rc == PT_ENOTFOUND ? PT_OK : rc;
    pt_source_pass list = {NULL, NULL, 0, 0};
    if ((rc = load_ids(ix, path, &data, &rec)) == PT_OK) {
        size_t cursor = 0, len;
        const char *given;
        while ((rc = pt_record_next_id(&rec, &cursor, &given, &len)) == PT_OK)
            if ((len != strlen(id) || memcmp(given, id, len) != 0) && (rc = pass_push(&list, given, len)))
                break;
        rc = rc == PT_ENOTFOUND ? PT_OK : rc;
        free(data);
    }
    if (!rc)
        rc = store_source(ix, path, &stale_stamp, (const char *const *)list.ids, list.n);
    pass_clear(&list);
    return rc;
}

/* --------------------------------------------------------- whole sources */

int pt_index_source_touch(pt_index *ix, const char *path, const pt_source_stamp *stamp)
{
    char *data;
    pt_source_record rec;
    int rc = load_source(ix, path, &data, &rec);
    if (rc)
        return rc;
    size_t n_ids = (size_t)rec.n_ids;
    free(data);
    return store_stamp(ix, path, stamp, n_ids);
}

int pt_index_source_remove(pt_index *ix, const char *path, size_t *removed_out)
{
    size_t removed = 0;
    if (removed_out)
        *removed_out = 0;
    char *data;
    pt_source_record rec;
    int rc = load_source(ix, path, &data, &rec);
    if (rc == PT_ENOTFOUND)
        return pt_fail(PT_ENOTFOUND, "no source %s in the index", path);
    free(data);
    if (rc)
        return rc;
    rc = load_ids(ix, path, &data, &rec);
    if (!rc)
        rc = remove_missing(ix, &rec, NULL, 0, &removed);
    free(data);
    char key[MAX_PATH_IN_KEY + 8];
    source_key(path, key);
    if (!rc)
        rc = ptx_writer_set_metadata(ix->writer, key, "", 0);
    ids_key(path, key);
    if (!rc)
        rc = ptx_writer_set_metadata(ix->writer, key, "", 0);
    if (removed_out)
        *removed_out = removed;
    return rc;
}

/* ------------------------------------------------------------- iterate */

typedef struct {
    pt_index *ix;
    const char *prefix;
    pt_source_cb cb;
    void *ctx;
} iterate_ctx;

static int plain_key_cb(const char *key, size_t len, void *ctx)
{
    iterate_ctx *it = ctx;
    (void)len;
    return it->cb(key + strlen(PT_META_SOURCE), it->ctx);
}

/* Hashed keys hold the path only in their record. */
static int hashed_key_cb(const char *key, size_t len, void *ctx)
{
    iterate_ctx *it = ctx;
    char *data = NULL;
    size_t dlen = 0;
    pt_source_record rec;
    (void)len;
    int rc = ptx_writer_get_metadata(it->ix->writer, key, &data, &dlen);
    if (!rc)
        rc = pt_record_decode_source(&rec, data, dlen);
    char *path = rc ? NULL : strndup(rec.path, rec.path_len);
    if (!rc && !path)
        rc = pt_fail(PT_ENOMEM, "out of memory");
    if (!rc && strncmp(path, it->prefix, strlen(it->prefix)) == 0)
        rc = it->cb(path, it->ctx);
    free(path);
    free(data);
    return rc;
}

int pt_index_sources(pt_index *ix, const char *prefix, pt_source_cb cb, void *ctx)
{
    iterate_ctx it = {ix, prefix, cb, ctx};
    size_t len = strlen(PT_META_SOURCE) + strlen(prefix) + 1;
    char *key = malloc(len);
    if (!key)
        return pt_fail(PT_ENOMEM, "out of memory");
    snprintf(key, len, "%s%s", PT_META_SOURCE, prefix);
    int rc = ptx_writer_metadata_keys(ix->writer, key, plain_key_cb, &it);
    free(key);
    return rc ? rc : ptx_writer_metadata_keys(ix->writer, PT_META_SOURCE_HASHED, hashed_key_cb, &it);
}

/* --------------------------------------------------------------- roots */

/* A root's key: "r:" + path, or for a long path "r#" + its hash (the
 * path is then the value). */
int pt_index_add_root(pt_index *ix, const char *path)
{
    size_t len = strlen(path);
    char key[MAX_PATH_IN_KEY + 8];
    if (len <= MAX_PATH_IN_KEY) {
        snprintf(key, sizeof key, "%s%s", PT_META_ROOT, path);
        return ptx_writer_set_metadata(ix->writer, key, "1", 1);
    }
    snprintf(key, sizeof key, "%s%016" PRIx64, PT_META_ROOT_HASHED, pt_hash_bytes(PT_HASH_SEED, path, len));
    return ptx_writer_set_metadata(ix->writer, key, path, len);
}

static int root_key_cb(const char *key, size_t len, void *ctx)
{
    iterate_ctx *it = ctx;
    (void)len;
    return it->cb(key + strlen(PT_META_ROOT), it->ctx);
}

static int hashed_root_cb(const char *key, size_t len, void *ctx)
{
    iterate_ctx *it = ctx;
    char *path = NULL;
    (void)len;
    int rc = ptx_writer_get_metadata(it->ix->writer, key, &path, NULL);
    if (!rc)
        rc = it->cb(path, it->ctx);
    free(path);
    return rc;
}

int pt_index_roots(pt_index *ix, pt_source_cb cb, void *ctx)
{
    iterate_ctx it = {ix, "", cb, ctx};
    int rc = ptx_writer_metadata_keys(ix->writer, PT_META_ROOT, root_key_cb, &it);
    return rc ? rc : ptx_writer_metadata_keys(ix->writer, PT_META_ROOT_HASHED, hashed_root_cb, &it);
}

int pt_index_read_roots(const char *dir, pt_source_cb cb, void *ctx)
{
    ptx_reader *r = NULL;
    int rc = ptx_reader_open(&r, dir);
    iterate_ctx it = {NULL, "", cb, ctx};
    if (!rc)
        rc = ptx_reader_metadata_keys(r, PT_META_ROOT, root_key_cb, &it);
    ptx_reader_close(r);
    return rc;
}
