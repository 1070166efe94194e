/* remote_check.c — phrases and NEAR where a shard is remote
 * (remote_check.h): the stand-in the shards rank, the checks run here on
 * the passages fetched, their weights taken off, the window widened until
 * the page is sure; and explanations over shards, weighed by article. The
 * binding only runs the searches (ptx_reader_window, _weigh_within). */
#include "rank/remote_check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "util/buf.h"
#include "util/error.h"

/* The stock xapian-tcpsrv cannot rebuild a positional check (a
 * PostingSource of ours), so on a reader with a remote shard a query
 * holding one runs in two steps. The shards run its upper bound (the
 * stand-in): each check's node replaced by the AND of its parts, which
 * weighs what the checked node weighs (the check adds nothing), or by
 * nothing under the excluded side of an AND_NOT. Whatever the query
 * matches, the bound matches with as high a weight. Here each check runs
 * on the records of the passages fetched; a passage that a check changes
 * is weighed again: the parts of the query that no longer match it come
 * off its weight (each weighed by the shards for the batch, as --explain
 * weighs a part), or it is dropped when the whole query no longer matches.
 * The window grows until the passages ranking before the last one fetched
 * fill the page: nothing further down the bound can rank above that one. */

#define NOT_IN_BATCH ((size_t)-1)

static int out_of_memory(void)
{
    return pt_fail(PT_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------ ordering */

/* Byte strings as std::string orders them (unsigned bytes, then length). */
static int compare_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return na < nb ? -1 : na > nb;
}

int pt_ranks_before(const pt_checked_hit *a, const pt_checked_hit *b, const ptx_search_opts *o)
{
    int order = compare_bytes(a->order, a->order_len, b->order, b->order_len);
    if (o->sort_slot >= 0 && order != 0)
        return order > 0;
    if (fabs(a->weight - b->weight) > 1e-12 * fmax(fabs(a->weight), fabs(b->weight)))
        return a->weight > b->weight;
    if (o->sort_slot < 0 && o->tie_slot >= 0 && order != 0)
        return order < 0;
    return a->docid < b->docid;
}

/* Whether place a goes before place b (of what ctx points to). */
typedef int (*before_fn)(size_t a, size_t b, const void *ctx);

/* Sorts places[0..n) by before, stably (a merge sort: the ranking grows
 * by windows, mostly in order already). */
static int sort_places(size_t *places, size_t n, before_fn before, const void *ctx)
{
    size_t *tmp = n > 1 ? malloc(n * sizeof *tmp) : NULL;
    if (n > 1 && !tmp)
        return out_of_memory();
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = before(places[j], places[i], ctx) ? places[j++] : places[i++];
            while (i < mid)
                tmp[k++] = places[i++];
            while (j < hi)
                tmp[k++] = places[j++];
        }
        memcpy(places, tmp, n * sizeof *places);
    }
    free(tmp);
    return PT_OK;
}

/* places[i] = i, sorted by before; NULL when out of memory. */
static size_t *sorted_places(size_t n, before_fn before, const void *ctx)
{
    size_t *places = malloc((n ? n : 1) * sizeof *places);
    if (!places)
        return NULL;
    for (size_t i = 0; i < n; i++)
        places[i] = i;
    if (sort_places(places, n, before, ctx)) {
        free(places);
        return NULL;
    }
    return places;
}

typedef struct {
    const pt_checked_hit *hits;
    const ptx_search_opts *o;
} hits_and_opts;

static int by_rank(size_t a, size_t b, const void *ctx)
{
    const hits_and_opts *h = ctx;
    return pt_ranks_before(&h->hits[a], &h->hits[b], h->o);
}

static int by_collapse(size_t a, size_t b, const void *ctx)
{
    const pt_checked_hit *h = ctx;
    return compare_bytes(h[a].collapse, h[a].collapse_len, h[b].collapse, h[b].collapse_len) < 0;
}

static int by_article(size_t a, size_t b, const void *ctx)
{
    const pt_checked_hit *h = ctx;
    return compare_bytes(h[a].article, h[a].article_len, h[b].article, h[b].article_len) < 0;
}

static int by_docid(size_t a, size_t b, const void *ctx)
{
    const pt_checked_hit *h = ctx;
    return h[a].docid < h[b].docid;
}

int pt_checked_sort(pt_checked_hit *hits, size_t n, const ptx_search_opts *o)
{
    hits_and_opts ctx = {hits, o};
    size_t *places = sorted_places(n, by_rank, &ctx);
    pt_checked_hit *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!places || !sorted) {
        free(places);
        free(sorted);
        return out_of_memory();
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = hits[places[i]];
    if (n)
        memcpy(hits, sorted, n * sizeof *hits);
    free(places);
    free(sorted);
    return PT_OK;
}

