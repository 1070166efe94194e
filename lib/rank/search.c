/* search.c — the read side of the public API: open an index, turn query
 * text into a Xapian query (query.c), add the title words (title_boost.c)
 * and, when asked, feedback words (feedback.c), rank passages with BM25 at
 * most K per article (Xapian's collapse on the article slot), then decode
 * each hit's passage record, fetch its article record, add the proximity
 * bonus (query.h) and sort again, show the same passage of several outlets
 * once (minhash.h), and mark the matched words (highlight.c). The whole
 * search reruns when the index changes under it (pt_search), and stops
 * early at its time limit (deadline.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "rank/bm25.h"
#include "rank/article.h"
#include "util/buf.h"
#include "store/commit_gate.h"
#include "util/deadline.h"
#include "util/error.h"
#include "rank/feedback.h"
#include "rank/highlight.h"
#include "rank/remote_check.h"
#include "ptsearch.h"
#include "query/query.h"
#include "store/copies.h"
#include "store/record.h"
#include "store/schema.h"
#include "store/minhash.h"
#include "rank/suggest.h"
#include "rank/title_boost.h"
#include "query/variants.h"
#include "rank/tune.h"
#include "xapian/xapian_binding.h"

/* Grouping looks at the best max_hits * GROUP_WINDOW + GROUP_EXTRA passages,
 * and at more (up to GROUP_FETCH_MAX) while those make fewer than max_hits
 * groups and more passages match: a story many outlets carry would
 * otherwise fill the window with its copies and hide the rest. The next
 * window holds as many passages per group as the last one had, for a
 * quarter more groups than wanted, and at least twice the last. */
#define GROUP_WINDOW 3
#define GROUP_EXTRA 10
#define GROUP_FETCH_MAX 2000

/* Feedback picks its passages among this many, after the proximity bonus. */
#define FEEDBACK_POOL 10

/* A writer's commit can pull blocks from under a reader still on the
 * commit before the last: Xapian then raises DatabaseModifiedError, or,
 * when it reads a block already rewritten, a DatabaseCorruptError
 * ("Expected block 624 to be level 2, not 1") or "EOF reading block". A
 * search (and opening the index) that fails so runs again on the latest
 * commit, at most SEARCH_ATTEMPTS times (and within the time limit); from
 * attempt GATE_FROM on, holding the commit gate (commit_gate.h), so that
 * a search slower than the writer's commits still finishes. A failure at
 * a commit that did not change, twice, is real. */
#define SEARCH_ATTEMPTS 30
#define GATE_FROM 3
#define GATE_WAIT 1.0 /* a writer holds the gate while it commits: seconds */
#define OPEN_ATTEMPTS 5

struct pt_searcher {
    ptx_reader *reader;
    pt_analyzer *analyzer;
    char *dir; /* for the commit gate */
    pt_article_cache *articles; /* article evidence's statistics (article.h) */
};

/* A hit and what only the search needs of it. */
typedef struct {
    pt_hit pub;
    pt_signature signature; /* minhash.h */
    uint32_t docid;
    double bonus;           /* proximity, in pub.score */
    double article_part;    /* what article evidence changed of pub.score */
    int highlighted;        /* pub.highlights is computed */
    int untyped;            /* holds no typed word, variant or phrase (article evidence) */
} hit_slot;

struct pt_hits {
    hit_slot *hits;
    size_t n, cap;
    uint64_t estimated;
    uint64_t passages, articles; /* PT_SEARCH_TOTALS: matches counted */
    char *suggestion;
    int incomplete; /* stopped at the time limit */
    pt_substitution *subs; /* strings owned */
    size_t n_subs;
};

/* Whether a failure may come from a writer's commit under the reader:
 * any failure to read the index (not a bad query, argument or memory, nor
 * a missing index). A record read from a rewritten block can even look
 * like one of an unknown version. */
static int maybe_transient(int rc)
{
    return rc != PT_OK && rc != PT_EQUERY && rc != PT_EINVAL && rc != PT_ENOMEM && rc != PT_ENOTFOUND &&
           rc != PT_ESHARD;
}

int pt_searcher_open(pt_searcher **out, const char *dir)
{
    return pt_searcher_open_partial(out, dir, 0);
}

const char *pt_searcher_unreachable(const pt_searcher *s)
{
    return ptx_reader_unreachable(s->reader);
}

int pt_searcher_open_partial(pt_searcher **out, const char *dir, int partial)
{
    *out = NULL;
    pt_searcher *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir))) {
        free(s);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    int rc = ptx_reader_open_shards(&s->reader, dir, partial);
    for (int attempt = 2; attempt <= OPEN_ATTEMPTS && maybe_transient(rc); attempt++) {
        int gate = attempt >= GATE_FROM ? pt_gate_take(dir, 0, GATE_WAIT) : -1;
        rc = ptx_reader_open_shards(&s->reader, dir, partial);
        pt_gate_release(gate);
    }
    if (rc == PT_ENOTFOUND)
        rc = pt_fail(PT_ENOTFOUND, "no index at %s (build one with: ptindex --index %s PATH...)", dir, dir);
    if (!rc)
        rc = pt_analyzer_new(&s->analyzer);
    if (!rc)
        rc = pt_article_cache_new(&s->articles);
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
    pt_article_cache_free(s->articles);
    free(s->dir);
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
    free((pt_mark_kind *)h->highlight_kinds);
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
    for (size_t i = 0; i < hits->n_subs; i++) {
        free((char *)hits->subs[i].word);
        free((char *)hits->subs[i].shown);
    }
    free(hits->subs);
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
    return hits ? (hits->passages ? hits->passages : hits->estimated) : 0;
}

uint64_t pt_hits_articles_estimated(const pt_hits *hits)
{
    return hits ? hits->articles : 0;
}

int pt_hits_incomplete(const pt_hits *hits)
{
    return hits ? hits->incomplete : 0;
}

const char *pt_hits_suggestion(const pt_hits *hits)
{
    return hits ? hits->suggestion : NULL;
}

size_t pt_hits_substitution_count(const pt_hits *hits)
{
    return hits ? hits->n_subs : 0;
}

const pt_substitution *pt_hits_substitution(const pt_hits *hits, size_t i)
{
    return hits && i < hits->n_subs ? &hits->subs[i] : NULL;
}

