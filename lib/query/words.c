/* words.c — the words of a query as the plan searches them: each typed
 * word analyzed like the articles, with its name variants as
 * OR(SYNONYM(typed, variants), SCALE(typed, TYPED_BONUS)) so that the
 * spelling typed never ranks below a variant, WordNet's related words
 * scaled below it, a repeat adding less each time (REPEAT_K3), compounds
 * ("U.S.", "long-term"), prefix*; and the positions of a word, which
 * phrases and NEAR read (positional). */
#include "query/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "query/expand.h"
#include "query/positions.h"
#include "ptsearch.h"
#include "rank/tune.h"
#include "query/variants.h"

/* --------------------------------------------------------------- terms */

/* A typed word looks like a name when it is capitalised but not all capitals. */
static int name_like(const builder *p, size_t base, const pt_term *t)
{
    if (!(t->flags & PT_TERM_CAPITALIZED))
        return 0;
    for (size_t i = base + t->start + 1; i < base + t->end && i < p->len; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if ((c >= 'a' && c <= 'z') || c >= 0x80)
            return 1;
    }
    return 0;
}

/* The position item for one analyzed term, with its variants (prefix is
 * prepended to every term: "" for words, "XT" for titles). */
static int fill_item(builder *p, pos_item *it, size_t base, const pt_term *t, const char *prefix)
{
    char buf[PT_VARIANT_STEM_MAX + 4];
    memset(it, 0, sizeof *it);
    snprintf(buf, sizeof buf, "%s%s", prefix, t->term);
    if (!(it->typed = qb_check(p, pt_plan_term(buf, strlen(buf), 1, 0))))
        return p->err;
    if (!(it->term = strdup(buf)))
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    qb_remember_term(p, t->term, PT_MARK_TYPED);
    if ((p->flags & PT_QUERY_EXACT) || !p->r || (t->flags & (PT_TERM_COMPOUND | PT_TERM_PART)) ||
        p->variant_words >= MAX_VARIANT_WORDS) {
        if (!prefix[0])
            qb_gate_add(p, it->typed);
        return p->err;
    }
    p->variant_words++;
    pt_variants v;
    int rc = pt_variants_find(&v, p->an, p->r, t->word, t->word_len, t->term,
                              name_like(p, base, t) ? PT_VARIANT_NAME : 0);
    if (rc)
        return qb_fail(p, rc);
    if (v.n == 0) {
        if (!prefix[0])
            qb_gate_add(p, it->typed);
        return PT_OK;
    }
    if (!prefix[0])
        qb_note_absent(p, t, v.stems[0], sizeof v.stems[0], v.n);
    pt_plan *syn[PT_VARIANTS_MAX + 1];
    size_t n = 0;
    syn[n++] = it->typed;
    size_t len = strlen(t->term) + 1;
    for (size_t i = 0; i < v.n; i++)
        len += strlen(v.stems[i]) + 1;
    if (!(it->spellings = malloc(len)))
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    strcpy(it->spellings, t->term);
    for (size_t i = 0; i < v.n; i++) {
        strcat(it->spellings, "|");
        strcat(it->spellings, v.stems[i]);
    }
    for (size_t i = 0; i < v.n; i++) {
        qb_remember_term(p, v.stems[i], PT_MARK_VARIANT);
        snprintf(buf, sizeof buf, "%s%s", prefix, v.stems[i]);
        if (!(syn[n] = qb_check(p, pt_plan_term(buf, strlen(buf), 1, 0))))
            break;
        n++;
    }
    if (!p->err)
        it->any = qb_check(p, pt_plan_combine(PTX_OP_SYNONYM, syn, n, 0));
    if (!p->err)
        it->alts = qb_check(p, pt_plan_combine(PTX_OP_OR, syn, n, 0));
    for (size_t i = 1; i < n; i++)
        pt_plan_free(syn[i]);
    if (!prefix[0])
        qb_gate_add(p, it->alts);
    return p->err;
}

/* fill_item, leaving nothing to free when it fails (reading the index
 * for variants can fail: a writer's commit, pt_search runs again). */
int qb_make_item(builder *p, pos_item *it, size_t base, const pt_term *t, const char *prefix)
{
    int rc = fill_item(p, it, base, t, prefix);
    if (rc)
        qb_item_free(it);
    return rc;
}

/* op over parts: PHRASE and NEAR check positions in the passage text
 * (pt_plan_positional, positions.h); AND is plain. */
