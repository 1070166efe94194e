/* test_article.c — the article statistics behind article evidence (issue
 * 15): df over articles (passage df less the excess kept as metadata), tf
 * summed over an article's passages and its length stay right through
 * add, update and remove, in one commit or several, after parts merge and
 * over the local shards of a stub file; an article that repeats one word
 * in many passages is not inflated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "rank/article.h"
#include "util/buf.h"
#include "ptsearch.h"
#include "store/schema.h"
#include "test_util.h"
#include "xapian/xapian_binding.h"

/* An article of n sentences of ten words; sentence i holds word when
 * i < with (so word is in the passages of the first sentences). */
static char *make_text(size_t n, size_t with, const char *word)
{
    static const char *filler[] = {"harbour", "ledger", "copper", "meadow", "lantern", "quarry", "violin", "saddle", "pepper"};
    pt_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < 9; k++) {
            assert_int_equal(pt_buf_append_str(&b, k ? " " : (i ? " The" : "The")), PT_OK);
            if (k)
                assert_int_equal(pt_buf_append_str(&b, filler[(i + k) % 9]), PT_OK);
        }
        assert_int_equal(pt_buf_append_str(&b, " "), PT_OK);
        assert_int_equal(pt_buf_append_str(&b, i < with ? word : "orchard"), PT_OK);
        assert_int_equal(pt_buf_append_str(&b, "."), PT_OK);
    }
    assert_int_equal(pt_buf_append_byte(&b, '\0'), PT_OK);
    return b.data;
}

static void add(pt_index *ix, const char *id, const char *text)
{
    pt_article a = PT_ARTICLE_INIT;
    a.id = id;
    a.text = text;
    a.text_len = strlen(text);
    assert_int_equal(pt_index_add(ix, &a, NULL), PT_OK);
}

static int count_term(const pt_term *t, void *ctx)
{
    (void)t;
    ++*(uint64_t *)ctx;
    return 0;
}

/* How many terms the analyzer makes of text: the article's length. */
static uint64_t analyzed_length(const char *text)
{
    pt_analyzer *an = NULL;
    assert_int_equal(pt_analyzer_new(&an), PT_OK);
    uint64_t n = 0;
    assert_int_equal(pt_analyze(an, text, strlen(text), 0, count_term, &n, NULL), PT_OK);
    pt_analyzer_free(an);
    return n;
}

static pt_article_stats stats_at(const char *dir, const char *id, const char *word)
{
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    char term[256];
    snprintf(term, sizeof term, "%s%s", PT_PREFIX_ARTICLE, id);
    pt_article_stats st;
    assert_int_equal(pt_article_stats_of(r, term, word, &st), PT_OK);
    ptx_reader_close(r);
    return st;
}

static int64_t excess_at(const char *dir, const char *word)
{
    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    char key[256];
    snprintf(key, sizeof key, "%s%s", PT_META_EXCESS, word);
    int64_t v = -1;
    assert_int_equal(ptx_reader_metadata_sum(r, key, &v), PT_OK);
    ptx_reader_close(r);
    return v;
}

