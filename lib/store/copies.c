/* copies.c — exact copies stored as records without passages (copies.h):
 * finding an article's original, listing a copy under it, and handing
 * the passages on to a copy when the original goes. The passages
 * themselves are written by index.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/copies.h"
#include "store/index_internal.h"
#include "store/schema.h"
#include "util/buf.h"
#include "util/error.h"

/* Keys: a prefix and an article key or a hash in hex. */
typedef char meta_key[sizeof PT_META_CONTENT + PT_MAX_ID_IN_TERM + 24];

static void content_key(meta_key key, uint64_t content)
{
    snprintf(key, sizeof(meta_key), "%s%016" PRIx64, PT_META_CONTENT, content);
}

static void article_meta_key(meta_key key, const char *prefix, const char *article_key)
{
    snprintf(key, sizeof(meta_key), "%s%s", prefix, article_key);
}

uint64_t pt_article_content_hash(const pt_article *a)
{
    const char *fields[] = {a->title, a->source, a->date};
    uint64_t h = pt_hash_bytes(PT_HASH_SEED ^ 0x636f706965730aULL, a->text, a->text_len);
    for (size_t i = 0; i < 3; i++) {
        h = pt_hash_bytes(h, "\x1f", 1); /* so fields cannot shift into each other */
        if (fields[i])
            h = pt_hash_bytes(h, fields[i], strlen(fields[i]));
    }
    unsigned char how[2] = {(unsigned char)(a->one_file_line != 0), (unsigned char)(a->title_is_first_sentence != 0)};
    return pt_hash_bytes(h, how, sizeof how);
}

static pt_index *top_of(pt_index *ix)
{
    return ix->top ? ix->top : ix;
}

/* The writer holding article id in ix's index. */
static pt_index *holder_of(pt_index *ix, const char *id)
{
    return pt_index_route(top_of(ix), id);
}

static int adjust_count(pt_index *ix, int64_t delta)
{
    ix->copy_count += delta;
    char value[24];
    int len = ix->copy_count > 0 ? snprintf(value, sizeof value, "%" PRId64, ix->copy_count) : 0;
    return ptx_writer_set_metadata(ix->writer, PT_META_COPY_COUNT, value, (size_t)len);
}

/* ------------------------------------------------------ the "h:" entry */

typedef struct {
    int64_t line, offset; /* where the original's text starts in its file */
    const char *id;       /* points into the entry */
} content_entry;

static int parse_content(const char *value, content_entry *e)
{
    char *end;
    e->line = strtoll(value, &end, 10);
    if (*end != ' ')
        return pt_fail(PT_ECORRUPT, "a damaged entry of the copies' originals");
    e->offset = strtoll(end + 1, &end, 10);
    if (*end != ' ' || !end[1])
        return pt_fail(PT_ECORRUPT, "a damaged entry of the copies' originals");
    e->id = end + 1;
    return PT_OK;
}

static int put_content(pt_index *ix, uint64_t content, int64_t line, int64_t offset, const char *id)
{
    meta_key key;
    content_key(key, content);
    char *value = pt_strdupf("%" PRId64 " %" PRId64 " %s", line, offset, id);
    if (!value)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = ptx_writer_set_metadata(ix->writer, key, value, strlen(value));
    free(value);
    return rc;
}

