/* boilerplate.h — recognises paragraphs that are not the article: runs of
 * other headlines, share and comment prompts ("Spread the love", "Leave a
 * Reply"), "See Also:" links, photo credits ("John Macdougall | Afp |
 * Getty Images"). Conservative: when in doubt, a paragraph is kept. */
#ifndef PT_BOILERPLATE_H
#define PT_BOILERPLATE_H

#include <stddef.h>

/* A pt_paragraph_filter (passage.h): returns 1 to keep text[start..end),
 * 0 when it is boilerplate. ctx is unused (may be NULL). */
int pt_boilerplate_keep(const char *text, size_t start, size_t end, void *ctx);

#endif
