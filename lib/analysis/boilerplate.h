/* boilerplate.h — recognises paragraphs that are not the article: runs of
 * other headlines, share and comment prompts ("Spread the love", "Leave a
 * Reply"), "See Also:" links, photo credits ("John Macdougall | Afp |
 * Getty Images") and the captions they credit, date lines, and with a
 * context the lines its source repeats (recurring.h) and the headline
 * repeated as the first line. Conservative: when in doubt, a paragraph is
 * kept. */
#ifndef PT_BOILERPLATE_H
#define PT_BOILERPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/recurring.h"
#include "ptsearch.h"

/* What the filter knows about the article beyond one paragraph. The
 * filter sees the paragraphs in order and updates the last fields. */
typedef struct {
    const char *title;             /* the article's headline, or NULL */
    size_t text_len;               /* length of the whole text (to look ahead) */
    pt_recurring *recurring; /* the table of the index, or NULL */
    uint64_t source;               /* pt_recurring_source of the article's outlet */
    int lede_seen;                 /* a paragraph of prose was kept already */
    int headline_dropped;          /* the first line repeated the headline */
    size_t recurring_dropped;      /* paragraphs (or glued pieces) dropped as recurring lines */
} pt_boilerplate_ctx;

/* A pt_boilerplate_ctx for an article; recurring may be NULL. */
void pt_boilerplate_ctx_init(pt_boilerplate_ctx *c, const char *title, size_t text_len,
                             pt_recurring *recurring, const char *source);

/* A pt_paragraph_filter (passage.h): returns 1 to keep text[start..end),
 * 0 when it is boilerplate. ctx is a pt_boilerplate_ctx, or NULL for the
 * rules that look at the paragraph alone. With a context, also dropped:
 * a line that recurs across the source's articles (recurring.h), a short
 * line just before a photo credit (its caption), and a first line that
 * repeats the headline when more text follows (the first passage starts
 * at the lede). */
int pt_boilerplate_keep(const char *text, size_t start, size_t end, void *ctx);

/* A pt_paragraph_trim (passage.h) for a line pt_boilerplate_keep kept:
 * leaves out a line the source repeats (recurring.h) glued before or
 * after the text on the same line, after a sentence end, a colon or a
 * closing quote ("Scroll down for video... Busted: ...", "Here's how she
 * got on... Scroll down for video."), as it would be dropped on a line of
 * its own; each piece counts in recurring_dropped. ctx as for keep. */
void pt_boilerplate_trim(const char *text, size_t *start, size_t *end, void *ctx);

/* pt_boilerplate_is_credit and pt_boilerplate_is_caption: in ptsearch.h
 * (indexer/text_fields.c skips credits and captions when it looks for a title). */

#endif
