/* fuzz_record.c — libFuzzer target for the record decoders (lib/store/record.c)
 * on any bytes: what a damaged index hands ptsearch and ptindex. Byte 0
 * picks the record: passage, article, source (its ids list after it), a
 * passage encoded from the bytes and decoded back, or a bucket of the
 * table of recurring lines. Checked: a decoded
 * id or path points inside the record, decoded text is NUL-terminated,
 * an id left out is the article key's, and whatever decodes encodes again
 * to a record that decodes the same. */
#include <stdint.h>
#include <string.h>

#include "analysis/recurring.h"
#include "fuzz.h"
#include "ptsearch.h"
#include "store/record.h"

static int inside(const char *p, size_t n, const char *data, size_t len)
{
    return n == 0 || (p >= data && n <= len && p + n <= data + len);
}

static void check_same_passage(const pt_passage_record *a, const pt_passage_record *b)
{
    FUZZ_CHECK(a->ordinal == b->ordinal && a->start == b->start && a->line == b->line);
    FUZZ_CHECK(memcmp(&a->signature, &b->signature, sizeof a->signature) == 0);
    FUZZ_CHECK(a->article_id_len == b->article_id_len);
    FUZZ_CHECK(a->article_id_len == 0 || memcmp(a->article_id, b->article_id, a->article_id_len) == 0);
    FUZZ_CHECK(a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0);
    FUZZ_CHECK(a->headline_len == b->headline_len && (a->headline == NULL) == (b->headline == NULL));
    FUZZ_CHECK(a->headline_len == 0 || memcmp(a->headline, b->headline, a->headline_len) == 0);
}

/* Encodes rec (with deflater d, or a stream of its own) and decodes it. */
static void round_trip_passage(const pt_passage_record *rec, pt_deflater *d)
{
    pt_buf out = PT_BUF_INIT;
    FUZZ_CHECK(pt_record_encode_passage(&out, rec, d) == 0);
    pt_passage_record again;
    FUZZ_CHECK(pt_record_decode_passage(&again, out.data, out.len) == 0);
    check_same_passage(rec, &again);
    free((char *)again.text);
    pt_buf_free(&out);
}

static void decode_passage(const char *data, size_t len, pt_deflater *d)
{
    pt_passage_record rec;
    if (pt_record_decode_passage(&rec, data, len) != 0)
        return;
    FUZZ_CHECK(inside(rec.article_id, rec.article_id_len, data, len));
    FUZZ_CHECK(inside(rec.headline, rec.headline_len, data, len));
    FUZZ_CHECK(rec.text && rec.text[rec.text_len] == '\0');
    const char *id;
    size_t id_len;
    /* an id of its own wins over the key; none and no key is damage */
    FUZZ_CHECK(pt_record_article_id(&rec, "key", 3, &id, &id_len) == 0);
    FUZZ_CHECK(rec.article_id_len ? id == rec.article_id && id_len == rec.article_id_len : id_len == 3);
    FUZZ_CHECK((pt_record_article_id(&rec, "", 0, &id, &id_len) == 0) == (rec.article_id_len > 0));
    round_trip_passage(&rec, d);
    free((char *)rec.text);
}

static void decode_article(const char *data, size_t len)
{
    pt_article_record rec;
    if (pt_record_decode_article(&rec, data, len) != 0) {
        FUZZ_CHECK(!rec.path && !rec.title && !rec.source && !rec.date);
        return;
    }
    pt_buf out = PT_BUF_INIT;
    FUZZ_CHECK(pt_record_encode_article(&out, rec.path, rec.title, rec.source, rec.date,
                                        rec.passages, rec.hash, rec.flags, rec.content) == 0);
    pt_article_record again;
    FUZZ_CHECK(pt_record_decode_article(&again, out.data, out.len) == 0);
    FUZZ_CHECK(again.passages == rec.passages && again.hash == rec.hash && again.flags == rec.flags &&
               again.content == rec.content);
    char *a[] = {rec.path, rec.title, rec.source, rec.date};
    char *b[] = {again.path, again.title, again.source, again.date};
    /* An embedded NUL ends a field on the way back (fields are C strings). */
    for (int i = 0; i < 4; i++)
        FUZZ_CHECK((!a[i] && !b[i]) || (a[i] && (!b[i] ? a[i][0] == '\0' : strcmp(a[i], b[i]) == 0)));
    pt_article_record_clear(&again);
    pt_article_record_clear(&rec);
    pt_buf_free(&out);
}

/* A split byte, a source record of that many bytes, then its ids list in
 * the rest. */
static void decode_source(const char *data, size_t len)
{
    size_t split = len ? (uint8_t)data[0] % len : 0;
    const char *stamp = data + (len > 0);
    len -= len > 0;
    pt_source_record rec;
    if (pt_record_decode_source(&rec, stamp, split) == 0)
        FUZZ_CHECK(inside(rec.path, rec.path_len, stamp, split));
    else
        memset(&rec, 0, sizeof rec);
    rec.ids = stamp + split;
    rec.ids_len = len - split;
    size_t cursor = 0, before = 0;
    const char *id;
    size_t id_len;
    while (pt_record_next_id(&rec, &cursor, &id, &id_len) == 0) {
        FUZZ_CHECK(cursor > before && cursor <= rec.ids_len); /* always moves on */
        FUZZ_CHECK(inside(id, id_len, rec.ids, rec.ids_len));
        before = cursor;
    }
}

/* A bucket of the table of recurring lines (its number from the first two
 * bytes), as a damaged index hands it to ptindex: read whole or refused
 * (and then marked to be written anew), never past its end. */
static void decode_recurring_bucket(const char *data, size_t len)
{
    unsigned bucket = len >= 2 ? ((unsigned)(uint8_t)data[0] << 8 | (uint8_t)data[1]) % PT_RECUR_BUCKETS : 0;
    size_t skip = len >= 2 ? 2 : len;
    pt_recurring *t = pt_recurring_new();
    FUZZ_CHECK(t != NULL);
    int rc = pt_recurring_decode_bucket(t, bucket, data + skip, len - skip);
    FUZZ_CHECK(rc == 0 || rc == PT_ECORRUPT);
    FUZZ_CHECK(pt_recurring_dirty(t) == (rc != 0));
    pt_recurring_free(t);
}

/* The bytes as a passage's text (and the first few as its id). */
static void encode_passage(const char *data, size_t len, pt_deflater *d)
{
    pt_passage_record rec;
    memset(&rec, 0, sizeof rec);
    rec.ordinal = (uint32_t)len;
    rec.start = (uint64_t)len << 20;
    rec.line = 1;
    rec.article_id = data;
    rec.article_id_len = len < 8 ? len : 8;
    rec.text = data;
    rec.text_len = len;
    round_trip_passage(&rec, d);
    round_trip_passage(&rec, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pt_deflater *d;
    if (!d)
        FUZZ_CHECK(pt_deflater_new(&d) == 0);
    size_t len = size ? size - 1 : 0;
    char *bytes = malloc(len ? len : 1); /* exactly len bytes: ASan sees overreads */
    FUZZ_CHECK(bytes != NULL);
    memcpy(bytes, data + (size > 0), len);
    switch (size ? data[0] % 5 : 0) {
    case 0: decode_passage(bytes, len, d); break;
    case 1: decode_article(bytes, len); break;
    case 2: decode_source(bytes, len); break;
    case 3: encode_passage(bytes, len, d); break;
    default: decode_recurring_bucket(bytes, len); break;
    }
    free(bytes);
    return 0;
}
