/* html_parse.c — runs gumbo on one page within bounds: a scan of the tags
 * estimates the nesting depth before gumbo starts, and gumbo's allocator
 * (an arena of our own) keeps account of memory and CPU time during the
 * parse. Gumbo cannot be told to stop, so when the budget is spent the
 * allocator longjmps out of it; every byte gumbo had is in the arena, and
 * gumbo keeps no other state, so freeing the arena leaves nothing behind.
 * Freeing the arena at once also spares gumbo_destroy_output's recursion,
 * one C frame per level of nesting. */
#include "html_parse.h"

#include <setjmp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/error.h"
#include "ptsearch.h"

#define MAX_DEPTH 1000
#define MAX_PARSE_BYTES (256u << 20)

pt_html_limits pt_html_default_limits(size_t len)
{
    pt_html_limits lim;
    size_t bytes = len < MAX_PARSE_BYTES / 32 ? (32u << 20) + 32 * len : MAX_PARSE_BYTES;
    lim.max_depth = MAX_DEPTH;
    lim.max_bytes = bytes < MAX_PARSE_BYTES ? bytes : MAX_PARSE_BYTES;
    lim.max_cpu_seconds = 2.0 + (double)len / (1u << 20);
    return lim;
}

/* --------------------------------------------------------- the depth scan */

/* Elements that never make the page deeper: void ones, those whose start
 * tag closes the open one of their kind, and those gumbo merges. */
static int is_uncounted(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR: case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR: case GUMBO_TAG_MENUITEM:
    case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_RB: case GUMBO_TAG_RP: case GUMBO_TAG_RT: case GUMBO_TAG_RTC:
    case GUMBO_TAG_A: case GUMBO_TAG_NOBR: case GUMBO_TAG_BUTTON: case GUMBO_TAG_FORM:
    case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose content is text up to their end tag, not markup. */
static int is_raw_text(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOSCRIPT:
        return 1;
    default:
        return 0;
    }
}

