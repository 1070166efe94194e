/* api_search.c — GET /api/search: reads and checks the arguments (q, n,
 * offset, per_article, sort, exact, source, month, facets), runs the
 * search on a borrowed reader, then (unless facets=0) counts the matching
 * articles by source and month as `ptsearch --count` does (facets.c), and
 * answers one JSON object whose hits are the objects of `ptsearch
 * --format json` (hit_json.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facets.h"
#include "hit_json.h"
#include "serve.h"

/* The facets count the best this many matching articles; "facets.counted"
 * says how many were. ptsearch --count reads up to 100,000, but each costs
 * a record read: on Reuters, 10,000 made a request about 10 times slower
 * than its hits (bench/serve_load.py), and a page needs only the outlets
 * and months of the best. */
#define FACET_MAX_ARTICLES 1000
#define MAX_PER_ARTICLE 100

typedef struct {
    const char *q, *source, *month;
    unsigned n, offset, per_article;
    pt_sort sort;
    int exact, facets;
} search_args;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole number argument name, from lo to hi (absent: fallback). */
static int arg_number(pt_request *r, const char *name, unsigned lo, unsigned hi, unsigned fallback, unsigned *out)
{
    const char *v = pt_request_arg(r, name);
    *out = fallback;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n < lo || n > hi) {
        pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "%s must be a whole number from %u to %u, not '%s'", name, lo, hi, v);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

/* name=0 or name=1 (absent: fallback). */
static int arg_flag(pt_request *r, const char *name, int fallback, int *out)
{
    const char *v = pt_request_arg(r, name);
    *out = v ? strcmp(v, "1") == 0 : fallback;
    if (v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "%s must be 0 or 1, not '%s'", name, v);
        return -1;
    }
    return 0;
}

static int is_month(const char *s)
{
    return strlen(s) == 7 && strspn(s, "0123456789") == 4 && s[4] == '-' && strspn(s + 5, "0123456789") == 2;
}

static int read_args(pt_request *r, search_args *a)
{
    const pt_serve_config *cfg = r->cfg;
    a->q = pt_request_arg(r, "q");
    if (!a->q || !a->q[strspn(a->q, " \t\r\n")])
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "no query: give one as q=WORDS"), -1;
    if (strlen(a->q) > cfg->max_query_bytes)
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "the query is longer than the limit (%u bytes)",
                              cfg->max_query_bytes), -1;
    const char *sort = pt_request_arg(r, "sort");
    if (sort && strcmp(sort, "score") != 0 && strcmp(sort, "date") != 0)
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "sort must be score or date, not '%s'", sort), -1;
    a->sort = sort && strcmp(sort, "date") == 0 ? PT_SORT_DATE : PT_SORT_SCORE;
    a->source = pt_request_arg(r, "source");
    if (a->source && (!*a->source || strchr(a->source, '"') || strlen(a->source) > 200))
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "source must be an outlet's name (1 to 200 bytes, no '\"')"), -1;
    a->month = pt_request_arg(r, "month");
    if (a->month && !is_month(a->month))
        return pt_reply_error(r, MHD_HTTP_BAD_REQUEST, "month must be YYYY-MM, not '%s'", a->month), -1;
    if (arg_number(r, "n", 1, cfg->max_n, 10, &a->n) || arg_number(r, "offset", 0, cfg->max_offset, 0, &a->offset) ||
        arg_number(r, "per_article", 0, MAX_PER_ARTICLE, 2, &a->per_article) ||
        arg_flag(r, "exact", 0, &a->exact) || arg_flag(r, "facets", 1, &a->facets))
        return -1;
    return 0;
}

/* The query run: q, and the source and month chosen as field filters. */
static char *full_query(const search_args *a)
{
    size_t size = strlen(a->q) + (a->source ? strlen(a->source) + 11 : 0) + (a->month ? strlen(a->month) + 7 : 0) + 1;
    char *q = malloc(size);
    if (q)
        snprintf(q, size, "%s%s%s%s%s%s", a->q, a->source ? " source:\"" : "", a->source ? a->source : "",
                 a->source ? "\"" : "", a->month ? " date:" : "", a->month ? a->month : "");
    return q;
}

static json_t *hits_json(const pt_hits *hits)
{
    json_t *total = pt_totals_json(hits), *list = json_array();
    for (size_t i = 0; list && total && i < pt_hits_count(hits); i++)
        if (json_array_append_new(list, pt_hit_json(pt_hits_get(hits, i), NULL, total)) != 0) {
            json_decref(list);
            list = NULL;
        }
    json_decref(total);
    return list;
}

