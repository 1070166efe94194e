/* read_markdown.c — Markdown to an article (read_markdown.h): YAML front
 * matter read with libyaml's event parser (top-level scalars only), the
 * body parsed by cmark and walked with its iterator into plain text, one
 * block a line; the first level-1 heading is the title when the front
 * matter has none. */
#include "read_markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "text_fields.h"
#include "ptsearch.h"

/* ------------------------------------------------------------ front matter */

/* Length of the line at s[0..len) without its end ("\n" or "\r\n") and
 * trailing blanks; *next: where the next line starts. */
static size_t line_at(const char *s, size_t len, size_t *next)
{
    const char *nl = memchr(s, '\n', len);
    size_t end = nl ? (size_t)(nl - s) : len;
    *next = nl ? end + 1 : len;
    while (end > 0 && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    return end;
}

/* When md opens with a front matter, its YAML is md[*y0..*y1) and the body
 * starts at *body; returns 0 when there is none (no opening "---" line, or
 * no closing "---" / "..." line). */
static int find_front_matter(const char *md, size_t len, size_t *y0, size_t *y1, size_t *body)
{
    size_t next = 0;
    if (line_at(md, len, &next) != 3 || memcmp(md, "---", 3) != 0)
        return 0;
    *y0 = next;
    for (size_t at = next; at < len; at = next) {
        size_t n = line_at(md + at, len - at, &next);
        next += at;
        if (n == 3 && (memcmp(md + at, "---", 3) == 0 || memcmp(md + at, "...", 3) == 0)) {
            *y1 = at;
            *body = next;
            return 1;
        }
    }
    return 0;
}

/* A malloc'd copy of s[0..len) cut at a NUL, blanks trimmed, line breaks
 * and tabs as spaces; NULL when empty (or out of memory: *oom set). */
static char *copy_trimmed(const char *s, size_t len, int *oom)
{
    const char *nul = memchr(s, '\0', len);
    if (nul)
        len = (size_t)(nul - s);
    while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (!len)
        return NULL;
    char *c = malloc(len + 1);
    if (!c) {
        *oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < len; i++) /* a title is one line */
        c[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
    c[len] = '\0';
    return c;
}

/* Takes a top-level key's scalar value; the first of each field wins. */
static void set_field(pt_markdown_article *out, const char *key, const char *v, size_t len, int *oom)
{
    char **field = NULL;
    if (strcmp(key, "title") == 0)
        field = &out->title;
    else if (strcmp(key, "source") == 0 || strcmp(key, "outlet") == 0 || strcmp(key, "publisher") == 0)
        field = &out->source;
    else if (strcmp(key, "date") == 0 && !out->date) {
        char iso[11];
        if (pt_date_parse(v, len, iso) && !(out->date = strdup(iso)))
            *oom = 1;
        return;
    }
    if (field && !*field)
        *field = copy_trimmed(v, len, oom);
}

/* Reads title, date and source from the YAML y[0..len): a mapping's
 * top-level keys with scalar values. A YAML error ends the reading (what
 * was read stays). Returns 0 or PT_ENOMEM. */
static int read_front_matter(pt_markdown_article *out, const char *y, size_t len)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return PT_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)y, len);
    int depth = 0, top_mapping = 0, want_key = 1, oom = 0, done = 0;
    char key[32] = "";
    while (!done && !oom) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev))
            break;
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (depth == 0)
                top_mapping = ev.type == YAML_MAPPING_START_EVENT;
            depth++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (--depth == 1)
                want_key = 1; /* a nested value ended */
            break;
        case YAML_SCALAR_EVENT:
            if (depth != 1 || !top_mapping)
                break;
            if (want_key) {
                size_t n = ev.data.scalar.length < sizeof key ? ev.data.scalar.length : 0;
                memcpy(key, ev.data.scalar.value, n); /* a longer key is none we read */
                key[n] = '\0';
            } else {
                set_field(out, key, (const char *)ev.data.scalar.value, ev.data.scalar.length, &oom);
            }
            want_key = !want_key;
            break;
        case YAML_ALIAS_EVENT: /* *anchor: a key or a value we do not follow */
            if (depth == 1 && top_mapping)
                want_key = !want_key;
            break;
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return oom ? PT_ENOMEM : PT_OK;
}

/* ------------------------------------------------------------ body */

typedef struct {
    pt_buf text;
    int in_image;      /* > 0 inside an image: its alt text is dropped */
    size_t h1_start;   /* where the first level-1 heading's text starts */
    int in_h1;
    char *h1;          /* its text */
    int oom;
} render;

