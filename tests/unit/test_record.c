/* test_record.c — the passage and article records round-trip, compress,
 * and reject damaged input with PT_ECORRUPT instead of reading past it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptsearch.h"
#include "store/record.h"

static const char long_text[] =
    "US and Ukrainian officials are expected to meet for a second day of talks in Berlin on "
    "December 15 as Washington pushes for an agreement to end Russia's war on Ukraine and Kyiv "
    "struggles to avoid a deal that would favor Moscow. US and Ukrainian officials are expected.";

static void encode(pt_buf *b, const char *text, size_t len)
{
    pt_passage_record rec = {7, 123456, 42, {{0x81, 0, 0x0f}}, "corpus/004.txt", 14, text, len, NULL, 0};
    assert_int_equal(pt_record_encode_passage(b, &rec, NULL), PT_OK);
}

static void test_record__passage_round_trip_compressed(void **state)
{
    (void)state;
    pt_buf b = PT_BUF_INIT;
    encode(&b, long_text, strlen(long_text));
    assert_true(b.len < strlen(long_text)); /* the repetitive text shrank */
    pt_passage_record out;
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    assert_int_equal(out.ordinal, 7);
    assert_int_equal(out.start, 123456);
    assert_int_equal(out.line, 42);
    assert_int_equal(out.signature.slot[0], 0x81);
    assert_int_equal(out.signature.slot[1], 0);
    assert_int_equal(out.signature.slot[2], 0x0f);
    assert_int_equal(out.article_id_len, 14);
    assert_memory_equal(out.article_id, "corpus/004.txt", 14);
    assert_int_equal(out.text_len, strlen(long_text));
    assert_string_equal(out.text, long_text);
    free((char *)out.text);
    pt_buf_free(&b);
}

static void test_record__short_text_stored_raw(void **state)
{
    (void)state;
    pt_buf b = PT_BUF_INIT;
    encode(&b, "Miami", 5);
    assert_memory_equal(b.data + b.len - 5, "Miami", 5); /* stored as is */
    pt_passage_record out;
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    assert_string_equal(out.text, "Miami");
    free((char *)out.text);
    pt_buf_free(&b);
}

static void test_record__truncated_is_corrupt(void **state)
{
    (void)state;
    pt_buf b = PT_BUF_INIT;
    encode(&b, long_text, strlen(long_text));
    for (size_t cut = 0; cut < b.len; cut++) {
        pt_passage_record out;
        int rc = pt_record_decode_passage(&out, b.data, cut);
        assert_true(rc == PT_ECORRUPT || rc == PT_EVERSION);
    }
    /* A damaged stream: raw deflate has no checksum, so the damage must
     * break the stream (here its first block type becomes the reserved
     * one); the record's text length catches most other damage. The
     * stream starts after what a record with empty text has, whose
     * encoding byte and length are 2 bytes, and a 2-byte length. */
    pt_buf empty = PT_BUF_INIT;
    encode(&empty, "", 0);
    assert_true(strlen(long_text) >= 128 && strlen(long_text) < 16384);
    b.data[empty.len + 1] |= 0x06;
    pt_passage_record out;
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_ECORRUPT);
    pt_buf_free(&empty);
    pt_buf_free(&b);
}

/* A version-3 record (u16 slots) still decodes, each slot to its low byte. */
static void test_record__version3_signature_keeps_low_byte(void **state)
{
    (void)state;
    unsigned char v3[64];
    size_t n = 0;
    v3[n++] = 3;                                    /* version */
    v3[n++] = 1; v3[n++] = 5; v3[n++] = 2;          /* ordinal, start, line */
    for (int i = 0; i < PT_MINHASH_SLOTS; i++) {    /* u16 slots: 0x0700 + i + 1 */
        v3[n++] = (unsigned char)(i + 1);
        v3[n++] = 7;
    }
    v3[n++] = 1; v3[n++] = 'a';                     /* article id */
    v3[n++] = 0; v3[n++] = 2; v3[n++] = 'h'; v3[n++] = 'i'; /* raw text */
    pt_passage_record rec;
    assert_int_equal(pt_record_decode_passage(&rec, (const char *)v3, n), PT_OK);
    for (int i = 0; i < PT_MINHASH_SLOTS; i++)
        assert_int_equal(rec.signature.slot[i], i + 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.text_len, 2);
    assert_memory_equal(rec.text, "hi", 2);
    free((char *)rec.text);
}

