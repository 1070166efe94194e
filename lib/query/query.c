/* query.c — parses a query (query.h) in three steps: the parser makes a
 * tree of what was typed (tree.h); this file lowers it, node by node, into
 * a plan (plan.h) — words, phrases and fields through words.c and
 * fields.c, then combined: scored parts with the default operator, filters
 * of one field OR-ed and of different fields AND-ed, negations subtracted,
 * NEAR over the positions of its operands — while info.c records what the
 * caller needs besides; translate.c turns the plan into Xapian's query. */
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "ptsearch.h"
#include "query/build.h"

/* ------------------------------------------------------------------ helpers */

int qb_fail(builder *p, int status)
{
    if (!p->err)
        p->err = status;
    return status;
}

/* Counts one more of something a query has a limit of; past it the
 * parse fails with a message naming the limit. */
int qb_within_limit(builder *p, size_t *count, size_t limit, const char *what)
{
    if (++*count <= limit)
        return 1;
    if (!p->err)
        qb_fail(p, pt_fail(PT_EQUERY, "the query has more than %zu %s (the limit)", limit, what));
    return 0;
}

int qb_count_word(builder *p)
{
    return qb_within_limit(p, &p->words, PT_QUERY_MAX_WORDS, "words");
}

pt_plan *qb_check(builder *p, pt_plan *q)
{
    if (!q)
        qb_fail(p, PT_ERROR); /* out of memory: the plan has said so */
    return q;
}

pt_plan *qb_combine2(builder *p, enum ptx_op op, pt_plan *a, pt_plan *b)
{
    pt_plan *parts[2] = {a, b};
    return qb_check(p, pt_plan_combine(op, parts, 2, 0));
}

pt_plan *qb_scaled(builder *p, const pt_plan *q, double f)
{
    return qb_check(p, pt_plan_scale(q, f));
}

pt_plan *qb_copied(builder *p, const pt_plan *q)
{
    return qb_check(p, pt_plan_copy(q));
}

/* q labelled for --explain (pt_plan_label); takes q. */
pt_plan *qb_labelled(builder *p, pt_plan *q, enum ptx_part_kind kind, const char *text)
{
    if (!q || !text) {
        if (!text && q)
            qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        pt_plan_free(q);
        return NULL;
    }
    pt_plan *out = qb_check(p, pt_plan_label(q, kind, text));
    pt_plan_free(q);
    return out;
}

void qb_item_free(pos_item *it)
{
    pt_plan_free(it->typed);
    pt_plan_free(it->any);
    pt_plan_free(it->alts);
    free(it->term);
    free(it->spellings);
    memset(it, 0, sizeof *it);
}

void qb_items_free(pos_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        qb_item_free(&items[i]);
    free(items);
}

void qb_node_free(node *n)
{
    pt_plan_free(n->q);
    qb_items_free(n->items, n->n_items);
    memset(n, 0, sizeof *n);
}

/* --------------------------------------------------------------- combining */

/* The filters among nodes[0..kept), field by field: OR within a field,
 * AND across fields (NULL: none, or a failure). fil has room for kept. */
static pt_plan *combine_filters(builder *p, node *nodes, size_t kept, pt_plan **fil)
{
    pt_plan *F = NULL;
    for (size_t i = 0; i < kept && !p->err; i++) {
        if (nodes[i].kind != K_FILTER)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= nodes[j].kind == K_FILTER && nodes[j].field == nodes[i].field;
        if (seen)
            continue;
        size_t m = 0;
        for (size_t j = i; j < kept; j++)
            if (nodes[j].kind == K_FILTER && nodes[j].field == nodes[i].field)
                fil[m++] = nodes[j].q;
        pt_plan *g = m == 1 ? qb_copied(p, fil[0]) : qb_check(p, pt_plan_combine(PTX_OP_OR, fil, m, 0));
        if (!g)
            break;
        if (F) {
            pt_plan *both = qb_combine2(p, PTX_OP_AND, F, g);
            pt_plan_free(F);
            pt_plan_free(g);
            F = both;
        } else {
            F = g;
        }
    }
    return F;
}

/* The scored parts P filtered by F; a node of filters alone is a filter
 * of its own (a combination: never merged with another). */