static pt_plan *over_parts(builder *p, enum ptx_op op, pt_plan **parts, size_t n, unsigned window)
{
    if (op == PTX_OP_AND)
        return qb_check(p, pt_plan_combine(op, parts, n, window));
    return qb_check(p, pt_plan_positional(op, parts, n, window, NULL, pt_positions_of_passage, p->an));
}

/* op over positions (PHRASE, NEAR, AND): with variants it is
 * OR(op(any…), SCALE(op(typed…), TYPED_BONUS)). */
pt_plan *qb_positional(builder *p, enum ptx_op op, pos_item *items, size_t n, unsigned window)
{
    pt_plan **typed = calloc(n, sizeof *typed), **any = calloc(n, sizeof *any);
    if (!typed || !any) {
        free(typed);
        free(any);
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        return NULL;
    }
    int has_variants = 0;
    for (size_t i = 0; i < n; i++) {
        typed[i] = items[i].typed;
        pt_plan *v = n == 1 ? items[i].any : items[i].alts;
        any[i] = v ? v : items[i].typed;
        has_variants |= items[i].any != NULL;
    }
    pt_plan *q = NULL;
    pt_plan *exact = n == 1 ? qb_copied(p, typed[0]) : over_parts(p, op, typed, n, window);
    if (exact && n == 1 && !p->negated)
        exact = qb_labelled(p, exact, PTX_PART_TYPED, items[0].term);
    if (exact && has_variants) {
        pt_plan *loose = n == 1 ? qb_copied(p, any[0]) : over_parts(p, op, any, n, window);
        if (loose && n == 1 && !p->negated)
            loose = qb_labelled(p, loose, PTX_PART_VARIANT, items[0].spellings);
        pt_plan *bonus = qb_scaled(p, exact, TYPED_BONUS);
        if (loose && bonus)
            q = qb_combine2(p, PTX_OP_OR, loose, bonus);
        pt_plan_free(loose);
        pt_plan_free(bonus);
        pt_plan_free(exact);
    } else {
        q = exact;
    }
    free(typed);
    free(any);
    return q;
}

int qb_push_item(builder *p, node *n, const pos_item *it)
{
    pos_item *items = realloc(n->items, (n->n_items + 1) * sizeof *items);
    if (!items)
        return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    n->items = items;
    n->items[n->n_items++] = *it;
    return PT_OK;
}

/* ------------------------------------------------------ compounds, words */

/* Words of one token: analyzed, one sub-query per word (a compound is
 * compound OR phrase(parts): see close_compound), combined with the
 * default operator. */
typedef struct {
    builder *p;
    size_t base;
    node *groups;
    size_t n_groups;
    node open;        /* the open compound group */
    pos_item *parts; /* the open compound's parts (cap_parts allocated) */
    size_t n_parts, cap_parts;
    int parts_negligible; /* every part so far a single letter or a stopword */
    size_t terms_before;  /* highlight terms remembered before the compound */
    size_t gate_before;   /* typed_any parts before the compound */
    pt_plan *compound;
    char compound_term[PT_VARIANT_STEM_MAX];
    int wildcard;
} word_ctx;

static int push_group(word_ctx *w, node g)
{
    node *gs = realloc(w->groups, (w->n_groups + 1) * sizeof *gs);
    if (!gs) {
        qb_node_free(&g);
        return qb_fail(w->p, pt_fail(PT_ENOMEM, "out of memory"));
    }
    w->groups = gs;
    w->groups[w->n_groups++] = g;
    return PT_OK;
}

static double repeat_weight(size_t n);

/* A part that carries no meaning of its own: one letter ("e" of "e.g.")
 * or a stopword ("so" of "so-so"). */
static int negligible_part(const pt_term *t)
{
    unsigned char lead = (unsigned char)t->word[0];
    size_t first = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    int one_letter = t->word_len == first && !(t->flags & PT_TERM_NUMERIC);
    return one_letter || pt_query_is_stopword(t->word, t->word_len);
}

/* A compound whose parts all carry no meaning ("e.g.", "i.e.", "a.m.",
 * "U.S.") is not searched, as a stopword is not: such compounds are rare in
 * the articles, hence weigh much, while saying nothing of the topic (one
 * lisa topic's three "e.g." gave its top hit 48 of 83 points). Like a
 * stopword it is searched when the query has nothing else. The terms it
 * remembered for highlighting, and as words typed, are forgotten. */
