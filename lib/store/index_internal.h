/* index_internal.h — the writer's state, shared by index.c (articles) and
 * sources.c (the manifest of source files). */
#ifndef PT_INDEX_INTERNAL_H
#define PT_INDEX_INTERNAL_H

#include <stdint.h>

#include "analysis/analyzer.h"
#include "util/buf.h"
#include "ptsearch.h"
#include "store/record.h"
#include "analysis/recurring.h"
#include "store/learned.h"
#include "xapian/xapian_binding.h"

/* The source file being read (pt_index_source_begin .. _end) and the ids
 * of the articles it gave so far. */
typedef struct {
    char *path;  /* NULL when no pass is open */
    char **ids;  /* malloc'd copies */
    size_t n, cap;
} pt_source_pass;

struct pt_index {
    char *dir;
    ptx_writer *writer;
    pt_analyzer *analyzer;
    ptx_doc *doc;
    pt_deflater *deflater; /* passage text compression */
    pt_buf scratch;        /* record encoding, term building */
    pt_buf article_terms;  /* NUL-separated filter terms shared by all passages */
    int64_t article_count; /* committed + pending article records, copies not counted */
    int64_t copy_count;    /* committed + pending copies' records (copies.h) */
    pt_source_pass pass;
    int is_part; /* a part of a parallel build: its directory goes with it */
    /* The lines each source repeats (recurring.h): owned, loaded from the
     * index and stored at each commit; or borrowed from another pt_index
     * (a part of a parallel build uses the main index's, read-only). */
    pt_recurring *recurring;
    int recurring_borrowed;
    pt_learned learned; /* the articles the owned table counts (learned.h) */
    /* A sharded index (shard.c): this pt_index writes shard 0, which keeps
     * the manifest, the roots and the table of recurring lines; shards[k]
     * writes shard k (shards[0] is this one), and top_dir is the directory
     * holding the stub. n_shards is 0 for an index without shards. */
    pt_index **shards;
    unsigned n_shards;
    char *top_dir;
    pt_index *top; /* a shard's: the index it is a shard of; else NULL */
};

/* The article record stored under key in ix: PT_OK with *found set (and
 * then *rec to clear with pt_article_record_clear), or an error. */
int pt_index_load_record(pt_index *ix, const char *key, pt_article_record *rec, int *found);

/* Stores rec under key in ix. */
int pt_index_put_record(pt_index *ix, const char *key, const pt_article_record *rec);

/* Adds n passages to ix as article a's (key: its key; a's text unused),
 * from the passage records records[i] (lens[i] bytes) of an article of
 * the same content: their text analyzed again, their places moved by
 * line_delta and offset_delta (copies.c hands passages on so). */
int pt_index_write_passages_of(pt_index *ix, const pt_article *a, const char *key, const char *const *records,
                               const size_t *lens, size_t n, int64_t line_delta, int64_t offset_delta);

/* Adds delta to ix's count of articles with passages (n:articles). */
int pt_index_count_article(pt_index *ix, int delta);

/* Deletes the article with this id, its passages and record, without
 * touching the manifest (sources.c keeps it). *path_out (may be NULL)
 * receives the article's recorded path, malloc'd or NULL. PT_ENOTFOUND
 * when there is no such article. */
int pt_index_drop_article(pt_index *ix, const char *id, char **path_out);

/* The source path no longer lists article id, and its stamp is made stale
 * so that the next run reads the file again (and adds the article back if
 * the file still has it). No such source: nothing to do. */
int pt_index_source_forget(pt_index *ix, const char *path, const char *id);

/* Remembers that the open source pass (if any) gave article id. */
int pt_index_source_note(pt_index *ix, const char *id);

/* Creates an empty committed index at dir unless one is there; dir is
 * never left half-created (index_create.c). PT_EINVAL when dir exists and
 * holds something else. */
int pt_index_create_if_missing(const char *dir);

/* Removes the temporary siblings of DIR whose makers are gone (what a
 * kill -9 leaves): DIR.new-PID, DIR.rebuild-PID, DIR.compact-PID,
 * DIR.part-PID-K, and their nestings such as DIR.rebuild-PID.compact-PID. */
void pt_index_remove_stale_temps(const char *dir);

/* The directory of part k of a parallel build of dir: DIR.part-PID-K
 * beside it (so pt_index_remove_stale_temps finds what a kill leaves);
 * malloc'd (the caller frees it), NULL when out of memory. */
char *pt_index_part_dir(const char *dir, unsigned k);

/* Opens the index without shards in dir (pt_index_open when dir holds no
 * stub). */
int pt_index_open_plain(pt_index **out, const char *dir, unsigned flags);

/* The shard writer of article id: ix itself without shards (or for an
 * empty id, which the caller refuses). */
pt_index *pt_index_route(pt_index *ix, const char *id);

/* The shard count the stub of the sharded index dir lists (*n); PT_EINVAL
 * when it lists other shards than ptindex makes. */
int pt_index_stub_count(const char *dir, unsigned *n);

/* 1 when dir holds a stub file XAPIANDB (a sharded index, or meant as one). */
int pt_index_stub_file_exists(const char *dir);

/* dir/shard-k, malloc'd (NULL when out of memory). */
char *pt_index_shard_dir(const char *dir, unsigned k);

/* Frees shards 1.. of a sharded ix (before ix, whose table they borrow). */
void pt_index_free_shards(pt_index *ix);

/* Removes a Xapian database directory (and the shard directories in a
 * sharded one). */
void pt_index_remove_dir(const char *dir);

#endif
