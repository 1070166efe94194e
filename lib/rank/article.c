/* article.c — article evidence (article.h): BM25 over whole articles for
 * the candidate articles of a search, from the binding's primitives. Each
 * query word's posting list is read once, skipping forward through the
 * candidate articles' passages in docid order; each word's statistics and
 * each article's passages are cached per commit (a string map below). */
#include "rank/article.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ptsearch.h"
#include "rank/bm25.h"
#include "store/schema.h"
#include "util/buf.h"
#include "util/error.h"

/* The caches stop growing at CACHE_MAX entries each (then start again
 * empty): a long-running searcher over a large index stays bounded. */
#define CACHE_MAX 100000

/* ------------------------------------------------------------ string map */

/* Open addressing, keys copied, values owned by the map (freed with it). */
typedef struct {
    char *key;
    void *value;
} map_slot;
typedef struct {
    map_slot *slots;
    size_t n, cap; /* cap: 0 or a power of two */
} str_map;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static map_slot *map_slot_of(const str_map *m, const char *key)
{
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static void *map_get(const str_map *m, const char *key)
{
    return m->cap ? map_slot_of(m, key)->value : NULL;
}

static int map_grow(str_map *m)
{
    str_map bigger = {calloc(m->cap ? m->cap * 2 : 64, sizeof(map_slot)), m->n, m->cap ? m->cap * 2 : 64};
    if (!bigger.slots)
        return pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *map_slot_of(&bigger, m->slots[i].key) = m->slots[i];
    free(m->slots);
    *m = bigger;
    return PT_OK;
}

/* Adds key (not in m) with value, which the map then owns (the caller's
 * still on failure). */
static int map_put(str_map *m, const char *key, void *value)
{
    char *copy = strdup(key);
    int rc = copy ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    if (!rc && (m->n + 1) * 2 > m->cap)
        rc = map_grow(m);
    if (rc) {
        free(copy);
        return rc;
    }
    *map_slot_of(m, copy) = (map_slot){copy, value};
    m->n++;
    return PT_OK;
}

static void map_clear(str_map *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        if (m->slots[i].key)
            free_value(m->slots[i].value);
    }
    free(m->slots);
    *m = (str_map){NULL, 0, 0};
}

/* ----------------------------------------------------------------- cache */

typedef struct {
    uint64_t termfreq; /* passages holding the word */
    int64_t excess;    /* schema.h, PT_META_EXCESS */
} word_stat;

typedef struct {
    uint32_t *docids; /* its passages, ascending */
    size_t n;
    double length; /* their lengths summed, in docid order */
} article_passages;

struct pt_article_cache {
    str_map words, articles;
    uint64_t generation; /* ptx_reader_generation they were read at */
};

static void free_passages(void *p)
{
    if (p)
        free(((article_passages *)p)->docids);
    free(p);
}

int pt_article_cache_new(pt_article_cache **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
}

void pt_article_cache_free(pt_article_cache *c)
{
    if (!c)
        return;
    map_clear(&c->words, free);
    map_clear(&c->articles, free_passages);
    free(c);
}

/* Empties c when the reader moved to another commit since it was filled. */
static void cache_check(pt_article_cache *c, const ptx_reader *r)
{
    uint64_t generation = ptx_reader_generation(r);
    if (c->generation == generation)
        return;
    map_clear(&c->words, free);
    map_clear(&c->articles, free_passages);
    c->generation = generation;
}

/* ------------------------------------------------------------ statistics */

static int read_word_stat(ptx_reader *r, const char *word, word_stat *out)
{
    int rc = ptx_reader_termfreq(r, word, &out->termfreq);
    out->excess = 0;
    if (rc || strlen(word) > PT_EXCESS_TERM_MAX) /* no excess kept for it */
        return rc;
    char *key = pt_strdupf("%s%s", PT_META_EXCESS, word);
    if (!key)
        return pt_fail(PT_ENOMEM, "out of memory");
    rc = ptx_reader_metadata_sum(r, key, &out->excess);
    free(key);
    return rc;
}

/* word's statistics, from c when it has them (c may be NULL). */
static int word_stat_of(pt_article_cache *c, ptx_reader *r, const char *word, word_stat *out)
{
    const word_stat *hit = c ? map_get(&c->words, word) : NULL;
    if (hit) {
        *out = *hit;
        return PT_OK;
    }
    int rc = read_word_stat(r, word, out);
    if (rc || !c)
        return rc;
    if (c->words.n >= CACHE_MAX)
        map_clear(&c->words, free);
    word_stat *kept = malloc(sizeof *kept);
    if (!kept)
        return pt_fail(PT_ENOMEM, "out of memory");
    *kept = *out;
    rc = map_put(&c->words, word, kept);
    if (rc)
        free(kept);
    return rc;
}

