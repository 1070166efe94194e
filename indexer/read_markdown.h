/* read_markdown.h — turns one Markdown file into an article: its text as
 * plain text (CommonMark, read by cmark), one paragraph, heading or list
 * item per line, and the title, date and outlet of its YAML front matter.
 * As for HTML, file_offset/file_line of the article refer to this
 * extracted text, not to the Markdown bytes. */
#ifndef PT_READ_MARKDOWN_H
#define PT_READ_MARKDOWN_H

#include <stddef.h>

#include "extractor.h"

/* text: one paragraph, heading or list item per line; title: front matter
 * title:, else the first level-1 heading; date: front matter date:; source:
 * front matter source:, outlet: or publisher:. */
typedef pt_extracted pt_markdown_article;

/* Parses md[0..len) (valid UTF-8 without NUL bytes: read_text.c repairs
 * it first) and fills *out, which is overwritten, not freed. Front matter:
 * a first line "---", YAML up to a line "---" or "..."; a front matter
 * that is not a YAML mapping is ignored (its text is not indexed either).
 * Text: emphasis marks, link targets, images and raw HTML dropped; link
 * text and code kept. Returns 0 or PT_ENOMEM. The caller frees with
 * pt_extracted_clear even after a failure. */
int pt_markdown_extract(const char *md, size_t len, pt_markdown_article *out);


#endif
