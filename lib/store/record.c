/* record.c — encodes and decodes the passage and article records whose
 * byte layout record.h documents; passage text is deflated with a preset
 * dictionary of English words (zdict.h) when that saves space. */
#include "store/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/error.h"
#include "ptsearch.h"
#include "store/zdict.h"

enum { RECORD_VERSION = 1, PASSAGE_VERSION = 6, ENC_RAW = 0, ENC_ZLIB = 1, ENC_DEFLATE_DICT = 2 };

/* Below this size even a dictionary saves nothing. */
#define COMPRESS_MIN_BYTES 16
#define DEFLATE_LEVEL 6 /* 9 saves 0.05% more on Reuters */
#define DEFLATE_MEM_LEVEL 8

struct pt_deflater {
    z_stream z;
};

int pt_deflater_new(pt_deflater **out)
{
    *out = NULL;
    pt_deflater *d = calloc(1, sizeof *d);
    if (!d)
        return pt_fail(PT_ENOMEM, "out of memory");
    /* Raw deflate: the record keeps the length, which decoding checks. */
    if (deflateInit2(&d->z, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, DEFLATE_MEM_LEVEL,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        free(d);
        return pt_fail(PT_ENOMEM, "zlib: cannot start a deflate stream");
    }
    *out = d;
    return PT_OK;
}

void pt_deflater_free(pt_deflater *d)
{
    if (!d)
        return;
    deflateEnd(&d->z);
    free(d);
}

/* Deflates text into dst (room for deflateBound); returns the compressed
 * length, or 0 when it did not fit. */
static size_t deflate_text(pt_deflater *d, const char *text, size_t len, uint8_t *dst, size_t room)
{
    z_stream *z = &d->z;
    if (deflateReset(z) != Z_OK ||
        deflateSetDictionary(z, (const Bytef *)pt_zdict, (uInt)pt_zdict_len) != Z_OK)
        return 0;
    z->next_in = (Bytef *)text;
    z->avail_in = (uInt)len;
    z->next_out = dst;
    z->avail_out = (uInt)room;
    return deflate(z, Z_FINISH) == Z_STREAM_END ? room - z->avail_out : 0;
}

static int append_compressed(pt_buf *out, const char *text, size_t len, pt_deflater *d)
{
    size_t room = deflateBound(&d->z, len);
    int rc = pt_buf_reserve(out, 1 + 10 + room);
    if (rc)
        return rc;
    size_t header = out->len;
    pt_buf_append_byte(out, ENC_DEFLATE_DICT);
    pt_buf_append_varint(out, len);
    size_t zlen = deflate_text(d, text, len, (uint8_t *)out->data + out->len, room);
    if (zlen && zlen < len) {
        out->len += zlen;
        out->data[out->len] = '\0';
        return PT_OK;
    }
    out->len = header; /* incompressible: stored raw */
    return PT_ENOTFOUND;
}

static int append_text(pt_buf *out, const char *text, size_t len, pt_deflater *d)
{
    if (len >= COMPRESS_MIN_BYTES && len <= 64u * 1024 * 1024) {
        pt_deflater *own = NULL;
        int rc = d ? PT_OK : pt_deflater_new(&own);
        if (!rc)
            rc = append_compressed(out, text, len, d ? d : own);
        pt_deflater_free(own);
        if (rc != PT_ENOTFOUND)
            return rc;
    }
    int rc = pt_buf_append_byte(out, ENC_RAW);
    if (!rc)
        rc = pt_buf_append_varint(out, len);
    return rc ? rc : pt_buf_append(out, text, len);
}

int pt_record_encode_passage(pt_buf *out, const pt_passage_record *rec, pt_deflater *d)
{
    int rc = pt_buf_append_byte(out, PASSAGE_VERSION);
    if (!rc) rc = pt_buf_append_varint(out, rec->ordinal);
    if (!rc) rc = pt_buf_append_varint(out, rec->start);
    if (!rc) rc = pt_buf_append_varint(out, rec->line);
    for (int i = 0; !rc && i < PT_MINHASH_SLOTS; i++)
        rc = pt_buf_append_byte(out, rec->signature.slot[i]);
    if (!rc) rc = pt_buf_append_lenstr(out, rec->article_id, rec->article_id_len);
    if (!rc) rc = pt_buf_append_lenstr(out, rec->headline ? rec->headline : "", rec->headline ? rec->headline_len : 0);
    return rc ? rc : append_text(out, rec->text, rec->text_len, d);
}

/* Inflates src (raw deflate with the preset dictionary) into exactly len
 * bytes of text. */
static int inflate_text(const uint8_t *src, size_t avail, char *text, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return pt_fail(PT_ENOMEM, "zlib: cannot start an inflate stream");
    int rc = inflateSetDictionary(&z, (const Bytef *)pt_zdict, (uInt)pt_zdict_len);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)avail;
    z.next_out = (Bytef *)text;
    z.avail_out = (uInt)len;
    if (rc == Z_OK)
        rc = inflate(&z, Z_FINISH);
    int whole = rc == Z_STREAM_END && z.avail_out == 0 && z.avail_in == 0;
    inflateEnd(&z);
    return whole ? PT_OK : pt_fail(PT_ECORRUPT, "passage text does not decompress");
}

