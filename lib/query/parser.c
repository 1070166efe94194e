/* parser.c — the query's tree (tree.h) by recursive descent over the
 * lexer's tokens. Precedence, loosest first: OR, the default operator
 * between juxtaposed items, AND, NOT/-, NEAR. What has nothing to apply to
 * is dropped (a stray ')', an operator with no operand); an unclosed '('
 * closes at the end. Fields are checked here (dates, languages). */
#include "query/tree.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "ptsearch.h"

typedef struct {
    const char *text;
    size_t len;
    int operators;
    pt_token tok;
    int depth;     /* parentheses and NOTs open (PT_QUERY_MAX_DEPTH) */
    size_t fields; /* field:value (PT_QUERY_MAX_FIELDS) */
    int err;       /* first error, sticky */
    size_t err_at;
} parser;

static void advance(parser *p)
{
    pt_lex(&p->tok, p->text, p->len, p->tok.end, p->operators);
}

static int fail_at(parser *p, size_t at, int status)
{
    if (!p->err) {
        p->err = status;
        p->err_at = at;
    }
    return status;
}

static pt_qnode *new_node(parser *p, enum pt_qkind kind, size_t start, size_t end)
{
    pt_qnode *n = calloc(1, sizeof *n);
    if (!n) {
        fail_at(p, start, pt_fail(PT_ENOMEM, "out of memory"));
        return NULL;
    }
    n->kind = kind;
    n->start = start;
    n->end = end;
    return n;
}

void pt_qnode_free(pt_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_kids; i++)
        pt_qnode_free(n->kids[i]);
    free(n->kids);
    free(n);
}

/* Appends kid to n (taking it; NULL, after a failure, is left out). */
static void add_kid(parser *p, pt_qnode *n, pt_qnode *kid)
{
    if (!kid)
        return;
    if (n->n_kids == n->cap_kids) {
        size_t cap = n->cap_kids ? n->cap_kids * 2 : 4;
        pt_qnode **grown = realloc(n->kids, cap * sizeof *grown);
        if (!grown) {
            fail_at(p, kid->start, pt_fail(PT_ENOMEM, "out of memory"));
            pt_qnode_free(kid);
            return;
        }
        n->kids = grown;
        n->cap_kids = cap;
    }
    n->kids[n->n_kids++] = kid;
    if (kid->end > n->end)
        n->end = kid->end;
}

static pt_qnode *empty(parser *p, size_t at)
{
    return new_node(p, PT_Q_EMPTY, at, at);
}

/* chain op b, where chain is what the loop of one operator has built so
 * far (a op b op c: one node of three kids, folded left when lowered, so
 * that a long chain is no deep tree); an empty side leaves the other as it
 * is. Takes both; *open says whether chain is that loop's node. */
static pt_qnode *chain(parser *p, enum pt_qkind kind, pt_qnode *a, pt_qnode *b, int *open)
{
    if (!a || !b || b->kind == PT_Q_EMPTY || a->kind == PT_Q_EMPTY) {
        pt_qnode *keep = a && a->kind != PT_Q_EMPTY ? a : b;
        pt_qnode_free(keep == a ? b : a);
        return keep;
    }
    if (*open) {
        add_kid(p, a, b);
        return a;
    }
    pt_qnode *n = new_node(p, kind, a->start, a->end);
    if (!n) {
        pt_qnode_free(a);
        pt_qnode_free(b);
        return NULL;
    }
    add_kid(p, n, a);
    add_kid(p, n, b);
    *open = 1;
    return n;
}

/* Items joined by the default operator: nothing, one item, or a SEQ
 * (empty items stay: they part their neighbours, as for proximity). */
static pt_qnode *sequence(parser *p, pt_qnode *seq)
{
    if (!seq || seq->n_kids > 1)
        return seq;
    pt_qnode *only = seq->n_kids ? seq->kids[0] : empty(p, seq->start);
    seq->n_kids = 0;
    pt_qnode_free(seq);
    return only;
}

static int starts_operand(const parser *p)
{
    switch (p->tok.kind) {
    case PT_TK_WORD: case PT_TK_PHRASE: case PT_TK_LPAREN: case PT_TK_NOT: case PT_TK_MINUS: case PT_TK_FIELD:
        return 1;
    default:
        return 0;
    }
}

