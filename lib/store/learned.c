/* learned.c — owns the set of learned articles (learned.h): read from the
 * index on the first learn, grown by learning, pruned by indexing, and
 * written with the table of recurring lines. Stored form (PT_META_LEARNED):
 * byte 1 (version), varint n, then n varints of sorted distinct hashes,
 * each the difference from the one before. No key when the set is empty. */
#include "store/learned.h"

#include <stdlib.h>
#include <string.h>

#include "store/index_internal.h"
#include "store/schema.h"
#include "util/buf.h"
#include "util/error.h"

enum { FORMAT_VERSION = 1 };

static uint64_t key_hash(const char *key)
{
    return pt_hash_bytes(PT_HASH_SEED, key, strlen(key));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int push(uint64_t **v, size_t *n, size_t *cap, uint64_t h)
{
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 256;
        uint64_t *grown = realloc(*v, grown_cap * sizeof *grown);
        if (!grown)
            return pt_fail(PT_ENOMEM, "out of memory (learned articles)");
        *v = grown;
        *cap = grown_cap;
    }
    (*v)[(*n)++] = h;
    return PT_OK;
}

static int decode(pt_learned *l, const char *data, size_t len)
{
    pt_cursor r = {(const uint8_t *)data, (const uint8_t *)data + len};
    uint8_t version = 0;
    uint64_t n = 0, h = 0, delta;
    int rc = pt_read_byte(&r, &version);
    if (!rc) rc = pt_read_varint(&r, &n);
    if (!rc && (version != FORMAT_VERSION || n > (uint64_t)(r.end - r.p)))
        rc = pt_fail(PT_ECORRUPT, "set of learned articles: bad header");
    if (!rc && n && !(l->stored = malloc(n * sizeof *l->stored)))
        return pt_fail(PT_ENOMEM, "out of memory (learned articles)");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = pt_read_varint(&r, &delta);
        if (!rc && i > 0 && (delta == 0 || h + delta < h))
            rc = pt_fail(PT_ECORRUPT, "set of learned articles: hashes out of order");
        h += delta;
        l->stored[i] = h;
    }
    l->n_stored = rc ? 0 : (size_t)n;
    return rc;
}

/* Reads the stored set once. Damaged, it is read as empty (the table
 * only decides what is hidden) and written anew at the next store. */
static int load(pt_index *ix)
{
    pt_learned *l = &ix->learned;
    if (l->loaded)
        return PT_OK;
    char *value = NULL;
    size_t len = 0;
    int rc = ptx_writer_get_metadata(ix->writer, PT_META_LEARNED, &value, &len);
    if (!rc)
        rc = decode(l, value, len);
    free(value);
    if (rc == PT_ECORRUPT || rc == PT_ENOTFOUND)
        rc = PT_OK;
    l->loaded = rc == PT_OK;
    return rc;
}

int pt_learned_counted(pt_index *ix, const char *key, int *counted)
{
    *counted = 0;
    int rc = load(ix);
    if (rc)
        return rc;
    uint64_t h = key_hash(key);
    *counted = ix->learned.n_stored && bsearch(&h, ix->learned.stored, ix->learned.n_stored, sizeof h, cmp_u64);
    return PT_OK;
}

int pt_learned_note_learned(pt_index *ix, const char *key)
{
    pt_learned *l = &ix->learned;
    return push(&l->added, &l->n_added, &l->cap_added, key_hash(key));
}

int pt_learned_note_indexed(pt_index *ix, const char *key)
{
    pt_learned *l = &ix->learned;
    if (!l->loaded) /* nothing learned by this writer: no set to prune */
        return PT_OK;
    return push(&l->indexed, &l->n_indexed, &l->cap_indexed, key_hash(key));
}

