/* search.c — the read side of the public API: open an index, turn query
 * text into a Xapian query (query.c), add the title words (title_boost.c)
 * and, when asked, feedback words (feedback.c), rank passages with BM25 at
 * most K per article (Xapian's collapse on the article slot), then decode
 * each hit's passage record, fetch its article record, show the same
 * passage of several outlets once (minhash.h), and mark the matched words
 * (highlight.c). The whole search reruns when the index changes under it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "feedback.h"
#include "highlight.h"
#include "ptsearch.h"
#include "query.h"
#include "record.h"
#include "schema.h"
#include "minhash.h"
#include "suggest.h"
#include "title_boost.h"
#include "xapian_binding.h"

/* Grouping looks at the best max_hits * GROUP_WINDOW + GROUP_EXTRA passages. */
#define GROUP_WINDOW 3
#define GROUP_EXTRA 10

/* How often a search is rerun when a writer commits underneath it. */
#define MODIFIED_RETRIES 8

struct pt_searcher {
    ptx_reader *reader;
    pt_analyzer *analyzer;
};

/* A hit and what only the search needs of it. */
typedef struct {
    pt_hit pub;
    pt_signature signature; /* minhash.h */
    uint32_t docid;
} hit_slot;

struct pt_hits {
    hit_slot *hits;
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

/* A hit and each of its also_in entries own these five strings. */
static void free_article_strings(const char *article, const char *path, const char *title,
                                 const char *source, const char *date)
{
    free((char *)article);
    free((char *)path);
    free((char *)title);
    free((char *)source);
    free((char *)date);
}

static void hit_clear(pt_hit *h)
{
    free_article_strings(h->article, h->path, h->title, h->source, h->date);
    free((char *)h->passage);
    free((pt_range *)h->highlights);
    for (size_t i = 0; i < h->n_explain; i++)
        free((char *)h->explain[i].part);
    free((pt_explain_part *)h->explain);
    for (size_t i = 0; i < h->n_also_in; i++) {
        const pt_also *a = &h->also_in[i];
        free_article_strings(a->article, a->path, a->title, a->source, a->date);
    }
    free((pt_also *)h->also_in);
    memset(h, 0, sizeof *h);
}

void pt_hits_free(pt_hits *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->n; i++)
        hit_clear(&hits->hits[i].pub);
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
    return hits && i < hits->n ? &hits->hits[i].pub : NULL;
}

uint64_t pt_hits_matches_estimated(const pt_hits *hits)
{
    return hits ? hits->estimated : 0;
}

const char *pt_hits_suggestion(const pt_hits *hits)
{
    return hits ? hits->suggestion : NULL;
}

static hit_slot *new_hit(pt_hits *hits)
{
    if (hits->n == hits->cap) {
        size_t cap = hits->cap ? hits->cap * 2 : 16;
        hit_slot *p = realloc(hits->hits, cap * sizeof *p);
        if (!p)
            return NULL;
        hits->hits = p;
        hits->cap = cap;
    }
    hit_slot *h = &hits->hits[hits->n++];
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
    hit_slot *slot = new_hit(c->hits);
    if (!slot)
        return pt_fail(PT_ENOMEM, "out of memory");
    pt_hit *h = &slot->pub;
    pt_passage_record rec;
    int rc = pt_record_decode_passage(&rec, xh->data, xh->data_len);
    if (rc)
        return rc;
    slot->signature = rec.signature;
    slot->docid = xh->docid;
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
    return PT_OK; /* the article record waits until the hit is known to be shown */
}

/* Moves dup's article into leader's also_in list and frees the rest of it. */
static int add_also(pt_hit *leader, pt_hit *dup)
{
    pt_also *list = realloc((pt_also *)leader->also_in, (leader->n_also_in + 1) * sizeof *list);
    if (!list)
        return pt_fail(PT_ENOMEM, "out of memory");
    leader->also_in = list;
    list[leader->n_also_in++] = (pt_also){dup->article, dup->path, dup->title, dup->source,
                                          dup->date, dup->line, dup->score};
    dup->article = dup->path = dup->title = dup->source = dup->date = NULL;
    hit_clear(dup);
    return PT_OK;
}

