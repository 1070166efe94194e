/* read_html.c — the HTML extractor: reads a page whole (refusing binary and
 * oversized files before parsing), repairs its UTF-8, parses it with gumbo
 * within bounds (html_parse.c), and extracts the article text (block
 * elements become lines; scripts, page chrome and hidden elements are
 * dropped) and the title, date and outlet from <meta>, <title>, <h1> and
 * <time>. Every walk of the tree is iterative (parent pointers, no
 * recursion), so deeply nested markup cannot overflow the stack. */
#include "read_html.h"

#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_parse.h"
#include "text_fields.h"
#include "ptsearch.h"
#include "extractor.h"

/* ------------------------------------------------------------ the walk */

/* A visitor for walk(); the visitors below embed it as their first member. */
typedef struct walker walker;
struct walker {
    /* Called on each element; non-zero to visit its children (leave is
     * then called after them, also when there are none). */
    int (*enter)(walker *w, const GumboNode *node);
    void (*leave)(walker *w, const GumboNode *node);
    /* Called on each text, CDATA and whitespace node. */
    void (*text)(walker *w, const char *text);
};

static int is_element(const GumboNode *node)
{
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

static const GumboVector *children_of(const GumboNode *node)
{
    if (node->type == GUMBO_NODE_DOCUMENT)
        return &node->v.document.children;
    return is_element(node) ? &node->v.element.children : NULL;
}

/* Visits node itself; non-zero when its children are to be visited. */
static int open_node(walker *w, const GumboNode *node)
{
    if (node->type == GUMBO_NODE_DOCUMENT)
        return 1;
    if (is_element(node))
        return w->enter(w, node);
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE)
        w->text(w, node->v.text.text);
    return 0;
}

static void close_node(walker *w, const GumboNode *node)
{
    if (is_element(node))
        w->leave(w, node);
}

/* The sibling after node, or NULL when it is the last child. */
static const GumboNode *next_sibling(const GumboNode *node)
{
    const GumboVector *kids = node->parent ? children_of(node->parent) : NULL;
    if (!kids)
        return NULL;
    size_t i = node->index_within_parent;
    if (i >= kids->length || kids->data[i] != node) { /* never seen; be safe */
        for (i = 0; i < kids->length && kids->data[i] != node; i++)
            ;
        if (i == kids->length)
            return NULL;
    }
    return i + 1 < kids->length ? kids->data[i + 1] : NULL;
}

/* Visits the tree under root in document order without recursion: down to
 * the first child, else across to the next sibling, else up (leaving). */
static void walk(walker *w, const GumboNode *root)
{
    const GumboNode *node = root;
    for (;;) {
        if (open_node(w, node)) {
            const GumboVector *kids = children_of(node);
            if (kids && kids->length > 0) {
                node = kids->data[0];
                continue;
            }
            close_node(w, node);
        }
        for (;;) {
            if (node == root)
                return;
            const GumboNode *next = next_sibling(node);
            if (next) {
                node = next;
                break;
            }
            node = node->parent;
            close_node(w, node);
        }
    }
}

/* ------------------------------------------------- which elements count */

static GumboTag tag_of(const GumboNode *node)
{
    return node->v.element.tag;
}

static const char *attr(const GumboNode *node, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Elements whose content is never article text: code, page chrome,
 * controls, embedded media. */
static int is_chrome_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG: case GUMBO_TAG_CANVAS: case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MATH: case GUMBO_TAG_DATALIST: case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
        return 1;
    default:
        return 0;
    }
}