static void test_record__article_round_trip(void **state)
{
    (void)state;
    pt_buf b = PT_BUF_INIT;
    assert_int_equal(pt_record_encode_article(&b, "/x/004.txt", "Title", NULL, "2025-12-15", 9, 0xfeedULL, 0, 0), PT_OK);
    pt_article_record rec;
    assert_int_equal(pt_record_decode_article(&rec, b.data, b.len), PT_OK);
    assert_string_equal(rec.path, "/x/004.txt");
    assert_string_equal(rec.title, "Title");
    assert_null(rec.source); /* unknown stays unknown */
    assert_string_equal(rec.date, "2025-12-15");
    assert_int_equal(rec.passages, 9);
    assert_int_equal(rec.hash, 0xfeed);
    pt_article_record_clear(&rec);
    assert_int_equal(pt_record_decode_article(&rec, b.data, b.len - 1), PT_ECORRUPT);

    /* A title that is the first sentence is flagged; a record without the
     * flag (as every record before it) reads as a headline. */
    size_t plain = b.len;
    pt_buf_reset(&b);
    assert_int_equal(pt_record_encode_article(&b, "/x/000.txt", "First sentence.", NULL, NULL, 3, 7,
                                              PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE, 99), PT_OK);
    assert_int_equal(pt_record_decode_article(&rec, b.data, b.len), PT_OK);
    assert_int_equal(rec.flags, PT_ARTICLE_FLAG_TITLE_IS_FIRST_SENTENCE);
    assert_int_equal(rec.content, 0); /* written only with its flag */
    pt_article_record_clear(&rec);

    /* A copy's record keeps its content hash after the flags. */
    pt_buf_reset(&b);
    assert_int_equal(pt_record_encode_article(&b, "/x/001.txt", "T", NULL, NULL, 0, 7,
                                              PT_ARTICLE_FLAG_COPY | PT_ARTICLE_FLAG_CONTENT,
                                              0xfedcba9876543210ULL), PT_OK);
    assert_int_equal(pt_record_decode_article(&rec, b.data, b.len), PT_OK);
    assert_int_equal(rec.flags, PT_ARTICLE_FLAG_COPY | PT_ARTICLE_FLAG_CONTENT);
    assert_true(rec.content == 0xfedcba9876543210ULL);
    pt_article_record_clear(&rec);
    assert_int_equal(pt_record_decode_article(&rec, b.data, b.len - 1), PT_ECORRUPT);
    assert_true(plain > 0);
    pt_buf_free(&b);
}

static void test_record__source_round_trip(void **state)
{
    (void)state;
    pt_buf b = PT_BUF_INIT;
    const char *ids[] = {"a.txt", "b#2", NULL};
    assert_int_equal(pt_record_encode_source(&b, "/data/feed.jsonl", 1234, 1700000000123456789LL, 42, 2), PT_OK);
    pt_source_record rec;
    assert_int_equal(pt_record_decode_source(&rec, b.data, b.len), PT_OK);
    assert_int_equal(rec.path_len, strlen("/data/feed.jsonl"));
    assert_int_equal(rec.size, 1234);
    assert_true(rec.mtime_ns == 1700000000123456789LL);
    assert_int_equal(rec.hash, 42);
    assert_int_equal(rec.n_ids, 2);
    assert_int_equal(rec.ids_len, 0); /* the ids are a record of their own */
    pt_buf ids_rec = PT_BUF_INIT;
    assert_int_equal(pt_record_encode_ids(&ids_rec, ids, 2), PT_OK);
    rec.ids = ids_rec.data;
    rec.ids_len = ids_rec.len;
    size_t cursor = 0, len;
    const char *id;
    assert_int_equal(pt_record_next_id(&rec, &cursor, &id, &len), PT_OK);
    assert_memory_equal(id, "a.txt", len);
    assert_int_equal(pt_record_next_id(&rec, &cursor, &id, &len), PT_OK);
    assert_memory_equal(id, "b#2", len);
    assert_int_equal(pt_record_next_id(&rec, &cursor, &id, &len), PT_ENOTFOUND);
    assert_int_equal(pt_record_decode_source(&rec, b.data, 5), PT_ECORRUPT);
    pt_buf_free(&ids_rec);
    pt_buf_free(&b);
}

