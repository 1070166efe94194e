/* query.c — from query text to a Xapian query (see query.h). A group is a
 * run of terms that stand for one typed word: a plain word, or a compound
 * ("20-point") with its parts, which becomes compound OR phrase(parts). */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ptsearch.h"

typedef struct {
    pt_query_terms *terms;
    ptx_query **words;  /* one query per typed word */
    size_t n_words, cap_words;
    ptx_query *compound; /* the open compound group, if any */
    ptx_query *parts[32];
    size_t n_parts;
} build_ctx;

static int remember_term(pt_query_terms *t, const char *term)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->terms[i], term) == 0)
            return PT_OK;
    if (t->n + 1 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **p = realloc(t->terms, cap * sizeof *p);
        if (!p)
            return pt_fail(PT_ENOMEM, "out of memory");
        t->terms = p;
        t->cap = cap;
    }
    if (!(t->terms[t->n] = strdup(term)))
        return pt_fail(PT_ENOMEM, "out of memory");
    t->terms[++t->n] = NULL;
    return PT_OK;
}

static int push_word(build_ctx *b, ptx_query *q)
{
    if (!q)
        return PT_ENOMEM;
    if (b->n_words == b->cap_words) {
        size_t cap = b->cap_words ? b->cap_words * 2 : 8;
        ptx_query **p = realloc(b->words, cap * sizeof *p);
        if (!p) {
            ptx_query_free(q);
            return pt_fail(PT_ENOMEM, "out of memory");
        }
        b->words = p;
        b->cap_words = cap;
    }
    b->words[b->n_words++] = q;
    return PT_OK;
}

/* Closes the open compound group: compound OR phrase(parts). */
static int close_group(build_ctx *b)
{
    if (!b->compound)
        return PT_OK;
    ptx_query *phrase = b->n_parts > 1 ? ptx_query_combine(PTX_OP_PHRASE, b->parts, b->n_parts, 0) : NULL;
    ptx_query *either[2] = {b->compound, phrase};
    ptx_query *group = ptx_query_combine(PTX_OP_OR, either, phrase ? 2 : 1, 0);
    ptx_query_free(phrase);
    ptx_query_free(b->compound);
    for (size_t i = 0; i < b->n_parts; i++)
        ptx_query_free(b->parts[i]);
    b->compound = NULL;
    b->n_parts = 0;
    return push_word(b, group);
}

static int term_cb(const pt_term *t, void *ctx)
{
    build_ctx *b = ctx;
    int rc = remember_term(b->terms, t->term);
    if (rc)
        return rc;
    if (t->flags & PT_TERM_PART && b->compound) {
        if (b->n_parts == sizeof b->parts / sizeof b->parts[0])
            return PT_OK; /* absurdly long compound: its whole form still matches */
        ptx_query *part = ptx_query_term(t->term, t->term_len, 1, t->pos + 1);
        if (!part)
            return PT_ENOMEM;
        b->parts[b->n_parts++] = part;
        return PT_OK;
    }
    rc = close_group(b);
    if (rc)
        return rc;
    ptx_query *q = ptx_query_term(t->term, t->term_len, 1, t->pos + 1);
    if (t->flags & PT_TERM_COMPOUND) {
        b->compound = q;
        return q ? PT_OK : PT_ENOMEM;
    }
    return push_word(b, q);
}

static void free_words(build_ctx *b)
{
    for (size_t i = 0; i < b->n_words; i++)
        ptx_query_free(b->words[i]);
    free(b->words);
    ptx_query_free(b->compound);
    for (size_t i = 0; i < b->n_parts; i++)
        ptx_query_free(b->parts[i]);
}

int pt_query_from_text(ptx_query **out, pt_query_terms *terms, pt_analyzer *an, const char *text)
{
    *out = NULL;
    memset(terms, 0, sizeof *terms);
    build_ctx b = {.terms = terms};
    int rc = pt_analyze(an, text, strlen(text), 0, term_cb, &b, NULL);
    if (!rc)
        rc = close_group(&b);
    if (!rc && b.n_words == 0)
        rc = pt_fail(PT_EQUERY, "the query has no word to search for");
    if (!rc) {
        *out = ptx_query_combine(PTX_OP_OR, b.words, b.n_words, 0);
        if (!*out)
            rc = PT_ENOMEM;
    }
    free_words(&b);
    if (rc)
        pt_query_terms_free(terms);
    return rc;
}

void pt_query_terms_free(pt_query_terms *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->terms[i]);
    free(t->terms);
    memset(t, 0, sizeof *t);
}