/* The "h:" entry of content in ix: *value malloc'd, or NULL. */
static int get_content(pt_index *ix, uint64_t content, char **value)
{
    meta_key key;
    content_key(key, content);
    *value = NULL;
    int rc = ptx_writer_get_metadata(ix->writer, key, value, NULL);
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

int pt_copies_note_original(pt_index *ix, const pt_article *a, uint64_t content)
{
    return put_content(ix, content, a->file_line, (int64_t)a->file_offset, a->id);
}

/* Whether the entry names an article holding passages of this content:
 * an entry outlives nothing (it moves with the passages), but a damaged
 * or older index may disagree, and then the article is an original. */
static int entry_is_live(pt_index *ix, const content_entry *e, uint64_t content, int *live)
{
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(e->id, key);
    pt_article_record rec;
    int found = 0;
    int rc = pt_index_load_record(holder_of(ix, e->id), key, &rec, &found);
    *live = !rc && found && !(rec.flags & PT_ARTICLE_FLAG_COPY) && (rec.flags & PT_ARTICLE_FLAG_CONTENT) &&
            rec.content == content;
    if (found)
        pt_article_record_clear(&rec);
    return rc;
}

int pt_copies_find(pt_index *ix, uint64_t content, const char *self_key, pt_original *out)
{
    memset(out, 0, sizeof *out);
    pt_index *top = top_of(ix);
    unsigned n = top->n_shards ? top->n_shards : 1;
    int rc = PT_OK;
    for (unsigned k = 0; k < n && !rc && !out->id; k++) {
        pt_index *shard = top->n_shards ? top->shards[k] : top;
        char *value = NULL;
        content_entry e;
        int live = 0;
        rc = get_content(shard, content, &value);
        if (!rc && value && !(rc = parse_content(value, &e))) {
            char key[PT_MAX_ID_IN_TERM + 1];
            pt_article_key(e.id, key);
            if (strcmp(key, self_key) != 0 && !(rc = entry_is_live(ix, &e, content, &live)) && live) {
                *out = (pt_original){strdup(e.id), shard, e.line, e.offset};
                if (!out->id)
                    rc = pt_fail(PT_ENOMEM, "out of memory");
            }
        }
        if (rc == PT_ECORRUPT)
            rc = PT_OK; /* a damaged entry: the article is an original, and replaces it */
        free(value);
    }
    return rc;
}

/* ------------------------------------------------------ the "c:" lists */

/* A list is a run of entries "ID\0PATH\0LINE-DELTA\0OFFSET-DELTA\0". */
static int parse_list(const char *data, size_t len, pt_copy **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *field[4];
        for (int i = 0; i < 4; i++) {
            const char *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
            if (!nul) {
                pt_copies_free(*out, *n);
                *out = NULL;
                *n = 0;
                return pt_fail(PT_ECORRUPT, "a damaged list of copies");
            }
            field[i] = p;
            p = nul + 1;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            pt_copy *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                pt_copies_free(*out, *n);
                *out = NULL;
                *n = 0;
                return pt_fail(PT_ENOMEM, "out of memory");
            }
            *out = grown;
        }
        pt_copy *c = &(*out)[(*n)++];
        c->id = strdup(field[0]);
        c->path = strdup(field[1]);
        c->line_delta = strtoll(field[2], NULL, 10);
        c->offset_delta = strtoll(field[3], NULL, 10);
        if (!c->id || !c->path) {
            pt_copies_free(*out, *n);
            *out = NULL;
            *n = 0;
            return pt_fail(PT_ENOMEM, "out of memory");
        }
    }
    return PT_OK;
}

void pt_copies_free(pt_copy *copies, size_t n)
{
    for (size_t i = 0; copies && i < n; i++) {
        free(copies[i].id);
        free(copies[i].path);
    }
    free(copies);
}

static int append_entry(pt_buf *b, const char *id, const char *path, int64_t line_delta, int64_t offset_delta)
{
    int rc = pt_buf_append(b, id, strlen(id) + 1);
    if (!rc) rc = pt_buf_append(b, path ? path : "", strlen(path ? path : "") + 1);
    if (!rc) rc = pt_buf_appendf(b, "%" PRId64, line_delta);
    if (!rc) rc = pt_buf_append_byte(b, '\0');
    if (!rc) rc = pt_buf_appendf(b, "%" PRId64, offset_delta);
    return rc ? rc : pt_buf_append_byte(b, '\0');
}

/* The list a metadata read (status rc) gave: data, freed here; none when
 * there was no list. */
static int list_read(int rc, char *data, size_t len, pt_copy **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!rc)
        rc = parse_list(data, len, out, n);
    free(data);
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

static int read_list(pt_index *ix, const char *orig_key, pt_copy **out, size_t *n)
{
    meta_key key;
    article_meta_key(key, PT_META_COPIES, orig_key);
    char *data = NULL;
    size_t len = 0;
    int rc = ptx_writer_get_metadata(ix->writer, key, &data, &len);
    return list_read(rc, data, len, out, n);
}

/* Writes list[0..n) but skip (an index, or n for none) as orig_key's
 * copies, each delta less base's. */
static int write_list(pt_index *ix, const char *orig_key, const pt_copy *list, size_t n, size_t skip,
                      int64_t base_line, int64_t base_offset)
{
    meta_key key;
    article_meta_key(key, PT_META_COPIES, orig_key);
    pt_buf b = PT_BUF_INIT;
    int rc = PT_OK;
    for (size_t i = 0; i < n && !rc; i++)
        if (i != skip)
            rc = append_entry(&b, list[i].id, list[i].path, list[i].line_delta - base_line,
                              list[i].offset_delta - base_offset);
    if (!rc)
        rc = ptx_writer_set_metadata(ix->writer, key, b.data ? b.data : "", b.len);
    pt_buf_free(&b);
    return rc == PT_ENOMEM ? pt_fail(PT_ENOMEM, "out of memory") : rc;
}

size_t pt_copies_find_key(const pt_copy *list, size_t n, const char *key)
{
    size_t i = 0;
    for (; i < n; i++) {
        char k[PT_MAX_ID_IN_TERM + 1];
        pt_article_key(list[i].id, k);
        if (strcmp(k, key) == 0)
            break;
    }
    return i;
}

/* Lists a in the copies of orig (once: a copy given again after a kill is
 * listed already). */
