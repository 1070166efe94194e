/* check.c — pt_index_check: the tables the index needs are there, Xapian's
 * consistency check passes, a search can run, then the project's own check
 * of what must agree across the tables: article records and their
 * passages, the article count, and the sources' article lists. All of it
 * on one committed state: a writer committing meanwhile makes it start
 * again, so a busy index is never reported as damaged. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "ptsearch.h"
#include "store/copies.h"
#include "store/index_internal.h"
#include "store/record.h"
#include "store/schema.h"
#include "xapian/xapian_binding.h"

/* Attempts at a stable view, the pause before attempt k being
 * CHECK_PAUSE_MS << k (about 3 s in all). */
#define CHECK_ATTEMPTS 6
#define CHECK_PAUSE_MS 50

/* Lines of Xapian's report that tell no error. */
static const char *const xapian_ok_lines[] = {
    "Lazily created, and not yet used.", "Not present.", "table structure checked OK",
};
/* At most this many of Xapian's error lines are reported one by one. */
#define MAX_XAPIAN_LINES 10

typedef struct {
    const char *dir;
    ptx_reader *reader;
    char *snapshot; /* the commit the reader sees (ptx_reader_snapshot) */
    pt_buf problems; /* NUL-terminated messages, reported once the view proved stable */
    uint64_t n_problems, articles, passages;
    /* Checking shard `shard` of a sharded index at top (n_shards > 0): its
     * articles must route to it, and the manifest's ids are looked for in
     * their shards, read by others[k] (opened when first needed, at the
     * commit others_snap[k], which must not change during the check). */
    const char *top;
    unsigned shard, n_shards;
    ptx_reader **others;
    char **others_snap;
    uint64_t copies; /* of the articles, exact copies (copies.h) */
} check_ctx;