/* One more level of parentheses or NOT at byte at, within the limit. */
static int deeper(parser *p, size_t at)
{
    if (p->depth < PT_QUERY_MAX_DEPTH) {
        p->depth++;
        return 1;
    }
    fail_at(p, at, pt_fail(PT_EQUERY, "parentheses and NOT nested more than %d deep (the limit)",
                           PT_QUERY_MAX_DEPTH));
    return 0;
}

/* field:value, its value checked (dates, languages). */
static pt_qnode *field_leaf(parser *p, const pt_token *t)
{
    const char *v = p->text + t->vstart;
    size_t len = t->vend - t->vstart;
    if (++p->fields > PT_QUERY_MAX_FIELDS) {
        fail_at(p, t->start, pt_fail(PT_EQUERY, "the query has more than %zu %s (the limit)",
                                     (size_t)PT_QUERY_MAX_FIELDS, "field:value filters"));
        return NULL;
    }
    enum pt_qkind kind = t->field == PT_FIELD_DATE ? PT_Q_DATE : t->field == PT_FIELD_LANG ? PT_Q_LANG : PT_Q_FIELD;
    pt_qnode *n = new_node(p, kind, t->vstart, t->vend);
    if (!n)
        return NULL;
    n->field = t->field;
    int rc = kind == PT_Q_DATE ? pt_qdate_range(v, len, n->lo, n->hi)
             : kind == PT_Q_LANG ? pt_qlang_value(v, len, &n->ru) : 0;
    if (rc) {
        fail_at(p, t->vstart, rc);
        pt_qnode_free(n);
        return NULL;
    }
    return n;
}

static pt_qnode *parse_or(parser *p);

static pt_qnode *parse_primary(parser *p)
{
    pt_token t = p->tok;
    advance(p);
    switch (t.kind) {
    case PT_TK_WORD: return new_node(p, PT_Q_WORD, t.vstart, t.vend);
    case PT_TK_PHRASE: return new_node(p, PT_Q_PHRASE, t.vstart, t.vend);
    case PT_TK_FIELD: return field_leaf(p, &t);
    case PT_TK_LPAREN: {
        if (!deeper(p, t.start))
            return NULL;
        pt_qnode *n = parse_or(p);
        p->depth--;
        if (p->tok.kind == PT_TK_RPAREN)
            advance(p);
        return n;
    }
    default:
        return empty(p, t.start);
    }
}

/* a NEAR/n b NEAR/m c: one NEAR over all of them, the largest n; a NEAR
 * with nothing after it still makes one (of a phrase's words). */
static pt_qnode *parse_near(parser *p)
{
    pt_qnode *first = parse_primary(p);
    if (p->tok.kind != PT_TK_NEAR || !first)
        return first;
    pt_qnode *n = new_node(p, PT_Q_NEAR, first->start, first->end);
    if (!n) {
        pt_qnode_free(first);
        return NULL;
    }
    add_kid(p, n, first);
    while (p->tok.kind == PT_TK_NEAR && !p->err) {
        if (p->tok.near > n->near)
            n->near = p->tok.near;
        advance(p);
        if (p->tok.kind != PT_TK_WORD && p->tok.kind != PT_TK_PHRASE && p->tok.kind != PT_TK_LPAREN &&
            p->tok.kind != PT_TK_FIELD)
            break; /* NEAR with nothing after it is ignored */
        add_kid(p, n, parse_primary(p));
    }
    return n;
}

static pt_qnode *parse_unary(parser *p)
{
    if (p->tok.kind != PT_TK_NOT && p->tok.kind != PT_TK_MINUS)
        return parse_near(p);
    size_t at = p->tok.start;
    advance(p);
    if (!starts_operand(p))
        return empty(p, at); /* NOT with nothing after it is ignored */
    if (!deeper(p, at))
        return NULL;
    pt_qnode *kid = parse_unary(p);
    p->depth--;
    if (!kid || kid->kind == PT_Q_EMPTY)
        return kid;
    pt_qnode *n = new_node(p, PT_Q_NOT, at, kid->end);
    if (!n)
        pt_qnode_free(kid);
    add_kid(p, n, n ? kid : NULL);
    return n;
}