/* [{"word": "donbas", "showing": ["donbass"]}, ...] */
static json_t *substitutions_json(const pt_hits *hits)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < pt_hits_substitution_count(hits); i++) {
        const pt_substitution *sub = pt_hits_substitution(hits, i);
        json_t *shown = json_array();
        for (const char *w = sub->shown; shown && *w;) {
            size_t n = strcspn(w, " ");
            json_array_append_new(shown, pt_json_textn(w, n));
            w += n + (w[n] == ' ');
        }
        json_array_append_new(list, json_pack("{s:o,s:o*}", "word", pt_json_text(sub->word), "showing", shown));
    }
    return list;
}

/* [{"source"|"month": KEY, "articles": N}, ...], as ptsearch --count --format json. */
static json_t *facet_json(const pt_hits *counted, pt_count_by by)
{
    pt_facet *f = NULL;
    size_t n = 0;
    if (pt_facets_count(counted, by, &f, &n) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(list, json_pack("{s:o,s:I}", by == PT_COUNT_SOURCE ? "source" : "month",
                                              pt_json_text(f[i].key), "articles", (json_int_t)f[i].articles));
    pt_facets_free(f, n);
    return list;
}

/* The facets of query: its matching articles, the best FACET_MAX_ARTICLES,
 * one hit each, counted by source and by month. NULL, with *rc set on a
 * failure, when they could not be counted (in time: *rc 0). */
static json_t *facets_json(pt_searcher *s, const char *query, const search_args *a, double left, int *rc)
{
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = FACET_MAX_ARTICLES;
    opts.per_article = 1;
    opts.flags = (PT_SEARCH_DEFAULT | PT_SEARCH_NO_GROUP | (a->exact ? PT_SEARCH_EXACT : 0)) & ~(unsigned)PT_SEARCH_FEEDBACK;
    opts.suggest_below = 0;
    opts.timeout = left;
    pt_hits *counted = NULL;
    if ((*rc = pt_search(&counted, s, query, &opts)) != PT_OK)
        return NULL;
    json_t *out = NULL;
    if (!pt_hits_incomplete(counted))
        out = json_pack("{s:o*,s:o*,s:I}", "source", facet_json(counted, PT_COUNT_SOURCE), "month",
                        facet_json(counted, PT_COUNT_MONTH), "counted", (json_int_t)pt_hits_count(counted));
    pt_hits_free(counted);
    return out;
}

/* The search itself and its answer; returns the library status. */
static int answer(pt_request *r, pt_searcher *s, const search_args *a, const char *query, json_t **out)
{
    double started = now(), timeout = r->cfg->timeout;
    pt_search_opts opts = PT_SEARCH_OPTS_INIT;
    opts.max_hits = a->n;
    opts.first = a->offset;
    opts.per_article = a->per_article;
    opts.sort = a->sort;
    opts.timeout = timeout;
    opts.flags = PT_SEARCH_DEFAULT | PT_SEARCH_TOTALS | (a->exact ? PT_SEARCH_EXACT : 0);
    pt_hits *hits = NULL;
    int rc = pt_search(&hits, s, query, &opts);
    if (rc)
        return rc;
    json_t *facets = NULL;
    double left = timeout > 0 ? timeout - (now() - started) : 0;
    if (a->facets && (timeout <= 0 || left > 0.01))
        facets = facets_json(s, query, a, left, &rc);
    if (!rc) {
        const char *suggestion = pt_hits_suggestion(hits);
        *out = json_pack("{s:o,s:I,s:I,s:o,s:o,s:o,s:o,s:b,s:o}", "query", pt_json_text(query), "n",
                         (json_int_t)a->n, "offset", (json_int_t)a->offset, "hits", hits_json(hits), "total",
                         pt_totals_json(hits), "suggestion", suggestion ? pt_json_text(suggestion) : json_null(),
                         "no_passage_has", substitutions_json(hits), "incomplete",
                         pt_hits_incomplete(hits) || (a->facets && !facets), "facets",
                         facets ? facets : json_null());
    }
    pt_hits_free(hits);
    return rc;
}

enum MHD_Result pt_api_search(pt_request *r)
{
    search_args a;
    if (read_args(r, &a) != 0)
        return r->status ? MHD_YES : MHD_NO;
    char *query = full_query(&a);
    if (!query)
        return pt_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    pt_searcher *s = NULL;
    int rc = pt_pool_borrow(r->cfg->pool, &s);
    if (rc) {
        free(query);
        return pt_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the index cannot be read now: %s", pt_error_last());
    }
    json_t *body = NULL;
    rc = answer(r, s, &a, query, &body);
    enum MHD_Result ok = rc ? pt_reply_error(r, pt_http_status(rc), "%s", pt_error_last())
                            : pt_reply_json(r, MHD_HTTP_OK, body);
    pt_pool_give_back(r->cfg->pool, s, rc);
    free(query);
    return ok;
}