/* role="navigation" and the other landmark roles of page chrome. */
static int has_chrome_role(const GumboNode *node)
{
    static const char *const roles[] = { "navigation", "banner", "contentinfo", "complementary" };
    const char *role = attr(node, "role");
    for (size_t i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
        if (strcasecmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

/* Non-zero when s contains pattern, ignoring case and ASCII blanks in s
 * ("display: none" matches "display:none"). */
static int contains_squeezed(const char *s, const char *pattern)
{
    for (; *s; s++) {
        const char *p = pattern, *q = s;
        while (*p && *q) {
            if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
                q++;
                continue;
            }
            if ((*q | 0x20) != *p)
                break;
            p++, q++;
        }
        if (!*p)
            return 1;
    }
    return 0;
}

static int is_hidden(const GumboNode *node)
{
    const char *aria = attr(node, "aria-hidden");
    const char *style = attr(node, "style");
    return attr(node, "hidden") || (aria && strcasecmp(aria, "true") == 0) ||
           (style && (contains_squeezed(style, "display:none") ||
                      contains_squeezed(style, "visibility:hidden")));
}

/* Elements left out of the article text, with everything inside them. */
static int is_dropped(const GumboNode *node)
{
    return is_chrome_tag(tag_of(node)) || has_chrome_role(node) || is_hidden(node);
}

/* Elements that start and end a line of text. */
static int is_block_tag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BODY: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TR:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_DL: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_LISTING: case GUMBO_TAG_MENU:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose line breaks are kept. */
static int keeps_newlines(GumboTag tag)
{
    return tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING;
}

/* ------------------------------------------------------- text to lines */

/* Collects text as lines: blanks collapsed to one space, no empty lines. */
typedef struct {
    pt_buf out;
    int line_has_text;
    int pending_space;
    int one_line; /* line breaks become spaces (for titles) */
    int err;
} line_builder;

static void lines_append(line_builder *b, const char *s, size_t n)
{
    if (!b->err && pt_buf_append(&b->out, s, n) != 0)
        b->err = PT_ENOMEM;
}

static void lines_break(line_builder *b)
{
    if (b->one_line) {
        b->pending_space = 1;
    } else if (b->line_has_text) {
        lines_append(b, "\n", 1);
        b->line_has_text = 0;
        b->pending_space = 0;
    }
}

/* Length of the blank at s[i] (ASCII blank, NUL, or U+00A0), 0 if none. */
static size_t blank_len(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0)
        return 1;
    return c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0 ? 2 : 0;
}

/* Adds s[0..n); with keep_newlines a "\n" ends the line. */
static void lines_put(line_builder *b, const char *s, size_t n, int keep_newlines)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !b->err) {
        size_t blank = blank_len(u, i, n);
        if (blank) {
            if (keep_newlines && u[i] == '\n')
                lines_break(b);
            else
                b->pending_space = 1;
            i += blank;
            continue;
        }
        size_t word = i;
        while (i < n && !blank_len(u, i, n))
            i++;
        if (b->pending_space && b->line_has_text)
            lines_append(b, " ", 1);
        b->pending_space = 0;
        lines_append(b, s + word, i - word);
        b->line_has_text = 1;
    }
}

/* Ends the text: drops a final "\n"; returns the malloc'd text (NULL when
 * empty) through *out and its length through *len. */
static int lines_finish(line_builder *b, char **out, size_t *len)
{
    if (b->err) {
        pt_buf_free(&b->out);
        return b->err;
    }
    if (b->out.len > 0 && b->out.data[b->out.len - 1] == '\n')
        b->out.data[--b->out.len] = '\0';
    if (b->out.len == 0)
        pt_buf_free(&b->out);
    *out = b->out.data;
    if (len)
        *len = b->out.len;
    return 0;
}

/* Whitespace-collapsed copy of s, or NULL when s is blank. Returns 0 or
 * PT_ENOMEM. */
static int collapse(const char *s, char **out)
{
    line_builder b = { PT_BUF_INIT, 0, 0, 1, 0 };
    *out = NULL;
    if (s)
        lines_put(&b, s, strlen(s), 0);
    return lines_finish(&b, out, NULL);
}

/* ---------------------------------------------------- text of a subtree */

typedef struct {
    walker base;
    const GumboNode *root;
    line_builder lines;
    unsigned pre_depth;
} text_walk;

static int text_enter(walker *w, const GumboNode *node)
{
    text_walk *t = (text_walk *)w;
    if (node != t->root && is_dropped(node))
        return 0;
    GumboTag tag = tag_of(node);
    if (tag == GUMBO_TAG_BR || is_block_tag(tag))
        lines_break(&t->lines);
    if (keeps_newlines(tag))
        t->pre_depth++;
    return 1;
}

static void text_leave(walker *w, const GumboNode *node)
{
    text_walk *t = (text_walk *)w;
    GumboTag tag = tag_of(node);
    if (is_block_tag(tag))
        lines_break(&t->lines);
    if (keeps_newlines(tag) && t->pre_depth > 0)
        t->pre_depth--;
}

static void text_node(walker *w, const char *text)
{
    text_walk *t = (text_walk *)w;
    lines_put(&t->lines, text, strlen(text), t->pre_depth > 0);
}

/* The visible text under root (which is itself taken even if it would be
 * dropped), one paragraph per line; *out is NULL when there is none. */
static int text_of(const GumboNode *root, int one_line, char **out, size_t *len)
{
    text_walk t = { { text_enter, text_leave, text_node }, root,
                    { PT_BUF_INIT, 0, 0, one_line, 0 }, 0 };
    *out = NULL;
    *len = 0;
    walk(&t.base, root);
    return lines_finish(&t.lines, out, len);
}