static int list_copy(const pt_article *a, const pt_original *orig)
{
    char orig_key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(orig->id, orig_key);
    pt_copy *list = NULL;
    size_t n = 0;
    int rc = read_list(orig->holder, orig_key, &list, &n);
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(a->id, key);
    if (!rc && pt_copies_find_key(list, n, key) == n) {
        meta_key list_key;
        article_meta_key(list_key, PT_META_COPIES, orig_key);
        pt_buf b = PT_BUF_INIT;
        for (size_t i = 0; i < n && !rc; i++)
            rc = append_entry(&b, list[i].id, list[i].path, list[i].line_delta, list[i].offset_delta);
        if (!rc)
            rc = append_entry(&b, a->id, a->path, (int64_t)a->file_line - orig->line,
                              (int64_t)a->file_offset - orig->offset);
        if (!rc)
            rc = ptx_writer_set_metadata(orig->holder->writer, list_key, b.data, b.len);
        pt_buf_free(&b);
    }
    pt_copies_free(list, n);
    return rc;
}

int pt_copies_add(pt_index *ix, const pt_article *a, const char *key, uint64_t hash, uint64_t content,
                  const pt_original *orig)
{
    pt_article_record rec = {(char *)a->path, (char *)a->title, (char *)a->source, (char *)a->date, 0, hash,
                             PT_ARTICLE_FLAG_COPY | PT_ARTICLE_FLAG_CONTENT |
                                 (a->title_is_first_sentence ? PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE : 0),
                             content};
    meta_key copy_of;
    article_meta_key(copy_of, PT_META_COPY_OF, key);
    int rc = pt_index_put_record(ix, key, &rec);
    if (!rc) rc = ptx_writer_set_metadata(ix->writer, copy_of, orig->id, strlen(orig->id));
    if (!rc) rc = list_copy(a, orig);
    return rc ? rc : adjust_count(ix, 1);
}

int pt_copies_ensure_listed(pt_index *ix, const pt_article *a, const char *key)
{
    meta_key copy_of;
    article_meta_key(copy_of, PT_META_COPY_OF, key);
    char *orig_id = NULL, *value = NULL;
    uint64_t content = pt_article_content_hash(a);
    int rc = ptx_writer_get_metadata(ix->writer, copy_of, &orig_id, NULL);
    pt_index *holder = rc ? NULL : holder_of(ix, orig_id);
    content_entry e;
    if (!rc) rc = get_content(holder, content, &value);
    if (!rc && (!value || parse_content(value, &e) != PT_OK || strcmp(e.id, orig_id) != 0))
        rc = PT_ENOTFOUND; /* the original went (a kill between two shards' commits) */
    if (!rc)
        rc = list_copy(a, &(pt_original){orig_id, holder, e.line, e.offset});
    free(value);
    free(orig_id);
    return rc;
}

int pt_copies_forget(pt_index *ix, const char *key)
{
    meta_key copy_of;
    article_meta_key(copy_of, PT_META_COPY_OF, key);
    char *orig_id = NULL;
    int rc = ptx_writer_get_metadata(ix->writer, copy_of, &orig_id, NULL);
    if (rc == PT_ENOTFOUND)
        return adjust_count(ix, -1); /* listed nowhere: nothing else to undo */
    pt_index *holder = rc ? NULL : holder_of(ix, orig_id);
    char orig_key[PT_MAX_ID_IN_TERM + 1];
    pt_copy *list = NULL;
    size_t n = 0;
    if (!rc) {
        pt_article_key(orig_id, orig_key);
        rc = read_list(holder, orig_key, &list, &n);
    }
    size_t at = rc ? 0 : pt_copies_find_key(list, n, key);
    if (!rc && at < n)
        rc = write_list(holder, orig_key, list, n, at, 0, 0);
    if (!rc) rc = ptx_writer_set_metadata(ix->writer, copy_of, "", 0);
    if (!rc) rc = adjust_count(ix, -1);
    pt_copies_free(list, n);
    free(orig_id);
    return rc;
}

/* ------------------------------------------------------ handing over */

typedef struct {
    char **data;
    size_t *len;
    size_t n, cap;
} record_list;

static int collect_record(const char *data, size_t len, void *ctx)
{
    record_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **d = realloc(l->data, cap * sizeof *d);
        if (d)
            l->data = d;
        size_t *s = d ? realloc(l->len, cap * sizeof *s) : NULL;
        if (!s)
            return pt_fail(PT_ENOMEM, "out of memory");
        l->len = s;
        l->cap = cap;
    }
    if (!(l->data[l->n] = malloc(len ? len : 1)))
        return pt_fail(PT_ENOMEM, "out of memory");
    memcpy(l->data[l->n], data, len);
    l->len[l->n++] = len;
    return PT_OK;
}

static void record_list_free(record_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->data[i]);
    free(l->data);
    free(l->len);
}

