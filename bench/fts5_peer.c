/* fts5_peer.c — BENCHMARK PEER, not part of ptsearch: SQLite FTS5 as a user
 * would use it. One row per article in fts5(title, body, tokenize='porter')
 * (content stored, default settings, one transaction per run); searched
 * with the query words OR-ed (the same "any word" semantics as ptsearch and
 * Xapian's QueryParser), ranked by bm25(), top 10 with snippet() of the body.
 * Usage: fts5_peer index DB FILE.jsonl    (create DB, insert all, commit)
 *        fts5_peer add   DB FILE.jsonl    (open DB, insert all, commit)
 *        fts5_peer search DB QUERY_FILE   (summary line of latency.h)
 *        fts5_peer trec DB TOPICS.tsv FILE.jsonl [DEPTH]
 *            (for each "qid<TAB>query" line, the top DEPTH (default 1000)
 *             as TREC run lines "qid Q0 id rank score fts5", score = -bm25;
 *             FILE.jsonl is the file DB was made from by `index`: the table
 *             keeps no ids, and rowid k is the k-th article read from it) */
#include <sqlite3.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonl_reader.h"
#include "latency.h"

typedef struct {
    sqlite3_stmt *ins;
    unsigned long added;
    int failed;
} writer;

static int add_article(const bench_article *a, void *ctx)
{
    writer *w = ctx;
    sqlite3_bind_text(w->ins, 1, a->title, (int)a->title_len, SQLITE_STATIC);
    sqlite3_bind_text(w->ins, 2, a->body, (int)a->body_len, SQLITE_STATIC);
    if (sqlite3_step(w->ins) != SQLITE_DONE)
        w->failed = 1;
    sqlite3_reset(w->ins);
    w->added++;
    return w->failed;
}

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5_peer: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 2;
}

static int write_mode(const char *path, const char *file, int create)
{
    double t0 = bench_now();
    sqlite3 *db = NULL;
    if (create)
        unlink(path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
        return fail(db, path);
    if (create && sqlite3_exec(db, "CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='porter')",
                               NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "create");
    writer w = {0};
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO articles(title, body) VALUES (?, ?)", -1, &w.ins, NULL) != SQLITE_OK)
        return fail(db, "prepare");
    size_t skipped = 0;
    int rc = bench_read_articles(file, add_article, &w, &skipped);
    sqlite3_finalize(w.ins);
    if (rc != 0)
        return fail(db, file);
    double t1 = bench_now();
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "commit");
    double t2 = bench_now();
    sqlite3_close(db);
    printf("%s articles=%lu skipped=%zu add_s=%.4f commit_s=%.4f total_s=%.4f\n",
           create ? "index" : "add", w.added, skipped, t1 - t0, t2 - t1, t2 - t0);
    return 0;
}

/* "w1 w2" -> "\"w1\" OR \"w2\"" (each word quoted, so no word is an
 * operator; '"' inside a word doubled). */
static char *or_query(const char *q)
{
    size_t len = strlen(q);
    char *out = malloc(len * 8 + 8), *o = out;
    if (!out)
        return NULL;
    const char *p = q;
    int first = 1;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (!first) {
            memcpy(o, " OR ", 4);
            o += 4;
        }
        first = 0;
        *o++ = '"';
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"')
                *o++ = '"';
            *o++ = *p++;
        }
        *o++ = '"';
    }
    *o = '\0';
    return out;
}

/* One query: its words OR-ed, the top 10 with their snippets. */
typedef struct {
    sqlite3 *db;
    sqlite3_stmt *st;
} fts5_run;

static int run_query(size_t i, const char *query, bench_tally *t, void *ctx)
{
    fts5_run *run = ctx;
    char *q = or_query(query);
    sqlite3_bind_text(run->st, 1, q, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(run->st)) == SQLITE_ROW) {
        t->shown_bytes += (unsigned long long)sqlite3_column_bytes(run->st, 2);
        (void)sqlite3_column_text(run->st, 1);
        t->hits++;
    }
    if (rc != SQLITE_DONE)
        fprintf(stderr, "fts5_peer: query %zu '%s': %s\n", i + 1, query, sqlite3_errmsg(run->db));
    sqlite3_reset(run->st);
    free(q);
    return 0;
}

