/* record.h — what the index stores beside the terms, byte by byte.
 *
 * Passage record (value slot PT_SLOT_RECORD of each passage since schema 5,
 * its document data before), version 6:
 *   u8      6 (format version; version 1 had no signature, versions 2-3
 *           a u16 per slot, of which the low byte is read, version 2 no
 *           encoding 2, versions 1-4 no headline, versions 1-5 always
 *           the article id; all are still read)
 *   varint  ordinal      passage number within its article, from 0
 *   varint  start        byte offset of the passage in its file
 *   varint  line         line of the passage start in its file, from 1
 *   u8 x16  signature    MinHash of the passage (minhash.h); all 0 = none
 *   lenstr  article id   (varint length, then the bytes); since version 6
 *                        empty when the id is its article key (ids up to
 *                        PT_MAX_ID_IN_TERM bytes): the passage carries the
 *                        key in PT_SLOT_ARTICLE, so the id was there twice
 *                        (on CNN/Daily Mail 3.4 MB, 4% of the index)
 *   lenstr  headline     (version 5) the article's headline when it stood
 *                        just before this passage in the article and was
 *                        left out of the text (the first passage, index.c);
 *                        empty otherwise. Phrases read its words before
 *                        the text's (positions.c).
 *   u8      encoding     0 = raw text, 1 = zlib stream (versions 1-2),
 *                        2 = raw deflate with the preset dictionary
 *                        pt_zdict (zdict.h), no header or checksum
 *   varint  text length  (bytes of the uncompressed passage text)
 *   ...     text         raw bytes, or the stream up to the end
 * The passage's end offset in its file is start + text length.
 *
 * Article record (Xapian user metadata under "a:" + article key), version 1:
 *   u8 1, then lenstr path, lenstr title, lenstr source, lenstr date
 *   (empty = unknown), varint number of passages, varint content hash
 *   (pt_hash_bytes over text, title, source, date and path: an article
 *   given again with the same hash is left alone), then a varint of flags
 *   (PT_ARTICLE_FLAG_*) when any is set: absent in older records, and
 *   ignored by older readers, so the version stays 1; with flag
 *   PT_ARTICLE_FLAG_CONTENT a varint of the content hash follows
 *   (pt_article_content_hash: text, title, source and date, not the path;
 *   copies.h).
 *
 * Source record (metadata under "f:" + source path, or "f#" + hash of a
 * path too long for a key), version 1:
 *   u8 1, lenstr path, varint size, varint mtime (ns, as unsigned),
 *   varint hash of the file's bytes, varint number of articles.
 * Ids record (the same key with "i" for "f"): each article's id as a lenstr.
 * Integers are unsigned LEB128 varints (buf.h). */
#ifndef PT_RECORD_H
#define PT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "store/minhash.h"
#include "store/schema.h"

typedef struct {
    uint32_t ordinal;
    uint64_t start;
    uint32_t line;
    pt_signature signature; /* minhash.h; all 0 = none */
    const char *article_id; /* decode: points into the record; empty (0
                             * length) when it is the article key, see
                             * pt_record_article_id */
    size_t article_id_len;
    const char *text;       /* encode: input; decode: malloc'd, NUL-terminated */
    size_t text_len;
    const char *headline;   /* the headline left out before the text, or NULL
                             * (0 length); decode: points into the record */
    size_t headline_len;
} pt_passage_record;

/* A deflate stream kept for encoding many passages: setting one up costs
 * more than compressing a passage. One per thread. */
typedef struct pt_deflater pt_deflater;
int pt_deflater_new(pt_deflater **out);
void pt_deflater_free(pt_deflater *d); /* NULL-safe */

/* Appends the encoding of rec to out (text compressed when that is
 * smaller), with d, or a stream of its own when d is NULL. Returns 0 or
 * PT_ENOMEM. */
int pt_record_encode_passage(pt_buf *out, const pt_passage_record *rec, pt_deflater *d);

/* Decodes data[0..len). On success rec->text is malloc'd (the caller frees
 * it) and rec->article_id points into data. PT_ECORRUPT on a bad record. */
int pt_record_decode_passage(pt_passage_record *rec, const char *data, size_t len);

/* The passage's article id: its own in rec, or when rec leaves it out, the
 * article key key[0..key_len) the passage carries (value PT_SLOT_ARTICLE).
 * *id points into rec's record or key. PT_ECORRUPT when neither has one. */
int pt_record_article_id(const pt_passage_record *rec, const char *key, size_t key_len, const char **id,
                         size_t *id_len);

/* Article record flags. */
#define PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE 1u /* no headline: the title is the text's first sentence */
#define PT_ARTICLE_FLAG_COPY 2u    /* an exact copy of another article: no passages of its own (copies.h) */
#define PT_ARTICLE_FLAG_CONTENT 4u /* the record ends with the content hash */

typedef struct {
    char *path, *title, *source, *date; /* NULL when unknown */
    uint64_t passages;
    uint64_t hash;
    uint64_t flags; /* PT_ARTICLE_FLAG_* */
    uint64_t content; /* with PT_ARTICLE_FLAG_CONTENT, else 0 */
} pt_article_record;

/* content is written (and PT_ARTICLE_FLAG_CONTENT set) when flags has
 * PT_ARTICLE_FLAG_CONTENT. */
int pt_record_encode_article(pt_buf *out, const char *path, const char *title,
                             const char *source, const char *date, uint64_t passages,
                             uint64_t hash, uint64_t flags, uint64_t content);
/* On success the strings are malloc'd: free with pt_article_record_clear. */
int pt_record_decode_article(pt_article_record *rec, const char *data, size_t len);
void pt_article_record_clear(pt_article_record *rec); /* NULL-safe */

typedef struct {
    const char *path; /* decode: points into the record */
    size_t path_len;
    uint64_t size, hash;
    int64_t mtime_ns;
    uint64_t n_ids;
    const char *ids;  /* the lenstr list of the ids record; set by the caller */
    size_t ids_len;
} pt_source_record;

/* Encodes a source's stamp record: path, size, mtime, hash, and how many
 * articles it gave. Their ids are a separate record (pt_record_encode_ids)
 * so that checking a stamp never reads a list of 100,000 ids. */
int pt_record_encode_source(pt_buf *out, const char *path, uint64_t size, int64_t mtime_ns,
                            uint64_t hash, uint64_t n_ids);
/* Encodes the ids record: ids[0..n_ids) as length-prefixed strings. */
int pt_record_encode_ids(pt_buf *out, const char *const *ids, size_t n_ids);
/* Decodes a stamp record; strings point into data; ids stay empty.
 * PT_ECORRUPT on a bad record. */
int pt_record_decode_source(pt_source_record *rec, const char *data, size_t len);
/* Reads the next id of rec->ids (an ids record, in order); returns 0, or
 * PT_ENOTFOUND after the last. *cursor starts at 0. */
int pt_record_next_id(const pt_source_record *rec, size_t *cursor, const char **id, size_t *len);

/* The article's key in terms, values and metadata keys: the id itself, or
 * for ids longer than PT_MAX_ID_IN_TERM, "#" and a 64-bit FNV-1a hash of
 * it (Xapian terms and keys are limited to 245 bytes). */
void pt_article_key(const char *id, char out[PT_MAX_ID_IN_TERM + 1]);

#endif
