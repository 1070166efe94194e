/* extractor.h — the contract between ptindex and its extractors (plain
 * text, HTML, JSON Lines): an extractor turns one input into articles and tells
 * about everything it could not take, so nothing is dropped silently. */
#ifndef PT_EXTRACTOR_H
#define PT_EXTRACTOR_H

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
    /* Takes one article. The article's strings are the extractor's; they only
     * need to live during the call. Returns 0 to go on, non-zero to stop
     * (a fatal index error: the extractor returns at once). */
    int (*article)(pt_read_env *env, const pt_article *a);
    /* Counts one skipped item (an input, or one line of a JSON Lines file:
     * line > 0) and prints "ptindex: path[:line]: reason". */
    void (*skip)(pt_read_env *env, unsigned long line, const char *reason);
    /* Prints a warning about data that was repaired but indexed (invalid
     * UTF-8 replaced, NUL bytes), "ptindex: path[:line]: warning: reason". */
    void (*warn)(pt_read_env *env, unsigned long line, const char *reason);
    void *ctx; /* ptindex's state */
};

/* Each extractor reads the opened input to its end. Returns 0, or the
 * non-zero value env->article returned. Problems with the input itself
 * are reported through env->skip / env->warn, not as a return value. */
int pt_read_text_input(pt_read_env *env, pt_input *in);
int pt_read_markdown_input(pt_read_env *env, pt_input *in);
int pt_read_html_input(pt_read_env *env, pt_input *in);
int pt_read_jsonl_input(pt_read_env *env, pt_input *in);

/* ---- shared by the one-article extractors (read_file.c) */

/* An article extracted from one file (HTML, Markdown); its strings are
 * malloc'd and owned by the struct (pt_extracted_clear frees them). */
typedef struct {
    char *text;   /* lines separated by "\n", NUL-terminated; NULL when none */
    size_t text_len;
    char *title;  /* NULL when absent */
    char *date;   /* "YYYY-MM-DD"; NULL when absent or unreadable */
    char *source; /* the outlet; NULL when absent */
    int title_is_first_sentence; /* no headline: the title is the text's first sentence */
} pt_extracted;

/* Reads the input whole (kind names it in messages: "text", "HTML"),
 * refusing a binary, empty or oversized file, and repairs its UTF-8 (and
 * NUL bytes) with a warning. 0 with *text (malloc'd, the caller frees) and
 * *len set; -1 after env->skip said why, *text NULL. */
int pt_read_whole(pt_read_env *env, pt_input *in, const char *kind, char **text, size_t *len);

/* Hands *x to env->article as the file's one article (id: env->rel).
 * Returns what env->article returned. */
int pt_read_emit(pt_read_env *env, const pt_extracted *x);

/* Frees the strings and zeroes *x; NULL-safe. */
void pt_extracted_clear(pt_extracted *x);

#endif
