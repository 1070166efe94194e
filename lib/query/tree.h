/* tree.h — a parsed query as a small C tree (pt_qnode): what the user typed,
 * its operators, words, phrases and fields with their places in the text,
 * before any analysis and without Xapian. pt_qnode_parse builds it (and
 * reports a syntax error with its position); query.c lowers it, through
 * the analyzer, into a plan (plan.h) that translate.c turns into Xapian. */
#ifndef PT_QUERY_TREE_H
#define PT_QUERY_TREE_H

#include <stddef.h>

#include "query/lexer.h"

enum pt_qkind {
    PT_Q_EMPTY,  /* nothing to search: "()", NOT with nothing after it */
    PT_Q_SEQ,    /* juxtaposed items, joined by the default operator */
    PT_Q_OR,     /* two kids or more: a OR b OR c, combined left to right */
    PT_Q_AND,    /* two kids or more: a AND b AND c, combined left to right */
    PT_Q_NOT,    /* one kid: NOT x, -x */
    PT_Q_NEAR,   /* kids within near words (NEAR/n: the largest n) */
    PT_Q_WORD,   /* one word token (may analyze into several words, or end in *) */
    PT_Q_PHRASE, /* "…" (start..end: inside the quotes) */
    PT_Q_FIELD,  /* title: or source: (field), on the words of the value */
    PT_Q_LANG,   /* lang:ru (ru = 1) or lang:en */
    PT_Q_DATE,   /* date: an inclusive range lo..hi (YYYYMMDD, "" open) */
};

typedef struct pt_qnode {
    enum pt_qkind kind;
    size_t start, end;    /* its text: a word, a phrase's contents, a field's value */
    enum pt_field field;  /* PT_Q_FIELD: PT_FIELD_TITLE or PT_FIELD_SOURCE */
    unsigned near;        /* PT_Q_NEAR */
    int ru;               /* PT_Q_LANG */
    char lo[16], hi[16];  /* PT_Q_DATE: "YYYYMMDD", or "" for an open end */
    struct pt_qnode **kids;
    size_t n_kids, cap_kids;
} pt_qnode;

/* Parses text[0..len) (operators 0: AND OR NOT NEAR are words, as in
 * batch mode). On success *out is the tree (never NULL: PT_Q_EMPTY at least;
 * free with pt_qnode_free). PT_EQUERY with a message (pt_error_last) and
 * *err_at the byte where the problem is: parentheses or NOT nested over
 * PT_QUERY_MAX_DEPTH, over PT_QUERY_MAX_FIELDS fields, a bad or reversed
 * date, an unknown language; PT_ENOMEM. */
int pt_qnode_parse(pt_qnode **out, size_t *err_at, const char *text, size_t len, int operators);

void pt_qnode_free(pt_qnode *n); /* NULL-safe */

/* The tree as an s-expression, for tests and debugging: (seq a b),
 * (or a b), (and a b), (not a), (near/10 a b), words as typed, "phrases",
 * (title "w1 w2"), (source w), (lang ru), (date 20251201 20251231) with
 * .. for an open end, () for nothing. malloc'd; NULL when out of memory. */
char *pt_qnode_sexpr(const pt_qnode *n, const char *text);

/* YYYY-MM-DD, YYYY-MM or YYYY, as its first (low) or last (!low) day
 * "YYYYMMDD" (fields.c). Returns 0, or -1 when it is not a date. */
int pt_qdate_bound(const char *s, size_t len, int low, char out[16]);

/* A date: value's range into lo and hi ("" for an open end); PT_EQUERY
 * with a message naming it when it is no date or range (fields.c). */
int pt_qdate_range(const char *v, size_t len, char lo[16], char hi[16]);

/* lang: value → 1 (ru, russian), 0 (en, english); PT_EQUERY otherwise. */
int pt_qlang_value(const char *v, size_t len, int *ru);

#endif