/* The query's typed words that no passage holds (query.h), with the
 * terms searched instead spelled as the articles spell them (the stem of
 * Donbas is donba). */
static int take_substitutions(pt_hits *hits, pt_searcher *s, pt_query_info *info)
{
    if (!info->n_absent)
        return PT_OK;
    if (!(hits->subs = calloc(info->n_absent, sizeof *hits->subs)))
        return pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; i < info->n_absent; i++, hits->n_subs++) {
        pt_buf shown = PT_BUF_INIT;
        int rc = PT_OK;
        for (const char *w = info->absent[i].shown; *w && !rc;) {
            size_t n = strcspn(w, " ");
            char stem[PT_VARIANT_STEM_MAX], surface[PT_VARIANT_STEM_MAX];
            snprintf(stem, sizeof stem, "%.*s", (int)n, w);
            rc = pt_surface_form(surface, sizeof surface, s->analyzer, s->reader, stem);
            if (!rc && pt_buf_appendf(&shown, "%s%s", shown.len ? " " : "", surface))
                rc = pt_fail(PT_ENOMEM, "out of memory");
            w += n + (w[n] == ' ');
        }
        hits->subs[i].word = info->absent[i].word;
        info->absent[i].word = NULL;
        hits->subs[i].shown = shown.data ? shown.data : strdup("");
        if (rc || !hits->subs[i].shown)
            return rc ? rc : pt_fail(PT_ENOMEM, "out of memory");
    }
    return PT_OK;
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

/* One term of the proximity pairs, with what BM25 needs of it. */
typedef struct {
    const char *stem;
    double termweight; /* Xapian's BM25Weight: log of the idf × (k1 + 1) */
    unsigned wdf;      /* in the passage being analyzed */
    uint32_t *pos;     /* its positions there (compounds have none) */
    size_t n_pos, cap_pos;
} near_term;

typedef struct {
    const pt_query_pair *pairs;
    size_t n_pairs;
    size_t (*pair_terms)[2]; /* each pair's two indexes into terms */
    near_term *terms;
    size_t n_terms;
    double k1, b, len_factor; /* len_factor: 1 / average length */
    /* per passage */
    unsigned doclen;
    pt_highlighter hl;
    pt_range *ranges;    /* the passage's highlights, once analyzed */
    pt_mark_kind *kinds;
    size_t n_ranges;
    int status;
} proximity;

typedef struct {
    pt_searcher *searcher;
    pt_hits *hits;
    const pt_query_info *info;   /* for highlighting */
    const ptx_query *query;      /* for explaining; NULL: no explanations */
    const ptx_search_opts *xo;
    proximity *prox;             /* NULL: no pairs */
} collect_ctx;