static void drop_compound(word_ctx *w)
{
    builder *p = w->p;
    pt_query_terms *t = &p->info->terms;
    while (t->n > w->terms_before) {
        free(t->terms[--t->n]);
        t->terms[t->n] = NULL;
    }
    while (p->n_gate > w->gate_before)
        pt_plan_free(p->gate[--p->n_gate]);
    pt_plan_free(w->compound);
    w->compound = NULL;
    for (size_t i = 0; i < w->n_parts; i++)
        qb_item_free(&w->parts[i]);
    w->n_parts = 0;
    p->dropped++;
}

/* A compound typed again adds less each time, as a word does (REPEAT_K3):
 * scales q by what this occurrence adds, and records it. Takes q. */
static pt_plan *saturated_compound(builder *p, pt_plan *q, const char *term)
{
    size_t before = 0;
    for (size_t at = 0; at < p->compounds.len; at += strlen(p->compounds.data + at) + 1)
        before += strcmp(p->compounds.data + at, term) == 0;
    if (pt_buf_append(&p->compounds, term, strlen(term) + 1)) {
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        pt_plan_free(q);
        return NULL;
    }
    if (!before || p->negated)
        return q;
    pt_plan *less = qb_scaled(p, q, repeat_weight(before + 1));
    pt_plan_free(q);
    return less;
}

/* "U.S." matches the compound "us" or the phrase "u s"; "long-term" also
 * "long term". Every passage with the compound has its parts side by side,
 * so the phrase is checked only in passages without the compound (reading
 * positions from the text is dear, and Reuters writes U.S. everywhere):
 *   OR(AND_MAYBE(compound, AND(parts)), PHRASE(parts) unless compound)
 * which weighs compound + parts where the compound is, as the OR of the
 * compound and the phrase did. */
static int close_compound(word_ctx *w)
{
    builder *p = w->p;
    if (!w->compound)
        return PT_OK;
    if (w->n_parts > 0 && w->parts_negligible && !(p->flags & PT_QUERY_KEEP_STOPWORDS)) {
        drop_compound(w);
        return PT_OK;
    }
    node g = {.kind = K_POS};
    if (w->n_parts > 1) {
        pt_plan **typed = calloc(w->n_parts, sizeof *typed);
        if (!typed)
            return qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        for (size_t i = 0; i < w->n_parts; i++)
            typed[i] = w->parts[i].typed;
        pt_plan *all = qb_check(p, pt_plan_combine(PTX_OP_AND, typed, w->n_parts, 0));
        pt_plan *with = all ? qb_combine2(p, PTX_OP_AND_MAYBE, w->compound, all) : NULL;
        pt_plan *phrase = with ? qb_check(p, pt_plan_positional(PTX_OP_PHRASE, typed, w->n_parts, 0, w->compound_term,
                                                                  pt_positions_of_passage, p->an))
                                 : NULL;
        g.q = phrase ? qb_combine2(p, PTX_OP_OR, with, phrase) : NULL;
        free(typed);
        pt_plan_free(all);
        pt_plan_free(with);
        pt_plan_free(phrase);
    } else {
        g.q = qb_copied(p, w->compound);
    }
    pt_plan_free(w->compound);
    w->compound = NULL;
    for (size_t i = 0; i < w->n_parts; i++)
        qb_item_free(&w->parts[i]);
    w->n_parts = 0;
    if (g.q)
        g.q = saturated_compound(p, g.q, w->compound_term);
    if (!g.q)
        return p->err;
    p->positives++;
    return push_group(w, g);
}

/* What the n-th (from 1) occurrence of a word adds to its weight, so that
 * n occurrences weigh as REPEAT_K3 says. */
static double repeat_weight(size_t n)
{
    double k = pt_tune("k3", REPEAT_K3);
    return (k + 1) * (double)n / (k + n) - (k + 1) * (double)(n - 1) / (k + n - 1);
}

/* How many typed words before this one have its stem. */
static size_t times_typed(const builder *p, const pt_term *t)
{
    size_t n = 0;
    for (size_t i = 0; !p->negated && i < p->info->n_words; i++)
        n += strcmp(p->info->words[i].stem, t->term) == 0;
    return n;
}

/* Free words (not names, numbers, Cyrillic, negated, or in phrases) get
 * WordNet's related words when the caller asks for them. */
static int expandable(builder *p, size_t base, const pt_term *t)
{
    return (p->flags & PT_QUERY_EXPAND) && !(p->flags & PT_QUERY_EXACT) && !p->negated &&
           !(t->flags & (PT_TERM_NUMERIC | PT_TERM_CYRILLIC | PT_TERM_COMPOUND | PT_TERM_PART)) &&
           !name_like(p, base, t) && p->expanded_words < MAX_EXPANDED_WORDS;
}

