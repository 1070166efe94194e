/* plan.c — the nodes of a query plan (plan.h): made, shared, freed and
 * printed, with no Xapian in sight. */
#include "query/plan.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "ptsearch.h"

/* translate.c: frees the ptx_query built for q (it alone makes them). */
void pt_plan_forget_built(pt_plan *q);

static pt_plan *new_plan(enum pt_plan_kind kind, pt_plan *const *parts, size_t n)
{
    pt_plan *q = calloc(1, sizeof *q);
    if (q && n && !(q->parts = calloc(n, sizeof *q->parts))) {
        free(q);
        q = NULL;
    }
    if (!q) {
        pt_fail(PT_ENOMEM, "out of memory");
        return NULL;
    }
    q->kind = kind;
    q->refs = 1;
    for (size_t i = 0; i < n; i++) {
        q->parts[i] = parts[i];
        parts[i]->refs++;
    }
    q->n_parts = n;
    return q;
}

/* q with a copy of text (NULL stays NULL); frees q when out of memory. */
static pt_plan *with_text(pt_plan *q, char **field, const char *text, size_t len)
{
    if (!q || !text)
        return q;
    if (!(*field = malloc(len + 1))) {
        pt_plan_free(q);
        pt_fail(PT_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(*field, text, len);
    (*field)[len] = '\0';
    return q;
}

pt_plan *pt_plan_term(const char *term, size_t len, unsigned wqf, uint32_t pos)
{
    (void)wqf; /* always 1 at position 0: a query's term, not a document's */
    (void)pos;
    pt_plan *q = new_plan(PT_PLAN_TERM, NULL, 0);
    if (q)
        q->len = len;
    return with_text(q, &q->text, term, len);
}

pt_plan *pt_plan_combine(enum ptx_op op, pt_plan *const *parts, size_t n, unsigned window)
{
    pt_plan *q = new_plan(PT_PLAN_COMBINE, parts, n);
    if (q) {
        q->op = op;
        q->window = window;
    }
    return q;
}

pt_plan *pt_plan_copy(const pt_plan *q)
{
    pt_plan *shared = (pt_plan *)q;
    shared->refs++;
    return shared;
}

pt_plan *pt_plan_scale(const pt_plan *q, double factor)
{
    pt_plan *part = (pt_plan *)q;
    if (factor == 1.0) /* no node that --explain would have to see through */
        return pt_plan_copy(part);
    pt_plan *out = new_plan(PT_PLAN_SCALE, &part, 1);
    if (out)
        out->factor = factor;
    return out;
}

pt_plan *pt_plan_label(const pt_plan *q, enum ptx_part_kind kind, const char *text)
{
    pt_plan *part = (pt_plan *)q;
    pt_plan *out = new_plan(PT_PLAN_LABEL, &part, 1);
    if (out)
        out->label = kind;
    return with_text(out, &out->text, text, strlen(text));
}

pt_plan *pt_plan_value_range(unsigned slot, const char *lo, const char *hi)
{
    pt_plan *q = new_plan(PT_PLAN_RANGE, NULL, 0);
    if (q)
        q->slot = slot;
    q = with_text(q, &q->text, lo, lo ? strlen(lo) : 0);
    return with_text(q, &q->hi, hi, hi ? strlen(hi) : 0);
}

pt_plan *pt_plan_wildcard(const char *prefix, unsigned max_expansion)
{
    pt_plan *q = new_plan(PT_PLAN_WILDCARD, NULL, 0);
    if (q)
        q->window = max_expansion;
    return with_text(q, &q->text, prefix, strlen(prefix));
}

pt_plan *pt_plan_match_all(void)
{
    return new_plan(PT_PLAN_ALL, NULL, 0);
}

pt_plan *pt_plan_positional(enum ptx_op op, pt_plan *const *parts, size_t n, unsigned window,
                            const char *unless, pt_postings_fn fn, void *ctx)
{
    pt_plan *q = new_plan(PT_PLAN_POSITIONAL, parts, n);
    if (q) {
        q->op = op;
        q->window = window;
        q->fn = fn;
        q->fn_ctx = ctx;
    }
    return with_text(q, &q->text, unless, unless ? strlen(unless) : 0);
}

void pt_plan_free(pt_plan *q)
{
    if (!q || --q->refs > 0)
        return;
    for (size_t i = 0; i < q->n_parts; i++)
        pt_plan_free(q->parts[i]);
    free(q->parts);
    free(q->text);
    free(q->hi);
    pt_plan_forget_built(q);
    free(q);
}

/* ------------------------------------------------------------ s-expression */

static const char *op_name(enum ptx_op op)
{
    static const char *const names[] = {
        [PTX_OP_AND] = "and", [PTX_OP_OR] = "or", [PTX_OP_AND_NOT] = "and_not",
        [PTX_OP_AND_MAYBE] = "and_maybe", [PTX_OP_FILTER] = "filter", [PTX_OP_NEAR] = "near",
        [PTX_OP_PHRASE] = "phrase", [PTX_OP_SYNONYM] = "synonym", [PTX_OP_MAX] = "max",
    };
    return op <= PTX_OP_MAX ? names[op] : "?";
}

static const char *label_name(enum ptx_part_kind kind)
{
    static const char *const names[] = {
        [PTX_PART_OTHER] = "other", [PTX_PART_TYPED] = "typed", [PTX_PART_VARIANT] = "variant",
        [PTX_PART_RELATED] = "related", [PTX_PART_PHRASE] = "phrase", [PTX_PART_PROXIMITY] = "proximity",
        [PTX_PART_TITLE] = "title", [PTX_PART_FEEDBACK] = "feedback", [PTX_PART_ARTICLE] = "article",
    };
    return kind <= PTX_PART_ARTICLE ? names[kind] : "?";
}

/* The head of q's s-expression, before its parts. */
static int head(pt_buf *b, const pt_plan *q)
{
    switch (q->kind) {
    case PT_PLAN_TERM: return pt_buf_append_str(b, q->text);
    case PT_PLAN_ALL: return pt_buf_append_str(b, "(all");
    case PT_PLAN_WILDCARD: return pt_buf_appendf(b, "(wildcard %s %u", q->text, q->window);
    case PT_PLAN_SCALE: return pt_buf_appendf(b, "(scale %.3g", q->factor);
    case PT_PLAN_LABEL: return pt_buf_appendf(b, "(label %s \"%s\"", label_name(q->label), q->text);
    case PT_PLAN_RANGE:
        return pt_buf_appendf(b, "(range %u %s %s", q->slot, q->text ? q->text : "..", q->hi ? q->hi : "..");
    case PT_PLAN_COMBINE:
        return q->window ? pt_buf_appendf(b, "(%s/%u", op_name(q->op), q->window)
                         : pt_buf_appendf(b, "(%s", op_name(q->op));
    case PT_PLAN_POSITIONAL:
        return pt_buf_appendf(b, "(%s/%u%s%s", op_name(q->op), q->window, q->text ? " unless " : "",
                              q->text ? q->text : "");
    }
    return PT_OK;
}

static int sexpr(pt_buf *b, const pt_plan *q)
{
    if (head(b, q))
        return PT_ENOMEM;
    if (q->kind == PT_PLAN_TERM)
        return PT_OK;
    for (size_t i = 0; i < q->n_parts; i++)
        if (pt_buf_append_byte(b, ' ') || sexpr(b, q->parts[i]))
            return PT_ENOMEM;
    return pt_buf_append_byte(b, ')');
}

char *pt_plan_sexpr(const pt_plan *q)
{
    pt_buf b = PT_BUF_INIT;
    if (sexpr(&b, q)) {
        pt_buf_free(&b);
        return NULL;
    }
    return b.data;
}