/* Copy heir (list[0]) becomes the original of old's content: the
 * passages of orig_key analyzed again under heir's id in heir's shard, its
 * record without the copy flag, and the other copies listed under it. */
static int hand_over(pt_index *ix, const char *orig_key, const pt_article_record *old, const pt_copy *list,
                     size_t n, const content_entry *base)
{
    const pt_copy *heir = &list[0];
    pt_index *to = holder_of(ix, heir->id);
    char heir_key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(heir->id, heir_key);
    pt_article_record rec;
    int found = 0;
    int rc = pt_index_load_record(to, heir_key, &rec, &found);
    if (rc)
        return rc;
    if (!found || !(rec.flags & PT_ARTICLE_FLAG_COPY)) {
        /* gone (a damaged list), or handed the passages already by a run
         * killed before the original's shard committed */
        if (found)
            pt_article_record_clear(&rec);
        return PT_OK;
    }
    record_list records = {0};
    char term[sizeof PT_PREFIX_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    snprintf(term, sizeof term, "%s%s", PT_PREFIX_ARTICLE, orig_key);
    rc = ptx_writer_records(ix->writer, term, collect_record, &records);
    pt_article a = PT_ARTICLE_INIT;
    a.id = heir->id;
    a.title = rec.title;
    a.source = rec.source;
    a.date = rec.date;
    a.path = rec.path;
    a.title_is_first_sentence = (rec.flags & PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE) != 0;
    if (!rc)
        rc = pt_index_write_passages_of(to, &a, heir_key, (const char *const *)records.data, records.len, records.n,
                                        heir->line_delta, heir->offset_delta);
    if (!rc) {
        rec.flags &= ~(uint64_t)PT_ARTICLE_FLAG_COPY;
        rec.passages = records.n;
        rc = pt_index_put_record(to, heir_key, &rec);
    }
    if (!rc) rc = pt_index_count_article(to, 1);
    if (!rc) rc = adjust_count(to, -1);
    meta_key copy_of;
    article_meta_key(copy_of, PT_META_COPY_OF, heir_key);
    if (!rc) rc = ptx_writer_set_metadata(to->writer, copy_of, "", 0);
    if (!rc)
        rc = put_content(to, old->content, base->line + heir->line_delta, base->offset + heir->offset_delta, heir->id);
    if (!rc && n > 1)
        rc = write_list(to, heir_key, list, n, 0, heir->line_delta, heir->offset_delta);
    for (size_t i = 1; i < n && !rc; i++) {
        char k[PT_MAX_ID_IN_TERM + 1];
        pt_article_key(list[i].id, k);
        article_meta_key(copy_of, PT_META_COPY_OF, k);
        rc = ptx_writer_set_metadata(holder_of(ix, list[i].id)->writer, copy_of, heir->id, strlen(heir->id));
    }
    record_list_free(&records);
    pt_article_record_clear(&rec);
    return rc;
}

int pt_copies_before_delete(pt_index *ix, const char *key, const pt_article_record *old)
{
    if (!(old->flags & PT_ARTICLE_FLAG_CONTENT))
        return PT_OK; /* written before copies were: none */
    char *value = NULL;
    content_entry base;
    pt_copy *list = NULL;
    size_t n = 0;
    int rc = get_content(ix, old->content, &value);
    int names_it = 0;
    if (!rc && value && parse_content(value, &base) == PT_OK) {
        char k[PT_MAX_ID_IN_TERM + 1];
        pt_article_key(base.id, k);
        names_it = strcmp(k, key) == 0;
    }
    if (!rc && names_it) {
        meta_key content;
        content_key(content, old->content);
        rc = ptx_writer_set_metadata(ix->writer, content, "", 0);
    }
    if (!rc) rc = read_list(ix, key, &list, &n);
    if (!rc && n && names_it)
        rc = hand_over(ix, key, old, list, n, &base);
    if (!rc && n) {
        meta_key copies;
        article_meta_key(copies, PT_META_COPIES, key);
        rc = ptx_writer_set_metadata(ix->writer, copies, "", 0);
    }
    pt_copies_free(list, n);
    free(value);
    return rc;
}

/* ------------------------------------------------------- reader side */

int pt_copies_read(ptx_reader *r, const char *key, pt_copy **out, size_t *n)
{
    meta_key k;
    article_meta_key(k, PT_META_COPIES, key);
    char *data = NULL;
    size_t len = 0;
    int rc = ptx_reader_get_metadata(r, k, &data, &len);
    return list_read(rc, data, len, out, n);
}

int pt_copies_original_of(ptx_reader *r, const char *key, char **orig_id)
{
    meta_key k;
    article_meta_key(k, PT_META_COPY_OF, key);
    *orig_id = NULL;
    return ptx_reader_get_metadata(r, k, orig_id, NULL);
}