static int at_line_start(const render *r)
{
    return r->text.len == 0 || r->text.data[r->text.len - 1] == '\n';
}

/* Ends the current line (blanks before it dropped); never an empty line. */
static void end_line(render *r)
{
    while (r->text.len && (r->text.data[r->text.len - 1] == ' ' || r->text.data[r->text.len - 1] == '\t'))
        r->text.data[--r->text.len] = '\0';
    if (!at_line_start(r) && pt_buf_append_byte(&r->text, '\n'))
        r->oom = 1;
}

/* Appends s[0..len) (no newline in it), without blanks at a line start
 * or after a blank (a dropped image or tag leaves two). */
static void add_inline(render *r, const char *s, size_t len)
{
    if (at_line_start(r) || r->text.data[r->text.len - 1] == ' ')
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
    if (len && pt_buf_append(&r->text, s, len))
        r->oom = 1;
}

/* A code block: each non-blank line of it a line. */
static void add_code_block(render *r, const char *code)
{
    end_line(r);
    while (*code) {
        size_t n = strcspn(code, "\n");
        add_inline(r, code, n);
        end_line(r);
        code += n + (code[n] == '\n');
    }
}

static void render_node(render *r, cmark_node *node, cmark_event_type ev)
{
    int enter = ev == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        if (!r->in_image) {
            const char *s = cmark_node_get_literal(node);
            add_inline(r, s, strlen(s));
        }
        break;
    case CMARK_NODE_SOFTBREAK: add_inline(r, " ", 1); break;
    case CMARK_NODE_LINEBREAK: end_line(r); break;
    case CMARK_NODE_CODE_BLOCK: add_code_block(r, cmark_node_get_literal(node)); break;
    case CMARK_NODE_HTML_BLOCK: case CMARK_NODE_HTML_INLINE: break; /* raw HTML: dropped */
    case CMARK_NODE_IMAGE: r->in_image += enter ? 1 : -1; break;
    case CMARK_NODE_HEADING:
        end_line(r);
        if (enter && cmark_node_get_heading_level(node) == 1 && !r->h1 && !r->in_h1) {
            r->in_h1 = 1;
            r->h1_start = r->text.len;
        } else if (!enter && r->in_h1) {
            r->in_h1 = 0;
            if (r->text.len > r->h1_start)
                r->h1 = copy_trimmed(r->text.data + r->h1_start, r->text.len - r->h1_start, &r->oom);
        }
        break;
    case CMARK_NODE_PARAGRAPH: case CMARK_NODE_ITEM: case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST: case CMARK_NODE_THEMATIC_BREAK:
        end_line(r);
        break;
    default: /* emphasis, strong, links: their text only */
        break;
    }
}

/* Renders body[0..len) into r. Returns 0 or PT_ENOMEM. */
static int render_body(render *r, const char *body, size_t len)
{
    cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_DEFAULT);
    cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
    if (!it) {
        cmark_node_free(doc);
        return PT_ENOMEM;
    }
    for (cmark_event_type ev; !r->oom && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;)
        render_node(r, cmark_iter_get_node(it), ev);
    cmark_iter_free(it);
    cmark_node_free(doc);
    end_line(r);
    return r->oom ? PT_ENOMEM : PT_OK;
}

int pt_markdown_extract(const char *md, size_t len, pt_markdown_article *out)
{
    memset(out, 0, sizeof *out);
    size_t y0 = 0, y1 = 0, body = 0;
    int rc = PT_OK;
    if (find_front_matter(md, len, &y0, &y1, &body))
        rc = read_front_matter(out, md + y0, y1 - y0);
    render r = {.text = PT_BUF_INIT};
    /* A front matter title leads the text, as a headline leads a JSON
     * Lines article: its words are searchable in passages too. */
    if (!rc && out->title && (pt_buf_append_str(&r.text, out->title) || pt_buf_append_byte(&r.text, '\n')))
        rc = PT_ENOMEM;
    if (!rc)
        rc = render_body(&r, md + body, len - body);
    if (!rc && r.text.len && r.text.data[r.text.len - 1] == '\n')
        r.text.data[--r.text.len] = '\0';
    if (!rc && r.text.len) {
        out->text = r.text.data;
        out->text_len = r.text.len;
        r.text = (pt_buf)PT_BUF_INIT;
    }
    if (!rc && !out->title) {
        out->title = r.h1;
        r.h1 = NULL;
    }
    free(r.h1);
    pt_buf_free(&r.text);
    return rc ? pt_fail(PT_ENOMEM, "out of memory") : PT_OK;
}