static int same_collapse(const pt_checked_hit *a, const pt_checked_hit *b)
{
    return compare_bytes(a->collapse, a->collapse_len, b->collapse, b->collapse_len) == 0;
}

int pt_checked_collapse(pt_checked_hit *hits, size_t *n, const ptx_search_opts *o)
{
    if (o->collapse_slot < 0 || o->collapse_max == 0)
        return PT_OK;
    /* each value's hits in rank order: keep the first collapse_max */
    size_t *places = sorted_places(*n, by_collapse, hits);
    unsigned char *keep = malloc(*n ? *n : 1);
    if (!places || !keep) {
        free(places);
        free(keep);
        return out_of_memory();
    }
    unsigned seen = 0;
    for (size_t i = 0; i < *n; i++) {
        const pt_checked_hit *h = &hits[places[i]];
        seen = i > 0 && same_collapse(h, &hits[places[i - 1]]) ? seen + 1 : 1;
        keep[places[i]] = h->collapse_len == 0 || seen <= o->collapse_max;
    }
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (keep[i])
            hits[kept++] = hits[i];
    *n = kept;
    free(places);
    free(keep);
    return PT_OK;
}

size_t pt_checked_sure(const pt_checked_hit *ranked, size_t n, const pt_checked_hit *last, int rest,
                       const ptx_search_opts *o)
{
    size_t sure = n;
    if (!rest) /* those ranking before the last passage fetched */
        while (sure > 0 && !pt_ranks_before(&ranked[sure - 1], last, o))
            sure--;
    return sure;
}

unsigned pt_checked_first_window(unsigned want)
{
    return 2 * want > 20u ? 2 * want : 20u;
}

uint64_t pt_checked_estimate(size_t n_ranked, size_t sure, size_t n_kept, size_t n_fetched, uint64_t estimated,
                             int rest)
{
    if (rest)
        return n_ranked;
    uint64_t scaled = estimated * n_kept / (n_fetched > 1 ? n_fetched : 1);
    return scaled > sure ? scaled : sure;
}

int pt_checked_counts(const pt_checked_hit *kept, size_t n_kept, size_t n_fetched, uint64_t estimated, int rest,
                      int collapse_slot, uint64_t *docs_out, uint64_t *groups_out)
{
    size_t *places = sorted_places(n_kept, by_collapse, kept);
    if (!places)
        return out_of_memory();
    size_t groups = 0; /* distinct collapse values, "" one of them */
    for (size_t i = 0; i < n_kept; i++)
        groups += i == 0 || !same_collapse(&kept[places[i]], &kept[places[i - 1]]);
    free(places);
    double share = n_fetched == 0 ? 0 : (double)n_kept / (double)n_fetched;
    *docs_out = rest ? n_kept : (uint64_t)((double)estimated * share);
    *groups_out = collapse_slot < 0 ? *docs_out
                  : rest            ? groups
                                    : *docs_out * groups / (n_kept > 1 ? n_kept : 1);
    return PT_OK;
}

/* ---------------------------------------------------- the query's tree */

/* A node of the query (one per node, however often the query holds it). */
typedef struct {
    ptx_query *q;
    ptx_node info;
    size_t *subs;           /* places of its subqueries' nodes */
    int holds;              /* a check at or under it */
    int made[2];            /* bound[excluded] is made */
    const ptx_query *bound[2]; /* its stand-in, by excluded (NULL: nothing) */
    ptx_query *owned[2];    /* the stand-ins built for it */
    int stands[2];          /* CHECK: under the query [0], under an excluded side [1] */
    signed char *passed;    /* CHECK: per passage of the batch, -1 until checked */
} tree_node;

/* The weights of one query for the passages of the batch (NAN: no match),
 * kept under (key, factor). */
typedef struct {
    const void *key;
    double factor;
    double *w;
} weighed_set;

typedef struct {
    ptx_reader *r;
    const ptx_search_opts *o;
    pt_buf nodes; /* tree_node */
    /* The batch of passages the checks run on, and what was weighed. */
    const pt_checked_hit *batch;
    size_t n_batch;
    size_t *by_docid; /* places in batch, by docid */
    pt_buf weighed;   /* weighed_set */
} checker;

static tree_node *node_at(checker *c, size_t i)
{
    return (tree_node *)(void *)c->nodes.data + i;
}

static size_t node_count(const checker *c)
{
    return c->nodes.len / sizeof(tree_node);
}

