/* read_text.c — the plain-text and Markdown extractors: one file is one
 * article; a text's title, source and date come from the text itself
 * (text_fields.c), a Markdown file's from its front matter and first heading
 * (read_markdown.c), else from its text. Reading, refusing and repairing
 * the file is read_file.c's. */
#include <stdio.h>
#include <stdlib.h>

#include "text_fields.h"
#include "read_markdown.h"
#include "extractor.h"

int pt_read_text_input(pt_read_env *env, pt_input *in)
{
    char *text = NULL;
    size_t len = 0;
    if (pt_read_whole(env, in, "text", &text, &len) != 0)
        return 0;
    pt_text_fields fields = {0};
    int rc = 0;
    if (pt_text_fields_read(&fields, text, len) != 0) {
        env->skip(env, 0, "out of memory");
    } else {
        pt_extracted x = {text, len, fields.title, fields.date, fields.source, fields.title_is_first_sentence};
        rc = pt_read_emit(env, &x);
    }
    pt_text_fields_clear(&fields);
    free(text);
    return rc;
}

/* What the Markdown does not say (title, date, source) is read from its
 * text, as for a plain text file. */
static int fill_from_text(pt_markdown_article *md)
{
    if (md->title && md->date && md->source)
        return 0;
    pt_text_fields fields = {0};
    int rc = pt_text_fields_read(&fields, md->text, md->text_len);
    char **mine[3] = {&md->title, &md->date, &md->source};
    char **theirs[3] = {&fields.title, &fields.date, &fields.source};
    if (!rc && !md->title)
        md->title_is_first_sentence = fields.title_is_first_sentence;
    for (int i = 0; !rc && i < 3; i++) {
        if (!*mine[i]) {
            *mine[i] = *theirs[i];
            *theirs[i] = NULL;
        }
    }
    pt_text_fields_clear(&fields);
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
