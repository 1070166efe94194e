/* lexer.h — cuts a query's text into tokens: words, "phrases", parentheses,
 * the operators AND OR NOT NEAR/n and -, and field:value for the fields
 * title, source, lang and date (other colons are text). Knows nothing of
 * analysis or of Xapian; the parser (tree.h) reads its tokens. */
#ifndef PT_QUERY_LEXER_H
#define PT_QUERY_LEXER_H

#include <stddef.h>

#define PT_NEAR_DEFAULT 10 /* NEAR without /n */

enum pt_tok {
    PT_TK_END, PT_TK_WORD, PT_TK_PHRASE, PT_TK_LPAREN, PT_TK_RPAREN, PT_TK_AND, PT_TK_OR,
    PT_TK_NOT, PT_TK_NEAR, PT_TK_MINUS, PT_TK_FIELD,
};
enum pt_field { PT_FIELD_TITLE, PT_FIELD_SOURCE, PT_FIELD_LANG, PT_FIELD_DATE, PT_FIELD_NONE };

typedef struct {
    enum pt_tok kind;
    size_t start, end;   /* the whole token */
    size_t vstart, vend; /* word, phrase contents, or field value */
    enum pt_field field;
    int value_phrase;    /* field value was quoted */
    unsigned near;       /* NEAR/n */
} pt_token;

/* The token starting at or after text[at] (of len bytes); operators are
 * words when operators is 0 (batch mode). The next token starts at
 * out->end. */
void pt_lex(pt_token *out, const char *text, size_t len, size_t at, int operators);

/* "title", "source", "lang", "date". */
const char *pt_field_name(enum pt_field f);

#endif
