/* recurring.h — the per-source table of recurring lines: for each outlet,
 * in how many of its articles each short line occurs. A line that recurs
 * across many articles of one source ("Scroll down for video", a menu line,
 * a share prompt) is that source's boilerplate, learned from the data
 * rather than listed. The table is kept in the index (metadata
 * PT_META_RECURRING + bucket, layout in recurring.c). */
#ifndef PT_RECURRING_H
#define PT_RECURRING_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* A line is a candidate when it has this many words (with a letter) and
 * no digit: shorter lines are table labels and sign-offs ("Year", "Nine
 * mths") that mean something only in place; a digit makes a line a fact
 * (a date, a dividend) even when it repeats. */
enum { PT_RECUR_MIN_WORDS = 3, PT_RECUR_MAX_WORDS = 25 };

/* Boilerplate: in at least this many articles of the source, and in at
 * least 1 of PT_RECUR_SHARE of them (0.5%): "Terms were not disclosed."
 * (0.3% of Reuters) and "The trial continues." (0.2% of the Daily Mail)
 * stay; "Scroll down for video" (28%) and "All rights reserved." (2.5%
 * of CNN) go. */
enum { PT_RECUR_MIN_ARTICLES = 8, PT_RECUR_SHARE = 200 };

typedef struct pt_recurring pt_recurring;

/* An empty table, or NULL when out of memory. */
pt_recurring *pt_recurring_new(void);
void pt_recurring_free(pt_recurring *t); /* NULL-safe */

/* Counts one article of source (NULL or "" for an unknown one): the
 * article itself, and each distinct candidate line of text[0..len) once,
 * unless the first article counted for that line had the same headline
 * (title, may be NULL; "Re:" aside): a thread quoting a line counts once.
 * Returns 0 or PT_ENOMEM (the table is then as before or partly counted:
 * counts only decide what is hidden, never what is stored). */
int pt_recurring_learn(pt_recurring *t, const char *source, const char *title, const char *text,
                       size_t len);

/* The hash of source as the table keys it. */
uint64_t pt_recurring_source(const char *source);

/* Is text[start..end) (one line) boilerplate of the source? (It may read
 * a bucket through the table's loader.) */
int pt_recurring_is_boilerplate(pt_recurring *t, uint64_t source, const char *text, size_t start,
                                size_t end);

/* Has anything been learned since the last store or decode? */
int pt_recurring_dirty(const pt_recurring *t);

/* The table is stored in buckets (layout in recurring.c), each its own
 * metadata entry: bucket b under PT_META_RECURRING and b in 3 hex digits. */
enum { PT_RECUR_BUCKET_BITS = 10, PT_RECUR_BUCKETS = 1 << PT_RECUR_BUCKET_BITS };

/* Reads stored bucket `bucket` into the table (pt_recurring_decode_bucket)
 * or leaves it empty when none is stored; returns 0 or a status. */
typedef int (*pt_recurring_load_fn)(unsigned bucket, void *ctx);

/* Has t read each stored bucket through load the first time one of its
 * keys is needed, instead of all at open. A load's failure is returned by
 * the next learn and every store (which then writes nothing). */
void pt_recurring_set_loader(pt_recurring *t, pt_recurring_load_fn load, void *ctx);

/* Reads every bucket not read yet (before threads share the table:
 * lookups then change nothing). Returns the first load failure or 0. */
int pt_recurring_load_all(pt_recurring *t);

/* Receives the encoding of one bucket to store; non-zero stops. */
typedef int (*pt_recurring_put_fn)(unsigned bucket, const void *data, size_t len, void *ctx);

/* Hands put each bucket changed since it was read (none when nothing
 * was learned), then marks the table clean. 0, PT_ENOMEM, or put's
 * status (the table then stays dirty). */
int pt_recurring_store(pt_recurring *t, pt_recurring_put_fn put, void *ctx);

/* Adds a stored bucket's entries to t (read once each). 0,
 * PT_ECORRUPT (none of its entries added and the bucket marked to be
 * written anew at the next store), PT_ENOMEM. */
int pt_recurring_decode_bucket(pt_recurring *t, unsigned bucket, const void *data, size_t len);

#endif
