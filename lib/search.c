/* search.c — the read side of the public API: open an index, turn query
 * text into a Xapian query (query.c), rank passages with BM25 at most K per
 * article (Xapian's collapse on the article slot), then decode each hit's
 * passage record, fetch its article record and mark the matched words
 * (highlight.c). The whole search reruns when the index changes under it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "highlight.h"
#include "ptsearch.h"
#include "query.h"
#include "record.h"
#include "schema.h"
#include "suggest.h"
#include "xapian_binding.h"

/* How often a search is rerun when a writer commits underneath it. */
#define MODIFIED_RETRIES 8

struct pt_searcher {
    ptx_reader *reader;
    pt_analyzer *analyzer;
};

struct pt_hits {
    pt_hit *hits;
    size_t n, cap;
    uint64_t estimated;
    char *suggestion;
};

int pt_searcher_open(pt_searcher **out, const char *dir)
{
    *out = NULL;
    pt_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = ptx_reader_open(&s->reader, dir);
    if (rc == PT_ENOTFOUND)
        rc = pt_fail(PT_ENOTFOUND, "no index at %s (build one with: ptindex --index %s PATH...)", dir, dir);
    if (!rc)
        rc = pt_analyzer_new(&s->analyzer);
    if (rc) {
        pt_searcher_free(s);
        return rc;
    }
    *out = s;
    return PT_OK;
}

void pt_searcher_free(pt_searcher *s)
{
    if (!s)
        return;
    ptx_reader_close(s->reader);
    pt_analyzer_free(s->analyzer);
    free(s);
}

/* ------------------------------------------------------------------ hits */

static void hit_clear(pt_hit *h)
{
    free((char *)h->article);
    free((char *)h->path);
    free((char *)h->title);
    free((char *)h->source);
    free((char *)h->date);
    free((char *)h->passage);
    free((pt_range *)h->highlights);
    for (size_t i = 0; i < h->n_explain; i++)
        free((char *)h->explain[i].part);
    free((pt_explain_part *)h->explain);
    memset(h, 0, sizeof *h);
}

void pt_hits_free(pt_hits *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->n; i++)
        hit_clear(&hits->hits[i]);
    free(hits->hits);
    free(hits->suggestion);
    free(hits);
}

size_t pt_hits_count(const pt_hits *hits)
{
    return hits ? hits->n : 0;
}

const pt_hit *pt_hits_get(const pt_hits *hits, size_t i)
{
    return hits && i < hits->n ? &hits->hits[i] : NULL;
}

uint64_t pt_hits_matches_estimated(const pt_hits *hits)
{
    return hits ? hits->estimated : 0;
}

const char *pt_hits_suggestion(const pt_hits *hits)
{
    return hits ? hits->suggestion : NULL;
}

static pt_hit *new_hit(pt_hits *hits)
{
    if (hits->n == hits->cap) {
        size_t cap = hits->cap ? hits->cap * 2 : 16;
        pt_hit *p = realloc(hits->hits, cap * sizeof *p);
        if (!p)
            return NULL;
        hits->hits = p;
        hits->cap = cap;
    }
    pt_hit *h = &hits->hits[hits->n++];
    memset(h, 0, sizeof *h);
    return h;
}

/* ------------------------------------------------------------ one search */

typedef struct {
    pt_searcher *searcher;
    pt_hits *hits;
    pt_term_set terms;
    const ptx_query *query;      /* for explaining; NULL: no explanations */
    const ptx_search_opts *xo;
} collect_ctx;

static int explain_part_cb(const char *part, double weight, void *ctx)
{
    pt_hit *h = ctx;
    pt_explain_part *parts = realloc((pt_explain_part *)h->explain, (h->n_explain + 1) * sizeof *parts);
    if (!parts)
        return pt_fail(PT_ENOMEM, "out of memory");
    h->explain = parts;
    if (!(parts[h->n_explain].part = strdup(part)))
        return pt_fail(PT_ENOMEM, "out of memory");
    parts[h->n_explain++].score = weight;
    return PT_OK;
}