static node filtered(builder *p, pt_plan *P, pt_plan *F)
{
    node out = {.kind = K_POS};
    if (P && F)
        out.q = qb_combine2(p, PTX_OP_FILTER, P, F);
    else if (P)
        out.q = qb_copied(p, P);
    else if (F) {
        out.q = qb_copied(p, F);
        out.kind = K_FILTER;
        out.field = PT_FIELD_NONE + 1 + p->combined++;
    }
    return out;
}

/* base less the negations N; with no base, every passage at weight 0 less
 * N, a filter. Takes base.q. */
static node subtract(builder *p, node base, pt_plan *N)
{
    node out = base;
    pt_plan *all = base.q ? NULL : qb_check(p, pt_plan_match_all());
    pt_plan *all0 = all ? qb_scaled(p, all, 0) : NULL;
    pt_plan *from = base.q ? base.q : all0;
    out.q = from ? qb_combine2(p, PTX_OP_AND_NOT, from, N) : NULL;
    if (!base.q) {
        out.kind = K_FILTER;
        out.field = PT_FIELD_NONE + 1 + p->combined++;
    }
    pt_plan_free(all);
    pt_plan_free(all0);
    pt_plan_free(base.q);
    return out;
}

/* The plans of nodes[0..kept) of one kind into parts; their number. */
static size_t plans_of(const node *nodes, size_t kept, enum kind kind, pt_plan **parts)
{
    size_t n = 0;
    for (size_t i = 0; i < kept; i++)
        if (nodes[i].kind == kind)
            parts[n++] = nodes[i].q;
    return n;
}

/* Combines nodes (taking them over, and the array): scored ones with op,
 * filters of one field OR-ed and of different fields AND-ed, negated ones
 * subtracted. */
node qb_combine(builder *p, node *nodes, size_t n, enum ptx_op op)
{
    node out = {0};
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (nodes[i].kind != K_NONE)
            nodes[kept++] = nodes[i];
        else
            qb_node_free(&nodes[i]);
    if (kept == 1) {
        out = nodes[0];
        free(nodes);
        return out;
    }
    pt_plan **parts = calloc(kept + 1, sizeof *parts);
    pt_plan *P = NULL, *F = NULL, *N = NULL;
    if (!parts) {
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        goto done;
    }
    size_t np = plans_of(nodes, kept, K_POS, parts);
    if (np)
        P = np == 1 ? qb_copied(p, parts[0]) : qb_check(p, pt_plan_combine(op, parts, np, 0));
    size_t nn = plans_of(nodes, kept, K_NEG, parts);
    if (nn)
        N = nn == 1 ? qb_copied(p, parts[0]) : qb_check(p, pt_plan_combine(PTX_OP_OR, parts, nn, 0));
    F = combine_filters(p, nodes, kept, parts);
    if (p->err)
        goto done;
    out = filtered(p, P, F);
    if (N)
        out = subtract(p, out, N);
    if (!out.q)
        out.kind = K_NONE;
done:
    pt_plan_free(P);
    pt_plan_free(F);
    pt_plan_free(N);
    free(parts);
    for (size_t i = 0; i < kept; i++)
        qb_node_free(&nodes[i]);
    free(nodes);
    return out;
}

static node combine_two(builder *p, node a, node b, enum ptx_op op)
{
    node *nodes = malloc(2 * sizeof *nodes);
    if (!nodes) {
        qb_node_free(&a);
        qb_node_free(&b);
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        return (node){0};
    }
    nodes[0] = a;
    nodes[1] = b;
    return qb_combine(p, nodes, 2, op);
}

/* ------------------------------------------------------------------ lowering */

static node lower(builder *p, const pt_qnode *t);

/* "secur NEAR/5 ukrain" for --explain (NULL when out of memory). */
static char *near_label(const pos_item *items, size_t n, unsigned gap)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(items[i].term) + 20;
    char *label = malloc(len);
    if (!label)
        return NULL;
    label[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            snprintf(label + strlen(label), len - strlen(label), " NEAR/%u ", gap);
        snprintf(label + strlen(label), len - strlen(label), "%s", items[i].term);
    }
    return label;
}


/* NEAR over the positions of every operand, in order (takes ops); any
 * operand without positions (a field, a group) makes it an AND. */
