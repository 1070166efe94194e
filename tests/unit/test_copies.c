/* test_copies.c — exact copies (lib/store/copies.h) through the public API:
 * an article given again under another id is stored once, ranks as the
 * index without it, shows beside its original (also_in, or as hits of its
 * own without grouping), keeps its passages when the original goes (in
 * one index and across shards), and --check agrees with every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "ptsearch.h"
#include "test_util.h"

#define WIRE_TITLE "Grain corridor reopens"
#define WIRE_TEXT "Exporters welcomed the reopening of the grain corridor at Odesa on Monday, officials said."

static const char *const filler[] = {
    "Farmers in the valley harvested wheat before the early frost arrived.",
    "The city council approved a new budget for public libraries and parks.",
    "A museum exhibition of medieval maps opened to large crowds on Sunday.",
    "Trucks queued at the border corridor for days as the inspections slowed.",
};

/* The wire story as article id, read from path at line (a JSON Lines dump
 * puts each article on a line of its own). */
static void add_wire(pt_index *ix, const char *id, const char *path, uint32_t line)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.path = path;
    a.title = WIRE_TITLE;
    a.source = "Wire";
    a.date = "2025-12-14";
    a.text = WIRE_TEXT;
    a.text_len = strlen(WIRE_TEXT);
    a.file_line = line;
    a.file_offset = 1000 * line;
    a.one_file_line = 1;
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

static void add_filler(pt_index *ix)
{
    for (size_t i = 0; i < sizeof filler / sizeof *filler; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%zu", i);
        pt_article a = PT_ARTICLE_INIT;
        a.id = id;
        a.text = filler[i];
        a.text_len = strlen(filler[i]);
        assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
    }
}

/* An index at a new directory (n_shards 0: unsharded) with the filler and
 * the wire story as w0 .. w(copies-1) ("dump.jsonl", line 10 + i). */
static char *build(unsigned n_shards, unsigned copies)
{
    char *dir = test_tmpdir();
    assert_non_null(dir);
    pt_index *ix = NULL;
    if (n_shards)
        assert_int_equal(pt_index_open_sharded(&ix, dir, PT_INDEX_CREATE, n_shards), PT_OK);
    else
        assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    add_filler(ix);
    for (unsigned i = 0; i < copies; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%u", i);
        add_wire(ix, id, "dump.jsonl", 10 + i);
    }
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    return dir;
}

static void expect_clean(const char *dir, uint64_t articles, uint64_t passages)
{
    pt_index_stats stats;
    assert_int_equal(pt_index_check(dir, NULL, NULL, &stats), PT_OK);
    assert_int_equal(stats.articles, articles);
    assert_int_equal(stats.passages, passages);
}

static pt_hits *search(const char *dir, const char *query, unsigned flags)
{
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    pt_search_opts o = PT_SEARCH_OPTS_INIT;
    o.max_hits = 10;
    o.flags = flags;
    pt_hits *hits = NULL;
    assert_int_equal(pt_search(&hits, s, query, &o), PT_OK);
    pt_searcher_free(s);
    return hits;
}

static void remove_ids(const char *dir, const char *const *ids, size_t n)
{
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, 0), PT_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pt_index_remove(ix, ids[i]), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
}

/* The leader and its also_in are exactly the ids wanted (any order), each
 * at its own line, with the leader's score. */
