/* lexer.c — the query's tokens (lexer.h): spaces and control characters
 * separate them; a quote runs to the next quote or the end; upper-case
 * AND OR NOT NEAR NEAR/n are operators unless the caller says not. */
#include "query/lexer.h"

#include <string.h>
#include <strings.h>

static const char *const field_names[] = {"title", "source", "lang", "date"};

const char *pt_field_name(enum pt_field f)
{
    return f < PT_FIELD_NONE ? field_names[f] : "?";
}

/* Spaces and control characters separate tokens. */
static int is_sep(unsigned char c)
{
    return c <= 0x20 || c == 0x7f;
}

/* The closing quote of a quote opened before text[from] (len: none). */
static size_t closing_quote(const char *s, size_t n, size_t from)
{
    size_t close = from;
    while (close < n && s[close] != '"')
        close++;
    return close;
}

/* NEAR or NEAR/n (n at most 6 digits) as a NEAR token; else nothing. */
static void lex_near(pt_token *t, const char *s, size_t i, size_t e)
{
    size_t wl = e - i;
    unsigned v = 0;
    int ok = wl == 4;
    if (wl > 5 && s[i + 4] == '/') {
        ok = 1;
        for (size_t k = i + 5; k < e; k++) {
            if (s[k] < '0' || s[k] > '9' || v > 100000) {
                ok = 0;
                break;
            }
            v = v * 10 + (unsigned)(s[k] - '0');
        }
    }
    if (ok) {
        t->kind = PT_TK_NEAR;
        t->near = wl == 4 ? PT_NEAR_DEFAULT : v;
    }
}

/* An operator word, when it is one. */
static void lex_operator(pt_token *t, const char *s, size_t i, size_t e)
{
    size_t wl = e - i;
    if (wl == 3 && memcmp(s + i, "AND", 3) == 0)
        t->kind = PT_TK_AND;
    else if (wl == 2 && memcmp(s + i, "OR", 2) == 0)
        t->kind = PT_TK_OR;
    else if (wl == 3 && memcmp(s + i, "NOT", 3) == 0)
        t->kind = PT_TK_NOT;
    else if (wl >= 4 && memcmp(s + i, "NEAR", 4) == 0)
        lex_near(t, s, i, e);
}

/* field:value, for a known field name only (any case); the value is the
 * rest of the word, or a quoted phrase right after the colon. */
static void lex_field(pt_token *t, const char *s, size_t n, size_t i, size_t e)
{
    const char *colon = memchr(s + i, ':', e - i);
    if (!colon)
        return;
    size_t name_len = (size_t)(colon - (s + i));
    for (int f = 0; f < PT_FIELD_NONE; f++) {
        if (strlen(field_names[f]) != name_len || strncasecmp(s + i, field_names[f], name_len) != 0)
            continue;
        size_t v = (size_t)(colon - s) + 1;
        if (v < e) {
            t->kind = PT_TK_FIELD;
            t->field = (enum pt_field)f;
            t->vstart = v;
            t->vend = e;
        } else if (e < n && s[e] == '"') {
            size_t close = closing_quote(s, n, e + 1);
            t->kind = PT_TK_FIELD;
            t->field = (enum pt_field)f;
            t->value_phrase = 1;
            t->vstart = e + 1;
            t->vend = close;
            t->end = close < n ? close + 1 : n;
        }
        return;
    }
}

/* A word: up to a separator, a quote or a parenthesis. */
static void lex_word(pt_token *t, const char *s, size_t n, size_t i, int operators)
{
    size_t e = i;
    while (e < n && !is_sep((unsigned char)s[e]) && s[e] != '"' && s[e] != '(' && s[e] != ')')
        e++;
    t->kind = PT_TK_WORD;
    t->vstart = i;
    t->vend = t->end = e;
    if (operators)
        lex_operator(t, s, i, e);
    if (t->kind == PT_TK_WORD)
        lex_field(t, s, n, i, e);
}

void pt_lex(pt_token *out, const char *s, size_t n, size_t i, int operators)
{
    while (i < n && is_sep((unsigned char)s[i]))
        i++;
    pt_token t = {.kind = PT_TK_END, .start = i, .end = i, .field = PT_FIELD_NONE};
    if (i >= n) {
        *out = t;
        return;
    }
    if (s[i] == '"') {
        size_t close = closing_quote(s, n, i + 1);
        t.kind = PT_TK_PHRASE;
        t.vstart = i + 1;
        t.vend = close;
        t.end = close < n ? close + 1 : n; /* an unclosed quote runs to the end */
    } else if (s[i] == '(' || s[i] == ')') {
        t.kind = s[i] == '(' ? PT_TK_LPAREN : PT_TK_RPAREN;
        t.end = i + 1;
    } else if (s[i] == '-' && i + 1 < n && !is_sep((unsigned char)s[i + 1]) && s[i + 1] != '-' &&
               s[i + 1] != ')') {
        t.kind = PT_TK_MINUS;
        t.end = i + 1;
    } else {
        lex_word(&t, s, n, i, operators);
    }
    *out = t;
}