static void test_article__stats_after_add_update_remove(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *long_zebra = make_text(40, 40, "zebra");
    char *short_zebra = make_text(3, 1, "zebra");
    char *one_zebra = make_text(40, 1, "zebra");
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    add(ix, "long", long_zebra);
    add(ix, "short", short_zebra);
    add(ix, "none", "The meadow orchard.");
    assert_int_equal(pt_index_commit(ix), PT_OK);

    pt_article_stats st = stats_at(dir, "long", "zebra");
    assert_true(st.passages >= 3); /* the test needs an article of several passages */
    assert_int_equal(st.tf, 40);
    assert_int_equal(st.df, 2); /* "long" and "short", not one per passage */
    assert_int_equal(st.articles, 3);
    assert_int_equal(st.length, analyzed_length(long_zebra));
    assert_int_equal(excess_at(dir, "zebra"), (int64_t)st.passages - 1);

    /* update: zebra now in one passage of "long" */
    add(ix, "long", one_zebra);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    st = stats_at(dir, "long", "zebra");
    assert_int_equal(st.tf, 1);
    assert_int_equal(st.df, 2);
    assert_int_equal(st.length, analyzed_length(one_zebra));
    assert_int_equal(excess_at(dir, "zebra"), 0);
    assert_true(excess_at(dir, "orchard") > 0); /* orchard fills the other sentences */

    /* remove: only "short" holds zebra, and no excess is left behind */
    assert_int_equal(pt_index_remove(ix, "long"), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    st = stats_at(dir, "short", "zebra");
    assert_int_equal(st.df, 1);
    assert_int_equal(st.articles, 2);
    assert_int_equal(excess_at(dir, "orchard"), 0);
    assert_int_equal(excess_at(dir, "harbour"), 0);

    /* add, update and remove within one commit */
    add(ix, "long", long_zebra);
    add(ix, "long", one_zebra);
    add(ix, "long", long_zebra);
    assert_int_equal(pt_index_remove(ix, "long"), PT_OK);
    assert_int_equal(pt_index_commit(ix), PT_OK);
    assert_int_equal(excess_at(dir, "zebra"), 0);
    assert_int_equal(excess_at(dir, "harbour"), 0);
    assert_int_equal(stats_at(dir, "short", "zebra").df, 1);
    pt_index_free(ix);
    free(long_zebra);
    free(short_zebra);
    free(one_zebra);
    test_rmdir(dir);
}

/* The article that says "zebra" in each of its many passages scores for
 * "zebra" at most BM25's saturation of one document, with idf over
 * articles: not the sum of its passages. */
static void test_article__many_passages_of_one_word_not_inflated(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *long_zebra = make_text(60, 60, "zebra");
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    add(ix, "long", long_zebra);
    add(ix, "short", "A zebra crossed the meadow near the harbour.");
    for (int i = 0; i < 6; i++) {
        char id[24]; /* room for any int (gcc -O1 -Wformat-truncation) */
        snprintf(id, sizeof id, "other%d", i);
        add(ix, id, "The copper lantern hung in the quarry by the saddle.");
    }
    assert_int_equal(pt_index_commit(ix), PT_OK);
    pt_index_free(ix);

    ptx_reader *r = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    ptx_query *q = ptx_query_term("zebra", 5, 1, 0);
    const char *terms[] = {"Along", "Ashort"};
    double scores[2];
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    assert_int_equal(pt_article_scores(NULL, r, q, terms, 2, &xo, scores), PT_OK);
    /* df 2 of N 8 articles: tw = log(6.5 / 2.5) x 2.2; a document's BM25
     * part stays below tw however large its tf */
    double tw = log(6.5 / 2.5) * (xo.bm25_k1 + 1);
    assert_true(scores[0] > 0 && scores[0] < tw);
    assert_true(scores[1] > 0 && scores[1] < tw);
    ptx_query_free(q);
    ptx_reader_close(r);
    free(long_zebra);
    test_rmdir(dir);
}

/* Two indexes listed in a stub file: the counts add up over the shards. */
static void test_article__stats_add_up_over_stub_shards(void **state)
{
    (void)state;
    char *top = test_tmpdir();
    char *text = make_text(30, 30, "zebra");
    const char *names[] = {"one", "two"};
    for (int k = 0; k < 2; k++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/%s", top, names[k]);
        pt_index *ix = NULL;
        assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
        add(ix, k ? "b" : "a", text);
        add(ix, k ? "b2" : "a2", "The meadow orchard.");
        assert_int_equal(pt_index_commit(ix), PT_OK);
        pt_index_free(ix);
    }
    char stub[600];
    snprintf(stub, sizeof stub, "%s/all.stub", top);
    FILE *f = fopen(stub, "w");
    assert_non_null(f);
    fprintf(f, "auto one\nauto two\n");
    fclose(f);
    pt_article_stats st = stats_at(stub, "b", "zebra");
    assert_int_equal(st.articles, 4);
    assert_int_equal(st.df, 2);
    assert_int_equal(st.tf, 30);
    free(text);
    test_rmdir(top);
}

/* A parallel build's parts merge: their excess adds up. */
static void test_article__stats_add_up_when_parts_merge(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *text = make_text(30, 30, "zebra");
    pt_index *ix = NULL, *parts[2] = {NULL, NULL};
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    for (unsigned k = 0; k < 2; k++) {
        assert_int_equal(pt_index_open_part(&parts[k], dir, k), PT_OK);
        add(parts[k], k ? "b" : "a", text);
        assert_int_equal(pt_index_commit(parts[k]), PT_OK);
    }
    assert_int_equal(pt_index_merge_parts(ix, parts, 2), PT_OK);
    for (unsigned k = 0; k < 2; k++)
        pt_index_free(parts[k]);
    pt_index_free(ix);
    pt_article_stats st = stats_at(dir, "a", "zebra");
    assert_int_equal(st.articles, 2);
    assert_int_equal(st.df, 2);
    assert_int_equal(excess_at(dir, "zebra"), 2 * ((int64_t)st.passages - 1));
    free(text);
    test_rmdir(dir);
}

static int collect_docid(uint32_t docid, double doclength, void *ctx)
{
    (void)doclength;
    uint32_t *ids = ctx;
    if (ids[0] < 15)
        ids[++ids[0]] = docid;
    return 0;
}

static double score_of(pt_article_cache *c, ptx_reader *r, const char *article_term, const char *word)
{
    ptx_query *q = ptx_query_term(word, strlen(word), 1, 0);
    ptx_search_opts xo = PTX_SEARCH_OPTS_INIT;
    double score = -1;
    assert_int_equal(pt_article_scores(c, r, q, &article_term, 1, &xo, &score), PT_OK);
    ptx_query_free(q);
    return score;
}

/* A searcher kept open across commits scores with the statistics of the
 * commit it reads: what article.c cached of the last one goes when the
 * reader moves on. */
static void test_article__cache_follows_commits(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *few = make_text(60, 2, "zebra"), *many = make_text(60, 50, "zebra");
    pt_index *ix = NULL;
    assert_int_equal(pt_index_open(&ix, dir, PT_INDEX_CREATE), PT_OK);
    add(ix, "long", few);
    add(ix, "other", "The copper lantern hung in the quarry by the saddle.");
    add(ix, "third", "A zebra crossed the meadow near the harbour.");
    assert_int_equal(pt_index_commit(ix), PT_OK);

    ptx_reader *r = NULL;
    pt_article_cache *c = NULL;
    assert_int_equal(ptx_reader_open(&r, dir), PT_OK);
    assert_int_equal(pt_article_cache_new(&c), PT_OK);
    double before = score_of(c, r, "Along", "zebra");
    assert_true(before > 0);
    assert_true(score_of(c, r, "Along", "zebra") == before); /* from the cache */

    /* which passages hold the word: the first ones, in any order asked */
    uint32_t ids[16] = {0};
    assert_int_equal(ptx_reader_postlist(r, "Along", collect_docid, ids), PT_OK);
    assert_true(ids[0] >= 3);
    uint32_t asked[3] = {ids[ids[0]], ids[1], ids[ids[0]]};
    const char *terms[] = {"walrus", "zebra"};
    unsigned char skip[] = {0, 0}, holds[3];
    assert_int_equal(pt_article_docs_holding(r, asked, 3, terms, skip, 2, holds), PT_OK);
    assert_int_equal(holds[0], 0);
    assert_int_equal(holds[1], 1);
    assert_int_equal(holds[2], 0);
    skip[1] = 1; /* zebra not asked for */
    assert_int_equal(pt_article_docs_holding(r, asked, 3, terms, skip, 2, holds), PT_OK);
    assert_int_equal(holds[1], 0);

    add(ix, "long", many); /* the word in most of its passages now */
    assert_int_equal(pt_index_commit(ix), PT_OK);
    int changed = 0;
    assert_int_equal(ptx_reader_reopen(r, &changed), PT_OK);
    assert_true(changed);
    double after = score_of(c, r, "Along", "zebra");
    assert_true(after > before);
    assert_true(after == score_of(NULL, r, "Along", "zebra"));

    pt_article_cache_free(c);
    ptx_reader_close(r);
    pt_index_free(ix);
    free(few);
    free(many);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article__stats_after_add_update_remove),
        cmocka_unit_test(test_article__many_passages_of_one_word_not_inflated),
        cmocka_unit_test(test_article__stats_add_up_over_stub_shards),
        cmocka_unit_test(test_article__stats_add_up_when_parts_merge),
        cmocka_unit_test(test_article__cache_follows_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