static void expect_group(const pt_hit *h, const char *const *ids, size_t n)
{
    assert_int_equal(h->n_also_in + 1, n);
    int seen[8] = {0};
    for (size_t k = 0; k <= h->n_also_in; k++) {
        const char *id = k ? h->also_in[k - 1].article : h->article;
        uint32_t line = k ? h->also_in[k - 1].line : h->line;
        size_t i = 0;
        while (i < n && strcmp(ids[i], id) != 0)
            i++;
        assert_true(i < n);
        seen[i]++;
        assert_int_equal(line, 10 + (unsigned)(id[1] - '0'));
        if (k) {
            assert_string_equal(h->also_in[k - 1].path, "dump.jsonl");
            assert_string_equal(h->also_in[k - 1].source, "Wire");
            assert_string_equal(h->also_in[k - 1].title, WIRE_TITLE);
            assert_true(h->also_in[k - 1].score == h->score);
        }
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(seen[i], 1);
}

static void test_copies__stored_once_and_ranked_as_without_them(void **state)
{
    (void)state;
    char *one = build(0, 1), *four = build(0, 4);
    expect_clean(four, 8, 5); /* 8 articles, 5 passages: the copies hold none */
    pt_hits *a = search(one, "grain corridor", 0), *b = search(four, "grain corridor", 0);
    assert_int_equal(pt_hits_count(a), pt_hits_count(b));
    for (size_t i = 0; i < pt_hits_count(a); i++) {
        assert_string_equal(pt_hits_get(a, i)->article, pt_hits_get(b, i)->article);
        assert_true(fabs(pt_hits_get(a, i)->score - pt_hits_get(b, i)->score) < 1e-9);
    }
    expect_group(pt_hits_get(b, 0), (const char *const[]){"w0", "w1", "w2", "w3"}, 4);
    pt_hits_free(a);
    pt_hits_free(b);

    /* Without grouping each copy is a hit of its own, with the passage. */
    pt_hits *apart = search(four, "grain corridor", PT_SEARCH_NO_GROUP);
    assert_true(pt_hits_count(apart) >= 4);
    for (size_t i = 0; i < 4; i++) {
        const pt_hit *h = pt_hits_get(apart, i);
        assert_int_equal(h->rank, i + 1);
        assert_int_equal(h->article[0], 'w');
        assert_int_equal(h->line, 10 + (unsigned)(h->article[1] - '0'));
        assert_int_equal(h->start, 1000 * h->line);
        assert_string_equal(h->passage, WIRE_TEXT);
        assert_true(h->n_highlights > 0);
        assert_true(h->score == pt_hits_get(apart, 0)->score);
    }
    pt_hits_free(apart);
    test_rmdir(one);
    test_rmdir(four);
}

static void test_copies__a_copy_shows_the_passages_as_its_own(void **state)
{
    (void)state;
    char *dir = build(0, 3);
    pt_searcher *s = NULL;
    assert_int_equal(pt_searcher_open(&s, dir), PT_OK);
    pt_hits *hits = NULL;
    assert_int_equal(pt_article_passages(&hits, s, "w2", 10), PT_OK);
    assert_int_equal(pt_hits_count(hits), 1);
    assert_string_equal(pt_hits_get(hits, 0)->article, "w2");
    assert_int_equal(pt_hits_get(hits, 0)->line, 12);
    assert_string_equal(pt_hits_get(hits, 0)->passage, WIRE_TEXT);
    pt_hits_free(hits);
    assert_int_equal(pt_article_passages(&hits, s, "w9", 10), PT_ENOTFOUND);
    pt_searcher_free(s);
    test_rmdir(dir);
}

/* Removing the original hands its passages to the first copy; removing
 * every copy leaves nothing behind. */
static void check_hand_over(unsigned n_shards)
{
    char *dir = build(n_shards, 4);
    remove_ids(dir, (const char *const[]){"w0"}, 1);
    expect_clean(dir, 7, 5);
    pt_hits *hits = search(dir, "grain corridor", 0);
    expect_group(pt_hits_get(hits, 0), (const char *const[]){"w1", "w2", "w3"}, 3);
    pt_hits_free(hits);

    remove_ids(dir, (const char *const[]){"w2", "w1"}, 2);
    expect_clean(dir, 5, 5);
    hits = search(dir, "grain corridor", 0);
    expect_group(pt_hits_get(hits, 0), (const char *const[]){"w3"}, 1);
    pt_hits_free(hits);

    remove_ids(dir, (const char *const[]){"w3"}, 1);
    expect_clean(dir, 4, 4);
    hits = search(dir, "odesa", 0);
    assert_int_equal(pt_hits_count(hits), 0);
    pt_hits_free(hits);
    test_rmdir(dir);
}

static void test_copies__the_first_copy_takes_over_from_a_removed_original(void **state)
{
    (void)state;
    check_hand_over(0);
}

static void test_copies__across_shards(void **state)
{
    (void)state;
    /* With 3 shards the four ids spread (FNV-1a of the id): copies then
     * sit in other shards than their original, and rank as unsharded. */
    char *plain = build(0, 4), *sharded = build(3, 4);
    expect_clean(sharded, 8, 5);
    pt_hits *a = search(plain, "grain corridor", 0), *b = search(sharded, "grain corridor", 0);
    assert_int_equal(pt_hits_count(a), pt_hits_count(b));
    for (size_t i = 0; i < pt_hits_count(a); i++)
        assert_true(fabs(pt_hits_get(a, i)->score - pt_hits_get(b, i)->score) < 1e-9);
    expect_group(pt_hits_get(b, 0), (const char *const[]){"w0", "w1", "w2", "w3"}, 4);
    pt_hits_free(a);
    pt_hits_free(b);
    test_rmdir(plain);
    test_rmdir(sharded);
    check_hand_over(3);
}

/* A copy given new text becomes an article of its own; given the text
 * back, a copy again. */
static void test_copies__an_updated_copy_leaves_the_group(void **state)
{
    (void)state;
    char *dir = build(0, 3);
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, 0), PT_OK);
    pt_article a = PT_ARTICLE_INIT;
    a.id = "w1";
    a.title = WIRE_TITLE;
    a.source = "Wire";
    a.date = "2025-12-14";
    a.text = "Exporters welcomed the reopening of the grain corridor at Odesa on Tuesday.";
    a.text_len = strlen(a.text);
    pt_add_result result;
    assert_int_equal(pt_index_add(ix, &a, &result), PT_OK);
    assert_int_equal(result.kind, PT_ADD_UPDATED);
    assert_int_equal(result.passages, 1);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    expect_clean(dir, 7, 6);
    pt_hits *hits = search(dir, "tuesday", 0);
    assert_int_equal(pt_hits_count(hits), 1);
    assert_string_equal(pt_hits_get(hits, 0)->article, "w1");
    assert_int_equal(pt_hits_get(hits, 0)->n_also_in, 0);
    pt_hits_free(hits);

    assert_int_equal(pt_index_open(&ix, dir, 0), PT_OK);
    add_wire(ix, "w1", "dump.jsonl", 11);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);
    expect_clean(dir, 7, 5);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies__stored_once_and_ranked_as_without_them),
        cmocka_unit_test(test_copies__a_copy_shows_the_passages_as_its_own),
        cmocka_unit_test(test_copies__the_first_copy_takes_over_from_a_removed_original),
        cmocka_unit_test(test_copies__across_shards),
        cmocka_unit_test(test_copies__an_updated_copy_leaves_the_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
