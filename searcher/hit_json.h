/* hit_json.h — a hit as one JSON object: the object `ptsearch --format
 * json` prints a line of and ptserve's /api/search lists under "hits".
 * Both programs link hit_json.c, so the two can never drift apart. */
#ifndef PT_HIT_JSON_H
#define PT_HIT_JSON_H

#include <jansson.h>

#include "ptsearch.h"

/* s as a JSON string, invalid UTF-8 repaired to U+FFFD (an index another
 * program wrote could hold some); NULL s gives null. NULL: no memory. */
json_t *pt_json_text(const char *s);
json_t *pt_json_textn(const char *s, size_t len);

/* {"passages": N, "articles": N}: what matched, as the engine estimates. */
json_t *pt_totals_json(const pt_hits *hits);

/* hit as {"rank", "score", "article", "path", "title", "source", "date",
 * "passage", "start", "end", "line", "highlights", "title_is_first_sentence",
 * "highlight_kinds"} plus "qid" (when not NULL), "total" (a copy of total,
 * when not NULL), "also_in" and "explain" when the hit has them. NULL: no
 * memory. */
json_t *pt_hit_json(const pt_hit *hit, const char *qid, const json_t *total);

#endif
