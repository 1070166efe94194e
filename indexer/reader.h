/* reader.h — the contract between ptindex and its input readers (plain
 * text, HTML, JSON Lines): a reader turns one input into articles and tells
 * about everything it could not take, so nothing is dropped silently. */
#ifndef PT_READER_H
#define PT_READER_H

#include <stddef.h>

#include "input.h"
#include "ptsearch.h"

/* Largest article ptindex accepts (bigger ones are refused with a
 * message): bounds memory, and no news article comes near it. */
#define PT_MAX_ARTICLE_BYTES (16u * 1024 * 1024)

typedef struct pt_read_env pt_read_env;
struct pt_read_env {
    const char *path;    /* the input as named (for messages) */
    const char *abspath; /* absolute path, stored with the articles (or the name for "-") */
    const char *rel;     /* path relative to the root: the id of a one-article file */
    /* Takes one article. The article's strings are the reader's; they only
     * need to live during the call. Returns 0 to go on, non-zero to stop
     * (a fatal index error: the reader returns at once). */
    int (*article)(pt_read_env *env, const pt_article *a);
    /* Counts one skipped item (an input, or one line of a JSON Lines file:
     * line > 0) and prints "ptindex: path[:line]: reason". */
    void (*skip)(pt_read_env *env, unsigned long line, const char *reason);
    /* Prints a warning about data that was repaired but indexed (invalid
     * UTF-8 replaced, NUL bytes), "ptindex: path[:line]: warning: reason". */
    void (*warn)(pt_read_env *env, unsigned long line, const char *reason);
    void *ctx; /* ptindex's state */
};

/* Each reader reads the opened input to its end. Returns 0, or the
 * non-zero value env->article returned. Problems with the input itself
 * are reported through env->skip / env->warn, not as a return value. */
int pt_read_text_input(pt_read_env *env, pt_input *in);
int pt_read_markdown_input(pt_read_env *env, pt_input *in);
int pt_read_html_input(pt_read_env *env, pt_input *in);
int pt_read_jsonl_input(pt_read_env *env, pt_input *in);

#endif