static int add_passage(uint32_t docid, double doclength, void *ctx)
{
    article_passages *a = ctx;
    if ((a->n & (a->n - 1)) == 0) { /* 0, 1, 2, 4...: full */
        uint32_t *grown = realloc(a->docids, (a->n ? a->n * 2 : 1) * sizeof *grown);
        if (!grown)
            return pt_fail(PT_ENOMEM, "out of memory");
        a->docids = grown;
    }
    a->docids[a->n++] = docid;
    a->length += doclength;
    return PT_OK;
}

/* The passages of the article whose filter term is article_term, from c
 * when it has them (c may be NULL: the caller then frees *out). */
static int passages_of(pt_article_cache *c, ptx_reader *r, const char *article_term, article_passages **out)
{
    *out = c ? map_get(&c->articles, article_term) : NULL;
    if (*out)
        return PT_OK;
    article_passages *a = calloc(1, sizeof *a);
    int rc = a ? ptx_reader_postlist(r, article_term, add_passage, a) : pt_fail(PT_ENOMEM, "out of memory");
    if (rc) {
        free_passages(a);
        return rc;
    }
    if (c && c->articles.n >= CACHE_MAX)
        map_clear(&c->articles, free_passages);
    if (c && (rc = map_put(&c->articles, article_term, a))) {
        free_passages(a);
        return rc;
    }
    *out = a;
    return PT_OK;
}

/* The article count N, and the average article length. */
static int collection_stats(ptx_reader *r, double *n_articles, double *avlen)
{
    int64_t counted = 0;
    uint64_t docs = 0;
    double avlength = 0;
    int rc = ptx_reader_metadata_sum(r, PT_META_ARTICLE_COUNT, &counted);
    if (!rc) rc = ptx_reader_doccount(r, &docs);
    if (!rc) rc = ptx_reader_avlength(r, &avlength);
    if (rc)
        return rc;
    *n_articles = counted > 0 ? (double)counted : (double)docs;
    *avlen = avlength * (double)docs / *n_articles;
    return PT_OK;
}

/* The number of articles holding a word: passages holding it less its
 * excess, within [1, n_articles]. */
static double article_df(const word_stat *w, double n_articles)
{
    double df = (double)w->termfreq - (double)w->excess;
    return fmin(fmax(df, 1.0), n_articles);
}

/* ----------------------------------------------------------- the query */

/* A part of the query's weight (ptx_score_leaf), its words as indexes
 * into the query's distinct words. */
typedef struct {
    double mult, weight;
    int constant;
    size_t first, n; /* its words: word_of[first..first + n) */
} leaf;

typedef struct {
    leaf *leaves;
    size_t n_leaves, cap_leaves;
    size_t *word_of;
    size_t n_word_of, cap_word_of;
    char **terms; /* every word the parts name, once (pointers into at's keys) */
    size_t n_terms, cap_terms;
    str_map at; /* word -> its index + 1 (a number, not a pointer) */
} query_parts;

/* Makes room for one more item in *items (of size bytes, *cap of them). */
static int room_for_one(void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return PT_OK;
    size_t more = *cap ? *cap * 2 : 16;
    void *grown = realloc(*(void **)items, more * size);
    if (!grown)
        return pt_fail(PT_ENOMEM, "out of memory");
    *(void **)items = grown;
    *cap = more;
    return PT_OK;
}

static int word_index(query_parts *qp, const char *term, size_t *out)
{
    uintptr_t at = (uintptr_t)map_get(&qp->at, term);
    if (at) {
        *out = (size_t)at - 1;
        return PT_OK;
    }
    int rc = room_for_one(&qp->terms, qp->n_terms, &qp->cap_terms, sizeof *qp->terms);
    if (!rc)
        rc = map_put(&qp->at, term, (void *)(uintptr_t)(qp->n_terms + 1));
    if (rc)
        return rc;
    qp->terms[qp->n_terms] = map_slot_of(&qp->at, term)->key;
    *out = qp->n_terms++;
    return PT_OK;
}

static int collect_leaf(const ptx_score_leaf *l, void *ctx)
{
    query_parts *qp = ctx;
    int rc = room_for_one(&qp->leaves, qp->n_leaves, &qp->cap_leaves, sizeof *qp->leaves);
    if (rc)
        return rc;
    qp->leaves[qp->n_leaves++] = (leaf){l->mult, l->weight, l->constant, qp->n_word_of, l->n_terms};
    for (size_t i = 0; i < l->n_terms && !rc; i++) {
        rc = room_for_one(&qp->word_of, qp->n_word_of, &qp->cap_word_of, sizeof *qp->word_of);
        if (!rc)
            rc = word_index(qp, l->terms[i], &qp->word_of[qp->n_word_of++]);
    }
    return rc;
}