static int search_mode(const char *path, const char *qfile)
{
    size_t nq = 0;
    char **queries = bench_read_lines(qfile, &nq);
    if (!queries) {
        fprintf(stderr, "fts5_peer: %s: cannot read\n", qfile);
        return 2;
    }
    double t0 = bench_now();
    fts5_run run = {NULL, NULL};
    if (sqlite3_open_v2(path, &run.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(run.db,
                           "SELECT rowid, title, snippet(articles, 1, '<b>', '</b>', '...', 64) "
                           "FROM articles WHERE articles MATCH ? ORDER BY bm25(articles) LIMIT 10",
                           -1, &run.st, NULL) != SQLITE_OK)
        return fail(run.db, path);
    double open_s = bench_now() - t0;
    int rc = bench_search_loop(queries, nq, open_s, run_query, &run, NULL);
    sqlite3_finalize(run.st);
    sqlite3_close(run.db);
    bench_free_lines(queries, nq);
    return rc;
}

/* The ids of file's articles in reading order: ids[k - 1] is rowid k's. */
typedef struct {
    char **ids;
    size_t n, cap;
} id_list;

static int collect_id(const bench_article *a, void *ctx)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        char **ids = realloc(l->ids, cap * sizeof *ids);
        if (!ids)
            return 1;
        l->ids = ids;
        l->cap = cap;
    }
    if (!(l->ids[l->n] = strdup(a->id)))
        return 1;
    l->n++;
    return 0;
}

static void free_ids(id_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    free(l->ids);
}

/* 0 when the table holds exactly rows 1..n (made by `index` from the file
 * the ids came from), else a message and 2. */
static int check_rows(sqlite3 *db, const char *path, size_t n)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 rows = -1, last = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*), max(rowid) FROM articles", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        rows = sqlite3_column_int64(st, 0);
        last = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rows == (sqlite3_int64)n && last == (sqlite3_int64)n)
        return 0;
    fprintf(stderr, "fts5_peer: %s holds %lld rows (last rowid %lld), the file %zu articles: "
                    "not made by `index` from it\n", path, (long long)rows, (long long)last, n);
    return 2;
}

/* Prints the run lines of one topic. */
static void trec_topic(sqlite3 *db, sqlite3_stmt *st, const id_list *ids, const char *qid,
                       const char *query, long depth)
{
    char *q = or_query(query);
    if (!q || !*q) {
        free(q);
        return;
    }
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, depth);
    int rc;
    long rank = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
        if (rowid < 1 || (size_t)rowid > ids->n) {
            fprintf(stderr, "fts5_peer: rowid %lld has no id in the file\n", (long long)rowid);
            continue;
        }
        printf("%s Q0 %s %ld %.6f fts5\n", qid, ids->ids[rowid - 1], ++rank, -sqlite3_column_double(st, 1));
    }
    if (rc != SQLITE_DONE)
        fprintf(stderr, "fts5_peer: topic %s: %s\n", qid, sqlite3_errmsg(db));
    sqlite3_reset(st);
    free(q);
}

static int trec_mode(const char *path, const char *topics, const char *file, const char *depth_arg)
{
    char *end = NULL;
    long depth = depth_arg ? strtol(depth_arg, &end, 10) : 1000;
    if (depth_arg && (*end != '\0' || depth <= 0 || depth == LONG_MAX)) {
        fprintf(stderr, "fts5_peer: bad depth '%s'\n", depth_arg);
        return 2;
    }
    id_list ids = {0};
    size_t skipped = 0, n = 0;
    if (bench_read_articles(file, collect_id, &ids, &skipped) != 0) {
        fprintf(stderr, "fts5_peer: %s: cannot read\n", file);
        free_ids(&ids);
        return 2;
    }
    char **lines = bench_read_lines(topics, &n);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int status = 0;
    if (!lines) {
        fprintf(stderr, "fts5_peer: %s: cannot read\n", topics);
        status = 2;
    } else if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
               sqlite3_prepare_v2(db,
                                  "SELECT rowid, bm25(articles) FROM articles WHERE articles MATCH ? "
                                  "ORDER BY bm25(articles) LIMIT ?",
                                  -1, &st, NULL) != SQLITE_OK) {
        status = fail(db, path);
        db = NULL;
    } else {
        status = check_rows(db, path, ids.n);
    }
    for (size_t i = 0; status == 0 && i < n; i++) {
        char *tab = strchr(lines[i], '\t');
        if (!tab) {
            fprintf(stderr, "fts5_peer: %s: line without a tab skipped\n", topics);
            continue;
        }
        *tab = '\0';
        trec_topic(db, st, &ids, lines[i], tab + 1, depth);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (lines)
        bench_free_lines(lines, n);
    free_ids(&ids);
    return status;
}

int main(int argc, char **argv)
{
    int trec = argc > 1 && strcmp(argv[1], "trec") == 0;
    if (trec && (argc == 5 || argc == 6))
        return trec_mode(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    if (argc != 4 || trec) {
        fprintf(stderr, "usage: fts5_peer index|add|search DB FILE\n"
                        "       fts5_peer trec DB TOPICS.tsv FILE.jsonl [DEPTH]\n");
        return 2;
    }
    if (strcmp(argv[1], "index") == 0)
        return write_mode(argv[2], argv[3], 1);
    if (strcmp(argv[1], "add") == 0)
        return write_mode(argv[2], argv[3], 0);
    if (strcmp(argv[1], "search") == 0)
        return search_mode(argv[2], argv[3]);
    fprintf(stderr, "fts5_peer: unknown mode '%s'\n", argv[1]);
    return 2;
}