/* OR(q, SCALE(related_1, w_1), ...): each related word keeps its own
 * rarity and counts below the word typed. Takes q. */
static pt_plan *with_expansions(builder *p, pt_plan *q, const pt_term *t)
{
    p->expanded_words++;
    pt_expansions e;
    int rc = pt_expansions_find(&e, p->an, p->r, t->word, t->word_len, t->term);
    if (rc) {
        qb_fail(p, rc);
        return q;
    }
    qb_note_absent(p, t, e.stems[0], sizeof e.stems[0], e.n);
    pt_plan *parts[PT_EXPANSIONS_MAX + 1];
    size_t n = 0;
    parts[n++] = q;
    for (size_t i = 0; i < e.n && !p->err; i++) {
        pt_plan *term = qb_check(p, pt_plan_term(e.stems[i], strlen(e.stems[i]), 1, 0));
        char text[PT_VARIANT_STEM_MAX + 32];
        snprintf(text, sizeof text, "%.3g * %s", e.weights[i], e.stems[i]);
        if (term && (parts[n] = qb_scaled(p, term, pt_tune("wordnet", 1.0) * e.weights[i])) != NULL &&
            (parts[n] = qb_labelled(p, parts[n], PTX_PART_RELATED, text)) != NULL)
            n++;
        pt_plan_free(term);
        qb_remember_term(p, e.stems[i], PT_MARK_RELATED);
    }
    pt_plan *out = n > 1 && !p->err ? qb_check(p, pt_plan_combine(PTX_OP_OR, parts, n, 0)) : NULL;
    for (size_t i = 1; i < n; i++)
        pt_plan_free(parts[i]);
    if (!out)
        return q;
    pt_plan_free(q);
    return out;
}

/* Room for one more part of the open compound (a compound has as many
 * parts as its text has: none is dropped). */
static int grow_parts(word_ctx *w)
{
    if (w->n_parts < w->cap_parts)
        return PT_OK;
    size_t cap = w->cap_parts ? 2 * w->cap_parts : 8;
    pos_item *grown = realloc(w->parts, cap * sizeof *grown);
    if (!grown)
        return qb_fail(w->p, pt_fail(PT_ENOMEM, "out of memory"));
    w->parts = grown;
    w->cap_parts = cap;
    return PT_OK;
}

static int word_cb(const pt_term *t, void *ctx)
{
    word_ctx *w = ctx;
    builder *p = w->p;
    if (p->err || (!(t->flags & PT_TERM_PART) && !qb_count_word(p)))
        return p->err;
    if ((t->flags & PT_TERM_PART) && w->compound) {
        w->parts_negligible &= negligible_part(t);
        if (grow_parts(w) == PT_OK && qb_make_item(p, &w->parts[w->n_parts], w->base, t, "") == PT_OK)
            w->n_parts++;
        return p->err;
    }
    if (close_compound(w))
        return p->err;
    if (t->flags & PT_TERM_COMPOUND) {
        w->parts_negligible = 1;
        w->terms_before = p->info->terms.n;
        w->gate_before = p->n_gate;
        qb_remember_term(p, t->term, PT_MARK_TYPED);
        snprintf(w->compound_term, sizeof w->compound_term, "%s", t->term);
        w->compound = qb_check(p, pt_plan_term(t->term, t->term_len, 1, 0));
        qb_gate_add(p, w->compound);
        return p->err;
    }
    if (!(p->flags & PT_QUERY_KEEP_STOPWORDS) && pt_query_is_stopword(t->word, t->word_len)) {
        p->dropped++;
        return PT_OK;
    }
    size_t before = times_typed(p, t);
    qb_remember_word(p, w->base, t);
    pos_item it;
    if (qb_make_item(p, &it, w->base, t, ""))
        return p->err;
    node g = {.kind = K_POS};
    g.q = qb_positional(p, PTX_OP_AND, &it, 1, 0);
    if (g.q && expandable(p, w->base, t))
        g.q = with_expansions(p, g.q, t);
    if (g.q && before) { /* a repeat: it adds less than the first time */
        pt_plan *less = qb_scaled(p, g.q, repeat_weight(before + 1));
        pt_plan_free(g.q);
        g.q = less;
    }
    if (!g.q || qb_push_item(p, &g, &it)) {
        qb_item_free(&it);
        qb_node_free(&g);
        return p->err;
    }
    p->positives++;
    return push_group(w, g);
}

