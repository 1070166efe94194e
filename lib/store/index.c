/* index.c — the write side of the public API: an article goes in, is cut
 * into passages (passage.c), each passage is analyzed (analyzer.c) into a
 * Xapian document with terms (no positions: positions.h), filter terms, values and a compressed
 * passage record (record.c), and the article record is written as
 * metadata in the same commit (layout in schema.h). Boilerplate paragraphs
 * (boilerplate.c) never become passages; the lines each source repeats
 * (recurring.c) are learned by pt_index_learn and stored with each commit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/boilerplate.h"
#include "util/buf.h"
#include "store/commit_gate.h"
#include "store/copies.h"
#include "util/error.h"
#include "analysis/passage.h"
#include "ptsearch.h"
#include "store/record.h"
#include "store/schema.h"
#include "xapian/xapian_binding.h"

#include "store/index_internal.h"

/* ------------------------------------------------------------ open/close */

static int commit_one(pt_index *ix);
static int shard_stats(pt_index *ix, pt_index_stats *out);

/* A decimal count kept as metadata (0 when absent). */
static int load_count(pt_index *ix, const char *key, int64_t *out)
{
    char *value = NULL;
    int rc = ptx_writer_get_metadata(ix->writer, key, &value, NULL);
    *out = rc == PT_OK ? strtoll(value, NULL, 10) : 0;
    free(value);
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

static int check_schema(pt_index *ix)
{
    char *version = NULL;
    int rc = ptx_writer_get_metadata(ix->writer, PT_META_SCHEMA, &version, NULL);
    if (rc == PT_ENOTFOUND)
        return ptx_writer_set_metadata(ix->writer, PT_META_SCHEMA, PT_SCHEMA_VERSION,
                                       strlen(PT_SCHEMA_VERSION));
    if (rc)
        return rc;
    if (strcmp(version, PT_SCHEMA_VERSION) != 0)
        rc = pt_fail(PT_EVERSION, "index schema %s is not supported (this ptsearch writes %s): "
                     "remove the index and run ptindex again", version, PT_SCHEMA_VERSION);
    free(version);
    return rc;
}

static void recurring_bucket_key(char key[static sizeof PT_META_RECURRING + 8], unsigned bucket)
{
    snprintf(key, sizeof PT_META_RECURRING + 8, "%s%03x", PT_META_RECURRING, bucket);
}

/* One stored bucket of the table of recurring lines, read when the table
 * first needs it (pt_recurring_set_loader). */
static int load_recurring_bucket(unsigned bucket, void *ctx)
{
    pt_index *ix = ctx;
    char key[sizeof PT_META_RECURRING + 8];
    recurring_bucket_key(key, bucket);
    char *value = NULL;
    size_t len = 0;
    int rc = ptx_writer_get_metadata(ix->writer, key, &value, &len);
    if (!rc)
        rc = pt_recurring_decode_bucket(ix->recurring, bucket, value, len);
    free(value);
    /* Damaged, a bucket is read as empty and replaced at the next commit:
     * the table only decides what is hidden, and is learned again from
     * the articles indexed next (--rebuild learns from all). */
    return rc == PT_ECORRUPT || rc == PT_ENOTFOUND ? PT_OK : rc;
}

/* The stored table of recurring lines, read bucket by bucket as needed. */
static int load_recurring(pt_index *ix)
{
    ix->recurring = pt_recurring_new();
    if (!ix->recurring)
        return PT_ENOMEM;
    pt_recurring_set_loader(ix->recurring, load_recurring_bucket, ix);
    return PT_OK;
}

static pt_index *index_alloc(const char *dir)
{
    pt_index *ix = calloc(1, sizeof *ix);
    if (ix && !(ix->dir = strdup(dir))) {
        free(ix);
        ix = NULL;
    }
    if (!ix)
        pt_fail(PT_ENOMEM, "out of memory");
    return ix;
}

/* The rest of opening, once ix->writer is open (rc: how that went). */
static int index_open_rest(pt_index **out, pt_index *ix, int rc)
{
    if (!rc) rc = pt_analyzer_new(&ix->analyzer);
    if (!rc) rc = ptx_doc_new(&ix->doc);
    if (!rc) rc = pt_deflater_new(&ix->deflater);
    if (!rc) rc = check_schema(ix);
    if (!rc) rc = load_count(ix, PT_META_ARTICLE_COUNT, &ix->article_count);
    if (!rc) rc = load_count(ix, PT_META_COPY_COUNT, &ix->copy_count);
    if (!rc) rc = load_recurring(ix);
    if (rc) {
        pt_index_free(ix);
        return rc;
    }
    *out = ix;
    return PT_OK;
}

int pt_index_open_plain(pt_index **out, const char *dir, unsigned flags)
{
    *out = NULL;
    pt_index *ix = index_alloc(dir);
    if (!ix)
        return PT_ENOMEM;
    int rc = flags & PT_INDEX_CREATE ? pt_index_create_if_missing(dir) : PT_OK;
    if (!rc) rc = ptx_writer_open(&ix->writer, dir, 0, flags & PT_INDEX_WAIT);
    if (!rc)
        pt_index_remove_stale_temps(dir); /* as the writer: no compaction of ours runs */
    return index_open_rest(out, ix, rc);
}

int pt_index_open_part(pt_index **out, const char *dir, unsigned k)
{
    *out = NULL;
    char *path = pt_index_part_dir(dir, k);
    if (!path)
        return pt_fail(PT_ENOMEM, "out of memory");
    pt_index_remove_dir(path); /* a leftover of this pid's namesake */
    pt_index *ix = index_alloc(path);
    free(path);
    if (!ix)
        return PT_ENOMEM;
    ix->is_part = 1;
    return index_open_rest(out, ix, ptx_writer_open_part(&ix->writer, ix->dir));
}

unsigned pt_index_part_of(const char *id, unsigned n_parts)
{
    /* By the article's key, not its id: two long ids with one key are one
     * article to the index, and must meet in one part. */
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    return (unsigned)(pt_hash_bytes(PT_HASH_SEED, key, strlen(key)) % n_parts);
}

void pt_index_free(pt_index *ix)
{
    if (!ix)
        return;
    pt_index_free_shards(ix); /* they borrow ix's table */
    ptx_writer_close(ix->writer);
    if (ix->is_part)
        pt_index_remove_dir(ix->dir);
    free(ix->dir);
    pt_analyzer_free(ix->analyzer);
    ptx_doc_free(ix->doc);
    pt_deflater_free(ix->deflater);
    pt_buf_free(&ix->scratch);
    pt_buf_free(&ix->article_terms);
    pt_index_source_abort(ix);
    if (!ix->recurring_borrowed)
        pt_recurring_free(ix->recurring);
    pt_learned_free(&ix->learned);
    free(ix);
}

static int prefixed(pt_buf *b, const char *prefix, const char *rest)
{
    pt_buf_reset(b);
    int rc = pt_buf_append_str(b, prefix);
    return rc ? rc : pt_buf_append_str(b, rest);
}

/* ----------------------------------------------------------- one passage */

typedef struct {
    ptx_doc *doc;
    pt_minhash sig;
} passage_ctx;

/* Every term without positions: they were the largest part of the index
 * (half of it) and a third of the indexing time. Phrases and NEAR read
 * them from the passage text when they check a candidate (positions.h). */
static int add_term_cb(const pt_term *t, void *ctx)
{
    passage_ctx *pc = ctx;
    if (!(t->flags & PT_TERM_PART))
        pt_minhash_add(&pc->sig, t->term, t->term_len); /* each word once: compounds whole */
    return ptx_doc_add_term(pc->doc, t->term, t->term_len, 1);
}

/* The headline's words in the first passage when the passage text no
 * longer repeats the headline: found as before by the same words, with
 * the same weights; not in the MinHash, which describes the text. */
static int add_headline_term_cb(const pt_term *t, void *ctx)
{
    return ptx_doc_add_term(ctx, t->term, t->term_len, 1);
}

static int add_article_terms(pt_index *ix)
{
    const char *p = ix->article_terms.data;
    const char *end = p + ix->article_terms.len;
    while (p && p < end) {
        size_t len = strlen(p);
        int rc = ptx_doc_add_boolean_term(ix->doc, p, len);
        if (rc)
            return rc;
        p += len + 1;
    }
    return PT_OK;
}

/* One passage of article a: text[0..len), at byte start of its file. */
static int add_passage(pt_index *ix, const pt_article *a, const char *key, const char *text, size_t len,
                       uint64_t start, uint32_t ordinal, uint32_t line, int with_headline)
{
    ptx_doc_clear(ix->doc);
    passage_ctx pc;
    pc.doc = ix->doc;
    pt_minhash_init(&pc.sig);
    int rc = pt_analyze(ix->analyzer, text, len, 0, add_term_cb, &pc, NULL);
    if (!rc && with_headline)
        rc = pt_analyze(ix->analyzer, a->title, strlen(a->title), 0, add_headline_term_cb, ix->doc, NULL);
    if (!rc) rc = add_article_terms(ix);
    if (!rc) rc = ptx_doc_set_value(ix->doc, PT_SLOT_ARTICLE, key, strlen(key));
    if (!rc && a->date && strlen(a->date) == 10) {
        char ymd[8] = {a->date[0], a->date[1], a->date[2], a->date[3],
                       a->date[5], a->date[6], a->date[8], a->date[9]};
        rc = ptx_doc_set_value(ix->doc, PT_SLOT_DATE, ymd, sizeof ymd);
    }
    if (rc)
        return rc;
    /* The headline left out of the text: a phrase of its words still finds
     * the passage. The id stays out when it is the key slot 0 holds. */
    int id_is_key = strcmp(a->id, key) == 0;
    pt_passage_record rec = {ordinal, start, line, {{0}}, id_is_key ? NULL : a->id,
                             id_is_key ? 0 : strlen(a->id), text, len,
                             with_headline ? a->title : NULL, with_headline ? strlen(a->title) : 0};
    pt_minhash_value(&pc.sig, &rec.signature);
    pt_buf_reset(&ix->scratch);
    rc = pt_record_encode_passage(&ix->scratch, &rec, ix->deflater);
    if (!rc) rc = ptx_doc_set_value(ix->doc, PT_SLOT_RECORD, ix->scratch.data, ix->scratch.len);
    if (!rc) rc = ptx_writer_count_passage(ix->writer, ix->doc);
    return rc ? rc : ptx_writer_add(ix->writer, ix->doc, NULL);
}

/* ------------------------------------------------------------- an article */

static int collect_prefixed_cb(const pt_term *t, void *ctx)
{
    pt_buf *terms = ((void **)ctx)[0];
    const char *prefix = ((void **)ctx)[1];
    int rc = pt_buf_append_str(terms, prefix);
    if (!rc) rc = pt_buf_append(terms, t->term, t->term_len);
    return rc ? rc : pt_buf_append_byte(terms, '\0');
}

/* The filter terms every passage of the article carries: the article term,
 * title words and source words. */
static int build_article_terms(pt_index *ix, const pt_article *a, const char *key)
{
    pt_buf *terms = &ix->article_terms;
    pt_buf_reset(terms);
    int rc = pt_buf_append_str(terms, PT_PREFIX_ARTICLE);
    if (!rc) rc = pt_buf_append_str(terms, key);
    if (!rc) rc = pt_buf_append_byte(terms, '\0');
    void *title_ctx[2] = {terms, PT_PREFIX_TITLE};
    /* A first sentence standing in for a missing headline is text, not a
     * title: its words are not title words. */
    if (!rc && a->title && !a->title_is_first_sentence)
        rc = pt_analyze(ix->analyzer, a->title, strlen(a->title), 0, collect_prefixed_cb, title_ctx, NULL);
    void *source_ctx[2] = {terms, PT_PREFIX_SOURCE};
    if (!rc && a->source)
        rc = pt_analyze(ix->analyzer, a->source, strlen(a->source), 0, collect_prefixed_cb, source_ctx, NULL);
    return rc;
}

static uint32_t count_lines(const char *text, size_t from, size_t to)
{
    uint32_t n = 0;
    for (const char *p = text + from; (p = memchr(p, '\n', (size_t)(text + to - p))) != NULL; p++)
        n++;
    return n;
}

static int add_passages(pt_index *ix, const pt_article *a, const char *key, size_t *count_out)
{
    pt_passage *passages = NULL;
    size_t n = 0;
    pt_boilerplate_ctx filter;
    pt_boilerplate_ctx_init(&filter, a->title, a->text_len, ix->recurring, a->source);
    int rc = pt_passages_split_trimmed(&passages, &n, a->text, a->text_len, pt_boilerplate_keep, pt_boilerplate_trim,
                                       &filter);
    uint32_t line = a->file_line ? a->file_line : 1;
    size_t line_at = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!a->one_file_line)
            line += count_lines(a->text, line_at, passages[i].start);
        line_at = passages[i].start;
        const pt_passage *p = &passages[i];
        rc = add_passage(ix, a, key, a->text + p->start, p->end - p->start, a->file_offset + p->start, (uint32_t)i,
                         line, i == 0 && filter.headline_dropped);
    }
    free(passages);
    *count_out = n;
    return rc;
}

