/* read_file.c — what the one-article extractors (plain text, Markdown, HTML)
 * share: reading a file whole within the article limit, refusing binary,
 * empty and oversized files with a reason, repairing its UTF-8 with a
 * warning, and handing the extracted article to ptindex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "ptsearch.h"

/* Blank: ASCII white space, NUL, or U+00A0 (a page of &nbsp; says nothing). */
static int is_blank(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0xA0)
            i++;
        else if (u[i] && !strchr(" \t\n\r\f\v", u[i]))
            return 0;
    }
    return 1;
}

static void warn_repairs(pt_read_env *env, const pt_input *in, const pt_utf8_repairs *fixed)
{
    char msg[128];
    if (pt_input_replaced(in)) {
        snprintf(msg, sizeof msg, "%zu invalid UTF-16 code units replaced by U+FFFD", pt_input_replaced(in));
        env->warn(env, 0, msg);
    }
    if (fixed->invalid) {
        snprintf(msg, sizeof msg, "%zu invalid UTF-8 bytes replaced by U+FFFD", fixed->invalid);
        env->warn(env, 0, msg);
    }
    if (fixed->nul) {
        snprintf(msg, sizeof msg, "%zu NUL bytes replaced by spaces", fixed->nul);
        env->warn(env, 0, msg);
    }
}

int pt_read_whole(pt_read_env *env, pt_input *in, const char *kind, char **text, size_t *len)
{
    char why[256] = "";
    *text = NULL;
    const char *binary = pt_input_looks_binary(in);
    int rc = binary ? PT_INPUT_ERROR : pt_input_read_all(in, PT_MAX_ARTICLE_BYTES, text, len, why, sizeof why);
    if (binary) {
        snprintf(why, sizeof why, "binary file (%s), not %s", binary, kind);
    } else if (rc == PT_INPUT_TOO_LONG) {
        snprintf(why, sizeof why, "too large: %s file over %u MB, not indexed", kind, PT_MAX_ARTICLE_BYTES >> 20);
    } else if (rc == PT_INPUT_OK && is_blank(*text, *len)) {
        snprintf(why, sizeof why, "empty: no text");
    } else if (rc == PT_INPUT_OK) {
        pt_utf8_repairs fixed = {0, 0};
        if (pt_utf8_repair(text, len, &fixed) == 0) {
            warn_repairs(env, in, &fixed);
            return 0;
        }
        snprintf(why, sizeof why, "out of memory");
    } else if (!why[0]) {
        snprintf(why, sizeof why, "read error");
    }
    env->skip(env, 0, why);
    free(*text);
    *text = NULL;
    return -1;
}

int pt_read_emit(pt_read_env *env, const pt_extracted *x)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = env->rel;
    a.path = env->abspath;
    a.text = x->text;
    a.text_len = x->text_len;
    a.title = x->title;
    a.title_is_first_sentence = x->title_is_first_sentence;
    a.source = x->source;
    a.date = x->date;
    return env->article(env, &a);
}

void pt_extracted_clear(pt_extracted *x)
{
    if (!x)
        return;
    free(x->text);
    free(x->title);
    free(x->date);
    free(x->source);
    memset(x, 0, sizeof *x);
}
