/* plan.h — a query as Xapian will run it, in plain C: terms, combinations,
 * scaled weights, --explain labels, value ranges, wildcards and positional
 * checks, built by query.c, words.c and fields.c from the tree (tree.h).
 * Nodes are shared values (a reference count): each constructor takes a
 * reference to its parts, so the caller still frees every node it made,
 * as with ptx_query. translate.c alone turns a plan into ptx_query. */
#ifndef PT_QUERY_PLAN_H
#define PT_QUERY_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "query/positions.h"
#include "xapian/xapian_binding.h"

enum pt_plan_kind {
    PT_PLAN_TERM, PT_PLAN_COMBINE, PT_PLAN_SCALE, PT_PLAN_LABEL, PT_PLAN_RANGE,
    PT_PLAN_WILDCARD, PT_PLAN_ALL, PT_PLAN_POSITIONAL,
};

typedef struct pt_plan {
    enum pt_plan_kind kind;
    size_t refs;
    enum ptx_op op;           /* COMBINE, POSITIONAL */
    unsigned window;          /* COMBINE, POSITIONAL; WILDCARD: at most this many terms */
    double factor;            /* SCALE */
    enum ptx_part_kind label; /* LABEL */
    unsigned slot;            /* RANGE */
    char *text;               /* TERM, WILDCARD: the term or prefix; LABEL: its text;
                                 RANGE: lo; POSITIONAL: unless (NULL: none) */
    char *hi;                 /* RANGE (NULL: open) */
    size_t len;               /* TERM: bytes of text */
    pt_postings_fn fn;       /* POSITIONAL */
    void *fn_ctx;
    struct pt_plan **parts;
    size_t n_parts;
    ptx_query *built;         /* translate.c's ptx_query for this node (one per node) */
    size_t uses;              /* translate.c: parents yet to be built from it */
    int counted;              /* translate.c: its parts' uses are counted */
} pt_plan;

/* Each returns NULL when out of memory (pt_fail has said so). The same
 * arguments as the ptx_query_* constructor of the same name; scaling by
 * 1.0 (a copy) shares the node, as Xapian shares it under a copy. */
pt_plan *pt_plan_term(const char *term, size_t len, unsigned wqf, uint32_t pos);
pt_plan *pt_plan_combine(enum ptx_op op, pt_plan *const *parts, size_t n, unsigned window);
pt_plan *pt_plan_scale(const pt_plan *q, double factor);
/* A copy of q: the node itself, shared (pt_plan_free once per copy). */
pt_plan *pt_plan_copy(const pt_plan *q);
pt_plan *pt_plan_label(const pt_plan *q, enum ptx_part_kind kind, const char *text);
pt_plan *pt_plan_value_range(unsigned slot, const char *lo, const char *hi);
pt_plan *pt_plan_wildcard(const char *prefix, unsigned max_expansion);
pt_plan *pt_plan_match_all(void);
pt_plan *pt_plan_positional(enum ptx_op op, pt_plan *const *parts, size_t n, unsigned window,
                            const char *unless, pt_postings_fn fn, void *ctx);
void pt_plan_free(pt_plan *q); /* drops one reference; NULL-safe */

/* The plan as an s-expression (tests, debugging): (or a (scale 0.3 b)),
 * (label typed "secur" secur), (phrase/0 a b)...; malloc'd, NULL when out
 * of memory. */
char *pt_plan_sexpr(const pt_plan *q);

/* translate.c: the ptx_query of q (a new one the caller frees), each
 * node built once however often the plan shares it, so that labels keyed
 * on a node find every place it stands; NULL on failure (message set). */
ptx_query *pt_plan_translate(pt_plan *q);

/* Before translating several plans that share nodes (the query and its
 * typed_any), count each one's uses, so that a node is built once for all
 * and its ptx_query freed once the last parent is built (pt_plan_translate
 * counts the plan it translates). */
void pt_plan_count_uses(pt_plan *q);

/* Frees a ptx_query that pt_plan_translate made (NULL-safe). */
void pt_translated_free(ptx_query *q);

#endif
