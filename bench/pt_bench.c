/* pt_bench.c — bench/run's query driver for ptsearch: opens the index once
 * with pt_searcher_open, then times each query of a file in-process — pt_search
 * for the top 10 passages (default options, at most 2 per article) plus
 * building each passage's highlighted text from its highlight ranges, as a
 * front end would. Prints the summary line of latency.h.
 * Usage: pt_bench search INDEX_DIR QUERY_FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl_reader.h"
#include "latency.h"
#include "ptsearch.h"

/* Appends the passage with "<b>…</b>" around each highlight; returns the
 * length of the text built. */
static size_t mark_passage(const pt_hit *h, char **buf, size_t *cap)
{
    size_t need = h->passage_len + h->n_highlights * 7 + 1;
    if (need > *cap) {
        char *grown = realloc(*buf, need);
        if (!grown)
            return 0;
        *buf = grown;
        *cap = need;
    }
    char *o = *buf;
    size_t at = 0, n = 0;
    for (size_t i = 0; i < h->n_highlights; i++) {
        const pt_range *r = &h->highlights[i];
        if (r->start < at || r->end > h->passage_len)
            continue;
        memcpy(o + n, h->passage + at, r->start - at);
        n += r->start - at;
        memcpy(o + n, "<b>", 3);
        n += 3;
        memcpy(o + n, h->passage + r->start, r->end - r->start);
        n += r->end - r->start;
        memcpy(o + n, "</b>", 4);
        n += 4;
        at = r->end;
    }
    memcpy(o + n, h->passage + at, h->passage_len - at);
    n += h->passage_len - at;
    o[n] = '\0';
    return n;
}

/* One query: pt_search, then each hit's highlighted text. */
typedef struct {
    pt_searcher *s;
    pt_search_opts opts;
    char *buf; /* the highlighted text, grown as needed */
    size_t cap;
} pt_run;

static int run_query(size_t i, const char *query, bench_tally *t, void *ctx)
{
    pt_run *run = ctx;
    pt_hits *hits = NULL;
    int rc = pt_search(&hits, run->s, query, &run->opts);
    if (rc == PT_OK) {
        size_t n = pt_hits_count(hits);
        for (size_t j = 0; j < n; j++)
            t->shown_bytes += mark_passage(pt_hits_get(hits, j), &run->buf, &run->cap);
        t->hits += n;
    } else if (rc != PT_EQUERY) {
        fprintf(stderr, "pt_bench: query %zu '%s': %s\n", i + 1, query, pt_error_last());
        return 2;
    }
    pt_hits_free(hits);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], "search") != 0) {
        fprintf(stderr, "usage: pt_bench search INDEX_DIR QUERY_FILE\n");
        return 2;
    }
    size_t nq = 0;
    char **queries = bench_read_lines(argv[3], &nq);
    if (!queries) {
        fprintf(stderr, "pt_bench: %s: cannot read\n", argv[3]);
        return 2;
    }
    double t0 = bench_now();
    pt_run run = {NULL, PT_SEARCH_OPTS_INIT, NULL, 0};
    if (pt_searcher_open(&run.s, argv[2]) != PT_OK) {
        fprintf(stderr, "pt_bench: %s: %s\n", argv[2], pt_error_last());
        return 2;
    }
    double open_s = bench_now() - t0;
    /* PT_BENCH_TRACE=1: each query's time on stderr, to find the slow tail.
     * PT_BENCH_NO_GROUP=1: copies of a passage listed apart (--no-group),
     * to tell grouping's cost from the rest. */
    FILE *trace = getenv("PT_BENCH_TRACE") ? stderr : NULL;
    /* The configuration bench/results were recorded with (plain BM25 with
     * variants), not PT_SEARCH_DEFAULT: feedback runs a second search. */
    run.opts.flags &= ~(unsigned)PT_SEARCH_DEFAULT;
    if (getenv("PT_BENCH_NO_GROUP"))
        run.opts.flags |= PT_SEARCH_NO_GROUP;
    int rc = bench_search_loop(queries, nq, open_s, run_query, &run, trace);
    free(run.buf);
    pt_searcher_free(run.s);
    bench_free_lines(queries, nq);
    return rc;
}
