/* read_text.c — the plain-text and Markdown extractors: one file is one
 * article; a text's title, source and date come from the text itself
 * (meta.c), a Markdown file's from its front matter and first heading
 * (read_markdown.c), else from its text. Reading, refusing and repairing
 * the file is read_file.c's. */
#include <stdio.h>
#include <stdlib.h>

#include "meta.h"
#include "read_markdown.h"
#include "extractor.h"

int pt_read_text_input(pt_read_env *env, pt_input *in)
{
    char *text = NULL;
    size_t len = 0;
    if (pt_read_whole(env, in, "text", &text, &len) != 0)
        return 0;
    pt_text_meta meta = {0};
    int rc = 0;
    if (pt_meta_from_text(&meta, text, len) != 0) {
        env->skip(env, 0, "out of memory");
    } else {
        pt_extracted x = {text, len, meta.title, meta.date, meta.source, meta.title_is_first_sentence};
        rc = pt_read_emit(env, &x);
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
    if (!rc && !md->title)
        md->title_is_first_sentence = meta.title_is_first_sentence;
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
    if (pt_read_whole(env, in, "text", &text, &len) != 0)
        return 0;
    pt_markdown_article md;
    int rc = pt_markdown_extract(text, len, &md), stop = 0;
    free(text);
    if (rc == 0 && md.text)
        rc = fill_from_text(&md);
    if (rc != 0)
        env->skip(env, 0, "out of memory while reading the Markdown");
    else if (!md.text)
        env->skip(env, 0, "empty: no text in the Markdown");
    else
        stop = pt_read_emit(env, &md);
    pt_extracted_clear(&md);
    return stop;
}