int pt_index_write_passages_of(pt_index *ix, const pt_article *a, const char *key, const char *const *records,
                               const size_t *lens, size_t n, int64_t line_delta, int64_t offset_delta)
{
    int rc = build_article_terms(ix, a, key);
    for (size_t i = 0; !rc && i < n; i++) {
        pt_passage_record rec;
        if ((rc = pt_record_decode_passage(&rec, records[i], lens[i])) != PT_OK)
            break;
        rc = add_passage(ix, a, key, rec.text, rec.text_len, (uint64_t)((int64_t)rec.start + offset_delta),
                         rec.ordinal, (uint32_t)((int64_t)rec.line + line_delta), rec.headline_len > 0);
        free((char *)rec.text);
    }
    int end = ptx_writer_end_article(ix->writer);
    return rc ? rc : end;
}

int pt_index_put_record(pt_index *ix, const char *key, const pt_article_record *rec)
{
    pt_buf_reset(&ix->scratch);
    int rc = pt_record_encode_article(&ix->scratch, rec->path, rec->title, rec->source, rec->date, rec->passages,
                                      rec->hash, rec->flags, rec->content);
    if (rc)
        return rc;
    char meta_key[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    snprintf(meta_key, sizeof meta_key, "%s%s", PT_META_ARTICLE, key);
    return ptx_writer_set_metadata(ix->writer, meta_key, ix->scratch.data, ix->scratch.len);
}

static int write_article_record(pt_index *ix, const pt_article *a, const char *key, size_t passages,
                                uint64_t hash, uint64_t content)
{
    uint64_t flags = PT_ARTICLE_FLAG_CONTENT | (a->title_is_first_sentence ? PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE : 0);
    pt_article_record rec = {(char *)a->path, (char *)a->title, (char *)a->source, (char *)a->date,
                             passages, hash, flags, content};
    return pt_index_put_record(ix, key, &rec);
}

int pt_index_load_record(pt_index *ix, const char *key, pt_article_record *rec, int *found)
{
    char meta_key[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    snprintf(meta_key, sizeof meta_key, "%s%s", PT_META_ARTICLE, key);
    char *data = NULL;
    size_t len = 0;
    int rc = ptx_writer_get_metadata(ix->writer, meta_key, &data, &len);
    *found = rc == PT_OK;
    if (rc == PT_ENOTFOUND)
        return PT_OK;
    if (!rc)
        rc = pt_record_decode_article(rec, data, len);
    free(data);
    return rc;
}

static int delete_record(pt_index *ix, const char *key)
{
    char meta_key[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    snprintf(meta_key, sizeof meta_key, "%s%s", PT_META_ARTICLE, key);
    return ptx_writer_set_metadata(ix->writer, meta_key, "", 0);
}

/* Deletes the article key (its record old): a copy leaves its original's
 * list; an article with passages hands them to its first copy, if any
 * (copies.h), and they go. */
static int remove_article(pt_index *ix, const char *key, const pt_article_record *old)
{
    if (old->flags & PT_ARTICLE_FLAG_COPY) {
        int rc = pt_copies_forget(ix, key);
        return rc ? rc : delete_record(ix, key);
    }
    int rc = pt_copies_before_delete(ix, key, old);
    if (!rc) rc = prefixed(&ix->scratch, PT_PREFIX_ARTICLE, key);
    if (!rc) rc = ptx_writer_uncount_article(ix->writer, ix->scratch.data);
    if (!rc) rc = ptx_writer_delete_term(ix->writer, ix->scratch.data);
    if (!rc) rc = delete_record(ix, key);
    return rc ? rc : pt_index_count_article(ix, -1);
}

/* What decides whether an article given again changed. */
static uint64_t article_hash(const pt_article *a)
{
    const char *fields[] = {a->title, a->source, a->date, a->path};
    uint64_t h = pt_hash_bytes(PT_HASH_SEED, a->text, a->text_len);
    for (size_t i = 0; i < 4; i++) {
        h = pt_hash_bytes(h, "\x1f", 1); /* so fields cannot shift into each other */
        if (fields[i])
            h = pt_hash_bytes(h, fields[i], strlen(fields[i]));
    }
    return h;
}

int pt_index_count_article(pt_index *ix, int delta)
{
    ix->article_count += delta;
    char count[24];
    int len = snprintf(count, sizeof count, "%" PRId64, ix->article_count);
    return ptx_writer_set_metadata(ix->writer, PT_META_ARTICLE_COUNT, count, (size_t)len);
}

static int check_article(const pt_article *a)
{
    if (!a || a->version != PT_ARTICLE_VERSION)
        return pt_fail(PT_EINVAL, "pt_article version %d is not %d", a ? a->version : 0, PT_ARTICLE_VERSION);
    if (!a->id || !*a->id)
        return pt_fail(PT_EINVAL, "article has no id");
    if (strlen(a->id) > PT_MAX_ID_BYTES)
        return pt_fail(PT_EINVAL, "article id longer than %d bytes", PT_MAX_ID_BYTES);
    if (!a->text && a->text_len)
        return pt_fail(PT_EINVAL, "article %s has no text pointer", a->id);
    return PT_OK;
}

static int write_article(pt_index *ix, const pt_article *a, const char *key, uint64_t hash, uint64_t content,
                         size_t *passages)
{
    int rc = build_article_terms(ix, a, key);
    if (!rc) rc = add_passages(ix, a, key, passages);
    /* the passages added count in the excess even when a later one failed */
    int end = ptx_writer_end_article(ix->writer);
    if (!rc) rc = end;
    return rc ? rc : write_article_record(ix, a, key, *passages, hash, content);
}

/* Writes a new article: a copy of the indexed article with its content if
 * there is one (copies.h), else its passages. */
static int store_article(pt_index *ix, const pt_article *a, const char *key, uint64_t hash, size_t *passages)
{
    uint64_t content = pt_article_content_hash(a);
    pt_original orig;
    int rc = pt_copies_find(ix, content, key, &orig);
    if (!rc && orig.id) {
        *passages = 0;
        rc = pt_copies_add(ix, a, key, hash, content, &orig);
    } else if (!rc) {
        rc = write_article(ix, a, key, hash, content, passages);
        if (!rc) rc = pt_copies_note_original(ix, a, content);
        if (!rc) rc = pt_index_count_article(ix, 1);
    }
    free(orig.id);
    return rc;
}

int pt_index_add(pt_index *ix, const pt_article *a, pt_add_result *result_out)
{
    pt_add_result result = {PT_ADD_NEW, 0};
    if (result_out)
        *result_out = result;
    int rc = check_article(a);
    if (rc)
        return rc;
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(a->id, key);
    pt_index *shard = pt_index_route(ix, a->id);
    if (shard != ix) {
        rc = pt_index_add(shard, a, &result); /* its own manifest is never open */
        if (result_out)
            *result_out = result;
        if (!rc && result.kind == PT_ADD_NEW)
            rc = pt_learned_note_indexed(ix, key); /* the table is ix's */
        return rc ? rc : pt_index_source_note(ix, a->id);
    }
    uint64_t hash = article_hash(a);
    pt_article_record old;
    int existed = 0;
    rc = pt_index_load_record(ix, key, &old, &existed);
    if (rc)
        return rc;
    if (existed) {
        result.kind = old.hash == hash ? PT_ADD_UNCHANGED : PT_ADD_UPDATED;
        result.passages = old.passages;
        if (result.kind == PT_ADD_UNCHANGED && (old.flags & PT_ARTICLE_FLAG_COPY) &&
            (rc = pt_copies_ensure_listed(ix, a, key)) == PT_ENOTFOUND) {
            result.kind = PT_ADD_UPDATED; /* a copy of nothing: stored again */
            rc = PT_OK;
        }
        if (!rc && result.kind == PT_ADD_UPDATED)
            rc = remove_article(ix, key, &old);
        pt_article_record_clear(&old);
    }
    if (!rc && result.kind != PT_ADD_UNCHANGED) {
        rc = store_article(ix, a, key, hash, &result.passages);
        if (!rc && !existed && !ix->recurring_borrowed)
            rc = pt_learned_note_indexed(ix, key);
    }
    if (!rc)
        rc = pt_index_source_note(ix, a->id);
    if (result_out)
        *result_out = result;
    return rc;
}

int pt_index_learn(pt_index *ix, const pt_article *a)
{
    int rc = check_article(a);
    if (rc)
        return rc;
    if (ix->recurring_borrowed)
        return pt_fail(PT_EINVAL, "a part of a parallel build does not learn");
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(a->id, key);
    pt_article_record old;
    int existed = 0;
    /* Whether the article is indexed, its shard says; the table is ix's,
     * one for all shards, so they trim as one index would. */
    pt_index *shard = pt_index_route(ix, a->id);
    if (shard->article_count > 0) /* an empty index (a full build) holds none */
        rc = pt_index_load_record(shard, key, &old, &existed);
    if (rc || existed) {
        if (existed)
            pt_article_record_clear(&old);
        return rc; /* counted when it was new: an article counts once */
    }
    /* Or counted by a run killed before it indexed the article. */
    int counted = 0;
    rc = pt_learned_counted(ix, key, &counted);
    if (rc || counted)
        return rc;
    rc = pt_recurring_learn(ix->recurring, a->source, a->title, a->text, a->text_len);
    int noted = pt_learned_note_learned(ix, key); /* even partly counted (PT_ENOMEM) */
    return rc ? rc : noted;
}

void pt_index_share_recurring(pt_index *part, pt_index *from)
{
    /* Every bucket read now: the parts' threads then only read the table.
     * A failure is returned by from's next commit. */
    (void)pt_recurring_load_all(from->recurring);
    if (!part->recurring_borrowed)
        pt_recurring_free(part->recurring);
    part->recurring = from->recurring;
    part->recurring_borrowed = 1;
}

static int put_recurring_bucket(unsigned bucket, const void *data, size_t len, void *ctx)
{
    pt_index *ix = ctx;
    char key[sizeof PT_META_RECURRING + 8];
    recurring_bucket_key(key, bucket);
    return ptx_writer_set_metadata(ix->writer, key, data, len);
}

/* Writes the buckets of the table of recurring lines that changed since
 * they were read, and with them the articles the table counts. */
static int store_recurring(pt_index *ix)
{
    if (ix->recurring_borrowed)
        return PT_OK;
    int rc = pt_recurring_store(ix->recurring, put_recurring_bucket, ix);
    return rc ? rc : pt_learned_store(ix);
}

int pt_index_drop_article(pt_index *ix, const char *id, char **path_out)
{
    if (path_out)
        *path_out = NULL;
    if (!id || !*id)
        return pt_fail(PT_EINVAL, "empty article id");
    if (pt_index_route(ix, id) != ix)
        return pt_index_drop_article(pt_index_route(ix, id), id, path_out);
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    pt_article_record old;
    int existed = 0;
    int rc = pt_index_load_record(ix, key, &old, &existed);
    if (rc)
        return rc;
    if (!existed)
        return pt_fail(PT_ENOTFOUND, "no article %s in the index", id);
    rc = remove_article(ix, key, &old);
    if (!rc && path_out) {
        *path_out = old.path; /* handed over: not freed by the clear below */
        old.path = NULL;
    }
    pt_article_record_clear(&old);
    return rc;
}

/* The source the article came from no longer lists it (and will be read
 * again), so the manifest stays true to the index. */
int pt_index_remove(pt_index *ix, const char *id)
{
    char *path = NULL;
    int rc = pt_index_drop_article(ix, id, &path);
    if (!rc && path && *path)
        rc = pt_index_source_forget(ix, path, id);
    free(path);
    return rc;
}

/* A sharded index commits shard by shard, shard 0 (the manifest) last: a
 * kill between two leaves a manifest that never lists an article its
 * shard lacks, so the next run reads again what was not recorded. A
 * reader between two commits sees the shards committed so far. Readers
 * of the whole index gate on its directory: held for all the commits. */
static int commit_shards(pt_index *ix)
{
    int gate = pt_gate_take(ix->top_dir, 1, PT_GATE_WRITER_WAIT);
    int rc = PT_OK;
    for (unsigned k = ix->n_shards; k-- > 0 && !rc;)
        rc = k ? pt_index_commit(ix->shards[k]) : commit_one(ix);
    pt_gate_release(gate);
    return rc;
}

int pt_index_commit(pt_index *ix)
{
    return ix->n_shards ? commit_shards(ix) : commit_one(ix);
}

static int commit_one(pt_index *ix)
{
    /* A reader that could not finish between commits holds the gate. After
     * a failure the writer refuses everything: no count to restore. */
    int rc = store_recurring(ix);
    if (rc)
        return rc;
    int gate = ix->is_part ? -1 : pt_gate_take(ix->dir, 1, PT_GATE_WRITER_WAIT);
    rc = ptx_writer_commit(ix->writer);
    pt_gate_release(gate);
    return rc;
}

void pt_set_fatal_write_handler(void (*fn)(int status, void *ctx), void *ctx)
{
    ptx_on_fatal_write(fn, ctx);
}

int pt_index_get_stats(pt_index *ix, pt_index_stats *out)
{
    if (ix->n_shards) { /* the sum over the shards */
        pt_index_stats sum = {0, 0}, one;
        for (unsigned k = 0; k < ix->n_shards; k++) {
            pt_index *shard = ix->shards[k];
            int rc = shard_stats(shard, &one);
            if (rc)
                return rc;
            sum.articles += one.articles;
            sum.passages += one.passages;
        }
        *out = sum;
        return PT_OK;
    }
    return shard_stats(ix, out);
}

static int shard_stats(pt_index *ix, pt_index_stats *out)
{
    uint64_t docs = 0;
    int rc = ptx_writer_doccount(ix->writer, &docs);
    if (rc)
        return rc;
    out->articles = (uint64_t)(ix->article_count > 0 ? ix->article_count : 0) +
                    (uint64_t)(ix->copy_count > 0 ? ix->copy_count : 0);
    out->passages = docs;
    return PT_OK;
}