static int is_name_end(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

/* Past the "-->" that ends a comment in p[0..end), else end. */
static const char *skip_comment(const char *p, const char *end)
{
    for (; (p = memchr(p, '>', (size_t)(end - p))) != NULL; p++)
        if (p[-1] == '-' && p[-2] == '-')
            return p + 1;
    return end;
}

/* The "</name" (any case) that ends a raw text in p[0..end), else end. */
static const char *skip_raw_text(const char *p, const char *end, const char *name, size_t n)
{
    for (; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++)
        if ((size_t)(end - p) >= n + 2 && p[1] == '/' && strncasecmp(p + 2, name, n) == 0)
            return p;
    return end;
}

typedef struct {
    size_t open[GUMBO_TAG_LAST + 1]; /* elements of each name open */
    size_t depth;
} depth_scan;

/* One tag whose name is name[0..n); gt is its '>' or NULL. Returns where
 * the scan goes on. */
static const char *scan_tag(depth_scan *d, int closing, const char *name, size_t n, const char *gt,
                            const char *end)
{
    GumboTag tag = gumbo_tagn_enum(name, (unsigned)n);
    const char *after = gt ? gt + 1 : end;
    if (closing) {
        if (d->open[tag] > 0)
            d->open[tag]--, d->depth--;
        return after;
    }
    /* "<x/>" closes itself only inside SVG and MathML. */
    int foreign = d->open[GUMBO_TAG_SVG] + d->open[GUMBO_TAG_MATH] > 0;
    if (!is_uncounted(tag) && !(foreign && gt && gt[-1] == '/'))
        d->open[tag]++, d->depth++;
    if (tag == GUMBO_TAG_PLAINTEXT)
        return end; /* the rest of the page is text */
    return is_raw_text(tag) ? skip_raw_text(after, end, name, n) : after;
}

size_t pt_html_depth_estimate(const char *html, size_t len, size_t stop_at)
{
    depth_scan *d = calloc(1, sizeof *d);
    if (!d)
        return SIZE_MAX; /* cannot tell: refuse rather than risk it */
    size_t deepest = 0;
    const char *p = html, *end = html + len;
    while (deepest <= stop_at && p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        if ((size_t)(end - p) >= 3 && memcmp(p, "!--", 3) == 0) {
            p = skip_comment(p + 3, end);
            continue;
        }
        int closing = p < end && *p == '/';
        p += closing;
        if (p == end || !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            continue; /* "<!DOCTYPE", "<?xml", a lone "<": no element */
        const char *name = p;
        while (p < end && !is_name_end(*p))
            p++;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        p = scan_tag(d, closing, name, (size_t)(p - name), gt, end);
        if (d->depth > deepest)
            deepest = d->depth;
    }
    free(d);
    return deepest;
}

/* ------------------------------------------------------- the arena */

/* A block of the arena; data is aligned for any object. */
typedef struct block block;
struct block {
    block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

enum { ESCAPE_NONE, ESCAPE_MEMORY, ESCAPE_TIME, ESCAPE_NOMEM };

struct pt_html_tree {
    GumboOutput *output;
    block *blocks;        /* the newest first */
    size_t reserved;      /* bytes of all blocks */
    unsigned long allocs; /* calls, to look at the clock every so often */
    struct timespec started;
    pt_html_limits lim;
    int escaped;          /* why the parse was abandoned */
    jmp_buf escape;
};

static double cpu_seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static _Noreturn void escape(pt_html_tree *t, int why)
{
    t->escaped = why;
    longjmp(t->escape, 1);
}

/* A new block for at least size bytes: blocks grow with the arena (64 KB
 * to 4 MB) so that a small page costs little and a large one few blocks. */
static block *add_block(pt_html_tree *t, size_t size)
{
    size_t want = t->reserved < (64u << 10) ? (64u << 10) : t->reserved < (4u << 20) ? t->reserved : (4u << 20);
    size_t left = t->lim.max_bytes - t->reserved; /* reserved never passes max_bytes */
    if (want > left)
        want = left;
    if (want < size)
        want = size;
    if (want > left)
        escape(t, ESCAPE_MEMORY);
    block *b = malloc(sizeof *b + want);
    if (!b)
        escape(t, ESCAPE_NOMEM);
    b->next = t->blocks;
    b->used = 0;
    b->size = want;
    t->blocks = b;
    t->reserved += want;
    return b;
}

/* gumbo's allocator: bump allocation in the arena, with the budget kept. */
static void *arena_alloc(void *userdata, size_t size)
{
    pt_html_tree *t = userdata;
    if ((++t->allocs & 255) == 0 && cpu_seconds_since(&t->started) > t->lim.max_cpu_seconds)
        escape(t, ESCAPE_TIME);
    size_t align = alignof(max_align_t);
    if (size > SIZE_MAX - align)
        escape(t, ESCAPE_MEMORY);
    size = (size + align - 1) & ~(align - 1);
    block *b = t->blocks;
    if (!b || b->size - b->used < size)
        b = add_block(t, size);
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

/* gumbo's deallocator: nothing; the arena is freed whole. Gumbo frees
 * little before the end (grown buffers: 5-15% of what it allocates). */
static void arena_free(void *userdata, void *ptr)
{
    (void)userdata, (void)ptr;
}

void pt_html_tree_free(pt_html_tree *t)
{
    if (!t)
        return;
    for (block *b = t->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(t);
}

/* ------------------------------------------------------------ the parse */

/* gumbo's parse, or NULL when the allocator escaped from it. Nothing here
 * changes after setjmp, so nothing is clobbered by the longjmp. */
static GumboOutput *parse_or_escape(pt_html_tree *t, const GumboOptions *options, const char *html, size_t len)
{
    if (setjmp(t->escape) != 0)
        return NULL;
    return gumbo_parse_with_options(options, html, len);
}

static int refusal(const pt_html_tree *t)
{
    if (t->escaped == ESCAPE_NOMEM)
        return pt_fail(PT_ENOMEM, "out of memory parsing the HTML");
    if (t->escaped == ESCAPE_TIME)
        return pt_fail(PT_EINVAL, "HTML too costly to parse: over %.1f s of CPU time",
                       t->lim.max_cpu_seconds);
    return pt_fail(PT_EINVAL, "HTML too costly to parse: over %zu MB of parser memory",
                   t->lim.max_bytes >> 20);
}

int pt_html_parse(pt_html_tree **out, const char *html, size_t len, const pt_html_limits *lim)
{
    *out = NULL;
    if (pt_html_depth_estimate(html, len, lim->max_depth) > lim->max_depth)
        return pt_fail(PT_EINVAL, "HTML nested deeper than %zu elements", lim->max_depth);
    pt_html_tree *t = calloc(1, sizeof *t);
    if (!t)
        return pt_fail(PT_ENOMEM, "out of memory parsing the HTML");
    t->lim = *lim;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t->started);
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = arena_alloc;
    options.deallocator = arena_free;
    options.userdata = t;
    options.max_errors = 0; /* parse errors are not used: do not keep them */
    t->output = parse_or_escape(t, &options, html, len);
    if (!t->output) {
        int rc = refusal(t);
        pt_html_tree_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

const GumboOutput *pt_html_tree_output(const pt_html_tree *t)
{
    return t->output;
}
