/* check.c — pt_index_check: Xapian's consistency check of the tables, then
 * the project's own of what must agree across them: article records and
 * their passages, the article count, and the sources' article lists. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ptsearch.h"
#include "record.h"
#include "schema.h"
#include "xapian_binding.h"

typedef struct {
    ptx_reader *reader;
    void (*report)(const char *problem, void *ctx);
    void *ctx;
    uint64_t problems, articles;
} check_ctx;

static void problem(check_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(check_ctx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->report)
        c->report(msg, c->ctx);
}

/* An article record decodes, and its passage count matches the passages
 * indexed under its article term. */
static int check_article_cb(const char *key, size_t len, void *ctx)
{
    check_ctx *c = ctx;
    char *data = NULL;
    size_t dlen = 0;
    (void)len;
    c->articles++;
    int rc = ptx_reader_get_metadata(c->reader, key, &data, &dlen);
    if (rc)
        return rc;
    pt_article_record rec;
    if (pt_record_decode_article(&rec, data, dlen) != PT_OK) {
        problem(c, "article record %s does not decode", key);
    } else {
        char term[sizeof PT_PREFIX_ARTICLE + PT_MAX_ID_IN_TERM + 1];
        uint64_t freq = 0;
        snprintf(term, sizeof term, "%s%s", PT_PREFIX_ARTICLE, key + strlen(PT_META_ARTICLE));
        rc = ptx_reader_termfreq(c->reader, term, &freq);
        if (!rc && freq != rec.passages)
            problem(c, "article %s: record says %" PRIu64 " passages, index has %" PRIu64,
                    key + strlen(PT_META_ARTICLE), rec.passages, freq);
        pt_article_record_clear(&rec);
    }
    free(data);
    return rc;
}

/* Every article term belongs to an article record. */
static int check_term_cb(const char *term, size_t len, uint64_t freq, void *ctx)
{
    check_ctx *c = ctx;
    char key[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 8];
    (void)freq;
    snprintf(key, sizeof key, "%s%.*s", PT_META_ARTICLE, (int)(len - 1), term + 1);
    char *data = NULL;
    int rc = ptx_reader_get_metadata(c->reader, key, &data, NULL);
    free(data);
    if (rc == PT_ENOTFOUND) {
        problem(c, "passages of article %.*s have no article record", (int)(len - 1), term + 1);
        return PT_OK;
    }
    return rc;
}

/* Every article a source lists exists. */
static int check_source_cb(const char *key, size_t len, void *ctx)
{
    check_ctx *c = ctx;
    char *data = NULL;
    size_t dlen = 0;
    (void)len;
    int rc = ptx_reader_get_metadata(c->reader, key, &data, &dlen);
    if (rc)
        return rc;
    pt_source_record rec;
    if (pt_record_decode_source(&rec, data, dlen) != PT_OK) {
        problem(c, "source record %s does not decode", key);
        free(data);
        return PT_OK;
    }
    char ikey[4096];
    char *ids = NULL;
    snprintf(ikey, sizeof ikey, "%c%s", PT_META_SOURCE_IDS, key + 1);
    rc = ptx_reader_get_metadata(c->reader, ikey, &ids, &rec.ids_len);
    rec.ids = ids;
    if (rc == PT_ENOTFOUND && rec.n_ids > 0)
        problem(c, "source %.*s has no ids record", (int)rec.path_len, rec.path);
    if (rc == PT_ENOTFOUND)
        rc = PT_OK;
    size_t cursor = 0, id_len;
    const char *id;
    while (!rc && pt_record_next_id(&rec, &cursor, &id, &id_len) == PT_OK) {
        char id_buf[1024], akey[PT_MAX_ID_IN_TERM + 1], mkey[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
        snprintf(id_buf, sizeof id_buf, "%.*s", (int)id_len, id);
        pt_article_key(id_buf, akey);
        snprintf(mkey, sizeof mkey, "%s%s", PT_META_ARTICLE, akey);
        char *article = NULL;
        rc = ptx_reader_get_metadata(c->reader, mkey, &article, NULL);
        free(article);
        if (rc == PT_ENOTFOUND) {
            problem(c, "source %.*s lists article %s, which is not in the index", (int)rec.path_len,
                    rec.path, id_buf);
            rc = PT_OK;
        }
    }
    free(ids);
    free(data);
    return rc;
}

static int check_article_count(check_ctx *c)
{
    char *value = NULL;
    int rc = ptx_reader_get_metadata(c->reader, PT_META_ARTICLE_COUNT, &value, NULL);
    uint64_t counted = rc == PT_OK ? strtoull(value, NULL, 10) : 0;
    free(value);
    if (rc && rc != PT_ENOTFOUND)
        return rc;
    if (counted != c->articles)
        problem(c, "article count says %" PRIu64 ", index has %" PRIu64 " article records", counted,
                c->articles);
    return PT_OK;
}

static int check_xapian(const char *dir, check_ctx *c)
{
    char *report = NULL;
    int rc = ptx_check(dir, &report);
    if (rc == PT_ECORRUPT) {
        problem(c, "Xapian's check found errors: %s", report ? report : pt_error_last());
        rc = PT_OK;
    }
    free(report);
    return rc;
}

int pt_index_check(const char *dir, void (*report)(const char *problem, void *ctx), void *ctx,
                   pt_index_stats *stats_out)
{
    check_ctx c = {NULL, report, ctx, 0, 0};
    int rc = ptx_reader_open(&c.reader, dir);
    if (rc == PT_ENOTFOUND)
        return pt_fail(PT_ENOTFOUND, "no index at %s", dir);
    if (!rc) rc = check_xapian(dir, &c);
    if (!rc) rc = ptx_reader_metadata_keys(c.reader, PT_META_ARTICLE, check_article_cb, &c);
    if (!rc) rc = check_article_count(&c);
    if (!rc) rc = ptx_reader_allterms(c.reader, PT_PREFIX_ARTICLE, check_term_cb, &c);
    if (!rc) rc = ptx_reader_metadata_keys(c.reader, PT_META_SOURCE, check_source_cb, &c);
    if (!rc) rc = ptx_reader_metadata_keys(c.reader, PT_META_SOURCE_HASHED, check_source_cb, &c);
    uint64_t passages = 0;
    if (!rc) rc = ptx_reader_doccount(c.reader, &passages);
    if (!rc && stats_out)
        *stats_out = (pt_index_stats){c.articles, passages};
    ptx_reader_close(c.reader);
    if (rc)
        return rc;
    if (c.problems)
        return pt_fail(PT_ECORRUPT, "%" PRIu64 " problem(s) found in %s", c.problems, dir);
    return PT_OK;
}