typedef struct {
    const char *term;
    size_t len;
    builder *p;
    size_t n;
} wild_ctx;

static int wild_cb(const char *term, size_t len, uint64_t freq, void *ctx)
{
    (void)freq;
    wild_ctx *c = ctx;
    char buf[PT_VARIANT_STEM_MAX];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, term, len);
    buf[len] = '\0';
    qb_remember_term(c->p, buf, PT_MARK_TYPED);
    return ++c->n >= WILDCARD_MAX;
}

typedef struct {
    char word[PT_VARIANT_STEM_MAX], stem[PT_VARIANT_STEM_MAX];
    int n;
} first_term;

static int first_cb(const pt_term *t, void *ctx)
{
    first_term *f = ctx;
    if (f->n++ == 0) {
        snprintf(f->word, sizeof f->word, "%.*s", (int)t->word_len, t->word);
        snprintf(f->stem, sizeof f->stem, "%s", t->term);
    }
    return PT_OK;
}

static int count_cb(const char *term, size_t len, uint64_t freq, void *ctx)
{
    (void)term;
    (void)len;
    (void)freq;
    ++*(uint64_t *)ctx;
    return 1;
}

/* prefix*: the common prefix of the word and its stem ("negotiat*" →
 * "negoti", the stem of "negotiations"), expanded over the vocabulary.
 * Returns 1 when the text is no single word of two letters or more. */
static int wildcard_node(builder *p, node *out, size_t start, size_t end)
{
    memset(out, 0, sizeof *out);
    first_term f = {.n = 0};
    int rc = pt_analyze(p->an, p->text + start, end - start, 0, first_cb, &f, NULL);
    if (rc < 0) {
        qb_fail(p, rc);
        return -1;
    }
    if (f.n != 1)
        return 1;
    size_t common = 0;
    while (f.word[common] && f.word[common] == f.stem[common])
        common++;
    if (common < 2)
        return 1;
    if (!qb_within_limit(p, &p->wildcards, PT_QUERY_MAX_WILDCARDS, "wildcards (prefix*)") || !qb_count_word(p))
        return -1;
    f.stem[common] = '\0';
    /* Stems may be shorter than the prefix typed ("negotiat" → negoti):
     * when the vocabulary has nothing under it, back off two letters. */
    for (int back = 0; back < 2 && p->r && common > 3; back++) {
        uint64_t n = 0;
        if ((rc = ptx_reader_allterms(p->r, f.stem, count_cb, &n)) < 0) {
            qb_fail(p, rc);
            return -1;
        }
        if (n)
            break;
        f.stem[--common] = '\0';
    }
    char label[sizeof f.stem + 1];
    snprintf(label, sizeof label, "%s*", f.stem);
    if (!(out->q = qb_labelled(p, qb_check(p, pt_plan_wildcard(f.stem, WILDCARD_MAX)), PTX_PART_TYPED, label)))
        return -1;
    qb_gate_add(p, out->q);
    out->kind = K_POS;
    p->positives++;
    if (p->r && !p->negated) {
        wild_ctx c = {f.stem, common, p, 0};
        rc = ptx_reader_allterms(p->r, f.stem, wild_cb, &c);
        if (rc < 0)
            qb_fail(p, rc);
    }
    return 0;
}

node qb_word_node(builder *p, size_t start, size_t end)
{
    node n = {0};
    if (end - start > 1 && p->text[end - 1] == '*') {
        size_t e = end;
        while (e > start && p->text[e - 1] == '*')
            e--;
        int rc = e > start ? wildcard_node(p, &n, start, e) : 1;
        if (rc <= 0)
            return n;
        end = e;
    }
    word_ctx w = {.p = p, .base = start};
    int rc = pt_analyze(p->an, p->text + start, end - start, 0, word_cb, &w, NULL);
    if (rc < 0)
        qb_fail(p, rc);
    if (!p->err)
        close_compound(&w);
    pt_plan_free(w.compound);
    for (size_t i = 0; i < w.n_parts; i++)
        qb_item_free(&w.parts[i]);
    free(w.parts);
    if (!p->err && w.n_groups) {
        enum ptx_op op = p->flags & PT_QUERY_ALL_WORDS ? PTX_OP_AND : PTX_OP_OR;
        return qb_combine(p, w.groups, w.n_groups, op); /* frees the groups */
    }
    for (size_t i = 0; i < w.n_groups; i++)
        qb_node_free(&w.groups[i]);
    free(w.groups);
    return n;
}
