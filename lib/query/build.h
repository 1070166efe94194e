/* build.h — what query.c, words.c, phrases.c, fields.c and info.c share
 * while they lower a query's tree (tree.h) into a plan (plan.h): the state,
 * the lowered node (a plan, its kind, the positions of its words for NEAR
 * and proximity), and the functions one file lends the others. Private to
 * the query code. */
#ifndef PT_QUERY_BUILD_H
#define PT_QUERY_BUILD_H

#include <stddef.h>

#include "analysis/analyzer.h"
#include "util/buf.h"
#include "query/query.h"
#include "query/plan.h"
#include "ptsearch.h"
#include "query/tree.h"

/* Caps that only trim what a long query gets (the limits a query must keep
 * are PT_QUERY_MAX_* in ptsearch.h: over one, it fails with PT_EQUERY). */
#define MAX_VARIANT_WORDS 64  /* words after this many get no variants */
#define MAX_EXPANDED_WORDS 32 /* words after this many get no WordNet expansions */
#define WILDCARD_MAX 100      /* a prefix* matches at most this many terms */
#define TYPED_BONUS 0.3
/* A word typed n times weighs (k3 + 1) n / (k3 + n) times once, BM25's
 * query-term saturation with k3 = REPEAT_K3: long topics repeat their
 * subject ("bone, bone development, ... bone cells, ... bone diseases"),
 * and counted in full it outweighs every other word. Chosen on the judged
 * collections (README, "Ranking"): 2 and 5 gain less. */
#define REPEAT_K3 3.0

typedef struct {
    const char *text;
    size_t len;
    pt_analyzer *an;
    ptx_reader *r;
    unsigned flags;
    pt_query_info *info;
    int negated;      /* > 0 inside NOT: terms are neither highlighted nor suggested */
    size_t words;     /* words analyzed (PT_QUERY_MAX_WORDS) */
    size_t wildcards; /* prefix* (PT_QUERY_MAX_WILDCARDS) */
    size_t positives; /* scored terms kept */
    size_t dropped;   /* stopwords dropped */
    size_t variant_words;
    size_t expanded_words;
    pt_buf compounds; /* compound terms searched so far, each NUL-terminated (repeats) */
    pt_plan **gate;   /* what info->typed_any ORs */
    size_t n_gate, cap_gate;
    int err;          /* first error, sticky */
    int combined;     /* field ids for combined filters, above PT_FIELD_NONE */
    int in_phrase;    /* terms remembered are phrase words (highlighting) */
    pt_query_phrase_word *phrase_word; /* collects the terms of this phrase word */
} builder;

enum kind { K_NONE, K_POS, K_NEG, K_FILTER };

/* One position of a phrase or NEAR: the typed term (and its text, for
 * proximity), and the synonym of it and its variants as one term (any) and
 * as an OR (alts: a part of a PHRASE or NEAR is a term or an OR of terms);
 * both NULL without variants. */
typedef struct {
    pt_plan *typed, *any, *alts;
    char *term;
    char *spellings; /* "term|variant|...", for --explain; NULL without variants */
} pos_item;

/* A lowered part of the query. */
typedef struct {
    pt_plan *q;
    enum kind kind;
    int field;          /* filters: which field (same-field filters are OR-ed) */
    pos_item *items;    /* words and phrases: their positions, for NEAR */
    size_t n_items;
} node;

/* query.c: errors, limits, plan helpers, nodes. */
int qb_fail(builder *p, int status);
int qb_within_limit(builder *p, size_t *count, size_t limit, const char *what);
int qb_count_word(builder *p);
pt_plan *qb_check(builder *p, pt_plan *q);
pt_plan *qb_combine2(builder *p, enum ptx_op op, pt_plan *a, pt_plan *b);
pt_plan *qb_scaled(builder *p, const pt_plan *q, double f);
pt_plan *qb_copied(builder *p, const pt_plan *q);
pt_plan *qb_labelled(builder *p, pt_plan *q, enum ptx_part_kind kind, const char *text);
void qb_item_free(pos_item *it);
void qb_items_free(pos_item *items, size_t n);
void qb_node_free(node *n);
node qb_combine(builder *p, node *nodes, size_t n, enum ptx_op op);

/* words.c: words, prefix*, a word's position item (with its variants) and
 * the positional queries over items; push_item appends one to a node. */
node qb_word_node(builder *p, size_t start, size_t end);
int qb_make_item(builder *p, pos_item *it, size_t base, const pt_term *t, const char *prefix);
int qb_push_item(builder *p, node *n, const pos_item *it);
pt_plan *qb_positional(builder *p, enum ptx_op op, pos_item *items, size_t n, unsigned window);

/* phrases.c: "phrases"; phrase_cb collects the items of a phrase or of a
 * field's value (a pt_analyze callback over a phrase_ctx). */
node qb_phrase_node(builder *p, size_t start, size_t end);
int qb_phrase_cb(const pt_term *t, void *ctx);
typedef struct {
    builder *p;
    size_t base;
    const char *prefix;
    node *n;
    uint32_t first, last;
    int any;
    pt_query_phrase *phrase; /* collects the words to highlight; NULL: none */
} phrase_ctx;

/* fields.c: title:, source:, lang:, date:. */
node qb_field_node(builder *p, const pt_qnode *t);

/* info.c: what the query tells its caller (query.h, pt_query_info). */
int qb_remember_term(builder *p, const char *term, pt_mark_kind kind);
void qb_remember_word(builder *p, size_t base, const pt_term *t);
void qb_gate_add(builder *p, const pt_plan *q);
void qb_gate_free(builder *p);
void qb_note_absent(builder *p, const pt_term *t, const char *stems, size_t stride, size_t n);
int qb_begin_phrase_word(builder *p, pt_query_phrase *ph, uint32_t offset);
void qb_keep_phrase(builder *p, pt_query_phrase *ph);
void qb_phrase_free(pt_query_phrase *ph);
void qb_add_proximity(builder *p, node *items, size_t n);

#endif