static pt_qnode *parse_and(parser *p)
{
    pt_qnode *left = parse_unary(p);
    int open = 0;
    while (p->tok.kind == PT_TK_AND && !p->err) {
        advance(p);
        if (!starts_operand(p))
            break;
        left = chain(p, PT_Q_AND, left, parse_unary(p), &open);
    }
    return left;
}

/* Juxtaposed items, joined by the default operator. */
static pt_qnode *parse_seq(parser *p)
{
    pt_qnode *seq = new_node(p, PT_Q_SEQ, p->tok.start, p->tok.start);
    while (seq && !p->err) {
        while (p->tok.kind == PT_TK_AND || p->tok.kind == PT_TK_NEAR)
            advance(p); /* an operator with nothing before it is ignored */
        if (!starts_operand(p))
            break;
        add_kid(p, seq, parse_and(p));
    }
    return sequence(p, seq);
}

static pt_qnode *parse_or(parser *p)
{
    pt_qnode *left = parse_seq(p);
    int open = 0;
    while (p->tok.kind == PT_TK_OR && !p->err) {
        advance(p);
        left = chain(p, PT_Q_OR, left, parse_seq(p), &open);
    }
    return left;
}

/* The whole text: stray ')' and a leading OR are skipped. */
static pt_qnode *parse_all(parser *p)
{
    advance(p);
    pt_qnode *seq = new_node(p, PT_Q_SEQ, p->tok.start, p->tok.start);
    while (seq && p->tok.kind != PT_TK_END && !p->err) {
        if (p->tok.kind == PT_TK_RPAREN || p->tok.kind == PT_TK_OR) {
            advance(p);
            continue;
        }
        add_kid(p, seq, parse_or(p));
    }
    return sequence(p, seq);
}

int pt_qnode_parse(pt_qnode **out, size_t *err_at, const char *text, size_t len, int operators)
{
    parser p = {.text = text, .len = len, .operators = operators};
    *out = NULL;
    *err_at = 0;
    pt_qnode *n = parse_all(&p);
    if (!p.err && !n)
        fail_at(&p, 0, PT_ENOMEM);
    if (p.err) {
        pt_qnode_free(n);
        *err_at = p.err_at;
        return p.err;
    }
    *out = n;
    return PT_OK;
}

/* ------------------------------------------------------------ s-expression */

static int sexpr(pt_buf *b, const pt_qnode *n, const char *text)
{
    static const char *const ops[] = {[PT_Q_SEQ] = "seq", [PT_Q_OR] = "or", [PT_Q_AND] = "and", [PT_Q_NOT] = "not"};
    int len = (int)(n->end - n->start);
    const char *s = text + n->start;
    switch (n->kind) {
    case PT_Q_EMPTY: return pt_buf_append_str(b, "()");
    case PT_Q_WORD: return pt_buf_appendf(b, "%.*s", len, s);
    case PT_Q_PHRASE: return pt_buf_appendf(b, "\"%.*s\"", len, s);
    case PT_Q_FIELD: return pt_buf_appendf(b, "(%s \"%.*s\")", pt_field_name(n->field), len, s);
    case PT_Q_LANG: return pt_buf_appendf(b, "(lang %s)", n->ru ? "ru" : "en");
    case PT_Q_DATE: return pt_buf_appendf(b, "(date %s %s)", n->lo[0] ? n->lo : "..", n->hi[0] ? n->hi : "..");
    case PT_Q_NEAR:
        if (pt_buf_appendf(b, "(near/%u", n->near))
            return PT_ENOMEM;
        break;
    default:
        if (pt_buf_appendf(b, "(%s", ops[n->kind]))
            return PT_ENOMEM;
    }
    for (size_t i = 0; i < n->n_kids; i++)
        if (pt_buf_append_byte(b, ' ') || sexpr(b, n->kids[i], text))
            return PT_ENOMEM;
    return pt_buf_append_byte(b, ')');
}

char *pt_qnode_sexpr(const pt_qnode *n, const char *text)
{
    pt_buf b = PT_BUF_INIT;
    if (sexpr(&b, n, text)) {
        pt_buf_free(&b);
        return NULL;
    }
    return b.data;
}