static void problem(check_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(check_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    c->n_problems++;
    if (n < 0 || pt_buf_reserve(&c->problems, (size_t)n + 1) != PT_OK)
        return; /* still counted */
    va_start(ap, fmt);
    vsnprintf(c->problems.data + c->problems.len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->problems.len += (size_t)n + 1; /* keeps the NUL as the separator */
}

/* ------------------------------------------------- tables and Xapian's check */

/* The glass tables every index with passages has (position, spelling,
 * synonym and docdata are never written). Xapian's check and even opening
 * the index pass without termlist, but no search or update works. */
static void check_tables(check_ctx *c)
{
    static const char *const needed[] = {"postlist", "termlist"};
    struct stat sb;
    if (stat(c->dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return; /* a stub file of shards: each shard is its own index */
    for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
        if (c->passages == 0 && i > 0)
            break; /* an empty index has only the postlist (metadata) */
        char *path = pt_strdupf("%s/%s.glass", c->dir, needed[i]);
        if (path && stat(path, &sb) != 0)
            problem(c, "table %s is missing (%s.glass): the index cannot be searched or updated; "
                       "rebuild it (ptindex --rebuild)", needed[i], needed[i]);
        free(path);
    }
}

static int is_ok_line(const char *line, size_t len)
{
    if (len == 0 || line[len - 1] == ':') /* blank, or a table's name */
        return 1;
    for (size_t i = 0; i < sizeof xapian_ok_lines / sizeof *xapian_ok_lines; i++) {
        size_t m = strlen(xapian_ok_lines[i]);
        if (len >= m && memcmp(line + len - m, xapian_ok_lines[i], m) == 0)
            return 1;
    }
    return 0;
}

/* Xapian's report, one problem per error line ("table: error"). */
static void report_xapian_errors(check_ctx *c, const char *report)
{
    char table[64] = "";
    unsigned shown = 0, more = 0;
    for (const char *p = report; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len && p[len - 1] == ':' && len < sizeof table)
            snprintf(table, sizeof table, "%.*s", (int)(len - 1), p);
        else if (!is_ok_line(p, len) && shown++ < MAX_XAPIAN_LINES)
            problem(c, "Xapian's check: %s%s%.*s", table, *table ? ": " : "", (int)len, p);
        else if (!is_ok_line(p, len))
            more++;
        p += len + (p[len] == '\n');
    }
    if (more)
        problem(c, "Xapian's check: %u more error line(s)", more);
}

/* PT_EMODIFIED when the index changed under the check; another failure
 * of Xapian's check is a problem of the index (if the view proves stable). */
static int check_xapian(check_ctx *c)
{
    char *report = NULL;
    int rc = ptx_check(c->dir, &report);
    if (rc == PT_ECORRUPT) {
        report_xapian_errors(c, report);
        if (c->n_problems == 0)
            problem(c, "Xapian's check: %s", pt_error_last());
        rc = PT_OK;
    } else if (rc && rc != PT_EMODIFIED && rc != PT_ENOMEM) {
        problem(c, "Xapian's check failed: %s", pt_error_last());
        rc = PT_OK;
    }
    free(report);
    return rc;
}

static int check_search(check_ctx *c)
{
    int rc = ptx_reader_probe(c->reader);
    if (rc && rc != PT_EMODIFIED && rc != PT_ENOMEM) {
        problem(c, "a search fails: %s", pt_error_last());
        rc = PT_OK;
    }
    return rc;
}

/* ------------------------------------------------------ the project's check */

/* A check of one metadata record: key, its value data[0..len). It
 * returns a status, or UNDECODABLE when the record does not decode. */
typedef int (*record_check_fn)(check_ctx *c, const char *key, const char *data, size_t len);
enum { UNDECODABLE = 1 };

/* Runs check on key's metadata value (for ptx_reader_metadata_keys); kind
 * names the record in the problem an undecodable one makes. */
static int check_record(check_ctx *c, const char *key, const char *kind, record_check_fn check)
{
    char *data = NULL;
    size_t dlen = 0;
    int rc = ptx_reader_get_metadata(c->reader, key, &data, &dlen);
    if (!rc)
        rc = check(c, key, data, dlen);
    free(data);
    if (rc == UNDECODABLE) {
        problem(c, "%s record %s does not decode", kind, key);
        rc = PT_OK;
    }
    return rc;
}

static ptx_reader *reader_of(check_ctx *c, const char *key, int *rc);

/* A copy names its original, and the original lists it. */
static int check_copy(check_ctx *c, const char *key)
{
    char *orig_id = NULL;
    int rc = pt_copies_original_of(c->reader, key, &orig_id);
    if (rc == PT_ENOTFOUND) {
        problem(c, "article %s is a copy of no article", key);
        return PT_OK;
    }
    char orig_key[PT_MAX_ID_IN_TERM + 1];
    ptx_reader *holder = NULL;
    pt_copy *copies = NULL;
    size_t n = 0;
    if (!rc) {
        pt_article_key(orig_id, orig_key);
        holder = reader_of(c, orig_key, &rc);
    }
    if (!rc) rc = pt_copies_read(holder, orig_key, &copies, &n);
    size_t at = rc ? 0 : pt_copies_find_key(copies, n, key);
    if (rc == PT_ECORRUPT) {
        problem(c, "the copies of article %s do not decode", orig_id);
        rc = PT_OK;
    } else if (!rc && at == n) {
        problem(c, "article %s is a copy of %s, which does not list it", key, orig_id);
    }
    pt_copies_free(copies, n);
    free(orig_id);
    return rc;
}

/* An article record decodes, and its passage count matches the passages
 * indexed under its article term; a copy has none, and its original lists
 * it. */
static int check_article(check_ctx *c, const char *key, const char *data, size_t dlen)
{
    pt_article_record rec;
    if (pt_record_decode_article(&rec, data, dlen) != PT_OK)
        return UNDECODABLE;
    if (rec.flags & PT_ARTICLE_FLAG_COPY) {
        c->copies++;
        int rc = check_copy(c, key + strlen(PT_META_ARTICLE));
        if (rc) {
            pt_article_record_clear(&rec);
            return rc;
        }
    }
    char term[sizeof PT_PREFIX_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    uint64_t freq = 0;
    snprintf(term, sizeof term, "%s%s", PT_PREFIX_ARTICLE, key + strlen(PT_META_ARTICLE));
    int rc = ptx_reader_termfreq(c->reader, term, &freq);
    if (!rc && freq != rec.passages)
        problem(c, "article %s: record says %" PRIu64 " passages, index has %" PRIu64,
                key + strlen(PT_META_ARTICLE), rec.passages, freq);
    pt_article_record_clear(&rec);
    return rc;
}

static int check_article_cb(const char *key, size_t len, void *ctx)
{
    check_ctx *c = ctx;
    (void)len;
    c->articles++;
    const char *article = key + strlen(PT_META_ARTICLE);
    if (c->n_shards && pt_index_shard_of(article, c->n_shards) != c->shard)
        problem(c, "article %s is in shard %u, but its id belongs in shard %u", article, c->shard,
                pt_index_shard_of(article, c->n_shards));
    return check_record(c, key, "article", check_article);
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

static char *current_snapshot(const char *dir);

/* The reader of the shard that keeps the article key: c->reader, or in a
 * sharded index the reader of another shard; NULL (with *rc) on failure. */
static ptx_reader *reader_of(check_ctx *c, const char *key, int *rc)
{
    unsigned k = c->n_shards ? pt_index_shard_of(key, c->n_shards) : c->shard;
    *rc = PT_OK;
    if (k == c->shard)
        return c->reader;
    if (!c->others[k]) {
        char *dir = pt_index_shard_dir(c->top, k);
        *rc = dir ? ptx_reader_open(&c->others[k], dir) : pt_fail(PT_ENOMEM, "out of memory");
        if (!*rc)
            *rc = ptx_reader_snapshot(c->others[k], &c->others_snap[k]);
        free(dir);
    }
    return *rc ? NULL : c->others[k];
}

/* Closes the other shards' readers: PT_EMODIFIED when one of them moved
 * to another commit since it was opened. */
static int close_others(check_ctx *c)
{
    int rc = PT_OK;
    for (unsigned k = 0; k < c->n_shards; k++) {
        if (!c->others[k])
            continue;
        char *dir = pt_index_shard_dir(c->top, k);
        char *now = dir ? current_snapshot(dir) : NULL;
        if (!now || !c->others_snap[k] || strcmp(now, c->others_snap[k]) != 0)
            rc = PT_EMODIFIED;
        free(now);
        free(dir);
        ptx_reader_close(c->others[k]);
        free(c->others_snap[k]);
        c->others[k] = NULL;
        c->others_snap[k] = NULL;
    }
    return rc;
}

/* The article of id[0..len) has a record; PT_ENOTFOUND when not. */
static int article_exists(check_ctx *c, const char *id, size_t len)
{
    char *whole = strndup(id, len);
    if (!whole)
        return pt_fail(PT_ENOMEM, "out of memory");
    char akey[PT_MAX_ID_IN_TERM + 1], mkey[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    pt_article_key(whole, akey);
    free(whole);
    snprintf(mkey, sizeof mkey, "%s%s", PT_META_ARTICLE, akey);
    char *article = NULL;
    int rc;
    ptx_reader *reader = reader_of(c, akey, &rc);
    if (reader)
        rc = ptx_reader_get_metadata(reader, mkey, &article, NULL);
    free(article);
    return rc;
}

/* Every article the source's ids record lists exists. */
static int check_source_ids(check_ctx *c, const char *key, pt_source_record *rec)
{
    char *ikey = strdup(key), *ids = NULL;
    if (!ikey)
        return pt_fail(PT_ENOMEM, "out of memory");
    ikey[0] = PT_META_SOURCE_IDS;
    int rc = ptx_reader_get_metadata(c->reader, ikey, &ids, &rec->ids_len);
    free(ikey);
    rec->ids = ids;
    if (rc == PT_ENOTFOUND && rec->n_ids > 0)
        problem(c, "source %.*s has no ids record", (int)rec->path_len, rec->path);
    if (rc == PT_ENOTFOUND)
        rc = PT_OK;
    size_t cursor = 0, id_len;
    const char *id;
    while (!rc && pt_record_next_id(rec, &cursor, &id, &id_len) == PT_OK) {
        rc = article_exists(c, id, id_len);
        if (rc == PT_ENOTFOUND) {
            problem(c, "source %.*s lists article %.*s, which is not in the index", (int)rec->path_len,
                    rec->path, (int)id_len, id);
            rc = PT_OK;
        }
    }
    free(ids);
    return rc;
}

/* A source record decodes, and every article it lists exists. */
static int check_source(check_ctx *c, const char *key, const char *data, size_t dlen)
{
    pt_source_record rec;
    if (pt_record_decode_source(&rec, data, dlen) != PT_OK)
        return UNDECODABLE;
    return check_source_ids(c, key, &rec);
}

static int check_source_cb(const char *key, size_t len, void *ctx)
{
    (void)len;
    return check_record(ctx, key, "source", check_source);
}

static int read_count(check_ctx *c, const char *key, uint64_t *out)
{
    char *value = NULL;
    int rc = ptx_reader_get_metadata(c->reader, key, &value, NULL);
    *out = rc == PT_OK ? strtoull(value, NULL, 10) : 0;
    free(value);
    return rc == PT_ENOTFOUND ? PT_OK : rc;
}

static int check_article_count(check_ctx *c)
{
    uint64_t counted = 0, copies = 0;
    int rc = read_count(c, PT_META_ARTICLE_COUNT, &counted);
    if (!rc) rc = read_count(c, PT_META_COPY_COUNT, &copies);
    if (rc)
        return rc;
    if (counted != c->articles - c->copies)
        problem(c, "article count says %" PRIu64 ", index has %" PRIu64 " article records", counted,
                c->articles - c->copies);
    if (copies != c->copies)
        problem(c, "copy count says %" PRIu64 ", index has %" PRIu64 " copies", copies, c->copies);
    return PT_OK;
}

/* ------------------------------------------------------------ one attempt */

/* The commit a fresh reader of dir sees (malloc'd), or NULL. */
static char *current_snapshot(const char *dir)
{
    ptx_reader *r = NULL;
    char *snap = NULL;
    if (ptx_reader_open(&r, dir) == PT_OK)
        ptx_reader_snapshot(r, &snap);
    ptx_reader_close(r);
    return snap;
}

/* Xapian 1.4.22 leaks an iterator whose first step throws (a commit made
 * the reader's blocks stale): so no iterator is started on a reader that
 * a commit has made old; such an attempt ends here and is made again. */
static int still_current(check_ctx *c)
{
    char *now = current_snapshot(c->dir);
    int same = now && strcmp(now, c->snapshot) == 0;
    free(now);
    return same ? PT_OK : pt_fail(PT_EMODIFIED, "the index changed during the check");
}

static int check_contents(check_ctx *c)
{
    int rc = ptx_reader_doccount(c->reader, &c->passages);
    if (!rc) check_tables(c);
    if (!rc) rc = check_xapian(c);
    if (!rc) rc = still_current(c);
    if (!rc) rc = check_search(c);
    if (!rc) rc = still_current(c);
    if (!rc) rc = ptx_reader_metadata_keys(c->reader, PT_META_ARTICLE, check_article_cb, c);
    if (!rc) rc = check_article_count(c);
    if (!rc) rc = still_current(c);
    if (!rc) rc = ptx_reader_allterms(c->reader, PT_PREFIX_ARTICLE, check_term_cb, c);
    if (!rc) rc = still_current(c);
    if (!rc) rc = ptx_reader_metadata_keys(c->reader, PT_META_SOURCE, check_source_cb, c);
    if (!rc) rc = still_current(c);
    if (!rc) rc = ptx_reader_metadata_keys(c->reader, PT_META_SOURCE_HASHED, check_source_cb, c);
    return rc;
}

/* The reader cannot be opened. A commit at that moment can make Xapian
 * read a block it was rewriting ("damaged"): only an index that fails the
 * same way with no commit around it is reported. */
static int check_unopened(check_ctx *c, int rc, const char *before)
{
    char *why = strdup(pt_error_last());
    char *after = current_snapshot(c->dir);
    int stable = before ? after && strcmp(before, after) == 0 : !after;
    char *version = pt_strdupf("%s/iamglass", c->dir);
    int present = version && access(version, F_OK) == 0;
    free(version);
    free(after);
    if (!stable && present)
        rc = pt_fail(PT_EMODIFIED, "the index changed while it was being opened");
    else if (!present && rc == PT_ENOTFOUND)
        rc = pt_fail(PT_ENOTFOUND, "no index at %s", c->dir);
    else if (rc != PT_ENOMEM) {
        problem(c, "the index cannot be opened: %s", why ? why : "out of memory");
        rc = PT_OK;
    }
    free(why);
    return rc;
}

/* Checks the commit a reader sees. PT_EMODIFIED when another commit came
 * meanwhile (Xapian's check reads the files as they are, not the reader's
 * commit; and a block rewritten under a read can look damaged): what was
 * found then means nothing. */
static int check_once(check_ctx *c)
{
    char *before = current_snapshot(c->dir);
    int rc = ptx_reader_open(&c->reader, c->dir);
    if (rc) {
        rc = check_unopened(c, rc, before);
        free(before);
        return rc;
    }
    free(before);
    char *after = NULL;
    rc = ptx_reader_snapshot(c->reader, &c->snapshot);
    if (!rc) rc = check_contents(c);
    if (rc && rc != PT_EMODIFIED && rc != PT_ENOMEM) {
        problem(c, "reading the index failed: %s", pt_error_last());
        rc = PT_OK;
    }
    if (close_others(c) == PT_EMODIFIED && rc != PT_ENOMEM)
        rc = PT_EMODIFIED;
    if (rc != PT_ENOMEM) {
        after = current_snapshot(c->dir);
        if (!c->snapshot || !after || strcmp(c->snapshot, after) != 0)
            rc = PT_EMODIFIED;
    }
    free(c->snapshot);
    c->snapshot = NULL;
    free(after);
    ptx_reader_close(c->reader);
    c->reader = NULL;
    return rc;
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {
    }
}

/* Checks the index at c->dir, again while a writer's commits come in the
 * middle; reports the problems found. */
static int check_dir(check_ctx *c, void (*report)(const char *problem, void *ctx), void *ctx,
                     pt_index_stats *stats_out)
{
    int rc = PT_EMODIFIED;
    for (int attempt = 0; attempt < CHECK_ATTEMPTS && rc == PT_EMODIFIED; attempt++) {
        if (attempt)
            pause_ms((long)CHECK_PAUSE_MS << attempt);
        pt_buf_reset(&c->problems);
        c->n_problems = c->articles = c->passages = 0;
        rc = check_once(c);
    }
    for (size_t at = 0; !rc && report && at < c->problems.len; at += strlen(c->problems.data + at) + 1)
        report(c->problems.data + at, ctx);
    pt_buf_free(&c->problems);
    if (rc == PT_EMODIFIED)
        return pt_fail(PT_EMODIFIED, "the index changed during each of %d attempts to check it (a writer "
                                     "is committing): no stable view to check", CHECK_ATTEMPTS);
    if (!rc && stats_out)
        *stats_out = (pt_index_stats){c->articles, c->passages};
    return rc;
}

/* A problem of one shard, named as such. */
typedef struct {
    void (*report)(const char *problem, void *ctx);
    void *ctx;
    unsigned shard;
} shard_report;

static void report_in_shard(const char *problem, void *ctx)
{
    shard_report *r = ctx;
    char *named = pt_strdupf("shard-%u: %s", r->shard, problem);
    if (r->report)
        r->report(named ? named : problem, r->ctx);
    free(named);
}

/* Each shard as an index, its articles in their shard, the manifest
 * (shard 0) against all shards. Problems counted into *problems. */
static int check_shards(const char *dir, unsigned n, shard_report *sr, pt_index_stats *sum, uint64_t *problems)
{
    ptx_reader **others = calloc(n, sizeof *others);
    char **snaps = calloc(n, sizeof *snaps);
    int rc = others && snaps ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    for (unsigned k = 0; k < n && !rc; k++) {
        char *shard = pt_index_shard_dir(dir, k);
        check_ctx c = {shard, NULL, NULL, PT_BUF_INIT, 0, 0, 0, dir, k, n, others, snaps, 0};
        pt_index_stats one = {0, 0};
        sr->shard = k;
        rc = shard ? check_dir(&c, report_in_shard, sr, &one) : pt_fail(PT_ENOMEM, "out of memory");
        if (rc == PT_ENOTFOUND) {
            report_in_shard("missing: the stub lists it, but there is no index", sr);
            c.n_problems++;
            rc = PT_OK;
        }
        *problems += c.n_problems;
        sum->articles += one.articles;
        sum->passages += one.passages;
        free(shard);
    }
    free(others);
    free(snaps);
    return rc;
}

static int check_sharded(const char *dir, void (*report)(const char *problem, void *ctx), void *ctx,
                         pt_index_stats *stats_out)
{
    unsigned n = 0;
    int rc = pt_index_stub_count(dir, &n);
    if (rc) {
        if (report)
            report(pt_error_last(), ctx);
        return pt_fail(PT_ECORRUPT, "the stub of %s is not one ptindex wrote", dir);
    }
    shard_report sr = {report, ctx, 0};
    pt_index_stats sum = {0, 0};
    uint64_t problems = 0;
    rc = check_shards(dir, n, &sr, &sum, &problems);
    if (rc)
        return rc;
    if (stats_out)
        *stats_out = sum;
    if (problems)
        return pt_fail(PT_ECORRUPT, "%" PRIu64 " problem(s) found in %s (%u shards)", problems, dir, n);
    return PT_OK;
}

int pt_index_check(const char *dir, void (*report)(const char *problem, void *ctx), void *ctx,
                   pt_index_stats *stats_out)
{
    if (pt_index_is_sharded(dir) || pt_index_stub_file_exists(dir))
        return check_sharded(dir, report, ctx, stats_out);
    check_ctx c = {dir, NULL, NULL, PT_BUF_INIT, 0, 0, 0, NULL, 0, 0, NULL, NULL, 0};
    int rc = check_dir(&c, report, ctx, stats_out);
    if (rc)
        return rc;
    if (c.n_problems)
        return pt_fail(PT_ECORRUPT, "%" PRIu64 " problem(s) found in %s", c.n_problems, dir);
    return PT_OK;
}