/* -------------------------------------------------- the content element */

/* Looks for the visible <article>s (keeping the text of the largest), the
 * first visible <main> and the <body>. */
typedef struct {
    walker base;
    const GumboNode *best; /* the largest <article> so far, and its text */
    char *best_text;
    size_t best_len;
    const GumboNode *main, *body;
    int err;
} content_walk;

static void keep_larger_article(content_walk *c, const GumboNode *article)
{
    char *text = NULL;
    size_t len = 0;
    int rc = text_of(article, 0, &text, &len);
    if (rc != 0) {
        c->err = rc;
    } else if (len > c->best_len) {
        free(c->best_text);
        c->best = article;
        c->best_text = text;
        c->best_len = len;
        return;
    }
    free(text);
}

static int content_enter(walker *w, const GumboNode *node)
{
    content_walk *c = (content_walk *)w;
    if (c->err || is_dropped(node))
        return 0;
    switch (tag_of(node)) {
    case GUMBO_TAG_ARTICLE:
        keep_larger_article(c, node); /* an outer article holds the inner ones */
        return 0;
    case GUMBO_TAG_MAIN:
        if (!c->main)
            c->main = node;
        return 1;
    case GUMBO_TAG_BODY:
        if (!c->body)
            c->body = node;
        return 1;
    default:
        return 1;
    }
}

static void ignore_leave(walker *w, const GumboNode *node)
{
    (void)w, (void)node;
}

static void ignore_text(walker *w, const char *text)
{
    (void)w, (void)text;
}

/* Fills out->text from the largest <article>, else <main>, else <body>
 * (else the whole page), the first of these that has text. *root receives
 * the element the text came from. */
static int extract_content(const GumboOutput *doc, pt_html_article *out, const GumboNode **root)
{
    content_walk c = { { content_enter, ignore_leave, ignore_text }, NULL, NULL, 0, NULL, NULL, 0 };
    walk(&c.base, doc->document);
    if (c.err) {
        free(c.best_text);
        return c.err;
    }
    if (c.best_text) {
        out->text = c.best_text;
        out->text_len = c.best_len;
        *root = c.best;
        return 0;
    }
    const GumboNode *candidates[] = { c.main, c.body, doc->root };
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i])
            continue;
        *root = candidates[i];
        int rc = text_of(candidates[i], 0, &out->text, &out->text_len);
        if (rc != 0 || out->text)
            return rc;
    }
    return 0;
}

/* -------------------------------------------------------------- fields */

/* Where a page declares its publication date, most trusted first; the
 * first <time datetime> comes after all of them. */
enum {
    DATE_PUBLISHED_TIME, /* <meta property="article:published_time"> */
    DATE_NAME_DATE,      /* <meta name="date"> */
    DATE_PUBDATE,        /* <meta name="pubdate"> */
    DATE_PUBLISHDATE,    /* <meta name="publishdate"> */
    DATE_DC_ISSUED,      /* <meta name="DC.date.issued"> */
    DATE_DCTERMS,        /* <meta name="dcterms.date"> */
    DATE_ITEMPROP,       /* itemprop="datePublished" with content or datetime */
    N_DATE_KINDS
};

static const char *const date_meta_names[DATE_ITEMPROP] = {
    "article:published_time", "date", "pubdate", "publishdate", "dc.date.issued", "dcterms.date",
};

/* Collects the field candidates of the whole page. The strings are
 * borrowed from the gumbo tree. */
typedef struct {
    walker base;
    const GumboNode *root;   /* the element the text came from */
    const GumboNode *hidden; /* outermost invisible or chrome element we are in */
    int in_root;
    unsigned content_depth;  /* <article>/<main>/<section> we are in */
    const char *og_title, *site_name, *app_name, *publisher;
    const char *dates[N_DATE_KINDS];
    const GumboNode *title, *h1, *root_h1;
    const char *time, *root_time; /* datetime of the first visible <time> */
} fields_walk;

static int is_blank_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!blank_len((const unsigned char *)s, i, n))
            return 0;
    return 1;
}

static int is_blank(const char *s)
{
    return is_blank_bytes(s, strlen(s));
}

static void set_first(const char **slot, const char *value)
{
    if (!*slot && value && !is_blank(value))
        *slot = value;
}