static void test_record__long_ids_are_hashed_stably(void **state)
{
    (void)state;
    char id[400], key1[PT_MAX_ID_IN_TERM + 1], key2[PT_MAX_ID_IN_TERM + 1];
    memset(id, 'a', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    pt_article_key(id, key1);
    pt_article_key(id, key2);
    assert_string_equal(key1, key2);
    assert_int_equal(key1[0], '#');
    id[5] = 'b';
    pt_article_key(id, key2);
    assert_string_not_equal(key1, key2);
    pt_article_key("short/id.txt", key1);
    assert_string_equal(key1, "short/id.txt");
}

/* A parallel build's part of an article follows its key (a long id's is
 * a hash of it), so ids that are one article to the index meet in one part. */
static void test_record__part_of_an_article_follows_its_key(void **state)
{
    (void)state;
    char long_id[400], key[PT_MAX_ID_IN_TERM + 1];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    const char *ids[] = { "short/id.txt", "reuters:42", long_id };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        pt_article_key(ids[i], key);
        for (unsigned n = 1; n <= 9; n++)
            assert_int_equal(pt_index_part_of(ids[i], n), pt_hash_bytes(PT_HASH_SEED, key, strlen(key)) % n);
    }
    unsigned seen[4] = {0};
    for (int i = 0; i < 400; i++) {
        char id[32];
        snprintf(id, sizeof id, "article-%d", i);
        seen[pt_index_part_of(id, 4)]++;
    }
    for (int k = 0; k < 4; k++)
        assert_true(seen[k] > 50); /* every part gets work */
}

/* Version 5 keeps the headline left out before a first passage (for
 * phrases, positions.c); a version 4 record, written before, has none. */
static void test_record__passage_headline_round_trip(void **state)
{
    (void)state;
    pt_passage_record rec = {0, 10, 3, {{0}}, "a1", 2, "The lede.", 9, "Deal is near", 12};
    pt_buf b = PT_BUF_INIT;
    assert_int_equal(pt_record_encode_passage(&b, &rec, NULL), PT_OK);
    pt_passage_record out;
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    assert_int_equal(out.headline_len, 12);
    assert_memory_equal(out.headline, "Deal is near", 12);
    assert_string_equal(out.text, "The lede.");
    free((char *)out.text);
    pt_buf_free(&b);

    rec.headline = NULL;
    rec.headline_len = 0;
    assert_int_equal(pt_record_encode_passage(&b, &rec, NULL), PT_OK);
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    assert_null(out.headline);
    assert_int_equal(out.headline_len, 0);
    free((char *)out.text);
    pt_buf_free(&b);

    /* version 4: ordinal 0, start 10, line 3, 16 slots, id "a1", raw text "Hi." */
    static const char v4[] = "\x04\x00\x0a\x03" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" "\x02" "a1" "\x00\x03" "Hi.";
    assert_int_equal(pt_record_decode_passage(&out, v4, sizeof v4 - 1), PT_OK);
    assert_null(out.headline);
    assert_string_equal(out.text, "Hi.");
    assert_int_equal(out.start, 10);
    free((char *)out.text);
}

/* Version 6 leaves out an id that is the article key: the reader takes
 * the key the passage carries (slot 0); an id in the record wins; a
 * passage with neither is damage, not an article with no id. */
static void test_record__passage_id_from_the_key(void **state)
{
    (void)state;
    pt_passage_record rec = {2, 0, 1, {{0}}, NULL, 0, "Seals rest.", 11, NULL, 0};
    pt_buf b = PT_BUF_INIT;
    assert_int_equal(pt_record_encode_passage(&b, &rec, NULL), PT_OK);
    assert_int_equal((unsigned char)b.data[0], 6);
    pt_passage_record out;
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    free((char *)out.text);
    assert_int_equal(out.article_id_len, 0);
    const char *id = NULL;
    size_t id_len = 0;
    assert_int_equal(pt_record_article_id(&out, "cnndm-00ff", 10, &id, &id_len), PT_OK);
    assert_int_equal(id_len, 10);
    assert_memory_equal(id, "cnndm-00ff", 10);
    assert_int_equal(pt_record_article_id(&out, "", 0, &id, &id_len), PT_ECORRUPT);
    pt_buf_free(&b);

    rec.article_id = "a/long/id";
    rec.article_id_len = 9;
    assert_int_equal(pt_record_encode_passage(&b, &rec, NULL), PT_OK);
    assert_int_equal(pt_record_decode_passage(&out, b.data, b.len), PT_OK);
    free((char *)out.text);
    assert_int_equal(pt_record_article_id(&out, "#0123456789abcdef", 17, &id, &id_len), PT_OK);
    assert_int_equal(id_len, 9);
    assert_memory_equal(id, "a/long/id", 9);
    pt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record__passage_round_trip_compressed),
        cmocka_unit_test(test_record__passage_headline_round_trip),
        cmocka_unit_test(test_record__passage_id_from_the_key),
        cmocka_unit_test(test_record__short_text_stored_raw),
        cmocka_unit_test(test_record__truncated_is_corrupt),
        cmocka_unit_test(test_record__version3_signature_keeps_low_byte),
        cmocka_unit_test(test_record__article_round_trip),
        cmocka_unit_test(test_record__source_round_trip),
        cmocka_unit_test(test_record__long_ids_are_hashed_stably),
        cmocka_unit_test(test_record__part_of_an_article_follows_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