/* The node of q (taken: freed when the tree holds it already), then its
 * subqueries' nodes. */
static int add_node(checker *c, ptx_query *q, size_t *out)
{
    ptx_node info;
    ptx_query_node(q, &info);
    for (size_t i = 0; i < node_count(c); i++)
        if (node_at(c, i)->info.id == info.id) {
            ptx_query_free(q);
            *out = i;
            return PT_OK;
        }
    tree_node n = {q, info, NULL, info.op == PTX_NODE_CHECK, {0, 0}, {NULL, NULL}, {NULL, NULL}, {0, 0}, NULL};
    if ((info.n_subs && !(n.subs = calloc(info.n_subs, sizeof *n.subs))) || pt_buf_append(&c->nodes, &n, sizeof n)) {
        free(n.subs);
        ptx_query_free(q);
        return out_of_memory();
    }
    size_t self = node_count(c) - 1;
    *out = self;
    for (size_t i = 0; i < info.n_subs; i++) {
        ptx_query *sub;
        size_t place;
        int rc = ptx_query_subquery(&sub, q, i);
        if (!rc)
            rc = add_node(c, sub, &place);
        if (rc)
            return rc;
        node_at(c, self)->subs[i] = place;
        node_at(c, self)->holds |= node_at(c, place)->holds;
    }
    return PT_OK;
}

/* The node of a copy of q. */
static int add_root(checker *c, const ptx_query *q, size_t *out)
{
    ptx_query *copy = ptx_query_copy(q);
    return copy ? add_node(c, copy, out) : out_of_memory();
}

/* The bound of node i (see above); excluded: under AND_NOT's excluded
 * side. Notes where each check stands. */
static int upper(checker *c, size_t i, int excluded, const ptx_query **out)
{
    tree_node *n = node_at(c, i);
    if (!n->holds || n->made[excluded]) {
        *out = n->holds ? n->bound[excluded] : n->q;
        return PT_OK;
    }
    if (n->info.op == PTX_NODE_CHECK) {
        n->stands[excluded] = 1;
        n->bound[excluded] = excluded ? NULL : node_at(c, n->subs[0])->q;
        n->made[excluded] = 1;
        *out = n->bound[excluded];
        return PT_OK;
    }
    size_t n_subs = n->info.n_subs;
    const ptx_query **subs = malloc((n_subs ? n_subs : 1) * sizeof *subs);
    if (!subs)
        return out_of_memory();
    int rc = PT_OK;
    for (size_t k = 0; !rc && k < n_subs; k++) {
        tree_node *at = node_at(c, i);
        rc = upper(c, at->subs[k], excluded != (at->info.op == PTX_NODE_AND_NOT && k > 0), &subs[k]);
    }
    ptx_query *built = NULL;
    if (!rc)
        rc = ptx_query_rebuild(&built, node_at(c, i)->q, subs, n_subs);
    free(subs);
    if (rc)
        return rc;
    n = node_at(c, i);
    n->owned[excluded] = built;
    n->bound[excluded] = built;
    n->made[excluded] = 1;
    *out = built;
    return PT_OK;
}

static void forget_batch(checker *c)
{
    weighed_set *sets = (weighed_set *)(void *)c->weighed.data;
    for (size_t i = 0; i < c->weighed.len / sizeof *sets; i++)
        free(sets[i].w);
    pt_buf_reset(&c->weighed);
    for (size_t i = 0; i < node_count(c); i++) {
        free(node_at(c, i)->passed);
        node_at(c, i)->passed = NULL;
    }
    free(c->by_docid);
    c->by_docid = NULL;
    c->batch = NULL;
    c->n_batch = 0;
}

static int set_batch(checker *c, const pt_checked_hit *batch, size_t n)
{
    forget_batch(c);
    if (!(c->by_docid = sorted_places(n, by_docid, batch)))
        return out_of_memory();
    c->batch = batch;
    c->n_batch = n;
    return PT_OK;
}

static void checker_free(checker *c)
{
    forget_batch(c);
    pt_buf_free(&c->weighed);
    for (size_t i = 0; i < node_count(c); i++) {
        tree_node *n = node_at(c, i);
        ptx_query_free(n->q);
        ptx_query_free(n->owned[0]);
        ptx_query_free(n->owned[1]);
        free(n->subs);
    }
    pt_buf_free(&c->nodes);
}

/* ------------------------------------------------ weighing the batch */