static const char *kind_name(enum ptx_part_kind kind)
{
    static const char *const names[] = {"other", "typed", "variant", "related", "phrase",
                                        "proximity", "title", "feedback", "article"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "other";
}

static int explain_part_cb(const char *part, enum ptx_part_kind kind, double weight, void *ctx)
{
    pt_hit *h = ctx;
    pt_explain_part *parts = realloc((pt_explain_part *)h->explain, (h->n_explain + 1) * sizeof *parts);
    if (!parts)
        return pt_fail(PT_ENOMEM, "out of memory");
    h->explain = parts;
    if (!(parts[h->n_explain].part = strdup(part)))
        return pt_fail(PT_ENOMEM, "out of memory");
    parts[h->n_explain].kind = kind_name(kind);
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
    h->title_is_first_sentence = (rec.flags & PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE) != 0;
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
    const char *id;
    size_t id_len;
    if ((rc = pt_record_article_id(&rec, xh->key, xh->key_len, &id, &id_len)) != PT_OK)
        return rc;
    h->article = strndup(id, id_len);
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

/* ---------------------------------------------------------- exact copies */

static char *strdup_or_null(const char *s, int *failed)
{
    char *d = s ? strdup(s) : NULL;
    *failed |= s && !d;
    return d;
}

/* Appends the exact copies (copies.h) of article to leader's also_in, as
 * that article (title, source, date, line) at score: the copies' ids and
 * paths move out of copies. */
static int also_copies(pt_hit *leader, pt_copy *copies, size_t n, const pt_also *as)
{
    if (!n)
        return PT_OK;
    pt_also *list = realloc((pt_also *)leader->also_in, (leader->n_also_in + n) * sizeof *list);
    if (!list)
        return pt_fail(PT_ENOMEM, "out of memory");
    leader->also_in = list;
    for (size_t i = 0; i < n; i++) {
        int failed = 0;
        pt_also *a = &list[leader->n_also_in++];
        *a = (pt_also){copies[i].id, copies[i].path, strdup_or_null(as->title, &failed),
                       strdup_or_null(as->source, &failed), strdup_or_null(as->date, &failed),
                       (uint32_t)((int64_t)as->line + copies[i].line_delta), as->score};
        copies[i].id = copies[i].path = NULL;
        if (failed)
            return pt_fail(PT_ENOMEM, "out of memory");
    }
    return PT_OK;
}

/* Whether the index holds any exact copy: one read, which spares one
 * read per hit when none. */
static int has_copies(pt_searcher *s, int *has)
{
    int64_t n = 0;
    int rc = ptx_reader_metadata_sum(s->reader, PT_META_COPY_COUNT, &n);
    *has = n > 0;
    return rc;
}

static int read_copies(pt_searcher *s, const char *article, pt_copy **copies, size_t *n)
{
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(article, key);
    return pt_copies_read(s->reader, key, copies, n);
}

/* Each shown hit lists the exact copies of its article, and of each
 * article already in its also_in, after them. */
static int copies_into_also(pt_searcher *s, pt_hits *hits)
{
    int any = 0;
    int rc = hits->n ? has_copies(s, &any) : PT_OK;
    for (size_t i = 0; i < hits->n && any && !rc; i++) {
        pt_hit *h = &hits->hits[i].pub;
        size_t grouped = h->n_also_in;
        for (size_t k = 0; k <= grouped && !rc; k++) {
            pt_also as = k == 0 ? (pt_also){h->article, h->path, h->title, h->source, h->date, h->line, h->score}
                                : h->also_in[k - 1];
            pt_copy *copies = NULL;
            size_t n = 0;
            rc = read_copies(s, as.article, &copies, &n);
            if (!rc)
                rc = also_copies(h, copies, n, &as);
            pt_copies_free(copies, n);
        }
    }
    return rc;
}

static void *memdup(const void *p, size_t len, int *failed)
{
    if (!p)
        return NULL;
    void *d = malloc(len ? len : 1);
    if (d)
        memcpy(d, p, len);
    *failed |= !d;
    return d;
}

/* to becomes from's passage as copy shows it (its id and path move out of
 * copy). On failure to is whole for hit_clear. */
static int clone_as_copy(hit_slot *to, const hit_slot *from, pt_copy *copy)
{
    const pt_hit *f = &from->pub;
    pt_hit *t = &to->pub;
    *to = *from;
    int failed = 0;
    t->article = copy->id;
    t->path = copy->path;
    copy->id = copy->path = NULL;
    t->title = strdup_or_null(f->title, &failed);
    t->source = strdup_or_null(f->source, &failed);
    t->date = strdup_or_null(f->date, &failed);
    char *passage = memdup(f->passage, f->passage_len + 1, &failed);
    t->passage = passage;
    t->start = (size_t)((int64_t)f->start + copy->offset_delta);
    t->end = (size_t)((int64_t)f->end + copy->offset_delta);
    t->line = (uint32_t)((int64_t)f->line + copy->line_delta);
    t->highlights = memdup(f->highlights, f->n_highlights * sizeof *f->highlights, &failed);
    t->highlight_kinds = memdup(f->highlight_kinds, f->n_highlights * sizeof *f->highlight_kinds, &failed);
    t->also_in = NULL;
    t->n_also_in = 0;
    pt_explain_part *explain = memdup(f->explain, f->n_explain * sizeof *f->explain, &failed);
    t->explain = explain;
    for (size_t i = 0; explain && i < f->n_explain; i++)
        explain[i].part = strdup_or_null(f->explain[i].part, &failed);
    if (!explain)
        t->n_explain = 0;
    return failed ? pt_fail(PT_ENOMEM, "out of memory") : PT_OK;
}

/* Without grouping every article is a hit: the exact copies of each hit's
 * article follow it, as hits of their own with its score, up to max. */
static int copies_as_hits(pt_searcher *s, pt_hits *hits, size_t max)
{
    int any = 0;
    int rc = hits->n ? has_copies(s, &any) : PT_OK;
    if (rc || !any)
        return rc;
    hit_slot *all = malloc((max ? max : 1) * sizeof *all);
    if (!all)
        return pt_fail(PT_ENOMEM, "out of memory");
    size_t n = 0, i = 0;
    for (; i < hits->n && n < max; i++) {
        all[n++] = hits->hits[i];
        pt_copy *copies = NULL;
        size_t n_copies = 0;
        rc = read_copies(s, hits->hits[i].pub.article, &copies, &n_copies);
        for (size_t k = 0; !rc && k < n_copies && n < max; k++)
            rc = clone_as_copy(&all[n++], &hits->hits[i], &copies[k]);
        pt_copies_free(copies, n_copies);
        if (rc) {
            i++;
            break;
        }
    }
    for (; i < hits->n; i++) /* past max, or not reached */
        hit_clear(&hits->hits[i].pub);
    free(hits->hits);
    hits->hits = all;
    hits->n = hits->cap = n;
    for (size_t k = 0; k < n; k++)
        all[k].pub.rank = (unsigned)(k + 1);
    return rc;
}

/* ------------------------------------------------------------ proximity */

static void proximity_free(proximity *px)
{
    for (size_t i = 0; i < px->n_terms; i++)
        free(px->terms[i].pos);
    free(px->terms);
    free(px->pair_terms);
    pt_highlighter_free(&px->hl);
    free(px->ranges);
    free(px->kinds);
}

static int proximity_init(proximity *px, ptx_reader *r, const pt_query_info *info, const ptx_search_opts *xo)
{
    memset(px, 0, sizeof *px);
    px->pairs = info->pairs;
    px->n_pairs = info->n_pairs;
    px->k1 = xo->bm25_k1;
    px->b = xo->bm25_b;
    px->terms = calloc(2 * info->n_pairs, sizeof *px->terms);
    px->pair_terms = calloc(info->n_pairs, sizeof *px->pair_terms);
    if (!px->terms || !px->pair_terms)
        return pt_fail(PT_ENOMEM, "out of memory");
    uint64_t doccount = 0;
    double avlen = 0;
    int rc = ptx_reader_doccount(r, &doccount);
    if (!rc)
        rc = ptx_reader_avlength(r, &avlen);
    px->len_factor = avlen > 0 ? 1 / avlen : 0;
    for (size_t i = 0; !rc && i < info->n_pairs; i++) {
        const char *stems[2] = {info->pairs[i].a, info->pairs[i].b};
        for (int k = 0; !rc && k < 2; k++) {
            size_t t = 0;
            while (t < px->n_terms && strcmp(px->terms[t].stem, stems[k]) != 0)
                t++;
            if (t == px->n_terms) {
                uint64_t tf = 0;
                rc = ptx_reader_termfreq(r, stems[k], &tf);
                px->terms[t].stem = stems[k];
                px->terms[t].termweight = pt_bm25_termweight((double)tf, (double)doccount, px->k1);
                px->n_terms++;
            }
            px->pair_terms[i][k] = t;
        }
    }
    return rc;
}

static int proximity_term_cb(const pt_term *t, void *ctx)
{
    proximity *px = ctx;
    px->doclen++; /* every term has wdf 1 in the index: compounds and parts too */
    if (pt_highlight_term(&px->hl, t))
        return px->status = PT_ENOMEM;
    for (size_t i = 0; i < px->n_terms; i++) {
        near_term *nt = &px->terms[i];
        if (strcmp(nt->stem, t->term) != 0)
            continue;
        nt->wdf++;
        if (t->flags & PT_TERM_COMPOUND)
            continue;
        if (nt->n_pos == nt->cap_pos) {
            size_t cap = nt->cap_pos ? nt->cap_pos * 2 : 8;
            uint32_t *grown = realloc(nt->pos, cap * sizeof *grown);
            if (!grown)
                return px->status = pt_fail(PT_ENOMEM, "out of memory");
            nt->pos = grown;
            nt->cap_pos = cap;
        }
        nt->pos[nt->n_pos++] = t->pos;
    }
    return 0;
}

/* Two distinct positions, one of each, fewer than window apart (both lists
 * ascending). */
static int within(const near_term *a, const near_term *b, uint32_t window)
{
    size_t from = 0;
    for (size_t i = 0; i < a->n_pos; i++) {
        uint32_t x = a->pos[i];
        while (from < b->n_pos && b->pos[from] + window <= x)
            from++; /* too far before x, and so for every later x */
        for (size_t j = from; j < b->n_pos && b->pos[j] < x + window; j++)
            if (b->pos[j] != x)
                return 1;
    }
    return 0;
}

static double bm25_sumpart(const proximity *px, const near_term *t)
{
    return pt_bm25_weight(t->termweight, t->wdf, px->doclen * px->len_factor, px->k1, px->b);
}

/* Analyzes h's passage once: its highlights, and in bonus[i] (n_pairs) the
 * proximity bonus of each pair. */
static int proximity_of(proximity *px, pt_analyzer *an, pt_hit *h, const pt_query_info *info, double *bonus)
{
    for (size_t i = 0; i < px->n_terms; i++)
        px->terms[i].wdf = (unsigned)(px->terms[i].n_pos = 0);
    px->doclen = 0;
    px->status = 0;
    pt_highlighter_init(&px->hl, info);
    int rc = pt_analyze(an, h->passage, h->passage_len, 0, proximity_term_cb, px, NULL);
    if (px->status)
        rc = px->status;
    if (rc) {
        pt_highlighter_free(&px->hl);
        return rc < 0 ? rc : pt_fail(PT_ERROR, "proximity stopped");
    }
    free(px->ranges);
    free(px->kinds);
    rc = pt_highlight_finish(&px->hl, &px->ranges, &px->kinds, &px->n_ranges);
    if (rc)
        return rc;
    for (size_t i = 0; i < px->n_pairs; i++) {
        const near_term *a = &px->terms[px->pair_terms[i][0]], *b = &px->terms[px->pair_terms[i][1]];
        bonus[i] = within(a, b, PT_PROXIMITY_WINDOW)
                       ? pt_tune("proximity", PT_PROXIMITY_WEIGHT) * (bm25_sumpart(px, a) + bm25_sumpart(px, b))
                       : 0;
    }
    return PT_OK;
}

/* Higher first; scores within SCORE_TIE (relative) are equal: sums over
 * shards or in another docid order differ in the last bits, and must not
 * reorder two articles that tie (near copies do). Equal scores go by
 * article id, which every index of the same articles shares. */
#define SCORE_TIE 1e-12
static int by_score_tied(double a, double b)
{
    if (fabs(a - b) <= SCORE_TIE * fmax(fabs(a), fabs(b)))
        return 0;
    return a > b ? -1 : 1;
}

static int by_score(const void *x, const void *y)
{
    const hit_slot *a = x, *b = y;
    int by = by_score_tied(a->pub.score, b->pub.score);
    if (!by && a->pub.article && b->pub.article)
        by = strcmp(a->pub.article, b->pub.article);
    return by ? by : (a->pub.rank < b->pub.rank ? -1 : a->pub.rank > b->pub.rank);
}

/* Adds the proximity bonus to every fetched hit (highlighting it on the
 * way) and sorts them again. */
static int add_proximity(collect_ctx *c)
{
    proximity *px = c->prox;
    double *bonus = malloc(px->n_pairs * sizeof *bonus);
    if (!bonus)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = PT_OK;
    for (size_t i = 0; !rc && i < c->hits->n; i++) {
        hit_slot *slot = &c->hits->hits[i];
        rc = proximity_of(px, c->searcher->analyzer, &slot->pub, c->info, bonus);
        if (rc)
            break;
        slot->pub.highlights = px->ranges;
        slot->pub.highlight_kinds = px->kinds;
        slot->pub.n_highlights = px->n_ranges;
        px->ranges = NULL;
        px->kinds = NULL;
        slot->highlighted = 1;
        for (size_t k = 0; k < px->n_pairs; k++)
            slot->bonus += bonus[k];
        slot->pub.score += slot->bonus;
    }
    free(bonus);
    if (rc)
        return rc;
    if (c->hits->n > 1 && c->xo->sort_slot < 0) /* by date: the bonus only adds */
        qsort(c->hits->hits, c->hits->n, sizeof *c->hits->hits, by_score);
    for (size_t i = 0; i < c->hits->n; i++)
        c->hits->hits[i].pub.rank = (unsigned)(i + 1);
    return PT_OK;
}

/* The bonus of each pair as a part of the explanation ("near:a b"). */
static int explain_proximity(collect_ctx *c, hit_slot *slot)
{
    proximity *px = c->prox;
    double *bonus = malloc(px->n_pairs * sizeof *bonus);
    if (!bonus)
        return pt_fail(PT_ENOMEM, "out of memory");
    int rc = proximity_of(px, c->searcher->analyzer, &slot->pub, c->info, bonus);
    for (size_t i = 0; !rc && i < px->n_pairs; i++) {
        if (bonus[i] <= 0)
            continue;
        size_t len = strlen(px->pairs[i].a) + strlen(px->pairs[i].b) + 7;
        char *label = malloc(len);
        if (!label) {
            rc = pt_fail(PT_ENOMEM, "out of memory");
            break;
        }
        snprintf(label, len, "near:%s %s", px->pairs[i].a, px->pairs[i].b);
        rc = explain_part_cb(label, PTX_PART_PROXIMITY, bonus[i], &slot->pub);
        free(label);
    }
    free(bonus);
    return rc;
}

/* ------------------------------------------------------ article evidence */

typedef struct {
    char term[sizeof PT_PREFIX_ARTICLE + PT_MAX_ID_IN_TERM]; /* "A" + article key */
    size_t hit;
} article_of_hit;

static int by_article_term(const void *x, const void *y)
{
    const article_of_hit *a = x, *b = y;
    int cmp = strcmp(a->term, b->term);
    return cmp ? cmp : (a->hit > b->hit) - (a->hit < b->hit);
}

/* The distinct articles of the hits: terms[0..*n) and, per hit, its
 * article's index in them (of[hit]). */
static int distinct_articles(const pt_hits *hits, article_of_hit *by, const char **terms, size_t *of, size_t *n)
{
    for (size_t i = 0; i < hits->n; i++) {
        char key[PT_MAX_ID_IN_TERM + 1];
        pt_article_key(hits->hits[i].pub.article, key);
        snprintf(by[i].term, sizeof by[i].term, "%s%s", PT_PREFIX_ARTICLE, key);
        by[i].hit = i;
    }
    qsort(by, hits->n, sizeof *by, by_article_term);
    *n = 0;
    for (size_t i = 0; i < hits->n; i++) {
        if (i == 0 || strcmp(by[i].term, by[i - 1].term) != 0)
            terms[(*n)++] = by[i].term;
        of[by[i].hit] = *n - 1;
    }
    return PT_OK;
}

/* Whether each hit's passage holds a word typed, its variant or a phrase
 * word (its terms, not its text: a first passage is indexed with its
 * headline): a passage matched only through related words, or feedback
 * words, takes no article evidence and ranks after those that hold one
 * (issue 15: "a passage holding none of the typed words never ranks above
 * one that holds them"). */
static int mark_untyped(collect_ctx *c)
{
    const pt_query_terms *t = &c->info->terms;
    pt_hits *hits = c->hits;
    int any = 0;
    for (size_t i = 0; i < t->n; i++)
        any |= t->kinds[i] != PT_MARK_RELATED;
    if (!any)
        return PT_OK; /* nothing typed to hold: every hit takes the evidence */
    unsigned char *skip = malloc(t->n), *holds = malloc(hits->n);
    uint32_t *docids = malloc(hits->n * sizeof *docids);
    int rc = skip && holds && docids ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < t->n; i++)
        skip[i] = t->kinds[i] == PT_MARK_RELATED;
    for (size_t i = 0; !rc && i < hits->n; i++)
        docids[i] = hits->hits[i].docid;
    if (!rc)
        rc = pt_article_docs_holding(c->searcher->reader, docids, hits->n, (const char *const *)t->terms, skip,
                                     t->n, holds);
    for (size_t i = 0; !rc && i < hits->n; i++)
        hits->hits[i].untyped = !holds[i];
    free(skip);
    free(holds);
    free(docids);
    return rc;
}

/* Best first; articles of equal score by their ids, which every index of
 * the same articles shares (docids differ between an updated index and a
 * fresh one); the passages of one article in their order so far. */
static int by_evidence(const void *x, const void *y)
{
    const hit_slot *a = x, *b = y;
    if (a->untyped != b->untyped)
        return a->untyped - b->untyped;
    int by = by_score_tied(a->pub.score, b->pub.score);
    if (by)
        return by;
    int cmp = strcmp(a->pub.article, b->pub.article);
    if (cmp)
        return cmp;
    return a->pub.rank < b->pub.rank ? -1 : a->pub.rank > b->pub.rank;
}

/* Mixes each hit's score with its article's: (1 - mix) x its own + mix x
 * (the article scored whole for q, pt_article_scores, plus the best
 * proximity bonus among its fetched passages), then sorts again (unless
 * they are sorted by date). Articles
 * rank by their evidence at mix 1; a passage's own score orders the
 * passages of one article whatever the mix. */
static int mix_article_evidence(pt_hits *hits, const double *article, const size_t *of, double mix, int resort)
{
    for (size_t i = 0; i < hits->n; i++) {
        hit_slot *slot = &hits->hits[i];
        double mixed = slot->untyped ? slot->pub.score : (1 - mix) * slot->pub.score + mix * article[of[i]];
        slot->article_part = mixed - slot->pub.score;
        slot->pub.score = mixed;
    }
    if (hits->n > 1 && resort)
        qsort(hits->hits, hits->n, sizeof *hits->hits, by_evidence);
    for (size_t i = 0; i < hits->n; i++)
        hits->hits[i].pub.rank = (unsigned)(i + 1);
    return PT_OK;
}

static int add_article_evidence(collect_ctx *c, const ptx_query *q)
{
    pt_hits *hits = c->hits;
    double mix = pt_tune("article_mix", PT_ARTICLE_MIX);
    if (hits->n == 0 || mix == 0)
        return PT_OK;
    article_of_hit *by = malloc(hits->n * sizeof *by);
    const char **terms = malloc(hits->n * sizeof *terms);
    size_t *of = malloc(hits->n * sizeof *of);
    double *article = malloc(hits->n * sizeof *article);
    size_t n = 0;
    int rc = by && terms && of && article ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
    if (!rc) rc = mark_untyped(c);
    if (!rc) rc = distinct_articles(hits, by, terms, of, &n);
    if (!rc) rc = pt_article_scores(c->searcher->articles, c->searcher->reader, q, terms, n, c->xo, article);
    if (!rc) {
        /* the best proximity bonus of each article, added once (bonuses
         * are never negative) */
        double *best_bonus = calloc(n ? n : 1, sizeof *best_bonus);
        if (!best_bonus) {
            rc = pt_fail(PT_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < hits->n; i++)
                if (hits->hits[i].bonus > best_bonus[of[i]])
                    best_bonus[of[i]] = hits->hits[i].bonus;
            for (size_t a = 0; a < n; a++)
                article[a] += best_bonus[a];
            free(best_bonus);
        }
    }
    if (!rc)
        rc = mix_article_evidence(hits, article, of, mix, c->xo->sort_slot < 0); /* by date: kept */
    free(by);
    free(terms);
    free(of);
    free(article);
    return rc;
}

/* Article records, highlights (unless the proximity pass made them), and
 * explanations when asked, for the hits that are shown: a top-10 search
 * fetches 40 passages for grouping, and most of them are dropped. */
static int finish_hits(collect_ctx *c)
{
    for (size_t i = 0; i < c->hits->n; i++) {
        hit_slot *slot = &c->hits->hits[i];
        pt_hit *h = &slot->pub;
        int rc = fill_article(c->searcher, h);
        if (!rc && !slot->highlighted) {
            pt_range *ranges = NULL;
            pt_mark_kind *kinds = NULL;
            rc = pt_highlight(&ranges, &kinds, &h->n_highlights, c->searcher->analyzer, h->passage,
                              h->passage_len, c->info);
            h->highlights = ranges;
            h->highlight_kinds = kinds;
        }
        if (!rc && c->query)
            rc = pt_checked_explain(c->searcher->reader, c->query, slot->docid, c->xo,
                                   explain_part_cb, h);
        if (!rc && c->query && c->prox && slot->bonus > 0)
            rc = explain_proximity(c, slot);
        if (!rc && c->query && slot->article_part != 0)
            rc = explain_part_cb("article evidence", PTX_PART_ARTICLE, slot->article_part, h);
        if (rc)
            return rc;
    }
    return PT_OK;
}

/* Runs q into c->hits and adds the proximity bonus when the query has
 * word pairs (c->prox set, px then initialised: the caller frees it with
 * proximity_free, also on failure). */
static int fetch_ranked(collect_ctx *c, proximity *px, const ptx_query *q, const pt_query_info *info,
                        uint64_t *estimated)
{
    c->prox = info->n_pairs ? px : NULL;
    int rc = c->prox ? proximity_init(px, c->searcher->reader, info, c->xo) : PT_OK;
    if (!rc)
        rc = pt_checked_search(c->searcher->reader, q, c->xo, collect_hit, c, estimated);
    if (!rc && c->prox)
        rc = add_proximity(c);
    return rc;
}

/* One search fetching window passages (window > max_hits: grouped). Sets
 * *out, or leaves it NULL and *groups to the groups found when grouping
 * wants a wider window: fewer than max_hits came out of a full window. */
static int run_window(pt_hits **out, size_t *groups, pt_searcher *s, const ptx_query *q,
                      const pt_query_info *info, const pt_search_opts *opts, unsigned flags,
                      unsigned window)
{
    *out = NULL;
    pt_hits *hits = calloc(1, sizeof *hits);
    if (!hits)
        return pt_fail(PT_ENOMEM, "out of memory");
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    xo.max = window;
    xo.tie_slot = PT_SLOT_ARTICLE; /* which passages of equal score fill the window's last places */
    if (opts->per_article) {
        xo.collapse_slot = PT_SLOT_ARTICLE;
        xo.collapse_max = opts->per_article;
    }
    if (opts->sort == PT_SORT_DATE)
        xo.sort_slot = PT_SLOT_DATE;
    int grouping = !(flags & PT_SEARCH_NO_GROUP);
    proximity px;
    collect_ctx c = {s, hits, info, flags & PT_SEARCH_EXPLAIN ? q : NULL, &xo, NULL};
    int rc = fetch_ranked(&c, &px, q, info, &hits->estimated);
    if (!rc)
        rc = add_article_evidence(&c, q);
    size_t fetched = hits->n;
    if (!rc && grouping)
        rc = group_hits(s, hits, opts->max_hits);
    int wider = !rc && grouping && hits->n < opts->max_hits && fetched == window && window < GROUP_FETCH_MAX &&
                !ptx_reader_out_of_time(s->reader);
    *groups = hits->n;
    if (!rc && !wider)
        rc = finish_hits(&c);
    if (!rc && !wider)
        rc = grouping ? copies_into_also(s, hits) : copies_as_hits(s, hits, window);
    if (c.prox)
        proximity_free(&px);
    if (rc || wider) {
        pt_hits_free(hits);
        return rc;
    }
    *out = hits;
    return PT_OK;
}

static int run_once(pt_hits **out, pt_searcher *s, const ptx_query *q, const pt_query_info *info,
                    const pt_search_opts *opts, unsigned flags)
{
    size_t groups = 0;
    if (flags & PT_SEARCH_NO_GROUP)
        return run_window(out, &groups, s, q, info, opts, flags, opts->max_hits);
    /* copies of a shown passage, and hits to replace them */
    unsigned window = opts->max_hits * GROUP_WINDOW + GROUP_EXTRA;
    int rc;
    while (!(rc = run_window(out, &groups, s, q, info, opts, flags, window)) && !*out) {
        double per_group = (double)window / (groups ? groups : 1);
        double next = per_group * opts->max_hits * 1.25;
        if (next < 2.0 * window)
            next = 2.0 * window;
        window = next < GROUP_FETCH_MAX ? (unsigned)next : GROUP_FETCH_MAX;
    }
    return rc;
}

/* The docids of q's best passages, one per article, as the results rank
 * them, and their scores: with proximity pairs, from a pool of
 * FEEDBACK_POOL re-sorted by the proximity bonus (without it feedback
 * learns from other passages, npl nDCG@10 0.454 -> 0.435). */
static int best_passages(pt_searcher *s, const ptx_query *q, const pt_query_info *info,
                         uint32_t *docids, double *scores, size_t *n_docs)
{
    *n_docs = 0;
    pt_hits *hits = calloc(1, sizeof *hits);
    if (!hits)
        return pt_fail(PT_ENOMEM, "out of memory");
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    xo.max = info->n_pairs ? FEEDBACK_POOL : PT_FEEDBACK_DOCS;
    xo.tie_slot = PT_SLOT_ARTICLE;
    xo.collapse_slot = PT_SLOT_ARTICLE;
    xo.collapse_max = 1;
    proximity px;
    collect_ctx c = {s, hits, info, NULL, &xo, NULL};
    int rc = fetch_ranked(&c, &px, q, info, NULL);
    for (size_t i = 0; !rc && i < hits->n && i < PT_FEEDBACK_DOCS; i++) {
        scores[*n_docs] = hits->hits[i].pub.score;
        docids[(*n_docs)++] = hits->hits[i].docid;
    }
    if (c.prox)
        proximity_free(&px);
    pt_hits_free(hits);
    return rc;
}

/* Replaces *q by its feedback expansion (feedback.h). Under a time limit
 * the first pass has half the time left: past that, *q stays as it is
 * and *cut is set, so that the ranking still has the other half. */
static int add_feedback(ptx_query **q, pt_searcher *s, const pt_query_info *info, double deadline, int *cut)
{
    uint32_t docids[PT_FEEDBACK_DOCS];
    double scores[PT_FEEDBACK_DOCS];
    size_t n_docs = 0;
    ptx_query *fq = NULL;
    if (deadline > 0) {
        double now = pt_clock_now();
        ptx_reader_set_deadline(s->reader, deadline > now ? now + (deadline - now) / 2 : deadline);
    }
    int rc = best_passages(s, *q, info, docids, scores, &n_docs);
    if (deadline > 0) {
        *cut = ptx_reader_timed_out(s->reader);
        ptx_reader_set_deadline(s->reader, deadline);
        if (*cut)
            return rc;
    }
    if (!rc)
        rc = pt_feedback_expand(&fq, s->reader, *q, docids, scores, n_docs, (pt_term_set)info->terms.terms,
                                info->n_words, info->typed_any);
    if (rc)
        return rc;
    ptx_query_free(*q);
    *q = fq;
    return PT_OK;
}

/* The hits from opts->first on: the best first + max_hits, less the first
 * (shown on earlier pages; ranks go on counting). */
static int run_page(pt_hits **out, pt_searcher *s, const ptx_query *q, const pt_query_info *info,
                    const pt_search_opts *opts, unsigned flags)
{
    if (!opts->first)
        return run_once(out, s, q, info, opts, flags);
    pt_search_opts wide = *opts;
    wide.max_hits = opts->first + opts->max_hits;
    int rc = run_once(out, s, q, info, &wide, flags);
    if (rc)
        return rc;
    pt_hits *h = *out;
    size_t skip = h->n < opts->first ? h->n : opts->first;
    for (size_t i = 0; i < skip; i++)
        hit_clear(&h->hits[i].pub);
    memmove(h->hits, h->hits + skip, (h->n - skip) * sizeof *h->hits);
    h->n -= skip;
    return PT_OK;
}

/* One search at the reader's current commit: parsing (variants and
 * wildcards read the vocabulary), title words, feedback, ranking, records,
 * explanations and the suggestion. */
static int search_once(pt_hits **out, pt_searcher *s, const char *query, const pt_search_opts *opts,
                       unsigned flags, unsigned suggest_below, double deadline)
{
    ptx_query *q = NULL;
    pt_query_info info;
    memset(&info, 0, sizeof info);
    int feedback_cut = 0;
    int rc = pt_query_parse(&q, &info, s->analyzer, s->reader, query, strlen(query), flags);
    if (rc == PT_OK)
        rc = pt_title_boost(&q, s->reader, &info);
    if (rc == PT_OK && (flags & PT_SEARCH_FEEDBACK))
        rc = add_feedback(&q, s, &info, deadline, &feedback_cut);
    if (rc == PT_OK)
        rc = run_page(out, s, q, &info, opts, flags);
    if (rc == PT_OK && (*out)->estimated < suggest_below)
        rc = pt_suggest(&(*out)->suggestion, s->analyzer, s->reader, query, strlen(query), &info);
    if (rc == PT_OK)
        (*out)->incomplete = feedback_cut || ptx_reader_timed_out(s->reader);
    /* Last, as the hits are whole without it: a count the time limit cuts
     * leaves the engine's estimate and no article count. */
    if (rc == PT_OK && (flags & PT_SEARCH_TOTALS) && !(*out)->incomplete)
        rc = pt_checked_count(s->reader, q, PT_SLOT_ARTICLE, &(*out)->passages, &(*out)->articles);
    if (rc == PT_OK)
        rc = take_substitutions(*out, s, &info);
    if (rc) {
        pt_hits_free(*out);
        *out = NULL;
    }
    ptx_query_free(q);
    pt_query_info_free(&info);
    return rc;
}

/* Runs the search until it succeeds, fails for a reason a new commit
 * cannot change, or runs out of attempts or time (SEARCH_ATTEMPTS): each
 * attempt reads one commit, so the answer is the index before or after a
 * commit, never between. */
static int search_consistent(pt_hits **out, pt_searcher *s, const char *query, const pt_search_opts *opts,
                             unsigned flags, unsigned suggest_below, double deadline)
{
    int rc = PT_OK, unchanged = 0;
    char why[1024]; /* as long as error.c keeps */
    /* The latest commit, with the longest time before a writer reuses its
     * blocks (a failure here shows again in the search). */
    ptx_reader_reopen(s->reader, NULL);
    for (int attempt = 1;; attempt++) {
        int gate = -1;
        if (attempt >= GATE_FROM) {
            double left = deadline > 0 ? deadline - pt_clock_now() : GATE_WAIT;
            gate = pt_gate_take(s->dir, 0, left < GATE_WAIT ? left : GATE_WAIT);
            if (gate >= 0 && ptx_reader_reopen(s->reader, NULL) != PT_OK) {
                pt_gate_release(gate);
                gate = -1;
            }
        }
        rc = search_once(out, s, query, opts, flags, suggest_below, deadline);
        pt_gate_release(gate);
        if (!maybe_transient(rc))
            return rc;
        snprintf(why, sizeof why, "%s", pt_error_last());
        int changed = 1;
        if (ptx_reader_reopen(s->reader, &changed) != PT_OK)
            changed = 1; /* the commit being made; the next attempt will tell */
        if (!changed && ++unchanged >= 2)
            return pt_fail(rc, "%s", why); /* the same failure on an unchanged index: damage */
        if (attempt >= SEARCH_ATTEMPTS || pt_deadline_passed(deadline))
            return pt_fail(rc, "the index changed under every attempt to search it (%d, %s): %s", attempt,
                           pt_deadline_passed(deadline) ? "until the time limit" : "the most allowed", why);
    }
}

int pt_search(pt_hits **out, pt_searcher *s, const char *query, const pt_search_opts *opts)
{
    static const pt_search_opts defaults = PT_SEARCH_OPTS_INIT;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > PT_SEARCH_OPTS_VERSION)
        return pt_fail(PT_EINVAL, "pt_search_opts version %d is not %d", opts->version, PT_SEARCH_OPTS_VERSION);
    unsigned flags = opts->version >= 2 ? opts->flags : defaults.flags;
    unsigned suggest_below = opts->version >= 2 ? opts->suggest_below : defaults.suggest_below;
    double timeout = opts->version >= 3 ? opts->timeout : 0;
    if (!(timeout >= 0))
        return pt_fail(PT_EINVAL, "pt_search_opts timeout %g is not a number of seconds from 0", timeout);
    /* every field, whatever the caller's version */
    pt_search_opts all = defaults;
    all.max_hits = opts->max_hits;
    all.per_article = opts->per_article;
    all.flags = flags;
    all.suggest_below = suggest_below;
    all.timeout = timeout;
    if (opts->version >= 4) {
        if (opts->sort != PT_SORT_SCORE && opts->sort != PT_SORT_DATE)
            return pt_fail(PT_EINVAL, "pt_search_opts sort %d is not PT_SORT_SCORE or PT_SORT_DATE", (int)opts->sort);
        if (opts->first > PT_SEARCH_MAX_FIRST)
            return pt_fail(PT_EINVAL, "pt_search_opts first %u is over %u", opts->first, PT_SEARCH_MAX_FIRST);
        all.first = opts->first;
        all.sort = opts->sort;
    }
    double deadline = timeout > 0 ? pt_clock_now() + timeout : 0;
    ptx_reader_set_deadline(s->reader, deadline);
    int rc = search_consistent(out, s, query, &all, flags, suggest_below, deadline);
    ptx_reader_set_deadline(s->reader, 0);
    return rc;
}