/* Fills title, source, date and path from the article record. */
static int fill_article(pt_searcher *s, pt_hit *h)
{
    char article[PT_MAX_ID_IN_TERM + 1];
    char key[sizeof PT_META_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    pt_article_key(h->article, article);
    snprintf(key, sizeof key, "%s%s", PT_META_ARTICLE, article);
    char *data = NULL;
    size_t len = 0;
    int rc = ptx_reader_get_metadata(s->reader, key, &data, &len);
    if (rc == PT_ENOTFOUND)
        return PT_OK; /* the passage outlived its record: show it bare */
    if (rc)
        return rc;
    pt_article_record rec;
    rc = pt_record_decode_article(&rec, data, len);
    free(data);
    if (rc)
        return rc;
    h->path = rec.path;
    h->title = rec.title;
    h->source = rec.source;
    h->date = rec.date;
    return PT_OK;
}

static int collect_hit(const ptx_hit *xh, void *ctx)
{
    collect_ctx *c = ctx;
    pt_hit *h = new_hit(c->hits);
    if (!h)
        return pt_fail(PT_ENOMEM, "out of memory");
    pt_passage_record rec;
    int rc = pt_record_decode_passage(&rec, xh->data, xh->data_len);
    if (rc)
        return rc;
    h->rank = xh->rank + 1;
    h->score = xh->weight;
    h->passage = rec.text;
    h->passage_len = rec.text_len;
    h->start = rec.start;
    h->end = rec.start + rec.text_len;
    h->line = rec.line;
    h->article = strndup(rec.article_id, rec.article_id_len);
    if (!h->article)
        return pt_fail(PT_ENOMEM, "out of memory");
    rc = fill_article(c->searcher, h);
    if (rc)
        return rc;
    pt_range *ranges = NULL;
    rc = pt_highlight(&ranges, &h->n_highlights, c->searcher->analyzer, h->passage,
                      h->passage_len, c->terms);
    h->highlights = ranges;
    if (!rc && c->query)
        rc = ptx_reader_explain(c->searcher->reader, c->query, xh->docid, c->xo, explain_part_cb, h);
    return rc;
}

static int run_once(pt_hits **out, pt_searcher *s, const ptx_query *q, pt_term_set terms,
                    const pt_search_opts *opts, unsigned flags)
{
    pt_hits *hits = calloc(1, sizeof *hits);
    if (!hits)
        return pt_fail(PT_ENOMEM, "out of memory");
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    xo.max = opts->max_hits;
    if (opts->per_article) {
        xo.collapse_slot = PT_SLOT_ARTICLE;
        xo.collapse_max = opts->per_article;
    }
    collect_ctx c = {s, hits, terms, flags & PT_SEARCH_EXPLAIN ? q : NULL, &xo};
    int rc = ptx_reader_search(s->reader, q, &xo, collect_hit, &c, &hits->estimated);
    if (rc) {
        pt_hits_free(hits);
        return rc;
    }
    *out = hits;
    return PT_OK;
}

int pt_search(pt_hits **out, pt_searcher *s, const char *query, const pt_search_opts *opts)
{
    static const pt_search_opts defaults = PT_SEARCH_OPTS_INIT;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version != PT_SEARCH_OPTS_VERSION && opts->version != 1)
        return pt_fail(PT_EINVAL, "pt_search_opts version %d is not %d", opts->version, PT_SEARCH_OPTS_VERSION);
    unsigned flags = opts->version >= 2 ? opts->flags : 0;
    unsigned suggest_below = opts->version >= 2 ? opts->suggest_below : defaults.suggest_below;
    /* Parsing (variants, wildcards) and suggesting read the index too: a
     * writer committing underneath reruns all of it on a reopened reader. */
    ptx_query *q = NULL;
    pt_query_info info;
    memset(&info, 0, sizeof info);
    int rc = PT_EMODIFIED;
    for (int attempt = 0; attempt < MODIFIED_RETRIES && rc == PT_EMODIFIED; attempt++) {
        if (attempt && (rc = ptx_reader_reopen(s->reader)) != PT_OK)
            break;
        ptx_query_free(q);
        q = NULL;
        pt_query_info_free(&info);
        pt_hits_free(*out);
        *out = NULL;
        rc = pt_query_parse(&q, &info, s->analyzer, s->reader, query, strlen(query), flags);
        if (rc == PT_OK)
            rc = run_once(out, s, q, (pt_term_set)info.terms.terms, opts, flags);
        if (rc == PT_OK && (*out)->estimated < suggest_below)
            rc = pt_suggest(&(*out)->suggestion, s->analyzer, s->reader, query, strlen(query), &info);
    }
    if (rc) {
        pt_hits_free(*out);
        *out = NULL;
    }
    ptx_query_free(q);
    pt_query_info_free(&info);
    return rc;
}
