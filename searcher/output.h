/* output.h — prints ptsearch hits as text (for people) or JSON Lines (for
 * scripts). */
#ifndef PT_OUTPUT_H
#define PT_OUTPUT_H

#include <stdio.h>

#include "ptsearch.h"

typedef struct {
    int bold;             /* mark matched words with ANSI bold */
    unsigned width;       /* wrap passages at this many columns */
    const char *cwd;      /* paths under it are shown relative to it; may be NULL */
} pt_text_style;

void pt_print_hit_text(FILE *out, const pt_hit *hit, const pt_text_style *style);

/* One JSON object and a newline. Returns 0, or -1 when out of memory. */
int pt_print_hit_json(FILE *out, const pt_hit *hit);

#endif