/* --------------------------------------------------------- one article */

typedef struct {
    pt_searcher *searcher;
    pt_hits *hits;
    const char *id; /* a long id's term is a hash: another id could share it */
} article_ctx;

/* One passage of the article: its record, its ordinal as its rank. */
static int collect_article_passage(const ptx_hit *xh, void *ctx)
{
    article_ctx *c = ctx;
    int rc = collect_hit(xh, &(collect_ctx){.searcher = c->searcher, .hits = c->hits});
    if (rc)
        return rc;
    if (strcmp(c->hits->hits[c->hits->n - 1].pub.article, c->id) != 0) {
        hit_clear(&c->hits->hits[--c->hits->n].pub);
        return PT_OK;
    }
    pt_passage_record rec;
    if ((rc = pt_record_decode_passage(&rec, xh->data, xh->data_len)) != PT_OK)
        return rc;
    free((char *)rec.text);
    c->hits->hits[c->hits->n - 1].pub.rank = rec.ordinal + 1;
    c->hits->hits[c->hits->n - 1].pub.score = 0;
    return PT_OK;
}

/* One attempt on the reader's current commit. */
static int article_once(pt_hits **out, pt_searcher *s, const char *id, const char *term, unsigned max)
{
    ptx_query *q = ptx_query_term(term, strlen(term), 1, 0);
    if (!q)
        return pt_error_last()[0] ? PT_ERROR : pt_fail(PT_ENOMEM, "out of memory");
    if (!(*out = calloc(1, sizeof **out))) {
        ptx_query_free(q);
        return pt_fail(PT_ENOMEM, "out of memory");
    }
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    xo.max = max;
    article_ctx c = {s, *out, id};
    int rc = pt_checked_search(s->reader, q, &xo, collect_article_passage, &c, &(*out)->estimated);
    ptx_query_free(q);
    if (!rc && (*out)->n > 1) /* qsort wants a non-NULL base even for none */
        qsort((*out)->hits, (*out)->n, sizeof *(*out)->hits, by_score); /* by rank: the ordinal */
    for (size_t i = 0; !rc && i < (*out)->n; i++)
        rc = fill_article(s, &(*out)->hits[i].pub);
    if (rc) {
        pt_hits_free(*out);
        *out = NULL;
    }
    return rc;
}