static node near_of(builder *p, node *ops, size_t n, unsigned gap)
{
    size_t total = 0;
    int positional_ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].kind != K_NONE && !ops[i].n_items)
            positional_ok = 0;
        total += ops[i].n_items;
    }
    if (!positional_ok || total < 2 || p->err)
        return qb_combine(p, ops, n, PTX_OP_AND);
    pos_item *all = malloc(total * sizeof *all);
    node out = {0};
    if (!all) {
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
    } else {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < ops[i].n_items; j++)
                all[k++] = ops[i].items[j];
        out.q = qb_positional(p, PTX_OP_NEAR, all, total, gap + (unsigned)total - 1);
        char *label = out.q && !p->negated ? near_label(all, total, gap) : NULL;
        if (label)
            out.q = qb_labelled(p, out.q, PTX_PART_PHRASE, label);
        free(label);
        out.kind = out.q ? K_POS : K_NONE;
        free(all);
    }
    for (size_t i = 0; i < n; i++)
        qb_node_free(&ops[i]);
    free(ops);
    return out;
}

/* The kids of t lowered, in order, until an error; *n of them. */
static node *lower_kids(builder *p, const pt_qnode *t, size_t *n)
{
    node *kids = calloc(t->n_kids ? t->n_kids : 1, sizeof *kids);
    *n = 0;
    if (!kids) {
        qb_fail(p, pt_fail(PT_ENOMEM, "out of memory"));
        return NULL;
    }
    for (size_t i = 0; i < t->n_kids && !p->err; i++)
        kids[(*n)++] = lower(p, t->kids[i]);
    return kids;
}

static node lower_near(builder *p, const pt_qnode *t)
{
    size_t n;
    node *ops = lower_kids(p, t, &n);
    return ops ? near_of(p, ops, n, t->near) : (node){0};
}

/* Juxtaposed items, joined by the default operator (none: an empty node);
 * juxtaposed words also give the proximity bonus its pairs. */
static node lower_seq(builder *p, const pt_qnode *t)
{
    size_t n;
    node *items = lower_kids(p, t, &n);
    if (!items || n == 0) {
        free(items);
        return (node){0};
    }
    if (!(p->flags & PT_QUERY_ALL_WORDS))
        qb_add_proximity(p, items, n);
    return qb_combine(p, items, n, p->flags & PT_QUERY_ALL_WORDS ? PTX_OP_AND : PTX_OP_OR);
}

/* NOT x: x's passages are subtracted, its words neither highlighted nor
 * suggested. */
static node lower_not(builder *p, const pt_qnode *t)
{
    p->negated++;
    node n = lower(p, t->kids[0]);
    p->negated--;
    if (n.kind != K_NONE) {
        n.kind = K_NEG;
        qb_items_free(n.items, n.n_items);
        n.items = NULL;
        n.n_items = 0;
    }
    return n;
}

/* a AND b AND c as (a AND b) AND c, each step combined as it comes. */
static node lower_chain(builder *p, const pt_qnode *t)
{
    enum ptx_op op = t->kind == PT_Q_AND ? PTX_OP_AND : PTX_OP_OR;
    node acc = lower(p, t->kids[0]);
    for (size_t i = 1; i < t->n_kids && !p->err; i++) {
        node next = lower(p, t->kids[i]);
        acc = combine_two(p, acc, next, op);
    }
    return acc;
}

static node lower(builder *p, const pt_qnode *t)
{
    switch (t->kind) {
    case PT_Q_WORD: return qb_word_node(p, t->start, t->end);
    case PT_Q_PHRASE: return qb_phrase_node(p, t->start, t->end);
    case PT_Q_FIELD: case PT_Q_LANG: case PT_Q_DATE: return qb_field_node(p, t);
    case PT_Q_NOT: return lower_not(p, t);
    case PT_Q_NEAR: return lower_near(p, t);
    case PT_Q_SEQ: return lower_seq(p, t);
    case PT_Q_AND: case PT_Q_OR: return lower_chain(p, t);
    default:
        return (node){0};
    }
}

/* A query of only negations lists the passages without them, unranked
 * (README, "Query language"): every passage at weight 0, less N. */
static node only_negations(builder *p, node n)
{
    pt_plan *all = qb_check(p, pt_plan_match_all());
    pt_plan *all0 = all ? qb_scaled(p, all, 0) : NULL;
    node out = {0};
    if (all0 && (out.q = qb_combine2(p, PTX_OP_AND_NOT, all0, n.q)))
        out.kind = K_FILTER;
    pt_plan_free(all);
    pt_plan_free(all0);
    qb_node_free(&n);
    return out;
}

/* The plan of tree into *out (and the OR of what holds a typed word
 * into *gate, NULL when none), filling info. */
