/* read_html.h — turns one HTML page into an article: the readable text of
 * its main content, one paragraph per line, and the title, date and outlet
 * its markup declares (Open Graph, Dublin Core, schema.org, <time>). The
 * article's file_offset/file_line refer to this extracted text, not to the
 * HTML bytes: a hit in an HTML file points into its text. */
#ifndef PT_READ_HTML_H
#define PT_READ_HTML_H

#include <stddef.h>

#include "html_parse.h"

#include "extractor.h"

/* text: paragraphs separated by "\n"; title, date, source: as declared by
 * the markup (title_is_first_sentence stays 0). */
typedef pt_extracted pt_html_article;

/* Parses html[0..len) (need not be NUL-terminated; bad UTF-8 becomes
 * U+FFFD) and fills *out, which is overwritten, not freed. Returns 0,
 * PT_EINVAL when the page is too deeply nested or too costly to parse
 * within pt_html_default_limits (pt_error_last() says which), or
 * PT_ENOMEM. The caller frees with pt_extracted_clear even after a
 * failure. Content: the largest visible <article>, else <main>, else
 * <body>, without scripts, navigation, headers, footers, asides, forms and
 * hidden elements. */
int pt_html_extract(const char *html, size_t len, pt_html_article *out);

/* pt_html_extract within other limits (tests). */
int pt_html_extract_within(const char *html, size_t len, const pt_html_limits *lim, pt_html_article *out);


#endif
