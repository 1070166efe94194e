/* translate.c — a query plan (plan.h) into Xapian's terms: the one place
 * of the query code that makes ptx_query objects. Each node is built once
 * (kept in node->built) and shared wherever the plan shares it, as the
 * --explain side table keys its labels on Xapian's nodes. */
#include "query/plan.h"
#include "query/positional.h"
#include "query/query.h"

#include <stdlib.h>

#include "util/error.h"
#include "ptsearch.h"

static ptx_query *build(pt_plan *q);
void pt_plan_forget_built(pt_plan *q);

/* The parts of q built (borrowed from them; NULL on failure). */
static ptx_query **build_parts(pt_plan *q)
{
    ptx_query **parts = calloc(q->n_parts ? q->n_parts : 1, sizeof *parts);
    if (!parts) {
        pt_fail(PT_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < q->n_parts; i++) {
        if (!(parts[i] = build(q->parts[i]))) {
            free(parts);
            return NULL;
        }
    }
    return parts;
}

static ptx_query *build_node(pt_plan *q)
{
    switch (q->kind) {
    case PT_PLAN_TERM: return ptx_query_term(q->text, q->len, 1, 0);
    case PT_PLAN_RANGE: return ptx_query_value_range(q->slot, q->text, q->hi);
    case PT_PLAN_WILDCARD: return ptx_query_wildcard(q->text, q->window);
    case PT_PLAN_ALL: return ptx_query_match_all();
    default: break;
    }
    ptx_query **parts = build_parts(q), *out = NULL;
    if (!parts)
        return NULL;
    switch (q->kind) {
    case PT_PLAN_COMBINE: out = ptx_query_combine(q->op, parts, q->n_parts, q->window); break;
    case PT_PLAN_SCALE: out = ptx_query_scale(parts[0], q->factor); break;
    case PT_PLAN_LABEL: out = ptx_query_label(parts[0], q->label, q->text); break;
    case PT_PLAN_POSITIONAL:
        out = pt_positional_query(q->op, parts, q->n_parts, q->window, q->text, q->fn, q->fn_ctx);
        break;
    default: break;
    }
    free(parts);
    return out;
}

/* q's ptx_query, owned by q. A part's is freed once every parent that
 * uses it is built (each parent holds its own copy of the Xapian query,
 * sharing the node): a chain of 2,000 ORs kept every intermediate OR and
 * its labels, 400 MB. */
static ptx_query *build(pt_plan *q)
{
    if (q->built)
        return q->built;
    q->built = build_node(q);
    for (size_t i = 0; q->built && i < q->n_parts; i++)
        if (q->parts[i]->uses && --q->parts[i]->uses == 0)
            pt_plan_forget_built(q->parts[i]);
    return q->built;
}

void pt_plan_count_uses(pt_plan *q)
{
    if (q->counted)
        return;
    q->counted = 1;
    for (size_t i = 0; i < q->n_parts; i++) {
        q->parts[i]->uses++;
        pt_plan_count_uses(q->parts[i]);
    }
}

void pt_plan_forget_built(pt_plan *q)
{
    ptx_query_free(q->built);
    q->built = NULL;
}

ptx_query *pt_plan_translate(pt_plan *q)
{
    pt_plan_count_uses(q);
    ptx_query *built = build(q);
    return built ? ptx_query_copy(built) : NULL; /* a copy for the caller */
}

void pt_translated_free(ptx_query *q)
{
    ptx_query_free(q);
}

ptx_query *pt_query_gated(const pt_query_info *info, const ptx_query *boost)
{
    if (!info->typed_any)
        return ptx_query_copy(boost);
    ptx_query *parts[2] = {(ptx_query *)boost, info->typed_any};
    return ptx_query_combine(PTX_OP_FILTER, parts, 2, 0);
}
