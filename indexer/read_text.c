/* read_text.c — the plain-text and Markdown readers: one file is one
 * article; a text's title, source and date come from the text itself
 * (meta.c), a Markdown file's from its front matter and first heading
 * (read_markdown.c), else from its text. Binary files, empty files and
 * files over the size limit are skipped with a reason; invalid UTF-8 (or
 * UTF-16) and NUL bytes are repaired with a warning. */
#include <stdio.h>
#include <stdlib.h>

#include "meta.h"
#include "read_markdown.h"
#include "reader.h"
#include "util/utf8_clean.h"

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

/* Reads the whole input; on any problem reports the skip and returns -1. */
static int read_whole(pt_read_env *env, pt_input *in, char **text, size_t *len)
{
    char why[256];
    const char *binary = pt_input_looks_binary(in);
    if (binary) {
        snprintf(why, sizeof why, "binary file (%s), not text", binary);
        env->skip(env, 0, why);
        return -1;
    }
    int rc = pt_input_read_all(in, PT_MAX_ARTICLE_BYTES, text, len, why, sizeof why);
    if (rc == PT_INPUT_TOO_LONG) {
        snprintf(why, sizeof why, "too large: over %u MB, not indexed", PT_MAX_ARTICLE_BYTES >> 20);
        env->skip(env, 0, why);
        return -1;
    }
    if (rc != PT_INPUT_OK) {
        free(*text);
        env->skip(env, 0, why);
        return -1;
    }
    if (is_blank(*text, *len)) {
        free(*text);
        env->skip(env, 0, "empty: no text");
        return -1;
    }
    return 0;
}

/* Repairs invalid UTF-8 and NUL bytes, warning with the counts (and
 * those of the UTF-16 decoding). */
static int repair(pt_read_env *env, const pt_input *in, char **text, size_t *len)
{
    pt_utf8_repairs fixed = {0, 0};
    if (pt_utf8_repair(text, len, &fixed) != 0) {
        env->skip(env, 0, "out of memory");
        return -1;
    }
    char why[128];
    if (pt_input_replaced(in)) {
        snprintf(why, sizeof why, "%zu invalid UTF-16 code units replaced by U+FFFD", pt_input_replaced(in));
        env->warn(env, 0, why);
    }
    if (fixed.invalid) {
        snprintf(why, sizeof why, "%zu invalid UTF-8 bytes replaced by U+FFFD", fixed.invalid);
        env->warn(env, 0, why);
    }
    if (fixed.nul) {
        snprintf(why, sizeof why, "%zu NUL bytes replaced by spaces", fixed.nul);
        env->warn(env, 0, why);
    }
    return 0;
}

int pt_read_text_input(pt_read_env *env, pt_input *in)
{
    char *text = NULL;
    size_t len = 0;
    if (read_whole(env, in, &text, &len) != 0)
        return 0;
    if (repair(env, in, &text, &len) != 0) {
        free(text);
        return 0;
    }
    pt_text_meta meta = {0};
    int rc = 0;
    if (pt_meta_from_text(&meta, text, len) != 0) {
        env->skip(env, 0, "out of memory");
    } else {
        pt_article a = PT_ARTICLE_INIT;
        a.id = env->rel;
        a.path = env->abspath;
        a.text = text;
        a.text_len = len;
        a.title = meta.title;
        a.title_is_first_sentence = meta.title_is_first_sentence;
        a.source = meta.source;
        a.date = meta.date;
        rc = env->article(env, &a);
    }
    pt_text_meta_clear(&meta);
    free(text);
    return rc;
}

/* What the Markdown does not say (title, date, source) is read from its
 * text, as for a plain text file. */
static int fill_from_text(pt_markdown_article *md)
{
    if (md->title && md->date && md->source)
        return 0;
    pt_text_meta meta = {0};
    int rc = pt_meta_from_text(&meta, md->text, md->text_len);
    char **mine[3] = {&md->title, &md->date, &md->source};
    char **theirs[3] = {&meta.title, &meta.date, &meta.source};
    for (int i = 0; !rc && i < 3; i++) {
        if (!*mine[i]) {
            *mine[i] = *theirs[i];
            *theirs[i] = NULL;
        }
    }
    pt_text_meta_clear(&meta);
    return rc;
}

int pt_read_markdown_input(pt_read_env *env, pt_input *in)
{
    char *text = NULL;
    size_t len = 0;
    if (read_whole(env, in, &text, &len) != 0)
        return 0;
    if (repair(env, in, &text, &len) != 0) {
        free(text);
        return 0;
    }
    pt_markdown_article md;
    int rc = pt_markdown_extract(text, len, &md), stop = 0;
    free(text);
    if (rc == 0 && md.text)
        rc = fill_from_text(&md);
    if (rc != 0) {
        env->skip(env, 0, "out of memory while reading the Markdown");
    } else if (!md.text) {
        env->skip(env, 0, "empty: no text in the Markdown");
    } else {
        pt_article a = PT_ARTICLE_INIT;
        a.id = env->rel;
        a.path = env->abspath;
        a.text = md.text;
        a.text_len = md.text_len;
        a.title = md.title;
        a.source = md.source;
        a.date = md.date;
        stop = env->article(env, &a);
    }
    pt_markdown_article_clear(&md);
    return stop;
}