static size_t batch_place(const checker *c, uint32_t docid)
{
    size_t lo = 0, hi = c->n_batch;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t at = c->batch[c->by_docid[mid]].docid;
        if (at == docid)
            return c->by_docid[mid];
        if (at < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NOT_IN_BATCH;
}

static const double *find_weighed(const checker *c, const void *key, double factor)
{
    const weighed_set *sets = (const weighed_set *)(const void *)c->weighed.data;
    for (size_t i = 0; i < c->weighed.len / sizeof *sets; i++)
        if (sets[i].key == key && sets[i].factor == factor)
            return sets[i].w;
    return NULL;
}

typedef struct {
    const checker *c;
    double *w;
} weigh_ctx;

static int take_weight(uint32_t docid, double weight, void *ctx)
{
    weigh_ctx *wc = ctx;
    size_t place = batch_place(wc->c, docid);
    if (place != NOT_IN_BATCH)
        wc->w[place] = weight;
    return 0;
}

/* The article terms of the batch, each once, in terms (lens) over text. */
static int batch_articles(const checker *c, pt_buf *text, const char ***terms, size_t **lens, size_t *n)
{
    size_t *places = sorted_places(c->n_batch, by_article, c->batch);
    *terms = malloc((c->n_batch ? c->n_batch : 1) * sizeof **terms);
    *lens = malloc((c->n_batch ? c->n_batch : 1) * sizeof **lens);
    if (!places || !*terms || !*lens) {
        free(places);
        return out_of_memory();
    }
    *n = 0;
    for (size_t i = 0; i < c->n_batch; i++) {
        const pt_checked_hit *h = &c->batch[places[i]];
        const pt_checked_hit *before = i > 0 ? &c->batch[places[i - 1]] : NULL;
        if (before && compare_bytes(before->article, before->article_len, h->article, h->article_len) == 0)
            continue; /* the same article as the one before */
        (*lens)[(*n)++] = sizeof PT_PREFIX_ARTICLE - 1 + h->article_len;
        if (pt_buf_append_str(text, PT_PREFIX_ARTICLE) || pt_buf_append(text, h->article, h->article_len)) {
            free(places);
            return out_of_memory();
        }
    }
    const char *p = text->data;
    for (size_t i = 0; i < *n; p += (*lens)[i++])
        (*terms)[i] = p;
    free(places);
    return PT_OK;
}

/* The passages of the batch that run matches, with their weight: one
 * search over the batch's articles, kept under (key, factor). */
static int weigh(checker *c, const void *key, double factor, const ptx_query *run, const double **out)
{
    if ((*out = find_weighed(c, key, factor)))
        return PT_OK;
    weighed_set set = {key, factor, malloc((c->n_batch ? c->n_batch : 1) * sizeof(double))};
    if (!set.w)
        return out_of_memory();
    for (size_t i = 0; i < c->n_batch; i++)
        set.w[i] = NAN;
    pt_buf text = PT_BUF_INIT;
    const char **terms = NULL;
    size_t *lens = NULL, n = 0;
    int rc = batch_articles(c, &text, &terms, &lens, &n);
    weigh_ctx wc = {c, set.w};
    if (!rc)
        rc = ptx_reader_weigh_within(c->r, run, c->o, terms, lens, n, take_weight, &wc);
    if (!rc && pt_buf_append(&c->weighed, &set, sizeof set))
        rc = out_of_memory();
    pt_buf_free(&text);
    free(terms);
    free(lens);
    if (rc) {
        free(set.w);
        return rc;
    }
    *out = set.w;
    return PT_OK;
}

/* Whether node i's query matches the passage at place. */
static int in(checker *c, size_t i, size_t place, int *yes)
{
    const double *w;
    int rc = weigh(c, node_at(c, i)->info.id, 0, node_at(c, i)->q, &w);
    *yes = !rc && !isnan(w[place]);
    return rc;
}

/* The weights of node i's bound, times factor. */
static int weigh_bound(checker *c, size_t i, double factor, const double **out)
{
    const void *key = node_at(c, i)->info.id;
    if ((*out = find_weighed(c, key, factor)))
        return PT_OK;
    const ptx_query *bound;
    int rc = upper(c, i, 0, &bound);
    if (rc)
        return rc;
    ptx_query *scaled = factor != 1.0 ? ptx_query_scale(bound, factor) : NULL;
    if (factor != 1.0 && !scaled)
        return out_of_memory();
    rc = weigh(c, key, factor, scaled ? scaled : bound, out);
    ptx_query_free(scaled);
    return rc;
}

/* --------------------------------------------------- the checks' verdict */

/* Whether the check of node i keeps the passage at place (its term
 * "unless" aside). */
static int passes(checker *c, size_t i, size_t place, int *ok)
{
    tree_node *n = node_at(c, i);
    if (!n->passed) {
        if (!(n->passed = malloc(c->n_batch ? c->n_batch : 1)))
            return out_of_memory();
        memset(n->passed, -1, c->n_batch);
    }
    if (n->passed[place] >= 0) {
        *ok = n->passed[place];
        return PT_OK;
    }
    int pass = 1;
    if (n->info.unless) {
        const double *w = find_weighed(c, n->info.id, -1);
        ptx_query *term = w ? NULL : ptx_query_term(n->info.unless, strlen(n->info.unless), 1, 0);
        if (!w && !term)
            return out_of_memory();
        int rc = w ? PT_OK : weigh(c, n->info.id, -1, term, &w);
        ptx_query_free(term);
        if (rc)
            return rc;
        pass = isnan(w[place]);
    }
    if (pass) {
        const pt_checked_hit *h = &c->batch[place];
        int rc = n->info.check(h->data, h->data_len, n->info.check_ctx);
        if (rc < 0)
            return rc;
        pass = rc > 0;
    }
    node_at(c, i)->passed[place] = (signed char)pass;
    *ok = pass;
    return PT_OK;
}

static int status(checker *c, size_t i, size_t place, int excluded, int out[2]);

/* status of a check's node: its parts match, and the check passes. */
static int check_status(checker *c, size_t i, size_t place, int excluded, int out[2])
{
    int parts, ok = 0;
    int rc = in(c, node_at(c, i)->subs[0], place, &parts);
    if (!rc && parts)
        rc = passes(c, i, place, &ok);
    out[0] = !excluded && parts;
    out[1] = parts && ok;
    return rc;
}

/* status of a node holding a check, from its subqueries'. */
static int combined_status(checker *c, size_t i, size_t place, int excluded, int out[2])
{
    tree_node n = *node_at(c, i);
    int s[2], rc;
    if (n.info.op == PTX_NODE_AND_MAYBE || n.info.op == PTX_NODE_SCALE)
        return status(c, n.subs[0], place, excluded, out);
    int all = n.info.op == PTX_NODE_AND || n.info.op == PTX_NODE_FILTER;
    if (n.info.op == PTX_NODE_AND_NOT) {
        if ((rc = status(c, n.subs[0], place, excluded, out)))
            return rc;
        for (size_t k = 1; k < n.info.n_subs; k++) {
            if ((rc = status(c, n.subs[k], place, !excluded, s)))
                return rc;
            out[0] = out[0] && !s[0];
            out[1] = out[1] && !s[1];
        }
        return PT_OK;
    }
    /* AND and FILTER: all of them; OR, and what adds or picks its parts'
     * weights: any */
    out[0] = out[1] = all;
    for (size_t k = 0; k < n.info.n_subs; k++) {
        if ((rc = status(c, n.subs[k], place, excluded, s)))
            return rc;
        out[0] = all ? out[0] && s[0] : out[0] || s[0];
        out[1] = all ? out[1] && s[1] : out[1] || s[1];
    }
    return PT_OK;
}

/* Whether node i matches the passage at place under the bound [0], and
 * under the query itself [1]. */
static int status(checker *c, size_t i, size_t place, int excluded, int out[2])
{
    if (!node_at(c, i)->holds) {
        int rc = in(c, i, place, &out[0]);
        out[1] = out[0];
        return rc;
    }
    if (node_at(c, i)->info.op == PTX_NODE_CHECK)
        return check_status(c, i, place, excluded, out);
    return combined_status(c, i, place, excluded, out);
}

/* What comes off the weight of the passage at place under the bound of
 * node i (which matches it both ways): the weight of each part that
 * matches under the bound only. */
static int lost(checker *c, size_t i, size_t place, double factor, double *off)
{
    tree_node n = *node_at(c, i);
    enum ptx_node_op op = n.info.op;
    size_t weighted = op == PTX_NODE_FILTER || op == PTX_NODE_AND_NOT || op == PTX_NODE_CHECK ? 1 : n.info.n_subs;
    if (op == PTX_NODE_SCALE)
        factor *= n.info.factor; /* upper() checked it is there */
    *off = 0;
    for (size_t k = 0; k < weighted; k++) {
        size_t sub = n.subs[k];
        int s[2], rc;
        if (!node_at(c, sub)->holds)
            continue;
        if ((rc = status(c, sub, place, 0, s)))
            return rc;
        double part = 0;
        if (s[0] && !s[1]) {
            const double *w;
            if ((rc = weigh_bound(c, sub, factor, &w)))
                return rc;
            part = isnan(w[place]) ? 0 : w[place];
        } else if (s[0] && node_at(c, sub)->info.op != PTX_NODE_CHECK) {
            if ((rc = lost(c, sub, place, factor, &part)))
                return rc;
        }
        *off += part;
    }
    return PT_OK;
}

/* Whether a check may change the match or weight of the passage at place:
 * one under the query rejects it, or one under an excluded side accepts
 * it. */
static int changed(checker *c, size_t place, int *yes)
{
    *yes = 0;
    for (int excluded = 0; excluded < 2; excluded++)
        for (size_t i = 0; i < node_count(c); i++) {
            int ok, rc;
            if (node_at(c, i)->info.op != PTX_NODE_CHECK || !node_at(c, i)->stands[excluded])
                continue;
            if ((rc = passes(c, i, place, &ok)))
                return rc;
            if (ok == excluded) {
                *yes = 1;
                return PT_OK;
            }
        }
    return PT_OK;
}

/* The passages of batch[0..n) that the query (node root) matches, with
 * their weight under it, appended to kept (pt_checked_hit); past the
 * deadline the rest are dropped unchecked. */
static int apply_checks(checker *c, size_t root, const pt_checked_hit *batch, size_t n, pt_buf *kept)
{
    int rc = set_batch(c, batch, n);
    for (size_t i = 0; !rc && i < n; i++) {
        int yes, s[2];
        double off = 0;
        if (ptx_reader_out_of_time(c->r))
            break;
        if ((rc = changed(c, i, &yes)))
            break;
        if (yes && (rc = status(c, root, i, 0, s)))
            break;
        if (yes && !s[1])
            continue;
        if (yes && (rc = lost(c, root, i, 1.0, &off)))
            break;
        pt_checked_hit h = batch[i];
        h.weight -= off;
        if (pt_buf_append(kept, &h, sizeof h))
            rc = out_of_memory();
    }
    return rc;
}

/* ------------------------------------------------ search, count, explain */

/* Every passage fetched, owning its strings (one block each). */
typedef struct {
    pt_buf hits; /* pt_checked_hit */
} hit_pool;

static pt_checked_hit *pool_hits(const hit_pool *p)
{
    return (pt_checked_hit *)(void *)p->hits.data;
}

static size_t pool_count(const hit_pool *p)
{
    return p->hits.len / sizeof(pt_checked_hit);
}

static void pool_free(hit_pool *p)
{
    for (size_t i = 0; i < pool_count(p); i++)
        free((char *)pool_hits(p)[i].data);
    pt_buf_free(&p->hits);
}

/* A copy of h's strings into one block, as a hit of the pool. */
static int pool_add(hit_pool *p, const ptx_hit *h, const char *collapse, size_t collapse_len, const char *order,
                    size_t order_len)
{
    char *block = malloc(h->data_len + h->key_len + collapse_len + order_len + 1);
    if (!block)
        return out_of_memory();
    pt_checked_hit c = {h->docid, h->weight, block, block + h->data_len, block + h->data_len + h->key_len,
                        block + h->data_len + h->key_len + collapse_len, h->data_len, h->key_len, collapse_len,
                        order_len};
    memcpy(block, h->data, h->data_len);
    memcpy((char *)c.article, h->key, h->key_len);
    memcpy((char *)c.collapse, collapse, collapse_len);
    memcpy((char *)c.order, order, order_len);
    if (pt_buf_append(&p->hits, &c, sizeof c)) {
        free(block);
        return out_of_memory();
    }
    return PT_OK;
}

static int take_window_hit(const ptx_window_hit *h, void *ctx)
{
    return pool_add(ctx, &h->hit, h->collapse, h->collapse_len, h->order, h->order_len);
}

static int take_passage(const ptx_hit *h, void *ctx)
{
    return pool_add(ctx, h, "", 0, "", 0);
}

/* One search's state: the query's tree (root), its bound, the passages
 * fetched and those kept. */
typedef struct {
    checker ck;
    size_t root;
    const ptx_query *bound;
    hit_pool pool;
    pt_buf kept;   /* pt_checked_hit, borrowing the pool's strings */
    pt_buf ranked; /* the same, collapsed */
} checked_run;

static int run_init(checked_run *run, ptx_reader *r, const ptx_query *q, const ptx_search_opts *o)
{
    memset(run, 0, sizeof *run);
    run->ck.r = r;
    run->ck.o = o;
    int rc = add_root(&run->ck, q, &run->root);
    return rc ? rc : upper(&run->ck, run->root, 0, &run->bound);
}

static void run_free(checked_run *run)
{
    checker_free(&run->ck);
    pool_free(&run->pool);
    pt_buf_free(&run->kept);
    pt_buf_free(&run->ranked);
}

static pt_checked_hit *kept_hits(checked_run *run, size_t *n)
{
    *n = run->kept.len / sizeof(pt_checked_hit);
    return (pt_checked_hit *)(void *)run->kept.data;
}

/* Fetches the bound's passages [from, from + n) and checks them. */
static int fetch_and_check(checked_run *run, unsigned from, unsigned n, uint64_t *estimated, int *rest)
{
    size_t before = pool_count(&run->pool);
    int rc = ptx_reader_window(run->ck.r, run->bound, run->ck.o, from, n, take_window_hit, &run->pool, estimated,
                               rest);
    if (!rc)
        rc = apply_checks(&run->ck, run->root, pool_hits(&run->pool) + before, pool_count(&run->pool) - before,
                          &run->kept);
    return rc;
}

/* The kept passages sorted, and collapsed into run->ranked (*n of them). */
static int rank_kept(checked_run *run, size_t *n)
{
    size_t n_kept;
    pt_checked_hit *kept = kept_hits(run, &n_kept);
    int rc = pt_checked_sort(kept, n_kept, run->ck.o);
    pt_buf_reset(&run->ranked);
    if (!rc && n_kept && pt_buf_append(&run->ranked, kept, n_kept * sizeof *kept))
        rc = out_of_memory();
    *n = n_kept;
    return rc ? rc : pt_checked_collapse((pt_checked_hit *)(void *)run->ranked.data, n, run->ck.o);
}

/* Widens the window until the first want of run->ranked are sure (*sure
 * of them are), or it holds all, or the deadline passed. Each wider
 * window fetches and checks only the passages past the last one. */
static int widen(checked_run *run, unsigned want, size_t *sure, uint64_t *estimated_out)
{
    uint64_t all;
    int rc = ptx_reader_doccount(run->ck.r, &all);
    for (unsigned from = 0, window = pt_checked_first_window(want); !rc; from = window, window *= 4) {
        size_t n_ranked, n_kept;
        uint64_t estimated = 0;
        int rest = 0;
        if ((rc = fetch_and_check(run, from, window - from, &estimated, &rest)) || (rc = rank_kept(run, &n_ranked)))
            break;
        int whole = rest || window >= all;
        size_t fetched = pool_count(&run->pool);
        pt_checked_hit last = {0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0};
        if (fetched > 0) /* the last of the stand-in's ranking so far */
            last = pool_hits(&run->pool)[fetched - 1];
        *sure = pt_checked_sure((pt_checked_hit *)(void *)run->ranked.data, n_ranked, &last, whole, run->ck.o);
        if (*sure >= want || whole || ptx_reader_out_of_time(run->ck.r)) {
            kept_hits(run, &n_kept);
            *estimated_out = pt_checked_estimate(n_ranked, *sure, n_kept, fetched, estimated, whole);
            return PT_OK;
        }
    }
    return rc;
}

int pt_checked_search(ptx_reader *r, const ptx_query *q, const ptx_search_opts *o, ptx_hit_cb cb, void *ctx,
                      uint64_t *estimated_out)
{
    if (!ptx_reader_is_remote(r) || !ptx_query_local_only(q))
        return ptx_reader_search(r, q, o, cb, ctx, estimated_out);
    if (estimated_out)
        *estimated_out = 0;
    if (ptx_reader_out_of_time(r))
        return PT_OK; /* nothing searched: no hits */
    checked_run run;
    unsigned want = o->first + o->max;
    size_t sure = 0;
    uint64_t estimated = 0;
    int rc = run_init(&run, r, q, o);
    if (!rc)
        rc = widen(&run, want, &sure, &estimated);
    if (!rc && estimated_out)
        *estimated_out = estimated;
    const pt_checked_hit *ranked = (const pt_checked_hit *)(const void *)run.ranked.data;
    for (size_t i = o->first; !rc && i < sure && i < want; i++) {
        const pt_checked_hit *h = &ranked[i];
        ptx_hit hit = {h->docid, h->weight, (unsigned)(i - o->first), h->data, h->data_len, h->article,
                       h->article_len};
        rc = cb(&hit, ctx);
    }
    run_free(&run);
    return rc;
}

int pt_checked_count(ptx_reader *r, const ptx_query *q, int collapse_slot, uint64_t *docs_out,
                     uint64_t *groups_out)
{
    if (!ptx_reader_is_remote(r) || !ptx_query_local_only(q))
        return ptx_reader_count(r, q, collapse_slot, docs_out, groups_out);
    *docs_out = *groups_out = 0;
    if (ptx_reader_out_of_time(r))
        return PT_OK;
    /* The checks run on the first PTX_COUNT_CHECK_AT_LEAST passages of the
     * bound; beyond, the counts are the bound's scaled by the share kept. */
    ptx_search_opts o = PTX_SEARCH_OPTS_INIT;
    o.collapse_slot = collapse_slot;
    checked_run run;
    uint64_t estimated = 0;
    int rest = 0;
    int rc = run_init(&run, r, q, &o);
    if (!rc)
        rc = fetch_and_check(&run, 0, PTX_COUNT_CHECK_AT_LEAST, &estimated, &rest);
    if (!rc && !ptx_reader_timed_out(r)) { /* cut short: no count rather than a wrong one */
        size_t n_kept;
        const pt_checked_hit *kept = kept_hits(&run, &n_kept);
        rc = pt_checked_counts(kept, n_kept, pool_count(&run.pool), estimated, rest, collapse_slot, docs_out,
                               groups_out);
    }
    run_free(&run);
    return rc;
}

/* One additive part of the query explained. */
typedef struct {
    ptx_query *run;
    double factor;
    char *text;
    enum ptx_part_kind kind;
    double weight; /* for the passage */
} explained_part;

static int take_part(const ptx_part *part, void *ctx)
{
    explained_part p = {ptx_query_copy(part->run), part->factor, pt_strdupf("%s", part->text), part->kind, 0};
    if (!p.run || !p.text || pt_buf_append(ctx, &p, sizeof p)) {
        ptx_query_free(p.run);
        free(p.text);
        return out_of_memory();
    }
    return PT_OK;
}

/* A part's weight for the passage of the batch (place 0), its checks run
 * here: *matched 0 when the part does not match it. */
static int checked_part_weight(checker *c, const ptx_query *run, double factor, int *matched, double *weight)
{
    size_t i;
    int s[2];
    const double *w;
    double off = 0;
    int rc = add_root(c, run, &i);
    if (!rc)
        rc = status(c, i, 0, 0, s);
    *matched = !rc && s[1];
    if (rc || !*matched)
        return rc;
    if ((rc = weigh_bound(c, i, factor, &w)) || (rc = lost(c, i, 0, factor, &off)))
        return rc;
    *weight = (isnan(w[0]) ? 0 : w[0]) - off;
    return PT_OK;
}

/* Weighs parts[0..n) for docid: over the passage's article where a
 * MatchDecider cannot see the reader's docids (a remote shard's server
 * runs none, and over several shards Xapian 1.4 hands one the shard's own
 * docid). */
static int weigh_parts(ptx_reader *r, uint32_t docid, const ptx_search_opts *o, explained_part *parts, size_t n)
{
    int by_article = ptx_reader_is_remote(r) || ptx_reader_shard_count(r) > 1;
    checker ck = {r, o, PT_BUF_INIT, NULL, 0, NULL, PT_BUF_INIT};
    hit_pool passage = {PT_BUF_INIT};
    int rc = by_article ? ptx_reader_passage(r, docid, take_passage, &passage) : PT_OK;
    if (!rc && by_article)
        rc = set_batch(&ck, pool_hits(&passage), 1);
    for (size_t i = 0; !rc && i < n; i++) {
        int matched = 1;
        if (ptx_reader_out_of_time(r))
            break; /* the parts so far (the rest weigh 0) */
        if (by_article)
            rc = checked_part_weight(&ck, parts[i].run, parts[i].factor, &matched, &parts[i].weight);
        else
            rc = ptx_reader_weigh_doc(r, parts[i].run, parts[i].factor, docid, o, &parts[i].weight);
        if (!matched)
            parts[i].weight = 0;
    }
    checker_free(&ck);
    pool_free(&passage);
    return rc;
}

int pt_checked_explain(ptx_reader *r, const ptx_query *q, uint32_t docid, const ptx_search_opts *o,
                       ptx_explain_cb cb, void *ctx)
{
    pt_buf parts = PT_BUF_INIT; /* explained_part */
    int rc = ptx_query_parts(q, take_part, &parts);
    explained_part *p = (explained_part *)(void *)parts.data;
    size_t n = parts.len / sizeof *p;
    if (!rc)
        rc = weigh_parts(r, docid, o, p, n);
    for (size_t i = 0; !rc && i < n; i++)
        if (p[i].weight > 0)
            rc = cb(p[i].text, p[i].kind, p[i].weight, ctx);
    for (size_t i = 0; i < n; i++) {
        ptx_query_free(p[i].run);
        free(p[i].text);
    }
    pt_buf_free(&parts);
    return rc;
}
