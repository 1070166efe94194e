/* text_fields.h — an article's fields read from its text: a first-line title,
 * a date line (`date 2025-12-15`, `December 16, 2025`, `Dec 15, 2025`), and
 * the outlet where the text names it (a closing `with AP` line, `originally
 * published in Radio Free Europe/Radio Liberty (RFE/RL).`, a `(Reuters) -`
 * dateline). A caption credit such as `-AP` or `| Afp | Getty Images` names
 * the photo's agency, not the text's, and is not used. A value that cannot
 * be read is left absent, never guessed: a date inside a sentence is not
 * the article's date. */
#ifndef PT_TEXT_FIELDS_H
#define PT_TEXT_FIELDS_H

#include <stddef.h>

#include "ptsearch.h" /* pt_date_parse, which the extractors use with these */

typedef struct {
    int title_is_first_sentence; /* no headline: title is the first sentence */
    char *title;  /* malloc'd, or NULL */
    char *source; /* malloc'd, or NULL */
    char *date;   /* malloc'd "YYYY-MM-DD", or NULL */
} pt_text_fields;

/* Fills *out from text[0..len) (need not be NUL-terminated; NUL bytes
 * become spaces and invalid UTF-8 becomes U+FFFD in the strings). Title:
 * the first non-blank line that is not a date line, a photo caption or a
 * credit, cut at a word to at most 150 characters ending in "…"; when
 * that line is prose, not a headline (over 20 words, or over 12 ending in
 * a full stop), the text has no headline: the title is its first
 * sentence and title_is_first_sentence is set. Only the first 12 and last 3
 * non-blank lines are read. *out is overwritten, not freed. Returns 0 or
 * PT_ENOMEM. The caller frees with pt_text_fields_clear even after a
 * failure. */
int pt_text_fields_read(pt_text_fields *out, const char *text, size_t len);

/* Frees the strings and sets them to NULL; NULL-safe. */
void pt_text_fields_clear(pt_text_fields *fields);

#endif