static int lower_once(pt_plan **out, pt_plan **gate, pt_query_info *info, builder *p, const pt_qnode *tree)
{
    memset(info, 0, sizeof *info);
    node n = lower(p, tree);
    if (!p->err && n.kind == K_NEG)
        n = only_negations(p, n);
    if (!p->err && n.kind == K_NONE)
        qb_fail(p, pt_fail(PT_EQUERY, "the query has no word to search for"));
    if (!p->err && p->n_gate)
        *gate = qb_check(p, pt_plan_combine(PTX_OP_OR, p->gate, p->n_gate, 0));
    if (p->err) {
        qb_node_free(&n);
        pt_query_info_free(info);
        return p->err;
    }
    *out = n.q;
    n.q = NULL;
    qb_node_free(&n);
    return PT_OK;
}

/* Lowers tree with flags; a query of only stopwords (or only stopwords
 * beside filters and negations) searches them after all ("to be or not
 * to be"). */
static int lower_all(pt_plan **out, pt_plan **gate, pt_query_info *info, const pt_qnode *tree,
                     builder *p)
{
    int rc = lower_once(out, gate, info, p, tree);
    if ((rc == PT_OK || rc == PT_EQUERY) && p->positives == 0 && p->dropped > 0) {
        if (rc == PT_OK) {
            pt_plan_free(*out);
            pt_plan_free(*gate);
            *out = *gate = NULL;
            pt_query_info_free(info);
        }
        builder again = {.text = p->text, .len = p->len, .an = p->an, .r = p->r, .info = info,
                         .flags = (p->flags | PT_QUERY_KEEP_STOPWORDS) & ~(unsigned)PT_QUERY_DROP_STOPWORDS};
        rc = lower_once(out, gate, info, &again, tree);
        pt_buf_free(&again.compounds);
        qb_gate_free(&again);
    }
    return rc;
}

int pt_query_parse(ptx_query **out, pt_query_info *info, pt_analyzer *an, ptx_reader *r,
                   const char *text, size_t len, unsigned flags)
{
    *out = NULL;
    memset(info, 0, sizeof *info);
    if (len > PT_QUERY_MAX_BYTES)
        return pt_fail(PT_EQUERY, "the query is longer than %d bytes (the limit): %zu", PT_QUERY_MAX_BYTES, len);
    pt_qnode *tree;
    size_t err_at;
    int rc = pt_qnode_parse(&tree, &err_at, text, len, !(flags & PT_QUERY_NO_OPERATORS));
    if (rc)
        return rc;
    builder p = {.text = text, .len = len, .an = an, .r = r, .flags = flags, .info = info};
    pt_plan *plan = NULL, *gate = NULL;
    rc = lower_all(&plan, &gate, info, tree, &p);
    pt_buf_free(&p.compounds);
    qb_gate_free(&p);
    pt_qnode_free(tree);
    if (rc == PT_OK && gate)
        pt_plan_count_uses(gate); /* it shares nodes with plan: build them once */
    if (rc == PT_OK && (!(*out = pt_plan_translate(plan)) || (gate && !(info->typed_any = pt_plan_translate(gate))))) {
        rc = PT_ERROR; /* the binding has set the message */
        pt_translated_free(*out);
        *out = NULL;
        pt_query_info_free(info);
    }
    pt_plan_free(plan);
    pt_plan_free(gate);
    return rc;
}

int pt_query_plan_sexpr(char **out, pt_analyzer *an, const char *text, size_t len, unsigned flags)
{
    pt_qnode *tree;
    size_t err_at;
    *out = NULL;
    int rc = pt_qnode_parse(&tree, &err_at, text, len, !(flags & PT_QUERY_NO_OPERATORS));
    if (rc)
        return rc;
    pt_query_info info;
    builder p = {.text = text, .len = len, .an = an, .flags = flags, .info = &info};
    pt_plan *plan = NULL, *gate = NULL;
    rc = lower_all(&plan, &gate, &info, tree, &p);
    if (rc == PT_OK && !(*out = pt_plan_sexpr(plan)))
        rc = pt_fail(PT_ENOMEM, "out of memory");
    if (rc == PT_OK)
        pt_query_info_free(&info);
    pt_buf_free(&p.compounds);
    qb_gate_free(&p);
    pt_qnode_free(tree);
    pt_plan_free(plan);
    pt_plan_free(gate);
    return rc;
}