static void no_free(void *p)
{
    (void)p;
}

static void query_parts_free(query_parts *qp)
{
    map_clear(&qp->at, no_free);
    free(qp->leaves);
    free(qp->word_of);
    free(qp->terms);
}

/* ----------------------------------------------------------- the table */

/* The passages of the candidate articles and, per article and word, the
 * word's wdf summed over them (tf) and whether any passage has it. */
typedef struct {
    size_t n_articles, n_terms;
    uint32_t *docids;  /* every passage of the articles, ascending */
    size_t *article;   /* each one's article */
    size_t n_passages;
    double *length;    /* per article */
    uint64_t *tf;      /* n_articles x n_terms */
    unsigned char *present;
} article_table;

typedef struct {
    uint32_t docid;
    size_t article;
} passage_of;

static int by_docid(const void *x, const void *y)
{
    const passage_of *a = x, *b = y;
    if (a->docid != b->docid)
        return a->docid < b->docid ? -1 : 1;
    return (a->article > b->article) - (a->article < b->article);
}

static void table_free(article_table *t)
{
    free(t->docids);
    free(t->article);
    free(t->length);
    free(t->tf);
    free(t->present);
}

/* The passages of the n articles, sorted by docid, and their lengths. */
static int table_passages(pt_article_cache *c, ptx_reader *r, const char *const *article_terms, size_t n,
                          article_table *t)
{
    passage_of *all = NULL;
    size_t n_all = 0, cap = 0;
    int rc = PT_OK;
    for (size_t a = 0; a < n && !rc; a++) {
        article_passages *p = NULL;
        rc = passages_of(c, r, article_terms[a], &p);
        for (size_t i = 0; !rc && i < p->n; i++) {
            rc = room_for_one(&all, n_all, &cap, sizeof *all);
            if (!rc)
                all[n_all++] = (passage_of){p->docids[i], a};
        }
        if (p)
            t->length[a] = p->length;
        if (!c)
            free_passages(p);
    }
    if (!rc && n_all > 1)
        qsort(all, n_all, sizeof *all, by_docid);
    t->docids = malloc((n_all ? n_all : 1) * sizeof *t->docids);
    t->article = malloc((n_all ? n_all : 1) * sizeof *t->article);
    if (!rc && (!t->docids || !t->article))
        rc = pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n_all; i++) {
        t->docids[i] = all[i].docid;
        t->article[i] = all[i].article;
    }
    t->n_passages = n_all;
    free(all);
    return rc;
}

/* Fills t for the n articles and the words terms[0..n_terms): each
 * word's posting list read once over all their passages. */
static int table_fill(pt_article_cache *c, ptx_reader *r, const char *const *article_terms, size_t n,
                      char *const *terms, size_t n_terms, article_table *t)
{
    memset(t, 0, sizeof *t);
    t->n_articles = n;
    t->n_terms = n_terms;
    size_t cells = n && n_terms ? n * n_terms : 1;
    t->length = calloc(n ? n : 1, sizeof *t->length);
    t->tf = calloc(cells, sizeof *t->tf);
    t->present = calloc(cells, 1);
    int rc = t->length && t->tf && t->present ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    if (!rc)
        rc = table_passages(c, r, article_terms, n, t);
    if (rc || t->n_passages == 0)
        return rc;
    uint32_t *wdf = malloc(t->n_passages * sizeof *wdf);
    unsigned char *has = malloc(t->n_passages);
    if (!wdf || !has)
        rc = pt_fail(PT_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < n_terms; k++) {
        rc = ptx_reader_wdf_at(r, terms[k], t->docids, t->n_passages, wdf, has);
        for (size_t i = 0; !rc && i < t->n_passages; i++) {
            if (!has[i])
                continue;
            t->tf[t->article[i] * n_terms + k] += wdf[i];
            t->present[t->article[i] * n_terms + k] = 1;
        }
    }
    free(wdf);
    free(has);
    return rc;
}

/* -------------------------------------------------------------- scoring */