/* (stored ∪ added) \ indexed, sorted and distinct, into *out. */
static int next_set(pt_learned *l, uint64_t **out, size_t *n_out)
{
    size_t n = 0, cap = l->n_stored + l->n_added;
    uint64_t *all = malloc((cap ? cap : 1) * sizeof *all);
    if (!all)
        return pt_fail(PT_ENOMEM, "out of memory (learned articles)");
    /* (no NULL to memcpy, qsort or bsearch, even with a count of 0) */
    if (l->n_stored)
        memcpy(all, l->stored, l->n_stored * sizeof *all);
    if (l->n_added)
        memcpy(all + l->n_stored, l->added, l->n_added * sizeof *all);
    if (cap)
        qsort(all, cap, sizeof *all, cmp_u64);
    if (l->n_indexed)
        qsort(l->indexed, l->n_indexed, sizeof *l->indexed, cmp_u64);
    for (size_t i = 0; i < cap; i++) {
        if ((n == 0 || all[n - 1] != all[i]) &&
            !(l->n_indexed && bsearch(&all[i], l->indexed, l->n_indexed, sizeof *all, cmp_u64)))
            all[n++] = all[i];
    }
    *out = all;
    *n_out = n;
    return PT_OK;
}

static int write_set(ptx_writer *w, const uint64_t *set, size_t n)
{
    if (n == 0) /* an empty value deletes the key */
        return ptx_writer_set_metadata(w, PT_META_LEARNED, "", 0);
    pt_buf out = PT_BUF_INIT;
    int rc = pt_buf_append_byte(&out, FORMAT_VERSION);
    if (!rc) rc = pt_buf_append_varint(&out, n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = pt_buf_append_varint(&out, set[i] - (i ? set[i - 1] : 0));
    if (!rc) rc = ptx_writer_set_metadata(w, PT_META_LEARNED, out.data, out.len);
    pt_buf_free(&out);
    return rc;
}

static int rewrite(pt_learned *l, ptx_writer *w);

int pt_learned_store(pt_index *ix)
{
    pt_learned *l = &ix->learned;
    if (!l->loaded || !(l->n_added || (l->n_stored && l->n_indexed * 4 >= l->n_stored))) {
        if (l->loaded && !l->n_stored)
            l->n_indexed = 0; /* nothing stored to prune */
        return PT_OK;
    }
    return rewrite(l, ix->writer);
}

/* Writes the next set with w and makes it the stored one. */
static int rewrite(pt_learned *l, ptx_writer *w)
{
    uint64_t *set = NULL;
    size_t n = 0;
    int rc = next_set(l, &set, &n);
    if (!rc) rc = write_set(w, set, n);
    if (rc) {
        free(set);
        return rc;
    }
    free(l->stored);
    l->stored = set;
    l->n_stored = n;
    l->n_added = l->n_indexed = 0;
    return PT_OK;
}

static int note_article_cb(const char *key, size_t len, void *ctx)
{
    pt_learned *l = ctx;
    size_t prefix = strlen(PT_META_ARTICLE);
    if (len < prefix)
        return PT_OK;
    uint64_t h = pt_hash_bytes(PT_HASH_SEED, key + prefix, len - prefix); /* key_hash of the article key */
    return push(&l->indexed, &l->n_indexed, &l->cap_indexed, h);
}

int pt_learned_prune_merged(pt_index *ix, const char *dir)
{
    pt_learned *l = &ix->learned;
    if (!l->loaded || !l->n_stored)
        return PT_OK;
    ptx_writer *w = NULL;
    int rc = ptx_writer_open(&w, dir, 0, 0);
    if (!rc) rc = ptx_writer_metadata_keys(w, PT_META_ARTICLE, note_article_cb, l);
    if (!rc) rc = rewrite(l, w);
    if (!rc) rc = ptx_writer_commit(w);
    ptx_writer_close(w);
    return rc;
}

void pt_learned_free(pt_learned *l)
{
    free(l->stored);
    free(l->added);
    free(l->indexed);
    *l = (pt_learned){0};
}