/* The passages article id holds (not a copy's). */
static int own_passages(pt_hits **out, pt_searcher *s, const char *id, unsigned max)
{
    char key[PT_MAX_ID_IN_TERM + 1], term[sizeof PT_PREFIX_ARTICLE + PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    snprintf(term, sizeof term, "%s%s", PT_PREFIX_ARTICLE, key);
    int rc = PT_OK;
    for (int attempt = 1; attempt <= SEARCH_ATTEMPTS; attempt++) {
        rc = article_once(out, s, id, term, max ? max : 1);
        if (!maybe_transient(rc))
            break;
        if (ptx_reader_reopen(s->reader, NULL) != PT_OK)
            continue;
    }
    if (rc == PT_OK && (*out)->n == 0) {
        pt_hits_free(*out);
        *out = NULL;
        rc = pt_fail(PT_ENOTFOUND, "no article with this id");
    }
    return rc;
}

/* Shows the passages of orig_id, whose exact copy id is (copies.h), as
 * id's: its id, path, lines and offsets. */
static int copy_passages(pt_hits **out, pt_searcher *s, const char *id, const char *orig_id, unsigned max)
{
    char orig_key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(orig_id, orig_key);
    pt_copy *copies = NULL;
    size_t n = 0;
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    int rc = pt_copies_read(s->reader, orig_key, &copies, &n);
    size_t at = rc ? 0 : pt_copies_find_key(copies, n, key);
    if (!rc && at == n)
        rc = pt_fail(PT_ENOTFOUND, "no article with this id");
    if (!rc)
        rc = own_passages(out, s, orig_id, max);
    for (size_t i = 0; !rc && i < (*out)->n; i++) {
        pt_hit *h = &(*out)->hits[i].pub;
        char *copy_id = strdup(id), *path = strdup(copies[at].path);
        free((char *)h->article);
        free((char *)h->path);
        h->article = copy_id;
        h->path = path;
        h->line = (uint32_t)((int64_t)h->line + copies[at].line_delta);
        h->start = (size_t)((int64_t)h->start + copies[at].offset_delta);
        h->end = (size_t)((int64_t)h->end + copies[at].offset_delta);
        if (!copy_id || !path)
            rc = pt_fail(PT_ENOMEM, "out of memory");
    }
    if (rc && *out) {
        pt_hits_free(*out);
        *out = NULL;
    }
    pt_copies_free(copies, n);
    return rc;
}

int pt_article_passages(pt_hits **out, pt_searcher *s, const char *id, unsigned max)
{
    *out = NULL;
    if (!s || !id || !*id || strlen(id) > PT_MAX_ID_BYTES)
        return pt_fail(PT_EINVAL, "an article id of 1 to %d bytes is needed", PT_MAX_ID_BYTES);
    char key[PT_MAX_ID_IN_TERM + 1];
    pt_article_key(id, key);
    ptx_reader_reopen(s->reader, NULL);
    char *orig_id = NULL;
    int rc = pt_copies_original_of(s->reader, key, &orig_id);
    if (rc == PT_OK) {
        /* an original is never a copy; a damaged index could say so */
        rc = strcmp(orig_id, id) != 0 ? copy_passages(out, s, id, orig_id, max)
                                      : pt_fail(PT_ECORRUPT, "article %s is listed as its own copy", id);
        free(orig_id);
        return rc;
    }
    return rc == PT_ENOTFOUND ? own_passages(out, s, id, max) : rc;
}
