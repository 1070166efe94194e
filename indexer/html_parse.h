/* html_parse.h — gumbo within bounds. Gumbo has no limit of its own: its
 * time grows with the square of the nesting depth (200,000 nested <div>
 * took 226 s), and a few unclosed formatting elements are copied into
 * every later paragraph (400 KB of markup took 415 MB). So a page is
 * refused when a scan of its tags finds it nested deeper than max_depth,
 * and its parse is abandoned when it has used max_bytes of memory or
 * max_cpu_seconds of CPU time. */
#ifndef PT_HTML_PARSE_H
#define PT_HTML_PARSE_H

#include <gumbo.h>
#include <stddef.h>

typedef struct {
    size_t max_depth;       /* elements open at once, as the scan counts them */
    size_t max_bytes;       /* memory of the parse (the tree and gumbo's work) */
    double max_cpu_seconds; /* CPU time of the parse */
} pt_html_limits;

/* The limits ptindex uses for a page of len bytes: depth 1000 (browsers
 * show at most 512 levels); memory 32 MB + 32 times the page, at most
 * 256 MB (real pages need 2-14 times their size); 2 s + 1 s a MB of CPU
 * time (real pages take 0.1-0.3 s a MB). */
pt_html_limits pt_html_default_limits(size_t len);

/* How deep the elements of html[0..len) nest, as a scan of its tags
 * estimates it without parsing: each start tag opens an element, each end
 * tag closes one of its own name if one is open; void elements, those
 * that close the open one of their kind (p, li, td, a...), html/head/body,
 * comments and the content of script, style and the like count nothing.
 * Stops counting once the depth passes stop_at. */
size_t pt_html_depth_estimate(const char *html, size_t len, size_t stop_at);

typedef struct pt_html_tree pt_html_tree;

/* Parses html[0..len) within *lim. Returns 0 with *out set, PT_EINVAL when
 * the page is refused (pt_error_last() says why: "HTML nested deeper than
 * 1000 elements", "HTML too costly to parse: ..."), or PT_ENOMEM. */
int pt_html_parse(pt_html_tree **out, const char *html, size_t len, const pt_html_limits *lim);

/* The parsed document; valid until pt_html_tree_free. */
const GumboOutput *pt_html_tree_output(const pt_html_tree *t);

/* Frees the tree (all of gumbo's memory at once); NULL-safe. */
void pt_html_tree_free(pt_html_tree *t);

#endif