/* <meta property|name="key" content="value">. */
static void note_meta(fields_walk *m, const char *key, const char *value)
{
    if (!key)
        return;
    if (strcasecmp(key, "og:title") == 0)
        set_first(&m->og_title, value);
    else if (strcasecmp(key, "og:site_name") == 0)
        set_first(&m->site_name, value);
    else if (strcasecmp(key, "application-name") == 0)
        set_first(&m->app_name, value);
    else if (strcasecmp(key, "publisher") == 0)
        set_first(&m->publisher, value);
    for (size_t i = 0; i < DATE_ITEMPROP; i++)
        if (strcasecmp(key, date_meta_names[i]) == 0)
            set_first(&m->dates[i], value);
}

/* Visible headings and times, preferring those inside the content. */
static void note_visible(fields_walk *m, const GumboNode *node, GumboTag tag)
{
    if (tag == GUMBO_TAG_H1) {
        if (!m->h1)
            m->h1 = node;
        if (m->in_root && !m->root_h1)
            m->root_h1 = node;
    } else if (tag == GUMBO_TAG_TIME) {
        const char *when = attr(node, "datetime");
        set_first(&m->time, when);
        if (m->in_root)
            set_first(&m->root_time, when);
    }
}

static int is_content_section(GumboTag tag)
{
    return tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_SECTION;
}

/* Like is_dropped, except that the <header> of an article (its headline
 * and time) is kept for the fields. */
static int hides_fields(const fields_walk *m, const GumboNode *node)
{
    if (tag_of(node) == GUMBO_TAG_HEADER && m->content_depth > 0)
        return has_chrome_role(node) || is_hidden(node);
    return is_dropped(node);
}

static int fields_enter(walker *w, const GumboNode *node)
{
    fields_walk *m = (fields_walk *)w;
    GumboTag tag = tag_of(node);
    if (!m->hidden && hides_fields(m, node))
        m->hidden = node;
    if (node == m->root)
        m->in_root = 1;
    if (is_content_section(tag))
        m->content_depth++;
    if (tag == GUMBO_TAG_META) {
        note_meta(m, attr(node, "property"), attr(node, "content"));
        note_meta(m, attr(node, "name"), attr(node, "content"));
    }
    const char *itemprop = attr(node, "itemprop");
    if (itemprop && strcasecmp(itemprop, "datePublished") == 0) {
        const char *content = attr(node, "content");
        set_first(&m->dates[DATE_ITEMPROP], content ? content : attr(node, "datetime"));
    }
    if (tag == GUMBO_TAG_TITLE && !m->title && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML)
        m->title = node;
    if (!m->hidden)
        note_visible(m, node, tag);
    return 1;
}

static void fields_leave(walker *w, const GumboNode *node)
{
    fields_walk *m = (fields_walk *)w;
    if (node == m->hidden)
        m->hidden = NULL;
    if (node == m->root)
        m->in_root = 0;
    if (is_content_section(tag_of(node)) && m->content_depth > 0)
        m->content_depth--;
}

static int resolve_source(const fields_walk *m, pt_html_article *out)
{
    const char *names[] = { m->site_name, m->app_name, m->publisher };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i])
            return collapse(names[i], &out->source);
    return 0;
}

/* Cuts "Headline | Site" to "Headline" when "Site" is the page's site. */
static void strip_site_suffix(char *title, const char *site)
{
    static const char *const separators[] = { " | ", " - ", " \u2013 ", " \u2014 ", " \u00b7 ", " :: " };
    size_t n = strlen(title), s = strlen(site);
    for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++) {
        size_t k = strlen(separators[i]);
        if (n > k + s && strcasecmp(title + n - s, site) == 0 &&
            memcmp(title + n - s - k, separators[i], k) == 0) {
            title[n - s - k] = '\0';
            return;
        }
    }
}

/* og:title, else <title> (without the site-name suffix), else the first
 * visible <h1> (of the content if it has one). */
static int resolve_title(const fields_walk *m, pt_html_article *out)
{
    size_t len = 0;
    int rc = 0;
    if (m->og_title)
        rc = collapse(m->og_title, &out->title);
    else if (m->title)
        rc = text_of(m->title, 1, &out->title, &len);
    if (rc == 0 && out->title && out->source)
        strip_site_suffix(out->title, out->source);
    const GumboNode *h1 = m->root_h1 ? m->root_h1 : m->h1;
    if (rc == 0 && !out->title && h1)
        rc = text_of(h1, 1, &out->title, &len);
    return rc;
}

/* Non-zero when value starts with a date pt_date_parse reads. */
static int read_date(const char *value, char iso[11])
{
    if (!value)
        return 0;
    while (*value == ' ' || *value == '\t' || *value == '\n' || *value == '\r')
        value++;
    return pt_date_parse(value, strlen(value), iso) > 0;
}

