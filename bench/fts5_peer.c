/* fts5_peer.c — BENCHMARK PEER, not part of ptsearch: SQLite FTS5 as a user
 * would use it. One row per article in fts5(title, body, tokenize='porter')
 * (content stored, default settings, one transaction per run); searched
 * with the query words OR-ed (the same "any word" semantics as ptsearch and
 * Xapian's QueryParser), ranked by bm25(), top 10 with snippet() of the body.
 * Usage: fts5_peer index DB FILE.jsonl    (create DB, insert all, commit)
 *        fts5_peer add   DB FILE.jsonl    (open DB, insert all, commit)
 *        fts5_peer search DB QUERY_FILE   (summary line of latency.h) */
#include <sqlite3.h>
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

static int search_mode(const char *path, const char *qfile)
{
    size_t nq = 0;
    char **queries = bench_read_lines(qfile, &nq);
    if (!queries) {
        fprintf(stderr, "fts5_peer: %s: cannot read\n", qfile);
        return 2;
    }
    double *lat = calloc(nq ? nq : 1, sizeof *lat);
    double t0 = bench_now();
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT rowid, title, snippet(articles, 1, '<b>', '</b>', '...', 64) "
                           "FROM articles WHERE articles MATCH ? ORDER BY bm25(articles) LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(db, path);
    double open_s = bench_now() - t0;
    unsigned long hits = 0;
    unsigned long long shown = 0;
    double loop0 = bench_now();
    for (size_t i = 0; i < nq; i++) {
        double q0 = bench_now();
        char *q = or_query(queries[i]);
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            shown += (unsigned long long)sqlite3_column_bytes(st, 2);
            (void)sqlite3_column_text(st, 1);
            hits++;
        }
        if (rc != SQLITE_DONE)
            fprintf(stderr, "fts5_peer: query %zu '%s': %s\n", i + 1, queries[i], sqlite3_errmsg(db));
        sqlite3_reset(st);
        free(q);
        lat[i] = bench_now() - q0;
    }
    double loop_s = bench_now() - loop0;
    bench_print_search(lat, nq, open_s, loop_s, hits, shown);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(lat);
    bench_free_lines(queries, nq);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fts5_peer index|add|search DB FILE\n");
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
