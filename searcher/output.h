/* output.h — prints ptsearch hits: text for people, JSON Lines for
 * scripts, TREC run lines for evaluation; and ptsearch's messages. */
#ifndef PT_OUTPUT_H
#define PT_OUTPUT_H

#include <stdio.h>

#include "ptsearch.h"

typedef enum { PT_FORMAT_TEXT, PT_FORMAT_JSON, PT_FORMAT_TREC } pt_format;

typedef struct {
    pt_format format;
    int bold;        /* text: mark matched words with ANSI bold */
    unsigned width;  /* text: wrap passages at this many columns */
    const char *cwd; /* text: paths under it are shown relative to it; may be NULL */
} pt_output;

/* Prints every hit of one query. qid names the query in batch mode (JSON
 * and TREC carry it; text prints a header line) and is NULL for a single
 * query (TREC then uses "1"). Returns 0, or -1 when a hit cannot be
 * written (no memory for it; the caller says so). */
int pt_output_hits(FILE *out, const pt_output *o, const pt_hits *hits, const char *qid, const char *query);

/* "Did you mean" for one query (suggestion NULL: nothing printed). Text:
 * "ptsearch: did you mean: ..." on stderr (batch: "ptsearch: WHERE: QID:
 * did you mean: ...", where is FILE:LINE); JSON: a last line
 * {"suggestion": "..."} on out, with "qid" in batch mode; TREC: nothing.
 * Returns 0 or -1. */
int pt_output_suggestion(FILE *out, const pt_output *o, const char *suggestion, const char *where,
                         const char *qid);

/* The typed words no passage has, searched through their variants or
 * related words (pt_hits_substitution). Text: "ptsearch: no passage has
 * 'donbas'; showing 'donbass'" on stderr (batch: after "WHERE: QID:");
 * JSON: a line {"no_passage_has": "donbas", "showing": ["donbass"]} on
 * out (with "qid" in batch mode); TREC: nothing. Returns 0 or -1. */
int pt_output_substitutions(FILE *out, const pt_output *o, const pt_hits *hits, const char *where,
                            const char *qid);

/* Writes s[0..n) with control characters (an ESC a terminal would obey)
 * and invalid UTF-8 bytes as \xHH escapes. */
void pt_put_visible(FILE *out, const char *s, size_t n);

/* "ptsearch: " and the formatted message on stderr, made visible as
 * pt_put_visible does (messages quote queries and index text). */
void pt_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