/* The first declaration that reads as a date; unreadable ones are passed
 * over, and no date is guessed from the text. */
static int resolve_date(const fields_walk *m, pt_html_article *out)
{
    char iso[11];
    int found = 0;
    for (size_t i = 0; i < N_DATE_KINDS && !found; i++)
        found = read_date(m->dates[i], iso);
    if (!found)
        found = read_date(m->root_time ? m->root_time : m->time, iso);
    if (!found)
        return 0;
    out->date = strdup(iso);
    return out->date ? 0 : pt_fail(PT_ENOMEM, "out of memory");
}

static int extract_fields(const GumboOutput *doc, const GumboNode *root, pt_html_article *out)
{
    fields_walk m;
    memset(&m, 0, sizeof m);
    m.base = (walker){ fields_enter, fields_leave, ignore_text };
    m.root = root;
    walk(&m.base, doc->document);
    int rc = resolve_source(&m, out);
    if (rc == 0)
        rc = resolve_title(&m, out);
    if (rc == 0)
        rc = resolve_date(&m, out);
    return rc;
}

/* ----------------------------------------------------------- the API */

/* gumbo 0.10 decodes a character reference past 32 bits ("&#999999999999;")
 * to a raw 0xFF byte: what it hands back is repaired like any input. */
static int repair_utf8(char **s, size_t *len)
{
    size_t n = *s ? strlen(*s) : 0;
    int rc = *s && !pt_utf8_is_clean(*s, n) ? pt_utf8_repair(s, &n, NULL) : 0;
    if (len)
        *len = n;
    return rc;
}

static int repair_strings(pt_html_article *out)
{
    int rc = repair_utf8(&out->text, &out->text_len);
    if (rc == 0)
        rc = repair_utf8(&out->title, NULL);
    if (rc == 0)
        rc = repair_utf8(&out->source, NULL);
    return rc ? pt_fail(PT_ENOMEM, "out of memory") : 0;
}

int pt_html_extract_within(const char *html, size_t len, const pt_html_limits *lim, pt_html_article *out)
{
    memset(out, 0, sizeof *out);
    pt_html_tree *tree = NULL;
    int rc = pt_html_parse(&tree, html ? html : "", html ? len : 0, lim);
    if (rc != 0)
        return rc;
    const GumboOutput *doc = pt_html_tree_output(tree);
    const GumboNode *root = NULL;
    rc = extract_content(doc, out, &root);
    if (rc == 0)
        rc = extract_fields(doc, root, out);
    if (rc == 0)
        rc = repair_strings(out);
    pt_html_tree_free(tree);
    return rc;
}

int pt_html_extract(const char *html, size_t len, pt_html_article *out)
{
    pt_html_limits lim = pt_html_default_limits(len);
    return pt_html_extract_within(html, len, &lim, out);
}

/* ------------------------------------------------------------ the extractor */

/* Tells why a page gave no article; 0 when it gave one. */
static int skip_page(pt_read_env *env, int rc, const pt_html_article *page)
{
    char why[160];
    if (rc == PT_EINVAL) /* too deep or too costly to parse */
        env->skip(env, 0, pt_error_last());
    else if (rc != 0)
        env->skip(env, 0, "out of memory while parsing the HTML");
    else if (!page->text)
        env->skip(env, 0, "no article text in the HTML");
    else if (page->text_len > PT_MAX_ARTICLE_BYTES) {
        snprintf(why, sizeof why, "too large: article text is %.1f MB, over the %u MB article limit",
                 (double)page->text_len / (1u << 20), PT_MAX_ARTICLE_BYTES >> 20);
        env->skip(env, 0, why);
    } else {
        return 0;
    }
    return 1;
}

/* One HTML file is one article. Its file_offset (0) and file_line (1)
 * refer to the extracted text, not to the HTML bytes. */
int pt_read_html_input(pt_read_env *env, pt_input *in)
{
    /* A binary file is refused from its first bytes, and one over the
     * article limit before it is read (gumbo would take seconds and four
     * times its size to parse it; a gzipped one is refused at the limit
     * while reading). */
    char *html = NULL;
    size_t len = 0;
    if (pt_read_whole(env, in, "HTML", &html, &len) != 0)
        return 0;
    pt_html_article page;
    int stop = 0;
    int rc = pt_html_extract(html, len, &page);
    free(html);
    if (!skip_page(env, rc, &page))
        stop = pt_read_emit(env, &page);
    pt_extracted_clear(&page);
    return stop;
}