static int read_text(pt_cursor *r, char **text_out, size_t *len_out)
{
    uint8_t enc;
    uint64_t len;
    int rc = pt_read_byte(r, &enc);
    if (!rc)
        rc = pt_read_varint(r, &len);
    if (rc)
        return rc;
    size_t avail = (size_t)(r->end - r->p);
    if (enc == ENC_RAW ? len != avail : enc > ENC_DEFLATE_DICT || len > 64u * 1024 * 1024)
        return pt_fail(PT_ECORRUPT, "bad passage text in record");
    char *text = malloc(len + 1);
    if (!text)
        return pt_fail(PT_ENOMEM, "out of memory");
    uLongf got = len;
    rc = PT_OK;
    if (enc == ENC_RAW)
        memcpy(text, r->p, len);
    else if (enc == ENC_DEFLATE_DICT)
        rc = inflate_text(r->p, avail, text, len);
    else if (uncompress((Bytef *)text, &got, r->p, avail) != Z_OK || got != len)
        rc = pt_fail(PT_ECORRUPT, "passage text does not decompress");
    if (rc) {
        free(text);
        return rc;
    }
    text[len] = '\0';
    *text_out = text;
    *len_out = len;
    return PT_OK;
}

/* A record that does not decode is damage in the index (or a writer we do
 * not know): say so, so that the reader is told what to do. */
static int damaged(int rc, const char *kind)
{
    if (rc != PT_ECORRUPT)
        return rc;
    char why[PT_ERROR_MAX];
    snprintf(why, sizeof why, "%s", pt_error_last());
    return pt_fail(PT_ECORRUPT, "index is damaged: %s record: %s", kind, why);
}

static int decode_passage(pt_passage_record *rec, const char *data, size_t len)
{
    pt_cursor r = {(const uint8_t *)data, (const uint8_t *)data + len};
    uint8_t version;
    uint64_t ordinal, start, line;
    char *text = NULL;
    memset(rec, 0, sizeof *rec);
    int rc = pt_read_byte(&r, &version);
    if (!rc && (version < 1 || version > PASSAGE_VERSION))
        return pt_fail(PT_EVERSION, "passage record version %u is not supported", version);
    if (!rc) rc = pt_read_varint(&r, &ordinal);
    if (!rc) rc = pt_read_varint(&r, &start);
    if (!rc) rc = pt_read_varint(&r, &line);
    for (int i = 0; !rc && version >= 2 && i < PT_MINHASH_SLOTS; i++) {
        uint8_t hi = 0; /* versions 2-3: a little-endian u16, of which the
                         * low byte is kept (one index never mixes versions) */
        rc = pt_read_byte(&r, &rec->signature.slot[i]);
        if (!rc && version < 4)
            rc = pt_read_byte(&r, &hi);
    }
    if (!rc) rc = pt_read_lenstr(&r, &rec->article_id, &rec->article_id_len);
    if (!rc && version >= 5) rc = pt_read_lenstr(&r, &rec->headline, &rec->headline_len);
    if (!rc) rc = read_text(&r, &text, &rec->text_len);
    if (rc)
        return rc;
    if (rec->headline_len == 0)
        rec->headline = NULL;
    rec->ordinal = (uint32_t)ordinal;
    rec->start = start;
    rec->line = (uint32_t)line;
    rec->text = text;
    return PT_OK;
}

static size_t len_or_zero(const char *s)
{
    return s ? strlen(s) : 0;
}

int pt_record_encode_article(pt_buf *out, const char *path, const char *title,
                             const char *source, const char *date, uint64_t passages,
                             uint64_t hash, uint64_t flags, uint64_t content)
{
    const char *fields[] = {path, title, source, date};
    int rc = pt_buf_append_byte(out, RECORD_VERSION);
    for (size_t i = 0; !rc && i < 4; i++)
        rc = pt_buf_append_lenstr(out, fields[i] ? fields[i] : "", len_or_zero(fields[i]));
    if (!rc)
        rc = pt_buf_append_varint(out, passages);
    if (!rc)
        rc = pt_buf_append_varint(out, hash);
    if (!rc && flags)
        rc = pt_buf_append_varint(out, flags);
    return rc || !(flags & PT_ARTICLE_FLAG_CONTENT) ? rc : pt_buf_append_varint(out, content);
}

static int dup_field(pt_cursor *r, char **out)
{
    const char *s;
    size_t len;
    int rc = pt_read_lenstr(r, &s, &len);
    if (rc || len == 0)
        return rc;
    *out = strndup(s, len);
    return *out ? PT_OK : pt_fail(PT_ENOMEM, "out of memory");
}