/* Shows the same passage of several articles once (minhash.h): the best
 * ranked copy stays, the others go to its also_in (with their article
 * records); at most max hits stay. On failure every slot is still whole or
 * cleared, for pt_hits_free. */
static int group_hits(pt_searcher *s, pt_hits *hits, size_t max)
{
    size_t n = hits->n;
    pt_signature *sigs = malloc((n ? n : 1) * sizeof *sigs);
    size_t *group = malloc((n ? n : 1) * sizeof *group);
    int rc = sigs && group ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        sigs[i] = hits->hits[i].signature;
    if (!rc)
        pt_signature_group(sigs, n, max, group);
    for (size_t i = 0; !rc && i < n; i++) {
        if (group[i] == PT_GROUP_DROPPED)
            hit_clear(&hits->hits[i].pub);
        else if (group[i] != i && !(rc = fill_article(s, &hits->hits[i].pub)))
            rc = add_also(&hits->hits[group[i]].pub, &hits->hits[i].pub);
    }
    /* Leaders only take from later hits, so compacting in order is safe. */
    size_t kept = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (group[i] == i) {
            hits->hits[kept] = hits->hits[i];
            hits->hits[kept].pub.rank = (unsigned)(kept + 1);
            kept++;
        }
    }
    if (!rc)
        hits->n = kept;
    free(sigs);
    free(group);
    return rc;
}

/* Article records, highlights, and explanations when asked, for the hits
 * that are shown: a top-10 search fetches 40 passages for grouping, and
 * most of them are dropped. */
static int finish_hits(collect_ctx *c)
{
    for (size_t i = 0; i < c->hits->n; i++) {
        hit_slot *slot = &c->hits->hits[i];
        pt_hit *h = &slot->pub;
        pt_range *ranges = NULL;
        int rc = fill_article(c->searcher, h);
        if (rc)
            return rc;
        rc = pt_highlight(&ranges, &h->n_highlights, c->searcher->analyzer, h->passage,
                              h->passage_len, c->terms);
        h->highlights = ranges;
        if (!rc && c->query)
            rc = ptx_reader_explain(c->searcher->reader, c->query, slot->docid, c->xo,
                                    explain_part_cb, h);
        if (rc)
            return rc;
    }
    return PT_OK;
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
    int grouping = !(flags & PT_SEARCH_NO_GROUP);
    if (grouping) /* copies of a shown passage, and hits to replace them */
        xo.max = opts->max_hits * GROUP_WINDOW + GROUP_EXTRA;
    collect_ctx c = {s, hits, terms, flags & PT_SEARCH_EXPLAIN ? q : NULL, &xo};
    int rc = ptx_reader_search(s->reader, q, &xo, collect_hit, &c, &hits->estimated);
    if (!rc && grouping)
        rc = group_hits(s, hits, opts->max_hits);
    if (!rc)
        rc = finish_hits(&c);
    if (rc) {
        pt_hits_free(hits);
        return rc;
    }
    *out = hits;
    return PT_OK;
}

/* Replaces *q by its feedback expansion (feedback.h). */
static int add_feedback(ptx_query **q, pt_searcher *s, pt_term_set terms, size_t n_words)
{
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    ptx_query *fq = NULL;
    int rc = pt_feedback_expand(&fq, s->reader, *q, terms, n_words, &xo);
    if (rc)
        return rc;
    ptx_query_free(*q);
    *q = fq;
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
            rc = pt_title_boost(&q, s->reader, &info);
        if (rc == PT_OK && (flags & PT_SEARCH_FEEDBACK))
            rc = add_feedback(&q, s, (pt_term_set)info.terms.terms, info.n_words);
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
