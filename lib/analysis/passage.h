/* passage.h — cuts an article's text into passages of whole sentences,
 * about 40–120 words each. A "sentence" longer than the cap (a run of
 * headlines with no full stop) is cut at word boundaries, so no passage
 * exceeds PT_PASSAGE_HARD_MAX words. Passages never cross a dropped
 * paragraph, and never cross articles (the splitter sees one article). */
#ifndef PT_PASSAGE_H
#define PT_PASSAGE_H

#include <stddef.h>

#define PT_PASSAGE_MIN_WORDS 40
#define PT_PASSAGE_MAX_WORDS 120
#define PT_PASSAGE_HARD_MAX 150

typedef struct {
    size_t start, end; /* byte range in the text; trimmed of surrounding space */
    unsigned words;    /* number of words in the range */
} pt_passage;

/* Decides whether a paragraph is article text. A paragraph is one non-blank
 * line (ended by \n, \r or \r\n); [start, end) is its byte range in text,
 * trimmed of surrounding space. Return non-zero to keep it. NULL keeps all.
 * Passages never join text from both sides of a dropped paragraph. */
typedef int (*pt_paragraph_filter)(const char *text, size_t start, size_t end, void *ctx);

/* Splits text[0..len) (UTF-8, not necessarily NUL-terminated) into
 * passages. On success *out is a malloc'd array of *n_out passages (NULL
 * when there are none) that the caller frees with free(). Returns 0 or
 * PT_ENOMEM. */
int pt_passages_split(pt_passage **out, size_t *n_out, const char *text, size_t len,
                      pt_paragraph_filter filter, void *filter_ctx);

#endif
