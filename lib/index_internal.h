/* index_internal.h — the writer's state, shared by index.c (articles) and
 * sources.c (the manifest of source files). */
#ifndef PT_INDEX_INTERNAL_H
#define PT_INDEX_INTERNAL_H

#include <stdint.h>

#include "analyzer.h"
#include "buf.h"
#include "ptsearch.h"
#include "record.h"
#include "xapian_binding.h"

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
    int64_t article_count; /* committed + pending article records */
    pt_source_pass pass;
    int is_part; /* a part of a parallel build: its directory goes with it */
};

/* Remembers that the open source pass (if any) gave article id. */
int pt_index_source_note(pt_index *ix, const char *id);

/* Creates an empty committed index at dir unless one is there; dir is
 * never left half-created (index_create.c). PT_EINVAL when dir exists and
 * holds something else. */
int pt_index_create_if_missing(const char *dir);

/* Removes DIR.new-PID, DIR.rebuild-PID and DIR.compact-PID siblings whose
 * process is gone (what a kill -9 leaves). */
void pt_index_remove_stale_temps(const char *dir);

/* The directory of part k of a parallel build of dir: DIR.part-PID-K
 * beside it (so pt_index_remove_stale_temps finds what a kill leaves). */
void pt_index_part_dir(const char *dir, unsigned k, char out[4200]);

/* Removes a Xapian database directory (flat: no subdirectories). */
void pt_index_remove_dir(const char *dir);

#endif
