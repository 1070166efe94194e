/* copies.h — exact copies. News dumps carry the same article under several
 * ids (a wire story re-sent, a feed crawled twice, the ×10 benchmark); an
 * article whose text, title, source and date equal those of an indexed
 * article (its original) is stored as a copy: its article record, flagged
 * PT_ARTICLE_FLAG_COPY, and no passages. So the copies cost no matching,
 * and the statistics (passages, lengths, article counts) are those of the
 * index without them: a search ranks as it would with one of each, and
 * shows the copies beside their original's passages (search.c).
 *
 * Layout (schema.h): "h:" + content hash → the original ("LINE OFFSET ID":
 * where its text starts in its file, and its id), in the original's shard;
 * "c:" + the original's key → its copies, in the same shard; "k:" + a
 * copy's key → the original's id, in the copy's shard; "n:copies" counts
 * the copies' records (n:articles does not). Within one shard or one
 * unsharded index, and across the shards of one sharded index (the writer
 * holds them all); a parallel build sends copies to their original's part
 * (parallel.c). Copies in different indexes of a stub file are not found. */
#ifndef PT_COPIES_H
#define PT_COPIES_H

#include <stddef.h>
#include <stdint.h>

#include "ptsearch.h"
#include "store/record.h"
#include "xapian/xapian_binding.h"

/* ------------------------------------------------------- writer side */

/* An indexed article holding the passages of a content. */
typedef struct {
    char *id;          /* pt_copies_find: malloc'd, the caller frees it */
    pt_index *holder;  /* the writer of its shard */
    int64_t line, offset; /* where its text starts in its file */
} pt_original;

/* The original of content other than the article key self_key, in ix or
 * any shard of its index; out->id NULL when there is none. */
int pt_copies_find(pt_index *ix, uint64_t content, const char *self_key, pt_original *out);

/* Stores a (key, hash: index.c's change hash) in ix as a copy of orig: its
 * record, "k:", its entry in the original's list, and the count. */
int pt_copies_add(pt_index *ix, const pt_article *a, const char *key, uint64_t hash, uint64_t content,
                  const pt_original *orig);

/* Notes that a (not a copy) now holds the passages of its content. */
int pt_copies_note_original(pt_index *ix, const pt_article *a, uint64_t content);

/* Before the article key (record old, not a copy) is deleted from ix: when
 * it has copies, the first becomes the original (its passages are the
 * old ones analyzed again under its id, in its own shard) and the others
 * copy it; the content's "h:" entry follows. */
int pt_copies_before_delete(pt_index *ix, const char *key, const pt_article_record *old);

/* Before the copy key (record old) is deleted from ix: its entry leaves its
 * original's list, and its "k:" and count go. */
int pt_copies_forget(pt_index *ix, const char *key);

/* A copy given again unchanged: its original lists it (a kill between two
 * shards' commits can leave the copy's record without the entry).
 * PT_ENOTFOUND when its original is gone (a kill before the original's
 * shard committed its removal, after the copy's did not take its
 * passages): the caller stores the article again. */
int pt_copies_ensure_listed(pt_index *ix, const pt_article *a, const char *key);

/* ------------------------------------------------------- reader side */

typedef struct {
    char *id, *path; /* malloc'd */
    int64_t line_delta, offset_delta; /* its text's line and offset less the original's */
} pt_copy;

/* The copies of the article key (its key, not its id) as the reader sees
 * them: *out malloc'd (free with pt_copies_free), *n 0 when none. */
int pt_copies_read(ptx_reader *r, const char *key, pt_copy **out, size_t *n);
void pt_copies_free(pt_copy *copies, size_t n); /* NULL-safe */

/* The index of the copy whose id has article key key in list[0..n), or
 * n when none has. */
size_t pt_copies_find_key(const pt_copy *list, size_t n, const char *key);

/* The id of the original of the copy key (malloc'd), or PT_ENOTFOUND when
 * key is not a copy. */
int pt_copies_original_of(ptx_reader *r, const char *key, char **orig_id);

#endif