/* Adds leaf l's BM25 weight (or constant weight) in each article. */
static void score_leaf(const leaf *l, const size_t *word_of, const article_table *t, const double *df,
                       double n_articles, double avlen, const ptx_search_opts *o, double *scores)
{
    /* a synonym's articles: the union of its words', estimated as Xapian
     * estimates an OR's */
    double leaf_df = 0;
    for (size_t j = 0; j < l->n; j++)
        leaf_df = leaf_df + df[word_of[l->first + j]] - leaf_df * df[word_of[l->first + j]] / n_articles;
    double tw = pt_bm25_termweight(leaf_df, n_articles, o->bm25_k1); /* articles as documents */
    for (size_t a = 0; a < t->n_articles; a++) {
        double tf = 0;
        int has = 0;
        for (size_t j = 0; j < l->n; j++) {
            size_t k = word_of[l->first + j];
            tf += (double)t->tf[a * t->n_terms + k];
            has = has || t->present[a * t->n_terms + k];
        }
        if (l->constant) {
            scores[a] += has ? l->mult * l->weight : 0;
            continue;
        }
        double normlen = avlen > 0 ? fmax(t->length[a] / avlen, 0.5) : 1;
        double denom = o->bm25_k1 * (normlen * o->bm25_b + (1 - o->bm25_b)) + tf;
        scores[a] += tf > 0 ? l->mult * tw * tf / denom : 0;
    }
}

int pt_article_scores(pt_article_cache *c, ptx_reader *r, const ptx_query *q, const char *const *article_terms,
                      size_t n, const ptx_search_opts *opts, double *scores_out)
{
    for (size_t a = 0; a < n; a++)
        scores_out[a] = 0;
    if (c)
        cache_check(c, r);
    query_parts qp;
    memset(&qp, 0, sizeof qp);
    article_table t;
    memset(&t, 0, sizeof t);
    double n_articles = 0, avlen = 0, *df = NULL;
    int rc = ptx_query_leaves(q, collect_leaf, &qp);
    if (!rc)
        rc = table_fill(c, r, article_terms, n, qp.terms, qp.n_terms, &t);
    if (!rc)
        rc = collection_stats(r, &n_articles, &avlen);
    if (!rc && !(df = malloc((qp.n_terms ? qp.n_terms : 1) * sizeof *df)))
        rc = pt_fail(PT_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < qp.n_terms; k++) {
        word_stat w;
        rc = word_stat_of(c, r, qp.terms[k], &w);
        df[k] = rc ? 0 : article_df(&w, n_articles);
    }
    for (size_t i = 0; !rc && i < qp.n_leaves; i++)
        score_leaf(&qp.leaves[i], qp.word_of, &t, df, n_articles, avlen, opts, scores_out);
    free(df);
    table_free(&t);
    query_parts_free(&qp);
    return rc;
}

int pt_article_docs_holding(ptx_reader *r, const uint32_t *docids, size_t n, const char *const *terms,
                            const unsigned char *skip, size_t n_terms, unsigned char *holds)
{
    memset(holds, 0, n);
    if (n == 0)
        return PT_OK;
    passage_of *order = malloc(n * sizeof *order);
    uint32_t *sorted = malloc(n * sizeof *sorted), *wdf = malloc(n * sizeof *wdf);
    unsigned char *has = malloc(n);
    int rc = order && sorted && wdf && has ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        order[i] = (passage_of){docids[i], i};
    if (!rc)
        qsort(order, n, sizeof *order, by_docid);
    for (size_t i = 0; !rc && i < n; i++)
        sorted[i] = order[i].docid;
    for (size_t k = 0; !rc && k < n_terms; k++) {
        if (skip && skip[k])
            continue;
        rc = ptx_reader_wdf_at(r, terms[k], sorted, n, wdf, has);
        for (size_t i = 0; !rc && i < n; i++)
            holds[order[i].article] |= has[i];
    }
    free(order);
    free(sorted);
    free(wdf);
    free(has);
    return rc;
}

int pt_article_stats_of(ptx_reader *r, const char *article_term, const char *word, pt_article_stats *out)
{
    memset(out, 0, sizeof *out);
    article_table t;
    char *terms[] = {(char *)word};
    word_stat w;
    int64_t counted = 0;
    int rc = table_fill(NULL, r, &article_term, 1, terms, 1, &t);
    if (!rc)
        rc = ptx_reader_metadata_sum(r, PT_META_ARTICLE_COUNT, &counted);
    if (!rc)
        rc = read_word_stat(r, word, &w);
    if (!rc) {
        out->articles = counted > 0 ? (uint64_t)counted : 0;
        out->passages = t.n_passages;
        out->length = (uint64_t)t.length[0];
        out->tf = t.tf[0];
        out->df = (uint64_t)((int64_t)w.termfreq - w.excess);
    }
    table_free(&t);
    return rc;
}