static int decode_article(pt_article_record *rec, const char *data, size_t len)
{
    pt_cursor r = {(const uint8_t *)data, (const uint8_t *)data + len};
    uint8_t version;
    memset(rec, 0, sizeof *rec);
    int rc = pt_read_byte(&r, &version);
    if (!rc && version != RECORD_VERSION)
        return pt_fail(PT_EVERSION, "article record version %u is not supported", version);
    char **fields[] = {&rec->path, &rec->title, &rec->source, &rec->date};
    for (size_t i = 0; !rc && i < 4; i++)
        rc = dup_field(&r, fields[i]);
    if (!rc)
        rc = pt_read_varint(&r, &rec->passages);
    if (!rc)
        rc = pt_read_varint(&r, &rec->hash);
    if (!rc && r.p < r.end)
        rc = pt_read_varint(&r, &rec->flags);
    if (!rc && (rec->flags & PT_ARTICLE_FLAG_CONTENT))
        rc = pt_read_varint(&r, &rec->content);
    if (rc)
        pt_article_record_clear(rec);
    return rc;
}

void pt_article_record_clear(pt_article_record *rec)
{
    if (!rec)
        return;
    free(rec->path);
    free(rec->title);
    free(rec->source);
    free(rec->date);
    memset(rec, 0, sizeof *rec);
}

void pt_article_key(const char *id, char out[PT_MAX_ID_IN_TERM + 1])
{
    size_t len = strlen(id);
    if (len <= PT_MAX_ID_IN_TERM) {
        memcpy(out, id, len + 1);
        return;
    }
    uint64_t h = pt_hash_bytes(PT_HASH_SEED, id, len);
    snprintf(out, PT_MAX_ID_IN_TERM + 1, "#%016" PRIx64, h);
}

int pt_record_encode_source(pt_buf *out, const char *path, uint64_t size, int64_t mtime_ns,
                            uint64_t hash, uint64_t n_ids)
{
    int rc = pt_buf_append_byte(out, RECORD_VERSION);
    if (!rc) rc = pt_buf_append_lenstr(out, path, strlen(path));
    if (!rc) rc = pt_buf_append_varint(out, size);
    if (!rc) rc = pt_buf_append_varint(out, (uint64_t)mtime_ns);
    if (!rc) rc = pt_buf_append_varint(out, hash);
    if (!rc) rc = pt_buf_append_varint(out, n_ids);
    return rc;
}

int pt_record_encode_ids(pt_buf *out, const char *const *ids, size_t n_ids)
{
    int rc = PT_OK;
    for (size_t i = 0; !rc && i < n_ids; i++)
        rc = pt_buf_append_lenstr(out, ids[i], strlen(ids[i]));
    return rc;
}

static int decode_source(pt_source_record *rec, const char *data, size_t len)
{
    pt_cursor r = {(const uint8_t *)data, (const uint8_t *)data + len};
    uint8_t version;
    uint64_t mtime;
    memset(rec, 0, sizeof *rec);
    int rc = pt_read_byte(&r, &version);
    if (!rc && version != RECORD_VERSION)
        return pt_fail(PT_EVERSION, "source record version %u is not supported", version);
    if (!rc) rc = pt_read_lenstr(&r, &rec->path, &rec->path_len);
    if (!rc) rc = pt_read_varint(&r, &rec->size);
    if (!rc) rc = pt_read_varint(&r, &mtime);
    if (!rc) rc = pt_read_varint(&r, &rec->hash);
    if (!rc) rc = pt_read_varint(&r, &rec->n_ids);
    if (rc)
        return rc;
    rec->mtime_ns = (int64_t)mtime;
    return PT_OK;
}

int pt_record_next_id(const pt_source_record *rec, size_t *cursor, const char **id, size_t *len)
{
    if (*cursor >= rec->ids_len)
        return PT_ENOTFOUND;
    pt_cursor r = {(const uint8_t *)rec->ids + *cursor, (const uint8_t *)rec->ids + rec->ids_len};
    int rc = pt_read_lenstr(&r, id, len);
    if (rc)
        return rc;
    *cursor = (size_t)((const char *)r.p - rec->ids);
    return PT_OK;
}

uint64_t pt_hash_bytes(uint64_t seed, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = seed;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

int pt_record_decode_passage(pt_passage_record *rec, const char *data, size_t len)
{
    return damaged(decode_passage(rec, data, len), "passage");
}

int pt_record_article_id(const pt_passage_record *rec, const char *key, size_t key_len, const char **id,
                         size_t *id_len)
{
    *id = rec->article_id_len ? rec->article_id : key;
    *id_len = rec->article_id_len ? rec->article_id_len : key_len;
    if (*id_len == 0 || !*id)
        return pt_fail(PT_ECORRUPT, "index is damaged: a passage has no article id");
    return PT_OK;
}

int pt_record_decode_article(pt_article_record *rec, const char *data, size_t len)
{
    return damaged(decode_article(rec, data, len), "article");
}

int pt_record_decode_source(pt_source_record *rec, const char *data, size_t len)
{
    return damaged(decode_source(rec, data, len), "source");
}
